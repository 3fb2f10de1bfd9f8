using static TorchSharp.torch;

namespace AttentionCourse.Metrics;

/// <summary>
/// One bin of a reliability diagram: the confidence interval (Low, High], how many predictions fell in it, and their
/// mean observed frequency and mean confidence (null for an empty bin, never NaN).
/// </summary>
/// <param name="Low">Lower edge (excluded, except 0 for the first bin).</param>
/// <param name="High">Upper edge (included).</param>
/// <param name="Count">Predictions in the bin.</param>
/// <param name="Observed">Accuracy of the bin's predictions (top-label) or share of positives (positive class); null if empty.</param>
/// <param name="Confidence">Mean predicted probability in the bin; null if empty.</param>
public sealed record CalibrationBin(double Low, double High, int Count, double? Observed, double? Confidence)
{
    /// <summary>|observed − confidence|, or 0 for an empty bin.</summary>
    public double Gap => Count == 0 ? 0 : Math.Abs(Observed!.Value - Confidence!.Value);
}

/// <summary>
/// A reliability diagram's bins with the expected calibration error ECE = Σₘ (|Bₘ|/n)·|obs(Bₘ) − conf(Bₘ)| and the
/// maximum calibration error MCE = maxₘ |obs(Bₘ) − conf(Bₘ)| over the non-empty bins (Guo et al. 2017, §2).
/// </summary>
public sealed record CalibrationReport(IReadOnlyList<CalibrationBin> Bins, double ExpectedCalibrationError, double MaximumCalibrationError, int Count);

/// <summary>
/// Calibration: does a predicted probability of 0.8 come true 80 % of the time? Probabilities and labels in, a
/// <see cref="CalibrationReport"/> out. Bins are M equal-width intervals of [0, 1], left-open and right-closed —
/// (0, 1/M], (1/M, 2/M], …, with 0 itself in the first bin — as in scikit-learn's <c>calibration_curve</c>
/// (<c>strategy="uniform"</c>). Empty input, a probability outside [0, 1] or NaN, or fewer than one bin is an
/// <see cref="ArgumentException"/>.
/// </summary>
public static class Calibration
{
    /// <summary>
    /// Top-label calibration (Guo et al. 2017, the usual ECE): each prediction's confidence is its largest class
    /// probability, and it is correct when that class is the label.
    /// </summary>
    /// <param name="probabilities"><c>(N, C)</c> class probabilities (rows sum to 1; a softmax output).</param>
    /// <param name="labels"><c>(N)</c> Int64 class ids.</param>
    /// <param name="bins">Number of equal-width bins M (15 in Guo et al.; 10 is common).</param>
    public static CalibrationReport TopLabel(Tensor probabilities, Tensor labels, int bins = 10)
    {
        Layers.Check.Rank(probabilities, 2, nameof(probabilities), "(examples, classes)");
        Layers.Check.Rank(labels, 1, nameof(labels), "(examples)");
        Layers.Check.Size(labels, 0, probabilities.shape[0], nameof(labels), "examples, must match probabilities");
        using var scope = NewDisposeScope();
        var (confidence, predicted) = probabilities.detach().to_type(ScalarType.Float64).max(1);        // (N), (N)
        var correct = predicted.eq(labels.to_type(ScalarType.Int64));                                       // (N)
        return FromConfidence(Classification.Doubles(confidence, nameof(probabilities)), correct.cpu().data<bool>().ToArray(), bins);
    }

