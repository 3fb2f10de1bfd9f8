using AttentionCourse.Data;
using Plotly.NET;
using static TorchSharp.torch;

namespace AttentionCourse.Plotting;

/// <summary>Image charts: grids of grey images, and attention maps laid over the images they were computed on.</summary>
public static partial class Charts
{
    private const int TileGap = 2;

    /// <summary>
    /// A grid of grey images (pixel value 0 = black, 1 = white), a caption under each.
    /// </summary>
    /// <param name="images"><c>(N, H, W)</c> or <c>(N, 1, H, W)</c>, values in [0, 1].</param>
    /// <param name="captions">N captions, or null.</param>
    /// <param name="columns">Images per row.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="boxes">Optional boxes to outline on each image (pixels, end-exclusive), e.g. a canvas's objects.</param>
    public static GenericChart ImageGrid(Tensor images, IReadOnlyList<string>? captions, int columns, string title,
        IReadOnlyList<IReadOnlyList<PlacedObject>>? boxes = null)
        => ImageChart(images, null, null, captions, columns, title, boxes, null);

    /// <summary>
    /// Maps laid over images: each image in grey with its map (e.g. an attention map over a 14×14 feature map, stretched to
    /// the image by repeating cells) drawn semi-transparently on top, one colour scale for all tiles so they compare.
    /// </summary>
    /// <param name="images"><c>(N, H, W)</c> or <c>(N, 1, H, W)</c> in [0, 1].</param>
    /// <param name="maps"><c>(N, h, w)</c> with H and W multiples of h and w.</param>
    /// <param name="mapName">What the map is, with its unit (shown on the colour bar), e.g. "attention weight".</param>
    /// <param name="captions">N captions, or null.</param>
    /// <param name="columns">Images per row.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="boxes">Optional boxes to outline (the object's box, to judge where the map falls).</param>
    /// <param name="mapMax">Top of the shared colour scale; default the largest map value.</param>
    public static GenericChart MapsOverImages(Tensor images, Tensor maps, string mapName, IReadOnlyList<string>? captions, int columns,
        string title, IReadOnlyList<IReadOnlyList<PlacedObject>>? boxes = null, double? mapMax = null)
        => ImageChart(images, maps, mapName, captions, columns, title, boxes, mapMax);

