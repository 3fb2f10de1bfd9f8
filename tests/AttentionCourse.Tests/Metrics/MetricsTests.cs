using AttentionCourse.Metrics;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Metrics;

public class MetricsTests
{
    [Fact]
    public void Accuracy_CountsArgMaxMatches()
    {
        var logits = tensor(new float[] { 2, 1, 0, 3, 5, 4, 1, 1.5f }).view(4, 2);   // predictions 0, 1, 0, 1
        Assert.Equal(0.75, Classification.Accuracy(logits, tensor(new long[] { 0, 1, 1, 1 })), 12);
        TestSupport.AssertArgumentError(() => Classification.Accuracy(logits, tensor(new long[] { 0, 1 })), "labels", "4", "2");
    }

    [Fact]
    public void MeanSquaredError_MatchesHandValue()
    {
        Assert.Equal((1.0 + 4.0) / 2, Regression.MeanSquaredError(tensor(new float[] { 1, 2 }), tensor(new float[] { 0, 4 })), 12);
        TestSupport.AssertArgumentError(() => Regression.MeanSquaredError(zeros(2), zeros(3)), "target", "(2)", "(3)");
    }
}