    /// <summary>
    /// Top-label calibration of a binary classifier given P(class 1): the confidence is max(p, 1 − p) and the
    /// prediction is class 1 when p ≥ 0.5.
    /// </summary>
    public static CalibrationReport TopLabel(double[] positiveProbabilities, long[] labels, int bins = 10)
    {
        CheckInputs(positiveProbabilities, labels);
        for (int i = 0; i < positiveProbabilities.Length; i++)
            if (!(positiveProbabilities[i] is >= 0 and <= 1))
                throw new ArgumentException($"positiveProbabilities[{i}] must lie in [0, 1]; got {positiveProbabilities[i]}.", nameof(positiveProbabilities));
        var confidence = positiveProbabilities.Select(p => Math.Max(p, 1 - p)).ToArray();
        var correct = positiveProbabilities.Select((p, i) => (p >= 0.5 ? 1L : 0L) == labels[i]).ToArray();
        return FromConfidence(confidence, correct, bins);
    }

    /// <summary>
    /// Positive-class calibration (scikit-learn's <c>calibration_curve</c>): bins of P(class 1), and in each the share of
    /// examples that are class 1. Its ECE weighs the same gaps by bin size.
    /// </summary>
    public static CalibrationReport PositiveClass(double[] positiveProbabilities, long[] labels, int bins = 10)
    {
        CheckInputs(positiveProbabilities, labels);
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] is not (0 or 1)) throw new ArgumentException($"labels[{i}] must be 0 or 1; got {labels[i]}.", nameof(labels));
        return Bin(positiveProbabilities, labels.Select(l => (double)l).ToArray(), bins, nameof(positiveProbabilities));
    }

    /// <summary>The core: confidences in [0, 1] and whether each prediction was correct.</summary>
    public static CalibrationReport FromConfidence(double[] confidence, bool[] correct, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(confidence);
        ArgumentNullException.ThrowIfNull(correct);
        if (correct.Length != confidence.Length)
            throw new ArgumentException($"correct must have one entry per confidence ({confidence.Length}); got {correct.Length}.", nameof(correct));
        return Bin(confidence, correct.Select(c => c ? 1.0 : 0.0).ToArray(), bins, nameof(confidence));
    }

    /// <summary>The bin (0-based) of a probability: the b with b/M &lt; p ≤ (b+1)/M (edges computed as k/M), p = 0 in bin 0.</summary>
    public static int BinOf(double probability, int bins)
    {
        int b = Math.Clamp((int)Math.Ceiling(probability * bins) - 1, 0, bins - 1);
        // p·M can round across an edge (0.3 · 10 = 3.0000000000000004): compare with the edges themselves.
        if (b > 0 && probability <= (double)b / bins) b--;
        else if (b < bins - 1 && probability > (double)(b + 1) / bins) b++;
        return b;
    }

    private static CalibrationReport Bin(double[] probability, double[] outcome, int bins, string argument)
    {
        Layers.Check.AtLeast(bins, 1, nameof(bins));
        if (probability.Length == 0) throw new ArgumentException($"{argument} must hold at least one prediction; got none.", argument);
        var count = new int[bins];
        var outcomeSum = new double[bins];
        var probabilitySum = new double[bins];
        for (int i = 0; i < probability.Length; i++)
        {
            double p = probability[i];
            if (!(p >= 0 && p <= 1)) throw new ArgumentException($"{argument}[{i}] must lie in [0, 1]; got {p}.", argument);
            int b = BinOf(p, bins);
            count[b]++;
            outcomeSum[b] += outcome[i];
            probabilitySum[b] += p;
        }
        var result = Enumerable.Range(0, bins).Select(b => new CalibrationBin((double)b / bins, (double)(b + 1) / bins, count[b],
            count[b] == 0 ? null : outcomeSum[b] / count[b], count[b] == 0 ? null : probabilitySum[b] / count[b])).ToArray();
        double ece = result.Sum(b => (double)b.Count / probability.Length * b.Gap);
        double mce = result.Max(b => b.Gap);
        return new CalibrationReport(result, ece, mce, probability.Length);
    }

    private static void CheckInputs(double[] probabilities, long[] labels)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != probabilities.Length)
            throw new ArgumentException($"labels must have one entry per probability ({probabilities.Length}); got {labels.Length}.", nameof(labels));
    }
}
