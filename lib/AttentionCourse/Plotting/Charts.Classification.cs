using AttentionCourse.Metrics;
using Plotly.NET;

namespace AttentionCourse.Plotting;

public static partial class Charts
{
    /// <summary>ROC curves on one chart, with the diagonal of a classifier that guesses (AUC 0.5).</summary>
    public static GenericChart Roc(string title, params (string name, RocCurve curve)[] curves)
    {
        var series = curves.Select(c => new Series(c.name, c.curve.FalsePositiveRate, c.curve.TruePositiveRate))
            .Append(new Series("chance (AUC 0.5)", new[] { 0.0, 1.0 }, new[] { 0.0, 1.0 })).ToArray();
        return Lines(title, "false positive rate (share of negatives flagged)", "true positive rate (recall)", series);
    }

    /// <summary>
    /// Precision–recall curves on one chart, with the horizontal line of a classifier that guesses (precision = the
    /// positive share, <paramref name="positiveShare"/>).
    /// </summary>
    public static GenericChart PrecisionRecall(string title, double positiveShare, params (string name, PrecisionRecallCurve curve)[] curves)
    {
        var series = curves.Select(c => new Series(c.name, c.curve.Recall, c.curve.Precision))
            .Append(new Series($"chance (precision {positiveShare:F2})", new[] { 0.0, 1.0 }, new[] { positiveShare, positiveShare })).ToArray();
        return Lines(title, "recall (share of positives found)", "precision (share of flagged that are positive)", series);
    }

    /// <summary>
    /// A reliability diagram: for each non-empty bin, the observed frequency against the mean predicted probability, with
    /// the diagonal of perfect calibration. Points below the diagonal are over-confident.
    /// </summary>
    public static GenericChart Reliability(string title, params (string name, CalibrationReport report)[] reports)
    {
        var lines = reports.Select(r =>
        {
            var filled = r.report.Bins.Where(b => b.Count > 0).ToArray();
            return new Series($"{r.name} (ECE {r.report.ExpectedCalibrationError:F3})",
                filled.Select(b => b.Confidence!.Value).ToArray(), filled.Select(b => b.Observed!.Value).ToArray());
        }).Append(new Series("perfect calibration", new[] { 0.0, 1.0 }, new[] { 0.0, 1.0 })).ToArray();
        return Lines(title, "mean predicted probability in the bin", "observed frequency in the bin", lines);
    }

    /// <summary>A confusion matrix as a heatmap with the counts written in the cells (rows actual, columns predicted).</summary>
    public static GenericChart Confusion(ConfusionMatrix matrix, IReadOnlyList<string> classNames, string title)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (classNames.Count != matrix.ClassCount)
            throw new ArgumentException($"classNames must have one name per class ({matrix.ClassCount}); got {classNames.Count}.", nameof(classNames));
        var rows = matrix.Rows;
        var trace = new Trace("heatmap");
        trace.SetProperty("z", rows.Select(r => r.Select(v => (double)v).ToArray()).ToArray());
        trace.SetProperty("text", rows.Select(r => r.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray());
        trace.SetProperty("texttemplate", "%{text}");
        trace.SetProperty("x", classNames.Select(n => "predicted " + n).ToArray());
        trace.SetProperty("y", classNames.Select(n => "actual " + n).ToArray());
        trace.SetProperty("colorscale", "Blues");
        trace.SetProperty("colorbar", new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = "examples" } });
        var chart = Style(GenericChart.ofTraceObject(true, trace), title, "predicted class", "actual class");
        var layout = GenericChart.getLayout(chart);
        var yaxis = new Plotly.NET.LayoutObjects.LinearAxis();
        yaxis.SetProperty("autorange", "reversed");
        var heading = new Title();
        heading.SetProperty("text", "actual class");
        yaxis.SetProperty("title", heading);
        layout.SetProperty("yaxis", yaxis);
        layout.SetProperty("width", 520);
        layout.SetProperty("height", 420);
        return GenericChart.setLayout(layout, chart);
    }
}
