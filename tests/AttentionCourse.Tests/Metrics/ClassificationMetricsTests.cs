using AttentionCourse.Metrics;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Metrics;

/// <summary>
/// Classification metrics against scikit-learn. The first cases are the documentation examples quoted in
/// reference-values.md; the others were computed with scikit-learn 1.2.1 (Debian python3-sklearn) by
/// <c>f1_score(y, p, labels=[0..4], average=…, zero_division=0)</c>, <c>roc_auc_score</c>,
/// <c>roc_curve(…, drop_intermediate=False)</c>, <c>precision_recall_curve</c>, <c>average_precision_score</c> and
/// <c>calibration_curve</c>; the values are pasted here, so the tests need no Python.
/// </summary>
public class ClassificationMetricsTests
{
    private const double Exact = 1e-12;

    [Fact]
    public void Report_MatchesTheScikitLearnDocumentationExample()
    {
        var report = Classification.Report(new long[] { 0, 1, 2, 0, 1, 2 }, new long[] { 0, 2, 1, 0, 0, 1 }, 3);
        Assert.Equal(new[] { 0.8, 0, 0 }, report.PerClass.Select(c => Math.Round(c.F1, 12)));
        Assert.Equal(0.26666666666666666, report.Macro.F1, Exact);
        Assert.Equal(0.3333333333333333, report.Micro.F1, Exact);
        Assert.Equal(0.26666666666666666, report.Weighted.F1, Exact);
        Assert.Equal(0.2222222222222222, report.Macro.Precision, Exact);
        Assert.Equal(0.3333333333333333, report.Macro.Recall, Exact);
        Assert.Equal(report.Accuracy, report.Micro.F1, Exact);        // single-label data: micro F1 = accuracy
    }

    [Fact]
    public void Report_WithAnAbsentClass_AndZeroDivision_MatchesScikitLearn()
    {
        // Class 3 is never predicted (precision 0/0 → 0) and class 4 never occurs (all 0, still in the macro mean).
        long[] actual = { 0, 0, 1, 1, 2, 2, 2, 3 }, predicted = { 0, 1, 1, 1, 2, 0, 0, 0 };
        var report = Classification.Report(actual, predicted, 5);
        double[] precision = { 0.25, 0.6666666666666666, 1, 0, 0 }, recall = { 0.5, 1, 0.3333333333333333, 0, 0 }, f1 = { 0.3333333333333333, 0.8, 0.5, 0, 0 };
        for (int c = 0; c < 5; c++)
        {
            Assert.Equal(precision[c], report.PerClass[c].Precision, Exact);
            Assert.Equal(recall[c], report.PerClass[c].Recall, Exact);
            Assert.Equal(f1[c], report.PerClass[c].F1, Exact);
        }
        Assert.Equal(0.3833333333333333, report.Macro.Precision, Exact);
        Assert.Equal(0.36666666666666664, report.Macro.Recall, Exact);
        Assert.Equal(0.32666666666666666, report.Macro.F1, Exact);
        Assert.Equal(0.5, report.Micro.Precision, Exact);
        Assert.Equal(0.5, report.Micro.F1, Exact);
        Assert.Equal(0.6041666666666666, report.Weighted.Precision, Exact);
        Assert.Equal(0.5, report.Weighted.Recall, Exact);
        Assert.Equal(0.4708333333333333, report.Weighted.F1, Exact);
        long[][] sklearnConfusion = { new long[] { 1, 1, 0, 0, 0 }, new long[] { 0, 2, 0, 0, 0 }, new long[] { 2, 0, 1, 0, 0 }, new long[] { 1, 0, 0, 0, 0 }, new long[] { 0, 0, 0, 0, 0 } };
        Assert.Equal(sklearnConfusion, report.Confusion.Rows);
        Assert.All(report.PerClass, c => Assert.False(double.IsNaN(c.Precision + c.Recall + c.F1)));
    }

    [Fact]
    public void Binary_CountsAndScores_ByHand_AndTheUndefinedCasesAreZero()
    {
        // TP = 2 (rows 0, 1), FP = 1 (row 2), FN = 1 (row 3), TN = 1 (row 4).
        var scores = Classification.Binary(new long[] { 1, 1, 0, 1, 0 }, new long[] { 1, 1, 1, 0, 0 });
        Assert.Equal((2L, 1L, 1L, 1L), (scores.TruePositives, scores.FalsePositives, scores.FalseNegatives, scores.TrueNegatives));
        Assert.Equal(2.0 / 3, scores.Precision, Exact);
        Assert.Equal(2.0 / 3, scores.Recall, Exact);
        Assert.Equal(2 * (2.0 / 3) * (2.0 / 3) / (4.0 / 3), scores.F1, Exact);   // harmonic mean
        Assert.Equal(0.6, scores.Accuracy, Exact);
        // The constant "majority" model: nothing predicted positive → precision 0 (not NaN), recall 0, F1 0.
        var majority = Classification.Binary(new long[] { 0, 0, 0, 1 }, new long[] { 0, 0, 0, 0 });
        Assert.Equal((0.75, 0.0, 0.0, 0.0), (majority.Accuracy, majority.Precision, majority.Recall, majority.F1));
        // No actual positive at all: recall 0 by definition.
        Assert.Equal(0.0, Classification.Binary(new long[] { 0, 0 }, new long[] { 1, 0 }).Recall);
    }

