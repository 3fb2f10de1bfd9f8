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

    /// <summary>
    /// Exercise 3: the top-label ECE (10 bins) on <paramref name="testLabels"/> of a model that gives every example the same
    /// P(class 1): the share of class 1 in <paramref name="trainLabels"/>. Calibrated almost perfectly when the two splits have
    /// similar class shares, yet its ROC AUC is exactly 0.5.
    /// </summary>
    public static double ConstantModelEce(long[] trainLabels, long[] testLabels)
    {
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testLabels);
        if (trainLabels.Length == 0) throw new ArgumentException("trainLabels must hold at least one label; got none.", nameof(trainLabels));
        double share = trainLabels.Average(l => (double)l);
        return Calibration.TopLabel(Enumerable.Repeat(share, testLabels.Length).ToArray(), testLabels, 10).ExpectedCalibrationError;
    }
}
