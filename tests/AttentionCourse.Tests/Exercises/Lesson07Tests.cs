using AttentionCourse.Data;
using AttentionCourse.Exercises;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

public class Lesson07Tests
{
    [Theory]
    [InlineData(32, 128), InlineData(16, 64), InlineData(8, 24)]
    public void BlockParametersEqualTheHandCountForAnyNumberOfHeads(long e, long f)
    {
        // Independent reference, counted by hand: packed input projection 3E·E + 3E, output projection E·E + E,
        // feed-forward E·F + F and F·E + E, two LayerNorms with a scale and a shift each (2·2E).
        long expected = (3 * e * e + 3 * e) + (e * e + e) + (e * f + f) + (f * e + e) + 2 * (2 * e);
        foreach (long heads in new long[] { 1, 2, 4 })
            Assert.Equal(expected, Lesson07.BlockParameters(e, f, heads));
    }

    [Fact]
    public void BlockParametersAt32And128Are12704()
    {
        Assert.Equal(12_704, Lesson07.BlockParameters(32, 128, heads: 4));
    }

    [Fact]
    public void PositionBlindCeilingEqualsTheModeOfTheOtherTokensComputedWithTensors()
    {
        var reverse = SequenceTasks.Reverse(300, 8, 8, seed: 11);
        // Independent reference with tensor operations: a histogram per row minus each position's own one-hot,
        // its first maximum (ties to the smaller token), compared with the targets.
        var oneHot = nn.functional.one_hot(reverse.Inputs, 8);                      // (N, T, V)
        var others = oneHot.sum(1, keepdim: true) - oneHot;                         // (N, T, V)
        var guess = others.argmax(-1);                                              // (N, T)
        double expected = reverse.Targets.eq(guess).to_type(ScalarType.Float64).mean().item<double>();
        Assert.Equal(expected, Lesson07.PositionBlindCeiling(reverse), 12);
        Assert.InRange(expected, 1.0 / 8, 0.6);                                     // above uniform guessing, far below 1
    }

    [Theory]
    [InlineData(2.0, true), InlineData(1.5, true), InlineData(2.5, true), InlineData(1.0, false), InlineData(1.49, false), InlineData(2.6, false)]
    public void IsQuadraticAcceptsSlopesNearTwoOnly(double slope, bool expected)
    {
        Assert.Equal(expected, Lesson07.IsQuadratic(slope));
    }
}
