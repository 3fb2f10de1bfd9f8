using AttentionCourse.Data;
using AttentionCourse.Exercises;
using AttentionCourse.Tests.Benchmarking;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

// Peak memory is process-wide: run with the other process-wide measurements, never beside another test that allocates.
[Collection(ProcessWideMeasurements.Name)]
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

    [Fact]
    public void FusedKernelAddsFarLessThanTheWeightMatrixWhileTheWrittenOutFormAddsAtLeastIt()
    {
        const long n = 2048, d = 32;                                                  // 16 MiB of weights: far above fixed overheads
        double fused = Lesson07.FusedPeakOverWeights(n, d);
        // Independent reference: the written-out form (scores, softmax, weighted sum) measured the same way holds the
        // n × n weights, so its extra memory is at least their bytes; the fused kernel's is a small fraction of them.
        var q = randn(1, 1, n, d); var k = randn(1, 1, n, d); var v = randn(1, 1, n, d);
        var (memory, output) = AttentionCourse.Benchmarking.PeakMemory.Measure(() =>
        {
            using var noGrad = no_grad();
            return nn.functional.softmax(q.matmul(k.transpose(-2, -1)) / Math.Sqrt(d), -1).matmul(v);
        });
        output.Dispose();
        double writtenOut = memory.ExtraBytes / (double)(n * n * sizeof(float));
        Assert.True(writtenOut >= 0.9, $"written-out form: {writtenOut}");
        Assert.True(fused < 0.5, $"fused kernel: {fused}");
        Assert.True(Lesson07.MatchesFusedPeak(Lesson07.FusedPeakOverWeights(n, d), n, d));
        Assert.False(Lesson07.MatchesFusedPeak(0, n, d));
        Assert.False(Lesson07.MatchesFusedPeak(writtenOut, n, d));
        Assert.False(Lesson07.MatchesFusedPeak(2.0, n, d));
    }

    [Theory]
    [InlineData(1), InlineData(2), InlineData(3)]
    public void HintsExist(int exercise) => Assert.False(string.IsNullOrWhiteSpace(Lesson07.Hint(exercise)));
}
