using AttentionCourse.Metrics;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 02's exercises (the checks compare the learner's answer with these).</summary>
public static class Lesson02
{
    /// <summary>Exercise 1: balanced accuracy = the mean of the per-class recalls (macro recall).</summary>
    public static double BalancedAccuracy(long[] actual, long[] predicted)
        => Classification.Report(actual, predicted, 2).Macro.Recall;

    /// <summary>
    /// Exercise 2: among the thresholds (scores) whose predictions reach recall ≥ <paramref name="minimumRecall"/>, the one
    /// with the highest precision (ties: the higher threshold). Choose it on validation data.
    /// </summary>
    public static double ThresholdForRecall(long[] labels, double[] scores, double minimumRecall)
    {
        var curve = Classification.PrecisionRecallCurve(labels, scores);
        double best = double.NaN, bestPrecision = -1;
        for (int i = 1; i < curve.Thresholds.Length; i++)
            if (curve.Recall[i] >= minimumRecall && curve.Precision[i] > bestPrecision) { bestPrecision = curve.Precision[i]; best = curve.Thresholds[i]; }
        return double.IsNaN(best) ? throw new ArgumentException($"no threshold reaches recall {minimumRecall}.", nameof(minimumRecall)) : best;
    }
}
