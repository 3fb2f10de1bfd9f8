using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Layers;

public class AttentionTests
{
    [Fact]
    public void ScaledDotProduct_MatchesHandComputedCase()
    {
        // One query, two keys: q = (1, 0), k1 = (1, 0), k2 = (0, 1), D = 2 → scores 1/√2 and 0.
        var q = tensor(new float[] { 1, 0 }).view(1, 1, 2);
        var k = tensor(new float[] { 1, 0, 0, 1 }).view(1, 2, 2);
        var v = tensor(new float[] { 10, 20 }).view(1, 2, 1);
        var (output, weights) = Attention.ScaledDotProduct(q, k, v);
        double w1 = Math.Exp(1 / Math.Sqrt(2)) / (Math.Exp(1 / Math.Sqrt(2)) + 1);
        Assert.Equal(w1, weights[0, 0, 0].item<float>(), 6);
        Assert.Equal(1 - w1, weights[0, 0, 1].item<float>(), 6);
        Assert.Equal(10 * w1 + 20 * (1 - w1), output[0, 0, 0].item<float>(), 4);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void ManualPath_EqualsBuiltInKernel(bool causal, bool padding)
    {
        manual_seed(1);
        long B = 3, H = 4, T = 7, S = 7, D = 16;
        var q = randn(B, H, T, D); var k = randn(B, H, S, D); var v = randn(B, H, S, D);
        var keyPadding = padding ? Masks.PaddingFromLengths(new long[] { 7, 4, 2 }, S) : null;
        var allowed = Masks.Allowed(B, T, S, keyPadding, causal);
        var (manual, _) = Attention.ScaledDotProduct(q, k, v, allowed);
        var builtin = functional.scaled_dot_product_attention(q, k, v, allowed, is_casual: false);
        TestSupport.AssertClose(builtin, manual, 1e-5, "manual vs built-in SDPA");
        var fused = Attention.ScaledDotProductFused(q, k, v, allowed);
        TestSupport.AssertClose(builtin, fused, 1e-5, "fused wrapper vs built-in SDPA");
    }

    [Fact]
    public void CausalMask_MatchesBuiltInIsCausal()
    {
        manual_seed(2);
        var q = randn(2, 2, 9, 8); var k = randn(2, 2, 9, 8); var v = randn(2, 2, 9, 8);
        var (manual, _) = Attention.ScaledDotProduct(q, k, v, Masks.Allowed(2, 9, 9, null, causal: true));
        var builtin = functional.scaled_dot_product_attention(q, k, v, is_casual: true);
        TestSupport.AssertClose(builtin, manual, 1e-5);
    }

    [Fact]
    public void MaskedSoftmax_FullyMaskedRow_GivesZerosAndFiniteGradients()
    {
        var scores = randn(2, 3, 4, dtype: ScalarType.Float64).requires_grad_();
        var allowed = ones(2, 3, 4, dtype: ScalarType.Bool);
        allowed[0, 1] = tensor(false);                      // row (0, 1) fully masked
        allowed[1, 2, TensorIndex.Slice(0, 2)] = tensor(false); // row (1, 2) half masked
        var weights = Attention.MaskedSoftmax(scores, allowed);
        Assert.Equal(0.0, weights[0, 1].abs().sum().item<double>());
        Assert.Equal(0.0, weights[1, 2, TensorIndex.Slice(0, 2)].abs().sum().item<double>());
        var expectedSums = ones(2, 3, dtype: ScalarType.Float64);
        expectedSums[0, 1] = tensor(0.0);                                             // the empty row sums to 0, every other to 1
        TestSupport.AssertClose(expectedSums, weights.sum(-1), 1e-12, "row sums");
        (weights * randn(2, 3, 4, dtype: ScalarType.Float64)).sum().backward();
        Assert.False(scores.grad!.isnan().any().item<bool>());
        Assert.Equal(0.0, scores.grad![0, 1].abs().sum().item<double>());
    }

    [Fact]
    public void FusedPath_FullyMaskedQuery_GivesZerosNotNaN_AndFiniteGradients()
    {
        var q = randn(1, 1, 3, 4).requires_grad_(); var k = randn(1, 1, 3, 4); var v = randn(1, 1, 3, 4);
        var allowed = ones(1, 1, 3, 3, dtype: ScalarType.Bool);
        allowed[0, 0, 1] = tensor(false);
        var fused = Attention.ScaledDotProductFused(q, k, v, allowed);
        var (manual, _) = Attention.ScaledDotProduct(q, k, v, allowed);
        TestSupport.AssertClose(manual, fused, 1e-6);
        Assert.Equal(0.0, fused[0, 0, 1].abs().sum().item<float>());
        fused.sum().backward();
        Assert.False(q.grad!.isnan().any().item<bool>());
    }

    [Fact]
    public void ScoreFunctions_MatchTheirFormulas()
    {
        manual_seed(3);
        var q = randn(2, 3, 4, dtype: ScalarType.Float64); var k = randn(2, 5, 4, dtype: ScalarType.Float64);
        var w = randn(4, 4, dtype: ScalarType.Float64);
        // q_t · k_s by explicit sums.
        var dot = Attention.DotScores(q, k);
        Assert.Equal((q[1, 2] * k[1, 4]).sum().item<double>(), dot[1, 2, 4].item<double>(), 12);
        Assert.Equal((q[1, 2] * k[1, 4]).sum().item<double>() / 2.0, Attention.ScaledDotScores(q, k)[1, 2, 4].item<double>(), 12);
        Assert.Equal((q[0, 1].matmul(w) * k[0, 3]).sum().item<double>(), Attention.GeneralScores(q, k, w)[0, 1, 3].item<double>(), 12);
        var wq = randn(6, 4, dtype: ScalarType.Float64); var wk = randn(6, 4, dtype: ScalarType.Float64); var sv = randn(6, dtype: ScalarType.Float64);
        double expected = (sv * (wq.matmul(q[0, 1]) + wk.matmul(k[0, 3])).tanh()).sum().item<double>();
        Assert.Equal(expected, Attention.AdditiveScores(q, k, wq, wk, sv)[0, 1, 3].item<double>(), 12);
    }

    [Fact]
    public void BadInput_NamesArgumentExpectedAndActual()
    {
        var q = randn(1, 2, 3, 4);
        TestSupport.AssertArgumentError(() => Attention.ScaledDotProduct(q, randn(1, 2, 3, 5), randn(1, 2, 3, 4)), "key", "4", "5");
        TestSupport.AssertArgumentError(() => Attention.ScaledDotProduct(q, randn(1, 2, 3, 4), randn(1, 2, 6, 4)), "value", "3", "6");
        TestSupport.AssertArgumentError(() => Attention.ScaledDotProduct(randn(0, 2, 3, 4), randn(0, 2, 3, 4), randn(0, 2, 3, 4)), "query", "(0, 2, 3, 4)");
        TestSupport.AssertArgumentError(() => Masks.Allowed(2, 3, 3, ones(2, 4, dtype: ScalarType.Bool), false), "keyPadding", "(2, 3)", "(2, 4)");
        TestSupport.AssertArgumentError(() => Masks.Allowed(2, 3, 3, ones(2, 3), false), "keyPadding", "Bool", "Float32");
        TestSupport.AssertArgumentError(() => Attention.MaskedSoftmax(q, ones(3, 4)), "allowed", "Bool");
        // A mask that would broadcast silently over the keys, or does not match the scores, is refused.
        TestSupport.AssertArgumentError(() => Attention.ScaledDotProduct(q, q, q, ones(1, 1, 3, 1, dtype: ScalarType.Bool)), "allowed", "(1, 2, 3, 3)", "(1, 1, 3, 1)");
        TestSupport.AssertArgumentError(() => Attention.ScaledDotProduct(q, q, q, ones(2, 1, 3, 3, dtype: ScalarType.Bool)), "allowed", "(1, 2, 3, 3)", "(2, 1, 3, 3)");
        TestSupport.AssertArgumentError(() => Attention.ScaledDotProduct(q, randn(1, 3, 3, 4), randn(1, 3, 3, 4)), "key", "(1, 2)", "(1, 3, 3, 4)");
    }

    [Fact]
    public void PaddingFromLengths_MarksPositionsAtOrBeyondLength()
    {
        var mask = Masks.PaddingFromLengths(new long[] { 2, 0, 3 }, 3);
        Assert.Equal(new[] { false, false, true, true, true, true, false, false, false }, mask.flatten().data<bool>().ToArray());
        TestSupport.AssertArgumentError(() => Masks.PaddingFromLengths(new long[] { 4 }, 3), "lengths", "[0, 3]", "4");
    }
}