    [Fact]
    public void Predict_IsScoreAtLeastThreshold()
    {
        Assert.Equal(new long[] { 0, 1, 1 }, Classification.Predict(new[] { 0.49, 0.5, 0.9 }, 0.5));
        TestSupport.AssertArgumentError(() => Classification.Predict(new[] { 0.1, double.NaN }), "scores", "scores[1]", "NaN");
    }

    [Fact]
    public void RocAuc_MatchesScikitLearn_WithTiesCountingOneHalf()
    {
        Assert.Equal(0.75, Classification.RocAuc(new long[] { 0, 0, 1, 1 }, new[] { 0.1, 0.4, 0.35, 0.8 }), Exact);
        Assert.Equal(0.5, Classification.RocAuc(new long[] { 1, 0 }, new[] { 0.5, 0.5 }), Exact);
        long[] y = { 0, 0, 1, 1, 0, 1, 0, 1, 1, 0 };
        double[] s = { 0.1, 0.4, 0.4, 0.8, 0.8, 0.3, 0.2, 0.9, 0.4, 0.05 };
        Assert.Equal(0.78, Classification.RocAuc(y, s), Exact);
        // Tensors in, the same number out.
        Assert.Equal(0.78, Classification.RocAuc(tensor(y), tensor(s.Select(v => (float)v).ToArray())), 1e-6);
        // A constant score (the majority model) is exactly chance.
        Assert.Equal(0.5, Classification.RocAuc(y, Enumerable.Repeat(0.7, y.Length).ToArray()), Exact);
    }

    [Fact]
    public void RocAuc_EqualsTheTrapezoidAreaUnderTheCurve_AndBruteForcePairs()
    {
        var random = new Random(5);
        var y = Enumerable.Range(0, 200).Select(_ => (long)random.Next(2)).ToArray();
        var s = y.Select(l => Math.Round(random.NextDouble() + 0.3 * l, 1)).ToArray();   // rounded: many ties
        var curve = Classification.RocCurve(y, s);
        double trapezoid = 0;
        for (int i = 1; i < curve.FalsePositiveRate.Length; i++)
            trapezoid += (curve.FalsePositiveRate[i] - curve.FalsePositiveRate[i - 1]) * (curve.TruePositiveRate[i] + curve.TruePositiveRate[i - 1]) / 2;
        double pairs = 0, count = 0;
        for (int i = 0; i < y.Length; i++)
            for (int j = 0; j < y.Length; j++)
                if (y[i] == 1 && y[j] == 0) { pairs += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0; count++; }
        Assert.Equal(pairs / count, Classification.RocAuc(y, s), Exact);
        Assert.Equal(pairs / count, trapezoid, 1e-12);
    }

    [Fact]
    public void RocCurve_MatchesScikitLearnWithoutDroppedPoints()
    {
        long[] y = { 0, 0, 1, 1, 0, 1, 0, 1, 1, 0 };
        double[] s = { 0.1, 0.4, 0.4, 0.8, 0.8, 0.3, 0.2, 0.9, 0.4, 0.05 };
        var curve = Classification.RocCurve(y, s);
        Assert.Equal(new[] { 0.0, 0.0, 0.2, 0.4, 0.4, 0.6, 0.8, 1.0 }, curve.FalsePositiveRate.Select(v => Math.Round(v, 12)));
        Assert.Equal(new[] { 0.0, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0, 1.0 }, curve.TruePositiveRate.Select(v => Math.Round(v, 12)));
        // scikit-learn 1.2 writes max + 1 (1.9) as the first threshold; 1.3 and later write +∞, as here.
        Assert.Equal(new[] { double.PositiveInfinity, 0.9, 0.8, 0.4, 0.3, 0.2, 0.1, 0.05 }, curve.Thresholds);
    }

