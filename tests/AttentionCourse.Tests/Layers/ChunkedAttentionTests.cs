using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Layers;

public class ChunkedAttentionTests
{
    [Theory]
    [InlineData(false, false, 16, 16)]
    [InlineData(true, false, 16, 16)]
    [InlineData(false, true, 16, 7)]
    [InlineData(true, true, 7, 16)]
    [InlineData(true, true, 100, 100)]
    public void EqualsPlainAttention_ForLengthsNotDivisibleByTheBlock(bool causal, bool padding, long queryBlock, long keyBlock)
    {
        manual_seed(60);
        long B = 2, H = 3, T = 37, D = 8;
        var q = randn(B, H, T, D); var k = randn(B, H, T, D); var v = randn(B, H, T, 5);
        var keyPadding = padding ? Masks.PaddingFromLengths(new long[] { 37, 11 }, T) : null;
        var (expected, _) = Attention.ScaledDotProduct(q, k, v, Masks.Allowed(B, T, T, keyPadding, causal));
        var actual = ChunkedAttention.Forward(q, k, v, keyPadding, causal, queryBlock, keyBlock);
        TestSupport.AssertClose(expected, actual, 1e-5);
    }

    [Fact]
    public void LargeScores_StayFinite_AndExact()
    {
        // Scores in the hundreds: the unmasked tiles' fused softmax and the merge by maxima must not overflow. In float64,
        // so that the comparison tests the algorithm: in float32 a score near 900 is itself only known to ±6e-5 (its ulp),
        // and two summation orders of the same product differ by that much after the exponential.
        manual_seed(63);
        var q = randn(1, 2, 70, 8, dtype: ScalarType.Float64) * 30; var k = randn(1, 2, 70, 8, dtype: ScalarType.Float64) * 30;
        var v = randn(1, 2, 70, 8, dtype: ScalarType.Float64);
        var (expected, _) = Attention.ScaledDotProduct(q, k, v);
        var actual = ChunkedAttention.Forward(q, k, v, queryBlock: 16, keyBlock: 16);
        Assert.False(actual.isnan().any().item<bool>() || actual.isinf().any().item<bool>(), "non-finite output");
        TestSupport.AssertClose(expected, actual, 1e-10);
    }

    [Fact]
    public void CrossAttention_WithFewerQueriesThanKeys_AlignsCausalAtTheEnd()
    {
        manual_seed(61);
        var q = randn(1, 2, 5, 8); var k = randn(1, 2, 23, 8); var v = randn(1, 2, 23, 8);
        var (expected, _) = Attention.ScaledDotProduct(q, k, v, Masks.Allowed(1, 5, 23, null, causal: true));
        TestSupport.AssertClose(expected, ChunkedAttention.Forward(q, k, v, causal: true, queryBlock: 2, keyBlock: 6), 1e-5);
    }

    [Fact]
    public void Gradients_EqualTheBuiltInKernels()
    {
        manual_seed(62);
        long B = 1, H = 2, T = 45, D = 8;
        var inputs = new[] { randn(B, H, T, D), randn(B, H, T, D), randn(B, H, T, D) };
        var probe = randn(B, H, T, D);
        Tensor[] Gradients(Func<Tensor, Tensor, Tensor, Tensor> attention)
        {
            var leaves = inputs.Select(x => x.clone().requires_grad_()).ToArray();
            (attention(leaves[0], leaves[1], leaves[2]) * probe).sum().backward();
            return leaves.Select(x => x.grad!).ToArray();
        }
        var expected = Gradients((q, k, v) => functional.scaled_dot_product_attention(q, k, v, is_casual: true));
        var actual = Gradients((q, k, v) => ChunkedAttention.Forward(q, k, v, causal: true, queryBlock: 16, keyBlock: 10));
        for (int i = 0; i < 3; i++) TestSupport.AssertClose(expected[i], actual[i], 1e-5, $"gradient of input {i}");
    }

    [Fact]
    public void FullyMaskedQuery_GivesZeros_AndFiniteGradients()
    {
        var q = randn(2, 1, 4, 8).requires_grad_(); var k = randn(2, 1, 4, 8).requires_grad_(); var v = randn(2, 1, 4, 8).requires_grad_();
        var padding = Masks.PaddingFromLengths(new long[] { 4, 0 }, 4);              // the second sequence has no key at all
        var output = ChunkedAttention.Forward(q, k, v, padding, queryBlock: 3, keyBlock: 3);
        Assert.Equal(0f, output[1].abs().sum().item<float>());
        output.sum().backward();
        foreach (var x in new[] { q, k, v }) Assert.False(x.grad!.isnan().any().item<bool>(), "NaN in a gradient");
        Assert.Equal(0f, v.grad![1].abs().sum().item<float>());
    }

    [Fact]
    public void BadInput_NamesArgumentExpectedAndActual()
    {
        var x = randn(1, 2, 8, 4);
        TestSupport.AssertArgumentError(() => ChunkedAttention.Forward(x, x, x, queryBlock: 0), "queryBlock", "at least 1", "0");
        TestSupport.AssertArgumentError(() => ChunkedAttention.Forward(x, x, x, keyBlock: -3), "keyBlock", "at least 1", "-3");
        TestSupport.AssertArgumentError(() => ChunkedAttention.Forward(x, randn(1, 2, 8, 5), x), "key", "4", "5");
        TestSupport.AssertArgumentError(() => ChunkedAttention.Forward(x, x, x, ones(1, 9, dtype: ScalarType.Bool)), "keyPadding", "(1, 8)", "(1, 9)");
    }
}
