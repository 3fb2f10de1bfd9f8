using Plotly.NET;
using Plotly.NET.LayoutObjects;
using static TorchSharp.torch;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace AttentionCourse.Plotting;

/// <summary>One named series of a line chart.</summary>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>The course's charts: every chart has a title and labelled axes.</summary>
public static partial class Charts
{
    /// <summary>
    /// An attention heatmap: one row per query, one column per key, with token labels on both axes
    /// (rows read top to bottom, as in a matrix).
    /// </summary>
    /// <param name="weights"><c>(T, S)</c> weights (any float tensor; copied to the CPU).</param>
    /// <param name="queryLabels">T labels for the rows (queries); null for 0…T−1.</param>
    /// <param name="keyLabels">S labels for the columns (keys); null for 0…S−1.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="queryAxis">Title of the row axis.</param>
    /// <param name="keyAxis">Title of the column axis.</param>
    /// <param name="colorRange">Fixed (min, max) of the colour scale, so heatmaps meant to be compared share one scale;
    /// null = the data's own range.</param>
    /// <param name="diverging">A red–blue scale for values centred on a reference (give a symmetric colour range); NaN cells stay blank.</param>
    public static GenericChart Heatmap(Tensor weights, IReadOnlyList<string>? queryLabels, IReadOnlyList<string>? keyLabels,
        string title, string queryAxis = "query", string keyAxis = "key", (double min, double max)? colorRange = null, bool diverging = false)
    {
        if (weights.dim() != 2)
            throw new ArgumentException($"weights must be a 2-D (queries, keys) tensor; got shape ({string.Join(", ", weights.shape)}).", nameof(weights));
        return Heatmap(ToRows(weights), queryLabels, keyLabels, title, queryAxis, keyAxis, colorRange, diverging);
    }

    /// <summary>
    /// An attention heatmap from rows of numbers (see the tensor overload). NaN cells are left blank; <paramref name="diverging"/>
    /// uses a red–blue scale (for values centred on a reference, e.g. a log-ratio with a symmetric colour range).
    /// </summary>
    public static GenericChart Heatmap(double[][] rows, IReadOnlyList<string>? queryLabels, IReadOnlyList<string>? keyLabels,
        string title, string queryAxis = "query", string keyAxis = "key", (double min, double max)? colorRange = null, bool diverging = false)
    {
        if (colorRange is (double low, double high) && !(low < high))
            throw new ArgumentException($"colorRange must have min < max; got ({low}, {high}).", nameof(colorRange));
        int T = rows.Length, S = T == 0 ? 0 : rows[0].Length;
        for (int r = 0; r < T; r++)
            if (rows[r].Length != S)
                throw new ArgumentException($"rows must all have {S} entries (the first row's length); row {r} has {rows[r].Length}.", nameof(rows));
        var y = Labels(queryLabels, T, nameof(queryLabels));
        var x = Labels(keyLabels, S, nameof(keyLabels));
        // Labels can repeat (the same word twice in a sentence): make them unique for plotly's categories.
        var chart = CSharpChart.Heatmap<double, string, string, string>(
            zData: rows, X: Unique(x), Y: Unique(y), ReverseYAxis: true, ColorScale: diverging ? StyleParam.Colorscale.RdBu : StyleParam.Colorscale.Viridis);
        if (colorRange is (double min, double max))
        {
            // The C# API has no colour-range argument: set zmin/zmax on the heatmap's trace through dynamic properties (see
            // Style). toFigure hands out the chart's own trace objects, so setting them changes the chart.
            foreach (var trace in Traces(chart)) { trace.SetProperty("zmin", min); trace.SetProperty("zmax", max); }
        }
        return Style(chart, title, keyAxis, queryAxis);
    }

    /// <summary>A line chart of one or more series.</summary>
    public static GenericChart Lines(string title, string xAxis, string yAxis, params Series[] series)
    {
        return Style(GenericChart.combine(series.Select(s => Line(s, onRightAxis: false))), title, xAxis, yAxis);
    }

    /// <summary>
    /// Lines on two y-axes sharing one x-axis: <paramref name="left"/> against the left axis, <paramref name="right"/>
    /// against the right one (e.g. training loss on the left, validation accuracy on the right).
    /// </summary>
    public static GenericChart LinesTwoAxes(string title, string xAxis, string leftAxis, string rightAxis,
        IReadOnlyList<Series> left, IReadOnlyList<Series> right, bool logLeft = false)
    {
        var charts = left.Select(s => Line(s, onRightAxis: false)).Concat(right.Select(s => Line(s, onRightAxis: true)));
        var chart = Style(GenericChart.combine(charts), title, xAxis, leftAxis, yType: logLeft ? StyleParam.AxisType.Log : null);
        // The second y-axis, overlaying the first, on the right; set through dynamic properties (see Style).
        var axis = new Plotly.NET.LayoutObjects.LinearAxis();
        var heading = new Title();
        heading.SetProperty("text", rightAxis);
        axis.SetProperty("title", heading);
        axis.SetProperty("overlaying", "y");
        axis.SetProperty("side", "right");
        axis.SetProperty("showgrid", false);
        var layout = GenericChart.getLayout(chart);
        layout.SetProperty("yaxis2", axis);
        layout.SetProperty("legend", new Dictionary<string, object> { ["x"] = 1.08, ["y"] = 1 });
        return GenericChart.setLayout(layout, chart);
    }