    [Fact]
    public void PrecisionRecallCurve_AndAveragePrecision_MatchScikitLearn()
    {
        // Documentation example: AP 0.8333…, curve (1, 0), (1, 0.5), (0.5, 0.5), (0.667, 1), (0.5, 1) from the strictest threshold.
        var doc = Classification.PrecisionRecallCurve(new long[] { 0, 0, 1, 1 }, new[] { 0.1, 0.4, 0.35, 0.8 });
        Assert.Equal(new[] { 1, 1, 0.5, 0.666666666667, 0.5 }, doc.Precision.Select(v => Math.Round(v, 12)));
        Assert.Equal(new[] { 0, 0.5, 0.5, 1, 1 }, doc.Recall);
        Assert.Equal(0.8333333333333333, Classification.AveragePrecision(new long[] { 0, 0, 1, 1 }, new[] { 0.1, 0.4, 0.35, 0.8 }), Exact);

        long[] y = { 0, 0, 1, 1, 0, 1, 0, 1, 1, 0 };
        double[] s = { 0.1, 0.4, 0.4, 0.8, 0.8, 0.3, 0.2, 0.9, 0.4, 0.05 };
        var curve = Classification.PrecisionRecallCurve(y, s);
        // scikit-learn lists the same points from the lowest threshold up: reversed here.
        double[] sklearnPrecision = { 0.5, 0.5555555555555556, 0.625, 0.7142857142857143, 0.6666666666666666, 0.6666666666666666, 1.0, 1.0 };
        double[] sklearnRecall = { 1.0, 1.0, 1.0, 1.0, 0.8, 0.4, 0.2, 0.0 };
        Assert.Equal(sklearnPrecision.Reverse().Select(v => Math.Round(v, 12)), curve.Precision.Select(v => Math.Round(v, 12)));
        Assert.Equal(sklearnRecall.Reverse(), curve.Recall.Select(v => Math.Round(v, 12)));
        Assert.Equal(0.7428571428571429, Classification.AveragePrecision(y, s), Exact);
    }

    [Fact]
    public void ThresholdForBestF1_IsTheBestOfEveryThreshold_ByBruteForce()
    {
        long[] y = { 0, 0, 1, 1, 0, 1, 0, 1, 1, 0 };
        double[] s = { 0.1, 0.4, 0.4, 0.8, 0.8, 0.3, 0.2, 0.9, 0.4, 0.05 };
        var (threshold, f1) = Classification.ThresholdForBestF1(y, s);
        double best = s.Distinct().Max(t => Classification.Binary(y, Classification.Predict(s, t)).F1);
        Assert.Equal(best, f1, Exact);
        Assert.Equal(f1, Classification.Binary(y, Classification.Predict(s, threshold)).F1, Exact);
        Assert.Equal(0.3, threshold);     // P = 5/7, R = 1: F1 = 0.8333, the best of the eight
    }

    [Fact]
    public void RankingMetrics_RejectOneClass_EmptyInput_AndMismatchedLengths()
    {
        TestSupport.AssertArgumentError(() => Classification.RocAuc(new long[] { 1, 1 }, new[] { 0.2, 0.9 }), "labels", "one class only", "2 positives, 0 negatives");
        TestSupport.AssertArgumentError(() => Classification.AveragePrecision(new long[] { 0, 0 }, new[] { 0.2, 0.9 }), "labels", "0 positives, 2 negatives");
        TestSupport.AssertArgumentError(() => Classification.RocAuc(Array.Empty<long>(), Array.Empty<double>()), "labels", "got none");
        TestSupport.AssertArgumentError(() => Classification.RocAuc(new long[] { 0, 1 }, new[] { 0.2 }), "scores", "(2)", "got 1");
        TestSupport.AssertArgumentError(() => Classification.RocAuc(new long[] { 0, 2 }, new[] { 0.2, 0.3 }), "labels", "labels[1]", "got 2");
        TestSupport.AssertArgumentError(() => Classification.Report(Array.Empty<long>(), Array.Empty<long>(), 2), "actual", "got none");
        TestSupport.AssertArgumentError(() => Classification.Report(new long[] { 0, 3 }, new long[] { 0, 1 }, 3), "actual", "actual[1]", "[0, 2]", "got 3");
    }

    [Fact]
    public void PositiveClassCalibration_MatchesScikitLearnsCalibrationCurve()
    {
        // calibration_curve(y, p, n_bins=3) → prob_true [0, 0.5, 1], prob_pred [0.2, 0.525, 0.85] (documentation example).
        var report = Calibration.PositiveClass(new[] { 0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0 }, new long[] { 0, 0, 0, 0, 1, 1, 1, 1, 1 }, bins: 3);
        Assert.Equal(new double?[] { 0, 0.5, 1 }, report.Bins.Select(b => b.Observed));
        Assert.Equal(new[] { 0.2, 0.525, 0.85 }, report.Bins.Select(b => Math.Round(b.Confidence!.Value, 12)));
        // Values on bin edges go to the lower bin (right-closed), 0 to the first: prob_pred [0.05, 0.3, 0.575, 1.0].
        var edges = Calibration.PositiveClass(new[] { 0.3, 0.3, 0.0, 0.55, 0.6, 0.1, 1.0 }, new long[] { 0, 1, 0, 1, 1, 0, 1 }, bins: 10);
        var filled = edges.Bins.Where(b => b.Count > 0).ToArray();
        Assert.Equal(new[] { 0.05, 0.3, 0.575, 1.0 }, filled.Select(b => Math.Round(b.Confidence!.Value, 12)));
        Assert.Equal(new double?[] { 0, 0.5, 1, 1 }, filled.Select(b => b.Observed));
        Assert.All(edges.Bins.Where(b => b.Count == 0), b => Assert.Null(b.Observed));   // empty bins: null, never NaN
    }

