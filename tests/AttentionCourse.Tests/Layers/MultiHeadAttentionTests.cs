using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Layers;

public class MultiHeadAttentionTests
{
    private const long E = 16, H = 4;

    /// <summary>TorchSharp's own nn.MultiheadAttention with the library layer's weights copied in.</summary>
    private static TorchSharp.Modules.MultiheadAttention ReferenceWithCopiedWeights(MultiHeadAttention layer)
    {
        var reference = MultiheadAttention(E, H, dropout: 0.0, bias: true);
        var parameters = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            parameters["in_proj_weight"].copy_(layer.InputProjectionWeight);
            parameters["in_proj_bias"].copy_(layer.InputProjectionBias!);
            parameters["out_proj.weight"].copy_(layer.OutputProjection.weight!);
            parameters["out_proj.bias"].copy_(layer.OutputProjection.bias!);
        }
        reference.eval();
        return reference;
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    [InlineData(true, true, false)]
    [InlineData(true, false, false)]
    [InlineData(true, true, true)]
    public void EqualsTorchSharpMultiheadAttention_WithCopiedWeights(bool cross, bool padding, bool causal)
    {
        manual_seed(10);
        long B = 3, T = 6, S = cross ? 9 : 6;
        var layer = new MultiHeadAttention(E, H);
        layer.eval();
        // Non-zero biases so that a bias mix-up cannot pass.
        using (no_grad()) { layer.InputProjectionBias!.normal_(); layer.OutputProjection.bias!.normal_(); }
        var reference = ReferenceWithCopiedWeights(layer);

        var query = randn(B, T, E);
        var key = cross ? randn(B, S, E) : query;
        var value = cross ? randn(B, S, E) : query;
        var keyPadding = padding ? Masks.PaddingFromLengths(new long[] { S, S - 2, 1 }, S) : null;

        var (output, weights) = layer.call(query, key, value, keyPadding, causal, AttentionWeights.Averaged);
        // The built-in is sequence-first (T, N, E); an additive float mask (−∞ = not allowed) is unambiguous.
        var causalNotAllowed = causal ? zeros(T, S).masked_fill(Masks.Causal(T, S).logical_not(), double.NegativeInfinity) : null;
        var (refOut, refWeights) = reference.call(query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1),
            keyPadding, true, causalNotAllowed);
        TestSupport.AssertClose(refOut.transpose(0, 1), output, 1e-5, "output");
        TestSupport.AssertClose(refWeights, weights!, 1e-5, "averaged weights");

