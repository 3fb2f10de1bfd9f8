using AttentionCourse.Benchmarking;
using AttentionCourse.Exercises;
using AttentionCourse.Layers;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

public class Lesson12Tests
{
    [Theory]
    [InlineData(1000, 16), InlineData(10, 3), InlineData(5, 10), InlineData(1, 0), InlineData(64, 0)]
    public void WindowPairsEqualTheClosedForm(long length, long window)
    {
        // Independent reference: T(2w + 1) − w(w + 1) when the window fits (T > w), else every pair (T²) once w ≥ T − 1.
        long expected = window >= length - 1 ? length * length : length * (2 * window + 1) - window * (window + 1);
        Assert.Equal(expected, Lesson12.WindowPairs(length, window));
    }

    [Fact]
    public void WindowPairsEqualTheNonZerosOfTheBandMask()
    {
        var offset = (arange(200).unsqueeze(1) - arange(200).unsqueeze(0)).abs();
        Assert.Equal(offset.le(7).sum().item<long>(), Lesson12.WindowPairs(200, 7));
    }

    [Fact]
    public void TopKEqualsAMaskedSoftmaxWrittenOut()
    {
        var (q, k, v) = AttentionInputs.Random(1, 2, 40, 8, seed: 3);
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(8);
        var kth = scores.topk(5, dim: -1).values.narrow(-1, 4, 1);
        var expected = nn.functional.softmax(scores.masked_fill(scores.lt(kth), double.NegativeInfinity), -1).matmul(v);
        TestSupport.AssertClose(expected, Lesson12.TopK(q, k, v, 5), 1e-5, "top-5");
    }

    [Theory]
    [InlineData(64L << 20, 647), InlineData(256L << 20, 1295)]
    public void LongestExactLengthSolvesTheEstimateByHand(long budget, long expected)
    {
        // The planner's estimate for B = 1, H = 8 is 5·8·T²·4 bytes: T ≤ √(budget / 160), floored (647.6 and 1295.2).
        Assert.Equal(expected, Lesson12.LongestExactLength(1, 8, 64, budget));
        Assert.Equal(AttentionKind.Exact, AttentionPlanner.Choose(1, 8, expected, 64, budget).Kind);
        Assert.NotEqual(AttentionKind.Exact, AttentionPlanner.Choose(1, 8, expected + 1, 64, budget).Kind);
    }

    [Fact]
    public void RelativeErrorIsTheRatioOfFrobeniusNorms()
    {
        var exact = tensor(new float[] { 3, 4 });                                    // norm 5
        var output = tensor(new float[] { 3, 1 });                                   // differs by (0, −3): norm 3
        Assert.Equal(0.6, Lesson12.RelativeError(output, exact), 6);
        Assert.Equal(0.0, Lesson12.RelativeError(exact, exact), 12);
    }
}
