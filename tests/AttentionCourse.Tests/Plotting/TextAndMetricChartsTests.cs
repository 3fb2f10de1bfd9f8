using System.Text.Json;
using AttentionCourse.Metrics;
using AttentionCourse.Plotting;
using Plotly.NET;

namespace AttentionCourse.Tests.Plotting;

public class TextAndMetricChartsTests
{
    private static JsonElement Figure(GenericChart chart) => JsonDocument.Parse(GenericChart.toFigureJson(chart)).RootElement;

    [Fact]
    public void WordWeights_WrapsEachTextIntoLines_OnOneSharedColourScale()
    {
        var texts = new[]
        {
            new WeightedText("#1 great", new[] { "not", "bad", "at", "all" }, new[] { 0.4, 0.3, 0.1, 0.2 }),
            new WeightedText("#2 other", new[] { "meh" }, new[] { 1.0 }),
        };
        var figure = Figure(Charts.WordWeights(texts, "Where the attention goes", wordsPerLine: 3));
        var trace = figure.GetProperty("data")[0];
        var z = trace.GetProperty("z");
        Assert.Equal(3, z.GetArrayLength());                                  // text 1 takes two lines, text 2 one
        Assert.Equal(0.4, z[0][0].GetDouble(), 12);
        Assert.Equal(0.2, z[1][0].GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, z[1][1].ValueKind);                  // an empty cell is a gap, not 0
        Assert.Equal("all", trace.GetProperty("text")[1][0].GetString());
        Assert.Equal("#1 great", trace.GetProperty("y")[0].GetString());
        Assert.Equal(0.0, trace.GetProperty("zmin").GetDouble());
        Assert.Equal(1.0, trace.GetProperty("zmax").GetDouble());             // one scale: the largest weight of all texts
        Assert.Equal("Where the attention goes", figure.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        TestSupport.AssertArgumentError(() => Charts.WordWeights(new[] { new WeightedText("x", new[] { "a" }, new[] { 0.1, 0.2 }) }, "t"),
            "texts", "texts[0]", "(1)", "got 2");
    }

    [Fact]
    public void RocAndPrecisionRecall_DrawEachCurve_AndTheChanceLine()
    {
        long[] y = { 0, 0, 1, 1 };
        double[] s = { 0.1, 0.4, 0.35, 0.8 };
        var roc = Figure(Charts.Roc("ROC", ("model", Classification.RocCurve(y, s)))).GetProperty("data");
        Assert.Equal(2, roc.GetArrayLength());
        Assert.Equal(new[] { 0, 0, 0.5, 0.5, 1 }, roc[0].GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
        var pr = Figure(Charts.PrecisionRecall("PR", 0.5, ("model", Classification.PrecisionRecallCurve(y, s)))).GetProperty("data");
        Assert.Equal(new[] { 0.5, 0.5 }, pr[1].GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public void Reliability_PlotsTheFilledBins_AndConfusion_WritesTheCounts()
    {
        var report = Calibration.FromConfidence(new[] { 0.2, 0.4, 0.6, 0.9, 1.0 }, new[] { true, false, true, true, false }, bins: 2);
        var data = Figure(Charts.Reliability("Calibration", ("model", report))).GetProperty("data");
        var observed = data[0].GetProperty("y");
        Assert.Equal(0.5, observed[0].GetDouble(), 12);
        Assert.Equal(2.0 / 3, observed[1].GetDouble(), 12);
        Assert.Contains("ECE 0.180", data[0].GetProperty("name").GetString());
        var confusion = Classification.Confusion(new long[] { 0, 1, 1 }, new long[] { 0, 1, 0 }, 2);
        var trace = Figure(Charts.Confusion(confusion, new[] { "other", "great" }, "Confusion")).GetProperty("data")[0];
        Assert.Equal("1", trace.GetProperty("text")[1][0].GetString());       // actual great, predicted other
        Assert.Equal("actual great", trace.GetProperty("y")[1].GetString());
    }
}
