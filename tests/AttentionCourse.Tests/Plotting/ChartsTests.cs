using System.Text.Json;
using System.Text.RegularExpressions;
using AttentionCourse.Plotting;
using AttentionCourse.Training;
using Plotly.NET;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Plotting;

public class ChartsTests
{
    private static JsonElement Figure(GenericChart chart) => JsonDocument.Parse(GenericChart.toFigureJson(chart)).RootElement;

    [Fact]
    public void Heatmap_CarriesTheWeights_TheTokenLabels_AndTheTitle()
    {
        var weights = tensor(new float[] { 0.9f, 0.1f, 0.3f, 0.7f }).view(2, 2);
        var figure = Figure(Charts.Heatmap(weights, new[] { "the", "the" }, new[] { "cat", "sat" }, "Weights", "query", "key"));
        var trace = figure.GetProperty("data")[0];
        Assert.Equal(0.7, trace.GetProperty("z")[1][1].GetDouble(), 6);
        Assert.Equal(new[] { "cat", "sat" }, trace.GetProperty("x").EnumerateArray().Select(x => x.GetString()));
        // A repeated label stays visible as itself but becomes a distinct category.
        var y = trace.GetProperty("y").EnumerateArray().Select(x => x.GetString()!).ToArray();
        Assert.Equal("the", y[0]);
        Assert.Equal("the", y[1].Trim('\u200B'));
        Assert.NotEqual(y[0], y[1]);
        Assert.Equal("Weights", figure.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("key", figure.GetProperty("layout").GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
        TestSupport.AssertArgumentError(() => Charts.Heatmap(weights, new[] { "a" }, null, "t"), "queryLabels", "2", "1");
        TestSupport.AssertArgumentError(() => Charts.Heatmap(zeros(2, 2, 2), null, null, "t"), "weights", "2-D", "(2, 2, 2)");
    }

    [Fact]
    public void Heatmap_CanShareOneColourScale()
    {
        var weights = tensor(new float[] { 0.2f, 0.1f }).view(1, 2);
        var trace = Figure(Charts.Heatmap(weights, null, null, "t", colorRange: (0, 1))).GetProperty("data")[0];
        Assert.Equal((0.0, 1.0), (trace.GetProperty("zmin").GetDouble(), trace.GetProperty("zmax").GetDouble()));
        Assert.False(Figure(Charts.Heatmap(weights, null, null, "t")).GetProperty("data")[0].TryGetProperty("zmin", out _));
        TestSupport.AssertArgumentError(() => Charts.Heatmap(weights, null, null, "t", colorRange: (1, 1)), "colorRange", "(1, 1)");
    }

    [Fact]
    public void Heatmap_ColorBarCanSayWhatTheColourIs()
    {
        var weights = tensor(new float[] { 0.2f, 0.1f }).view(1, 2);
        var trace = Figure(Charts.Heatmap(weights, null, null, "t").WithColorBarTitle("weight (0–1)")).GetProperty("data")[0];
        Assert.Equal("weight (0–1)", trace.GetProperty("colorbar").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void ChartHtml_NeedsNoNetwork()
    {
        var html = NotebookDisplay.ChartHtml(Charts.Bars("t", "x", "y", new[] { "a", "b" }, new[] { 1.0, 2.0 }));
        Assert.DoesNotMatch(new Regex("https?://", RegexOptions.IgnoreCase), html);
        Assert.Contains("class=\"ac-chart\"", html);
        var script = NotebookDisplay.PlotlyScriptHtml();
        Assert.Contains("class=\"ac-plotly-js\"", script);
        Assert.True(script.Length > 1_000_000, "plotly.js is inlined, not referenced");
    }

    [Fact]
    public void LiveChart_OutsideANotebook_RecordsEveryPoint()
    {
        var live = new LiveChart("loss", "epoch", "value").Show();
        for (int epoch = 1; epoch <= 3; epoch++)
            live.Track(new EpochReport(epoch, epoch, 1.0 / epoch, null, 0.1, 0.0, epoch == 3), ("train", 1.0 / epoch));
        live.Add("other", 1, 5);
        Assert.Equal(new[] { "train", "other" }, live.Series.Select(s => s.Name));
        Assert.Equal(new[] { 1.0, 0.5, 1.0 / 3 }, live.Series[0].Y);
        Assert.Equal("loss", Figure(live.ToChart()).GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void LiveChart_TrackedAtSteps_RecordsTheGivenX()
    {
        var live = new LiveChart("loss", "step", "value");
        live.Track(0, false, ("validation", 4.3), ("training", 4.4));
        live.Track(100, true, ("validation", 2.5));
        Assert.Equal(new[] { 0.0, 100 }, live.Series[0].X);
        Assert.Equal(new[] { 4.3, 2.5 }, live.Series[0].Y);
        Assert.Equal(new[] { 4.4 }, live.Series[1].Y);
    }

    [Fact]
    public void LiveChart_WithARightAxis_DrawsThoseSeriesAgainstIt()
    {
        var live = new LiveChart("Training", "epoch", "loss").WithRightAxis("accuracy", "validation accuracy");
        live.Track(new EpochReport(1, 10, 0.7, 0.6, 0.1, 0.0, true), ("training loss", 0.7), ("validation accuracy", 0.6));
        var figure = Figure(live.ToChart());
        var traces = figure.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal("training loss", traces[0].GetProperty("name").GetString());
        Assert.False(traces[0].TryGetProperty("yaxis", out _));
        Assert.Equal("validation accuracy", traces[1].GetProperty("name").GetString());
        Assert.Equal("y2", traces[1].GetProperty("yaxis").GetString());
        var axis = figure.GetProperty("layout").GetProperty("yaxis2");
        Assert.Equal("accuracy", axis.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("y", axis.GetProperty("overlaying").GetString());
        Assert.Equal("loss", figure.GetProperty("layout").GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
    }

    /// <summary>
    /// Calls into Plotly.NET with F# types (FSharpOption, FSharpFunc) fail with MissingMethodException in notebook hosts
    /// that ship their own FSharp.Core (seen in dotnet-repl); the library must go through the C# API or dynamic properties.
    /// </summary>
    [Fact]
    public void TheLibraryMakesNoFSharpTypedCallsIntoPlotly()
    {
        var library = Path.Combine(TestSupport.RepoRoot, "lib", "AttentionCourse");
        var offenders = Directory.GetFiles(library, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadLines(f).Any(line => !line.TrimStart().StartsWith("//") && Regex.IsMatch(line, @"FSharpOption|FSharpFunc|Microsoft\.FSharp")))
            .ToList();
        Assert.Empty(offenders);
    }
}