    private static GenericChart ImageChart(Tensor images, Tensor? maps, string? mapName, IReadOnlyList<string>? captions, int columns,
        string title, IReadOnlyList<IReadOnlyList<PlacedObject>>? boxes, double? mapMax)
    {
        using var scope = NewDisposeScope();
        if (images.dim() == 4) images = images.squeeze(1);
        if (images.dim() != 3)
            throw new ArgumentException($"images must be (N, H, W) or (N, 1, H, W); got shape {Layers.Check.Describe(images.shape)}.", nameof(images));
        int n = (int)images.shape[0], H = (int)images.shape[1], W = (int)images.shape[2];
        if (columns < 1) throw new ArgumentException($"columns must be at least 1; got {columns}.", nameof(columns));
        if (captions is not null && captions.Count != n)
            throw new ArgumentException($"captions must have one entry per image ({n}); got {captions.Count}.", nameof(captions));
        if (boxes is not null && boxes.Count != n)
            throw new ArgumentException($"boxes must have one list per image ({n}); got {boxes.Count}.", nameof(boxes));
        int rows = (n + columns - 1) / columns;
        var pixels = Mosaic(images, rows, columns);
        var traces = new List<GenericChart> { HeatmapTrace(pixels, "Greys", reverse: false, opacity: 1, showScale: false, zMin: 0, zMax: 1, name: "pixel") };
        if (maps is not null)
        {
            if (maps.dim() != 3 || maps.shape[0] != n || H % maps.shape[1] != 0 || W % maps.shape[2] != 0)
                throw new ArgumentException($"maps must be (N = {n}, h, w) with h dividing {H} and w dividing {W}; got {Layers.Check.Describe(maps.shape)}.", nameof(maps));
            var stretched = maps.detach().to_type(ScalarType.Float32)
                .repeat_interleave(H / maps.shape[1], 1).repeat_interleave(W / maps.shape[2], 2);   // (N, H, W)
            double top = mapMax ?? stretched.max().item<float>();
            traces.Add(HeatmapTrace(Mosaic(stretched, rows, columns), "Hot", reverse: false, opacity: 0.55, showScale: true, zMin: 0, zMax: top, name: mapName!));
        }
        var chart = GenericChart.combine(traces);
        var layout = GenericChart.getLayout(chart);
        var heading = new Title();
        heading.SetProperty("text", title);
        layout.SetProperty("title", heading);
        layout.SetProperty("xaxis", Axis($"x (pixels; {W} per image)", reversed: false, anchorTo: "y"));
        layout.SetProperty("yaxis", Axis($"y (pixels; {H} per image)", reversed: true, anchorTo: null));
        layout.SetProperty("plot_bgcolor", "white");
        int tileW = W + TileGap, tileH = H + TileGap + (captions is null ? 0 : 6);
        layout.SetProperty("width", Math.Min(1100, 120 + columns * Math.Max(90, tileW * 2)));
        layout.SetProperty("height", 140 + rows * Math.Max(100, tileH * 2));
        var annotations = new List<Dictionary<string, object>>();
        var shapes = new List<Dictionary<string, object>>();
        for (int i = 0; i < n; i++)
        {
            int r = i / columns, c = i % columns;
            double x0 = c * (W + TileGap), y0 = r * (H + TileGap + (captions is null ? 0 : 6));
            if (captions is not null)
                annotations.Add(new() { ["x"] = x0 + W / 2.0, ["y"] = y0 + H + 3, ["text"] = captions[i], ["showarrow"] = false, ["font"] = new Dictionary<string, object> { ["size"] = 10 } });
            if (boxes is not null)
                foreach (var b in boxes[i])
                    shapes.Add(new() { ["type"] = "rect", ["x0"] = x0 + b.X0 - 0.5, ["x1"] = x0 + b.X1 - 0.5, ["y0"] = y0 + b.Y0 - 0.5, ["y1"] = y0 + b.Y1 - 0.5,
                        ["line"] = new Dictionary<string, object> { ["color"] = "deepskyblue", ["width"] = 1.5 } });
        }
        if (annotations.Count > 0) layout.SetProperty("annotations", annotations);
        if (shapes.Count > 0) layout.SetProperty("shapes", shapes);
        return GenericChart.setLayout(layout, chart);

        double?[][] Mosaic(Tensor tiles, int rowCount, int columnCount)
        {
            var flat = tiles.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
            int captionRows = captions is null ? 0 : 6;
            int height = rowCount * (H + TileGap + captionRows), width = columnCount * (W + TileGap);
            var z = new double?[height][];
            for (int y = 0; y < height; y++) z[y] = new double?[width];
            for (int i = 0; i < n; i++)
            {
                int r = i / columnCount, c = i % columnCount;
                for (int y = 0; y < H; y++)
                    for (int x = 0; x < W; x++)
                        z[r * (H + TileGap + captionRows) + y][c * (W + TileGap) + x] = flat[(i * H + y) * W + x];
            }
            return z;
        }
    }

    private static GenericChart HeatmapTrace(double?[][] z, string colorScale, bool reverse, double opacity, bool showScale, double zMin, double zMax, string name)
    {
        var trace = new Trace("heatmap");
        trace.SetProperty("z", z);
        trace.SetProperty("colorscale", colorScale);
        trace.SetProperty("reversescale", reverse);
        trace.SetProperty("opacity", opacity);
        trace.SetProperty("showscale", showScale);
        trace.SetProperty("zmin", zMin);
        trace.SetProperty("zmax", zMax);
        trace.SetProperty("name", name);
        trace.SetProperty("hoverongaps", false);
        if (showScale) trace.SetProperty("colorbar", new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = name } });
        return GenericChart.ofTraceObject(true, trace);
    }

    private static Dictionary<string, object> Axis(string title, bool reversed, string? anchorTo)
    {
        var axis = new Dictionary<string, object>
        {
            ["title"] = new Dictionary<string, object> { ["text"] = title },
            ["showticklabels"] = false, ["showgrid"] = false, ["zeroline"] = false,
        };
        if (reversed) axis["autorange"] = "reversed";
        if (anchorTo is not null) { axis["scaleanchor"] = anchorTo; axis["constrain"] = "domain"; }
        return axis;
    }
}