    private static GenericChart Line(Series s, bool onRightAxis)
    {
        if (!onRightAxis) return CSharpChart.Line<double, double, string>(x: s.X, y: s.Y, Name: s.Name, ShowMarkers: s.X.Count <= 40);
        // The trace built by hand through dynamic properties (see Style): the C# API has no axis anchor for a trace.
        var trace = new Trace("scatter");
        trace.SetProperty("x", s.X.ToArray());
        trace.SetProperty("y", s.Y.ToArray());
        trace.SetProperty("name", s.Name);
        trace.SetProperty("mode", s.X.Count <= 40 ? "lines+markers" : "lines");
        trace.SetProperty("yaxis", "y2");
        return GenericChart.ofTraceObject(true, trace);
    }

    /// <summary>A line chart with a logarithmic axis or two (for scaling plots).</summary>
    public static GenericChart LogLines(string title, string xAxis, string yAxis, bool logX, bool logY, params Series[] series)
    {
        var chart = Lines(title, xAxis, yAxis, series);
        return Style(chart, title, xAxis, yAxis, logX ? StyleParam.AxisType.Log : null, logY ? StyleParam.AxisType.Log : null);
    }

    /// <summary>Points (a scatter plot) plus optional line series on the same axes.</summary>
    public static GenericChart PointsAndLines(string title, string xAxis, string yAxis, Series points, params Series[] lines)
    {
        var charts = new List<GenericChart> { CSharpChart.Point<double, double, string>(x: points.X, y: points.Y, Name: points.Name) };
        charts.AddRange(lines.Select(s => CSharpChart.Line<double, double, string>(x: s.X, y: s.Y, Name: s.Name)));
        return Style(GenericChart.combine(charts), title, xAxis, yAxis);
    }

    /// <summary>A bar chart: one bar per label.</summary>
    public static GenericChart Bars(string title, string xAxis, string yAxis, IReadOnlyList<string> labels, IReadOnlyList<double> values, string? seriesName = null)
    {
        if (labels.Count != values.Count)
            throw new ArgumentException($"labels and values must have the same length; got {labels.Count} labels and {values.Count} values.", nameof(values));
        var chart = CSharpChart.Column<double, string, string>(values: values, Keys: Unique(labels), Name: seriesName ?? yAxis);
        return Style(chart, title, xAxis, yAxis);
    }

    /// <summary>Grouped bars: one group per label, one bar per series.</summary>
    public static GenericChart GroupedBars(string title, string xAxis, string yAxis, IReadOnlyList<string> labels, params (string name, IReadOnlyList<double> values)[] series)
    {
        var charts = series.Select(s =>
        {
            if (s.values.Count != labels.Count)
                throw new ArgumentException($"series '{s.name}' must have one value per label ({labels.Count}); got {s.values.Count}.", nameof(series));
            return CSharpChart.Column<double, string, string>(values: s.values, Keys: Unique(labels), Name: s.name);
        });
        return Style(GenericChart.combine(charts), title, xAxis, yAxis);
    }

    /// <summary>Copies a 2-D tensor into rows of doubles.</summary>
    public static double[][] ToRows(Tensor matrix)
    {
        using var cpu = matrix.detach().cpu().to_type(ScalarType.Float64).contiguous();
        var flat = cpu.data<double>().ToArray();
        int rows = (int)cpu.shape[0], cols = (int)cpu.shape[1];
        return Enumerable.Range(0, rows).Select(r => flat.AsSpan(r * cols, cols).ToArray()).ToArray();
    }

    private static GenericChart Style(GenericChart chart, string title, string xAxis, string yAxis,
        StyleParam.AxisType? xType = null, StyleParam.AxisType? yType = null)
    {
        var styled = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: xAxis, AxisType: xType ?? StyleParam.AxisType.Auto);
        styled = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(styled, TitleText: yAxis, AxisType: yType ?? StyleParam.AxisType.Auto);
        // Set through the layout's dynamic properties: F#-typed calls such as Chart.withTitle(string, FSharpOption<Font>)
        // fail with MissingMethodException in notebook hosts that load their own FSharp.Core (see environment.md).
        var heading = new Title();
        heading.SetProperty("text", title);
        var layout = GenericChart.getLayout(styled);
        layout.SetProperty("title", heading);
        return GenericChart.setLayout(layout, styled);
    }

    /// <summary>The chart's own trace objects (setting a property on one changes the chart).</summary>
    /// <remarks>Read through reflection, not <c>Figure.Data</c>: the property's type is an F# list, and in a notebook host
    /// that loads a second FSharp.Core (dotnet-repl ships 10.0, Plotly.NET 6 binds 10.1) a compiled call to its getter
    /// fails with MissingMethodException. Enumerating it as a plain sequence works with either.</remarks>
    private static IEnumerable<Trace> Traces(GenericChart chart)
    {
        var figure = GenericChart.toFigure(chart);
        var data = figure.GetType().GetProperty("Data")?.GetValue(figure) as System.Collections.IEnumerable
            ?? throw new InvalidOperationException("Plotly.NET's Figure has no Data property; the pinned Plotly.NET version changed.");
        return data.Cast<Trace>();
    }

    private static IReadOnlyList<string> Labels(IReadOnlyList<string>? labels, int count, string argument)
    {
        if (labels is null) return Enumerable.Range(0, count).Select(i => i.ToString()).ToArray();
        if (labels.Count != count)
            throw new ArgumentException($"{argument} must have {count} entries (one per row/column); got {labels.Count}.", argument);
        return labels;
    }

    private static string[] Unique(IReadOnlyList<string> labels)
    {
        var seen = new Dictionary<string, int>();
        return labels.Select(l =>
        {
            seen[l] = seen.TryGetValue(l, out var n) ? n + 1 : 1;
            // A zero-width space keeps the visible text the same while making the category distinct.
            return seen[l] == 1 ? l : l + new string('\u200B', seen[l] - 1);
        }).ToArray();
    }
}
