using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Layers;

public class PoolingAndKernelAttentionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void AttentionPooling_WeightsSumToOne_PaddingGetsZero_AndPoolIsTheWeightedSum(int hiddenDim)
    {
        manual_seed(30);
        var pooling = new AttentionPooling(6, hiddenDim);
        var x = randn(3, 5, 6);
        var padding = Masks.PaddingFromLengths(new long[] { 5, 3, 1 }, 5);
        var (pooled, weights) = pooling.call(x, padding);
        TestSupport.AssertClose(ones(3), weights.sum(1), 1e-6, "rows sum to 1");
        Assert.Equal(0.0, weights.masked_select(padding).abs().sum().item<float>());
        Assert.Equal(1.0, weights[2, 0].item<float>(), 6);
        TestSupport.AssertClose((weights.unsqueeze(-1) * x).sum(1), pooled, 1e-5, "weighted sum");
        // Changing padded positions changes nothing.
        var noisyPadding = x.masked_fill(padding.unsqueeze(-1), 100.0);
        TestSupport.AssertClose(pooled, pooling.call(noisyPadding, padding).pooled, 1e-5, "padding content ignored");
    }

    [Fact]
    public void AttentionPooling_TheSeedsBroadcastBugIsRejected()
    {
        // The seed multiplies (B, T) weights by (B, T, D) inputs; with T == D that silently broadcasts.
        var pooling = new AttentionPooling(4);
        TestSupport.AssertArgumentError(() => pooling.call(randn(2, 4), null), "input", "3-D", "(2, 4)");
        TestSupport.AssertArgumentError(() => pooling.call(randn(2, 3, 5), null), "input", "4", "5");
    }

    [Fact]
    public void GaussianKernel_EqualsNadarayaWatsonFormula()
    {
        var layer = new GaussianKernelAttention(initialSharpness: 2.0, learnable: false);
        var keys = tensor(new float[] { 0, 1, 3 });
        var values = tensor(new float[] { 1, 2, 5 });
        var (output, weights) = layer.call(tensor(new float[] { 0.5f }), keys.unsqueeze(0), values.unsqueeze(0));
        double[] k = { 0, 1, 3 }, v = { 1, 2, 5 };
        var kernel = k.Select(ki => Math.Exp(-Math.Pow((0.5 - ki) * 2.0, 2) / 2)).ToArray();
        double expected = kernel.Zip(v, (a, b) => a * b).Sum() / kernel.Sum();
        Assert.Equal(expected, output[0].item<float>(), 5);
        Assert.Equal(kernel[0] / kernel.Sum(), weights[0, 0].item<float>(), 6);
        Assert.DoesNotContain(layer.parameters(), p => p.requires_grad);
    }
}
