using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Layers;

public class EfficientSelfAttentionTests
{
    const long B = 2, T = 9, E = 12, H = 3;

    static (MultiHeadAttention reference, Tensor x, Tensor padding) Setup(int seed)
    {
        manual_seed(seed);
        var reference = new MultiHeadAttention(E, H);
        using (no_grad()) reference.OutputProjection.bias!.normal_();                           // non-zero biases, so copying them matters
        return (reference, randn(B, T, E), Masks.PaddingFromLengths(new long[] { T, 5 }, T));
    }

    static EfficientSelfAttention Copy(MultiHeadAttention reference, SelfAttentionKernel kernel, RotaryPositionalEncoding? rotary = null)
    {
        var layer = new EfficientSelfAttention(E, H, kernel, rotary);
        layer.CopyProjectionsFrom(reference);
        return layer;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void ExactKernels_EqualMultiHeadAttentionWithTheSameWeights(bool causal, bool padding)
    {
        var (reference, x, keyPadding) = Setup(130);
        var mask = padding ? keyPadding : null;
        var expected = reference.SelfAttention(x, mask, causal).output;
        foreach (var kernel in new[] { SelfAttentionKernel.Softmax, SelfAttentionKernel.Chunked(block: 4), SelfAttentionKernel.SlidingWindow(T), SelfAttentionKernel.TopKeys(T) })
        {
            var actual = Copy(reference, kernel).call(x, mask, causal);
            if (padding) { expected = expected.masked_fill(keyPadding.unsqueeze(-1), 0); actual = actual.masked_fill(keyPadding.unsqueeze(-1), 0); }
            TestSupport.AssertClose(expected, actual, 1e-5, kernel.ToString());
        }
    }

    [Fact]
    public void Rotary_IsAppliedAsInMultiHeadAttention()
    {
        manual_seed(131);
        var rotary = new RotaryPositionalEncoding(E / H, 32);
        var reference = new MultiHeadAttention(E, H, rotary: rotary);
        var x = randn(B, T, E);
        TestSupport.AssertClose(reference.SelfAttention(x).output, Copy(reference, SelfAttentionKernel.Chunked(4), rotary).call(x, null, false), 1e-5);
    }

    [Fact]
    public void ApproximateKernels_RunTheirLayerBetweenTheProjections()
    {
        var (reference, x, _) = Setup(132);
        // Project by hand, run the library's kernel on (B, H, T, D), merge and project out.
        Tensor Around(Func<Tensor, Tensor, Tensor, Tensor> kernel)
        {
            var qkv = functional.linear(x, reference.InputProjectionWeight, reference.InputProjectionBias).view(B, T, 3, H, E / H).permute(2, 0, 3, 1, 4);
            var context = kernel(qkv[0], qkv[1], qkv[2]);
            return reference.OutputProjection.call(context.transpose(1, 2).reshape(B, T, E));
        }
        TestSupport.AssertClose(Around((q, k, v) => LinearAttention.Quadratic(q, k, v)), Copy(reference, SelfAttentionKernel.Linear).call(x, null, false), 1e-5, "linear");
        TestSupport.AssertClose(Around((q, k, v) => SlidingWindowAttention.Forward(q, k, v, 2, globalPositions: new long[] { 0 })),
            Copy(reference, SelfAttentionKernel.SlidingWindow(2, 0)).call(x, null, false), 1e-5, "window + global");
        TestSupport.AssertClose(Around((q, k, v) => TopKAttention.Forward(q, k, v, 3).output), Copy(reference, SelfAttentionKernel.TopKeys(3)).call(x, null, false), 1e-5, "top-3");
        var linformer = Copy(reference, SelfAttentionKernel.Linformer(16, 4));
        TestSupport.AssertClose(Around((q, k, v) => linformer.Linformer!.call(q, k, v, null)), linformer.call(x, null, false), 1e-5, "Linformer");
    }

    [Fact]
    public void Linformer_HasItsProjectionsAsParameters()
    {
        var layer = new EfficientSelfAttention(E, H, SelfAttentionKernel.Linformer(16, 4));
        var names = layer.named_parameters().Select(p => p.name).ToArray();
        Assert.Contains("linformer.keyProjection", names);
        Assert.Contains("linformer.valueProjection", names);
        Assert.Equal(3 * E * E + 3 * E + E * E + E + 2 * 4 * 16, layer.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void BadSettings_NameTheArgument()
    {
        TestSupport.AssertArgumentError(() => new EfficientSelfAttention(E, H, SelfAttentionKernel.SlidingWindow(0)), "kernel.Window", "at least 1", "0");
        TestSupport.AssertArgumentError(() => new EfficientSelfAttention(E, 5, SelfAttentionKernel.Linear), "embedDim", "12", "5");
        var linformer = new EfficientSelfAttention(E, H, SelfAttentionKernel.Linformer(16, 4));
        TestSupport.AssertArgumentError(() => linformer.call(randn(1, 4, E), null, true), "causal", "Linformer");
        TestSupport.AssertArgumentError(() => linformer.call(randn(1, 17, E), null, false), "key", "16", "17");
    }
}
