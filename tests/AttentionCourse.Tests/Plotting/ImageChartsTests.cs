using System.Text.Json;
using AttentionCourse.Data;
using AttentionCourse.Plotting;
using Plotly.NET;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Plotting;

public class ImageChartsTests
{
    private static JsonElement Figure(GenericChart chart) => JsonDocument.Parse(GenericChart.toFigureJson(chart)).RootElement;

    [Fact]
    public void MapsOverImages_TilesPixelsAndStretchedMaps_WithBoxesAndOneScale()
    {
        var images = arange(2 * 4 * 4, dtype: ScalarType.Float32).view(2, 4, 4) / 32;      // two 4×4 images
        var maps = tensor(new float[] { 1, 0, 0, 0, 0, 0, 0, 2 }).view(2, 2, 2);         // two 2×2 maps
        var boxes = new IReadOnlyList<PlacedObject>[] { [new PlacedObject(3, 0, 0, 2, 2)], [] };
        var figure = Figure(Charts.MapsOverImages(images, maps, "weight", ["a", "b"], columns: 2, "Maps", boxes));
        var pixels = figure.GetProperty("data")[0].GetProperty("z");
        var heat = figure.GetProperty("data")[1].GetProperty("z");
        // Image 1 sits right of image 0 after a 2-pixel gap: its pixel (0, 0) is column 4 + 2 = 6.
        Assert.Equal(16 / 32.0, pixels[0][6].GetDouble(), 6);
        Assert.Equal(JsonValueKind.Null, pixels[0][4].ValueKind);                          // the gap is empty
        // Each map cell covers 2×2 pixels: image 0's cell (0, 0) = 1 on pixels (0..1, 0..1); image 1's cell (1, 1) = 2.
        Assert.Equal(1.0, heat[1][1].GetDouble(), 6);
        Assert.Equal(0.0, heat[2][2].GetDouble(), 6);
        Assert.Equal(2.0, heat[3][9].GetDouble(), 6);
        Assert.Equal(2.0, figure.GetProperty("data")[1].GetProperty("zmax").GetDouble(), 6);     // one scale for all tiles
        Assert.Equal("rect", figure.GetProperty("layout").GetProperty("shapes")[0].GetProperty("type").GetString());
        Assert.Equal("Maps", figure.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        TestSupport.AssertArgumentError(() => Charts.MapsOverImages(images, zeros(2, 3, 3), "w", null, 2, "t"), "maps", "(2, 3, 3)");
        TestSupport.AssertArgumentError(() => Charts.ImageGrid(images, ["only one"], 2, "t"), "captions", "2", "1");
    }
}