    [Fact]
    public void ExpectedCalibrationError_ByHand()
    {
        // Two bins (M = 2): (0, 0.5] holds 0.2, 0.4 (1 of 2 correct), (0.5, 1] holds 0.6, 0.9, 1.0 (2 of 3 correct).
        // Gaps: |0.5 − 0.3| = 0.2 and |0.6667 − 0.8333| = 0.1667. ECE = 2/5·0.2 + 3/5·0.1667 = 0.18; MCE = 0.2.
        var report = Calibration.FromConfidence(new[] { 0.2, 0.4, 0.6, 0.9, 1.0 }, new[] { true, false, true, true, false }, bins: 2);
        Assert.Equal(0.18, report.ExpectedCalibrationError, Exact);
        Assert.Equal(0.2, report.MaximumCalibrationError, Exact);
        Assert.Equal(new[] { 2, 3 }, report.Bins.Select(b => b.Count));
        // A perfectly calibrated predictor: confidence 0.75 and 3 of 4 correct → ECE 0.
        Assert.Equal(0, Calibration.FromConfidence(new[] { 0.75, 0.75, 0.75, 0.75 }, new[] { true, true, true, false }).ExpectedCalibrationError, Exact);
    }

    [Fact]
    public void TopLabelCalibration_FromProbabilityRows_EqualsTheBinaryForm()
    {
        double[] p = { 0.9, 0.2, 0.65, 0.5, 0.05, 0.8 };
        long[] y = { 1, 0, 0, 1, 1, 1 };
        var binary = Calibration.TopLabel(p, y, bins: 5);
        // The same predictions as (N, 2) rows [1 − p, p]: confidence max(p, 1 − p); p = 0.5 predicts class 1 in both.
        var rows = tensor(p.SelectMany(v => new[] { 1 - v, v }).ToArray()).view(6, 2);
        var fromRows = Calibration.TopLabel(rows, tensor(y), bins: 5);
        // Row 3 (p = 0.5): the tensor form's argmax picks class 0 on a tie, the binary form class 1 (p ≥ 0.5); both
        // have confidence 0.5, and label 1, so only "correct" differs there: check the rest bin by bin.
        Assert.Equal(binary.Bins.Select(b => b.Count), fromRows.Bins.Select(b => b.Count));
        // By hand: confidences 0.9 0.8 0.65 0.5 0.95 0.8 → bins (0.8,1]: 0.9, 0.95 (correct: yes, no); (0.6,0.8]: 0.8, 0.65, 0.8 (yes, no, yes); (0.4,0.6]: 0.5 (yes).
        Assert.Equal(new[] { 0, 0, 1, 3, 2 }, binary.Bins.Select(b => b.Count));
        double expected = 1.0 / 6 * Math.Abs(1 - 0.5) + 3.0 / 6 * Math.Abs(2.0 / 3 - (0.8 + 0.65 + 0.8) / 3) + 2.0 / 6 * Math.Abs(0.5 - 0.925);
        Assert.Equal(expected, binary.ExpectedCalibrationError, 1e-12);
    }

    [Fact]
    public void Calibration_RejectsEmptyInput_AndProbabilitiesOutsideZeroOne()
    {
        TestSupport.AssertArgumentError(() => Calibration.FromConfidence(Array.Empty<double>(), Array.Empty<bool>()), "confidence", "got none");
        TestSupport.AssertArgumentError(() => Calibration.PositiveClass(new[] { 0.5, 1.2 }, new long[] { 0, 1 }), "positiveProbabilities", "positiveProbabilities[1]", "1.2");
        TestSupport.AssertArgumentError(() => Calibration.PositiveClass(new[] { 0.5, double.NaN }, new long[] { 0, 1 }), "positiveProbabilities", "NaN");
        TestSupport.AssertArgumentError(() => Calibration.FromConfidence(new[] { 0.5 }, new[] { true }, bins: 0), "bins", "at least 1", "got 0");
        Assert.Equal(2, Calibration.BinOf(0.3, 10));     // 0.3 · 10 rounds to 3.0000000000000004: still the bin (0.2, 0.3]
    }
}