        var (fused, none) = layer.call(query, key, value, keyPadding, causal, AttentionWeights.None);
        Assert.Null(none);
        TestSupport.AssertClose(output, fused, 1e-5, "fused vs manual path");
    }

    [Fact]
    public void Rotary_RotatesQueriesAndKeysOfEveryHead_BeforeAttention()
    {
        manual_seed(15);
        long B = 2, T = 6, Dh = E / H;
        var rope = new RotaryPositionalEncoding(Dh, 32);
        var layer = new MultiHeadAttention(E, H, rotary: rope);
        layer.eval();
        var x = randn(B, T, E);
        // The same computation from public pieces: project, split heads, rotate q and k, attend, merge, project.
        Tensor Heads(Tensor t) => t.view(B, T, H, Dh).transpose(1, 2);                       // (B, H, T, Dh)
        var w = layer.InputProjectionWeight; var b = layer.InputProjectionBias!;
        Tensor Project(int part) => functional.linear(x, w.narrow(0, part * E, E), b.narrow(0, part * E, E));
        var q = rope.Rotate(Heads(Project(0)), 0); var k = rope.Rotate(Heads(Project(1)), 0); var v = Heads(Project(2));
        var (context, _) = Attention.ScaledDotProduct(q, k, v, Masks.Causal(T, T));
        var expected = layer.OutputProjection.call(context.transpose(1, 2).reshape(B, T, E));
        TestSupport.AssertClose(expected, layer.SelfAttention(x, causal: true).output, 1e-5, "fused path");
        TestSupport.AssertClose(expected, layer.SelfAttention(x, causal: true, weights: AttentionWeights.Averaged).output, 1e-5, "manual path");
        // Without rotation the layer computes something else: the positions matter.
        var plain = new MultiHeadAttention(E, H);
        using (no_grad()) { plain.InputProjectionWeight.copy_(w); plain.InputProjectionBias!.copy_(b); plain.OutputProjection.weight!.copy_(layer.OutputProjection.weight!); plain.OutputProjection.bias!.copy_(layer.OutputProjection.bias!); }
        Assert.True((plain.SelfAttention(x, causal: true).output - expected).abs().max().item<float>() > 1e-3);
        TestSupport.AssertArgumentError(() => layer.call(randn(B, 7, E), randn(B, 5, E), randn(B, 5, E), null, false, AttentionWeights.None), "key", "7", "5");
    }

    [Fact]
    public void PerHeadWeights_AverageToTheAveragedWeights_AndRowsSumToOne()
    {
        manual_seed(11);
        var layer = new MultiHeadAttention(E, H);
        var x = randn(2, 5, E);
        var (_, perHead) = layer.SelfAttention(x, weights: AttentionWeights.PerHead);
        var (_, averaged) = layer.SelfAttention(x, weights: AttentionWeights.Averaged);
        Assert.Equal(new long[] { 2, H, 5, 5 }, perHead!.shape);
        TestSupport.AssertClose(averaged!, perHead.mean(new long[] { 1 }), 1e-6);
        TestSupport.AssertClose(ones(2, H, 5), perHead.sum(-1), 1e-5);
    }

    [Fact]
    public void Causal_PerturbingFutureTokens_LeavesEarlierOutputsUnchanged()
    {
        manual_seed(12);
        var layer = new MultiHeadAttention(E, H);
        var block = new TransformerEncoderBlock(E, H, 32);
        layer.eval(); block.eval();
        var x = randn(2, 8, E);
        var changed = x.clone();
        changed[TensorIndex.Colon, TensorIndex.Slice(5, null)] = randn(2, 3, E);
        var (before, _) = layer.SelfAttention(x, causal: true);
        var (after, _) = layer.SelfAttention(changed, causal: true);
        TestSupport.AssertClose(before[TensorIndex.Colon, TensorIndex.Slice(0, 5)], after[TensorIndex.Colon, TensorIndex.Slice(0, 5)], 1e-6, "MHA prefix");
        Assert.True((before[TensorIndex.Colon, 5] - after[TensorIndex.Colon, 5]).abs().max().item<float>() > 1e-3, "the perturbed position must change");
        TestSupport.AssertClose(block.call(x, null, true)[TensorIndex.Colon, TensorIndex.Slice(0, 5)],
            block.call(changed, null, true)[TensorIndex.Colon, TensorIndex.Slice(0, 5)], 1e-5, "encoder block prefix");
    }

    [Fact]
    public void FullyMaskedQuery_GivesOutputBiasOnly_AndNoNaNGradients()
    {
        manual_seed(13);
        var layer = new MultiHeadAttention(E, H);
        using (no_grad()) layer.OutputProjection.bias!.normal_();
        var x = randn(2, 4, E).requires_grad_();
        var padding = Masks.PaddingFromLengths(new long[] { 4, 0 }, 4);  // second sequence: every key padded
        foreach (var mode in new[] { AttentionWeights.None, AttentionWeights.Averaged })
        {
            x.grad?.zero_();
            var (output, _) = layer.SelfAttention(x, padding, weights: mode);
            var bias = layer.OutputProjection.bias!.detach().expand(4, E);
            TestSupport.AssertClose(bias, output[1], 1e-6, $"{mode}: zero context → output bias");
            output.sum().backward();
            Assert.False(x.grad!.isnan().any().item<bool>(), $"{mode}: NaN in gradient");
        }
    }

    [Fact]
    public void GradientCheck_Float64()
    {
        manual_seed(14);
        var layer = new MultiHeadAttention(4, 2);
        layer.to(ScalarType.Float64);
        var query = randn(1, 3, 4, dtype: ScalarType.Float64).requires_grad_();
        var memory = randn(1, 4, 4, dtype: ScalarType.Float64).requires_grad_();
        var padding = Masks.PaddingFromLengths(new long[] { 3 }, 4);
        var probe = randn(1, 3, 4, dtype: ScalarType.Float64);
        var inputs = new[] { query, memory, layer.InputProjectionWeight, layer.OutputProjection.weight! };
        TestSupport.AssertGradientsMatchFiniteDifferences(
            () => (layer.call(query, memory, memory, padding, false, AttentionWeights.Averaged).output * probe).sum(), inputs);
        TestSupport.AssertGradientsMatchFiniteDifferences(
            () => (layer.call(query, memory, memory, padding, false, AttentionWeights.None).output * probe).sum(), new[] { query, memory });
    }

    [Fact]
    public void BadInput_NamesArgumentExpectedAndActual()
    {
        TestSupport.AssertArgumentError(() => new MultiHeadAttention(10, 3), "embedDim", "10", "numHeads", "3");
        var layer = new MultiHeadAttention(E, H);
        var x = randn(2, 5, E);
        TestSupport.AssertArgumentError(() => layer.SelfAttention(randn(2, 5, 12)), "query", "16", "12");
        TestSupport.AssertArgumentError(() => layer.SelfAttention(randn(5, E)), "query", "3-D", "(5, 16)");
        TestSupport.AssertArgumentError(() => layer.call(x, randn(2, 7, E), randn(2, 6, E), null, false, AttentionWeights.None), "value", "7", "6");
        TestSupport.AssertArgumentError(() => layer.call(x, randn(3, 7, E), randn(3, 7, E), null, false, AttentionWeights.None), "key", "2", "3");
        TestSupport.AssertArgumentError(() => layer.SelfAttention(x, ones(2, 6, dtype: ScalarType.Bool)), "keyPadding", "(2, 5)", "(2, 6)");
        TestSupport.AssertArgumentError(() => layer.SelfAttention(randn(0, 5, E)), "query", "empty");
    }
}
