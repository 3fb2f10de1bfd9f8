using Plotly.NET;

namespace AttentionCourse.Plotting;

/// <summary>A text whose words carry weights (e.g. attention pooling weights), with a label for its first line.</summary>
/// <param name="Label">Shown left of the text's first line (e.g. "#12 great, P(great) 0.97").</param>
/// <param name="Words">The words, in order.</param>
/// <param name="Weights">One weight per word.</param>
public sealed record WeightedText(string Label, IReadOnlyList<string> Words, IReadOnlyList<double> Weights);

public static partial class Charts
{
    /// <summary>
    /// Words coloured by their weights: each text is written out in lines of <paramref name="wordsPerLine"/> words, one
    /// heatmap row per line, each cell showing its word. All texts share one colour scale, from 0 to
    /// <paramref name="maxWeight"/> (default: the largest weight shown), so colours compare across texts.
    /// </summary>
    public static GenericChart WordWeights(IReadOnlyList<WeightedText> texts, string title, int wordsPerLine = 14,
        double? maxWeight = null, string colourAxis = "attention weight")
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0) throw new ArgumentException("texts must hold at least one text; got none.", nameof(texts));
        Layers.Check.AtLeast(wordsPerLine, 1, nameof(wordsPerLine));
        var z = new List<double?[]>();
        var words = new List<string[]>();
        var labels = new List<string>();
        for (int t = 0; t < texts.Count; t++)
        {
            var text = texts[t];
            if (text.Words.Count != text.Weights.Count)
                throw new ArgumentException($"texts[{t}] must have one weight per word ({text.Words.Count}); got {text.Weights.Count}.", nameof(texts));
            for (int start = 0, line = 0; start < Math.Max(text.Words.Count, 1); start += wordsPerLine, line++)
            {
                int count = Math.Min(wordsPerLine, text.Words.Count - start);
                z.Add(Enumerable.Range(0, wordsPerLine).Select(i => i < count ? text.Weights[start + i] : (double?)null).ToArray());
                words.Add(Enumerable.Range(0, wordsPerLine).Select(i => i < count ? text.Words[start + i] : "").ToArray());
                labels.Add(line == 0 ? text.Label : "");
            }
        }
        double top = maxWeight ?? texts.SelectMany(t => t.Weights).DefaultIfEmpty(1).Max();
        var trace = new Trace("heatmap");
        trace.SetProperty("z", z.ToArray());
        trace.SetProperty("text", words.ToArray());
        trace.SetProperty("texttemplate", "%{text}");
        trace.SetProperty("x", Enumerable.Range(1, wordsPerLine).ToArray());
        trace.SetProperty("y", Unique(labels.Select(l => l.Length == 0 ? " " : l).ToArray()));
        trace.SetProperty("zmin", 0.0);
        trace.SetProperty("zmax", top > 0 ? top : 1.0);
        trace.SetProperty("colorscale", "YlOrRd");
        trace.SetProperty("hoverongaps", false);
        trace.SetProperty("hovertemplate", "%{text}: %{z:.3f}<extra></extra>");
        trace.SetProperty("colorbar", new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = colourAxis } });
        var chart = Style(GenericChart.ofTraceObject(true, trace), title, "word position in the line", "text");
        var layout = GenericChart.getLayout(chart);
        layout.SetProperty("height", 140 + 26 * z.Count);
        var yaxis = new Plotly.NET.LayoutObjects.LinearAxis();
        yaxis.SetProperty("autorange", "reversed");
        var heading = new Title();
        heading.SetProperty("text", "text");
        yaxis.SetProperty("title", heading);
        layout.SetProperty("yaxis", yaxis);
        return GenericChart.setLayout(layout, chart);
    }
}
