using static TorchSharp.torch;

namespace AttentionCourse.Metrics;

/// <summary>
/// A ROC curve: one point per distinct score, from the strictest threshold (+∞: nothing predicted positive, the point
/// (0, 0)) down to the lowest score (everything positive, the point (1, 1)). Point i predicts positive when
/// score ≥ <c>Thresholds[i]</c>.
/// </summary>
public sealed record RocCurve(double[] FalsePositiveRate, double[] TruePositiveRate, double[] Thresholds);

/// <summary>
/// A precision–recall curve: one point per distinct score, from the strictest threshold down, starting at the
/// conventional point (recall 0, precision 1) with threshold +∞ (scikit-learn appends the same point). Point i predicts
/// positive when score ≥ <c>Thresholds[i]</c>.
/// </summary>
public sealed record PrecisionRecallCurve(double[] Precision, double[] Recall, double[] Thresholds);

public static partial class Classification
{
    /// <summary>
    /// The ROC curve of scores for class 1. Unlike scikit-learn's default (<c>drop_intermediate=True</c>) it keeps every
    /// distinct score as a point; the dropped points are collinear, so the area is the same.
    /// </summary>
    public static RocCurve RocCurve(long[] labels, double[] scores)
    {
        var (positives, negatives, points) = Sweep(labels, scores);
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        var thresholds = new List<double> { double.PositiveInfinity };
        foreach (var (threshold, tp, fp) in points)
        {
            fpr.Add((double)fp / negatives);
            tpr.Add((double)tp / positives);
            thresholds.Add(threshold);
        }
        return new RocCurve(fpr.ToArray(), tpr.ToArray(), thresholds.ToArray());
    }

    /// <summary>
    /// Area under the ROC curve, computed as the probability that a random positive scores above a random negative, a
    /// tie counting one half (the Mann–Whitney U statistic / (P·N)); it equals the trapezoid area under
    /// <see cref="RocCurve"/>. A constant score gives exactly 0.5. Needs both classes: one class only is an
    /// <see cref="ArgumentException"/> (the curve has no denominator).
    /// </summary>
    public static double RocAuc(long[] labels, double[] scores)
    {
        var (positives, negatives, _) = Counts(labels, scores);
        // Rank-sum form: sort once; within a block of tied scores every positive beats the negatives below the block
        // and half-beats the negatives inside it.
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double wins = 0;
        long negativesBelow = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            long blockPositives = 0, blockNegatives = 0;
            while (end < order.Length && scores[order[end]] == scores[order[start]])
            {
                if (labels[order[end]] == 1) blockPositives++; else blockNegatives++;
                end++;
            }
            wins += blockPositives * (negativesBelow + 0.5 * blockNegatives);
            negativesBelow += blockNegatives;
            start = end;
        }
        return wins / ((double)positives * negatives);
    }

    /// <summary>The precision–recall curve of scores for class 1 (see <see cref="Metrics.PrecisionRecallCurve"/>).</summary>
    public static PrecisionRecallCurve PrecisionRecallCurve(long[] labels, double[] scores)
    {
        var (positives, _, points) = Sweep(labels, scores);
        var precision = new List<double> { 1 };
        var recall = new List<double> { 0 };
        var thresholds = new List<double> { double.PositiveInfinity };
        foreach (var (threshold, tp, fp) in points)
        {
            precision.Add(Precision(tp, fp));
            recall.Add((double)tp / positives);
            thresholds.Add(threshold);
        }
        return new PrecisionRecallCurve(precision.ToArray(), recall.ToArray(), thresholds.ToArray());
    }

    /// <summary>
    /// Average precision, as scikit-learn defines it: AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the thresholds of the
    /// precision–recall curve (a step sum, no interpolation). A random ranking gets about the positive share, a perfect
    /// one 1. Needs at least one positive and one negative (an <see cref="ArgumentException"/> otherwise).
    /// </summary>
    public static double AveragePrecision(long[] labels, double[] scores)
    {
        var curve = PrecisionRecallCurve(labels, scores);
        double sum = 0;
        for (int i = 1; i < curve.Recall.Length; i++) sum += (curve.Recall[i] - curve.Recall[i - 1]) * curve.Precision[i];
        return sum;
    }

    /// <summary>
    /// The threshold (one of the scores) whose predictions have the highest F1 on these labels, and that F1. Choose it
    /// on validation data and apply it to test data: chosen on the test set it overstates test F1. Ties go to the
    /// higher threshold.
    /// </summary>
    public static (double threshold, double f1) ThresholdForBestF1(long[] labels, double[] scores)
    {
        var (positives, _, points) = Sweep(labels, scores);
        double bestThreshold = double.PositiveInfinity, bestF1 = 0;
        foreach (var (threshold, tp, fp) in points)
        {
            double f1 = F1(tp, fp, positives - tp);
            if (f1 > bestF1) { bestF1 = f1; bestThreshold = threshold; }
        }
        return (bestThreshold, bestF1);
    }

    /// <summary>ROC AUC of 1-D tensors of labels and scores.</summary>
    public static double RocAuc(Tensor labels, Tensor scores) => RocAuc(Longs(labels, nameof(labels)), Doubles(scores, nameof(scores)));

    /// <summary>Average precision of 1-D tensors of labels and scores.</summary>
    public static double AveragePrecision(Tensor labels, Tensor scores) => AveragePrecision(Longs(labels, nameof(labels)), Doubles(scores, nameof(scores)));

    // For each distinct score, from the highest down: the threshold and the true and false positives at score ≥ it.
    private static (long positives, long negatives, List<(double threshold, long tp, long fp)> points) Sweep(long[] labels, double[] scores)
    {
        var (positives, negatives, _) = Counts(labels, scores);
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToArray();
        var points = new List<(double, long, long)>();
        long tp = 0, fp = 0;
        for (int k = 0; k < order.Length; k++)
        {
            if (labels[order[k]] == 1) tp++; else fp++;
            if (k == order.Length - 1 || scores[order[k + 1]] != scores[order[k]]) points.Add((scores[order[k]], tp, fp));
        }
        return (positives, negatives, points);
    }

    private static (long positives, long negatives, int count) Counts(long[] labels, double[] scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        if (labels.Length == 0) throw new ArgumentException("labels must hold at least one label; got none.", nameof(labels));
        if (scores.Length != labels.Length)
            throw new ArgumentException($"scores must have one entry per label ({labels.Length}); got {scores.Length}.", nameof(scores));
        CheckScores(scores, nameof(scores));
        long positives = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0 or 1)) throw new ArgumentException($"labels[{i}] must be 0 or 1 (binary ranking metric); got {labels[i]}.", nameof(labels));
            positives += labels[i];
        }
        long negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException(
                $"labels hold one class only ({positives} positives, {negatives} negatives): a ranking metric (ROC, AUC, precision–recall) needs both classes.", nameof(labels));
        return (positives, negatives, labels.Length);
    }
}
