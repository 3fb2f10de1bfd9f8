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
}
