using AttentionCourse.Exercises;

namespace AttentionCourse.Tests.Exercises;

/// <summary>Lesson 02's exercise references (its checks compare the learner's answers with them), on hand cases.</summary>
public class Lesson02ReferenceTests
{
    [Fact]
    public void BalancedAccuracy_AndThresholdForRecall_MatchHandComputations()
    {
        // Recall of class 1: 2/3; of class 0: 1/2 → balanced accuracy 7/12.
        Assert.Equal(7.0 / 12, Lesson02.BalancedAccuracy(new long[] { 1, 1, 1, 0, 0 }, new long[] { 1, 1, 0, 1, 0 }), 12);
        // Scores ranked 0.9 (1), 0.8 (0), 0.7 (1), 0.4 (1), 0.2 (0): recall ≥ 2/3 first at 0.7 (precision 2/3), then 0.4 (3/4).
        long[] y = { 1, 0, 1, 1, 0 };
        double[] s = { 0.9, 0.8, 0.7, 0.4, 0.2 };
        Assert.Equal(0.4, Lesson02.ThresholdForRecall(y, s, 0.6));
        Assert.Equal(0.9, Lesson02.ThresholdForRecall(y, s, 0.3));
    }

    [Fact]
    public void ConstantModelEce_IsTheGapBetweenTheTestAccuracyAndTheConstantConfidence()
    {
        // Train share of class 1 = 1/4 → every test example gets P(1) = 0.25: predicted class 0 with confidence 0.75, all in
        // the bin (0.7, 0.8]. The test labels hold three 0s of five → accuracy 0.6 → ECE = |0.6 − 0.75| = 0.15.
        Assert.Equal(0.15, Lesson02.ConstantModelEce(new long[] { 1, 0, 0, 0 }, new long[] { 0, 0, 1, 0, 1 }), 12);
        // Same shares in both splits → perfectly calibrated (ECE 0).
        Assert.Equal(0.0, Lesson02.ConstantModelEce(new long[] { 1, 0, 0, 0 }, new long[] { 0, 1, 0, 0 }), 12);
    }
}
