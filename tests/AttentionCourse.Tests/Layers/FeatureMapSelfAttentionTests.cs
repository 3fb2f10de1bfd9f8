using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Layers;

public class FeatureMapSelfAttentionTests
{
    // A 1×1 convolution's weight (out, in, 1, 1) and bias, applied to one position's channel vector.
    private static double[] Pointwise(TorchSharp.Modules.Conv2d conv, double[] x)
    {
        var w = conv.weight!.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        var b = conv.bias!.detach().to_type(ScalarType.Float64).data<double>().ToArray();
        int outputs = b.Length, inputs = x.Length;
        var y = new double[outputs];
        for (int o = 0; o < outputs; o++) { y[o] = b[o]; for (int i = 0; i < inputs; i++) y[o] += w[o * inputs + i] * x[i]; }
        return y;
    }

    [Fact]
    public void EqualsSaganFormula_WrittenWithLoops()
    {
        torch.manual_seed(3);
        const int C = 8, H = 3, W = 4, N = H * W;
        var block = new FeatureMapSelfAttention(C, reduction: 4).to(ScalarType.Float64);
        using (no_grad()) block.Gamma.fill_(0.7);
        var input = randn(2, C, H, W, dtype: ScalarType.Float64);
        var (output, weights) = block.Apply(input);
        var x = input.data<double>().ToArray();
        for (int b = 0; b < 2; b++)
        {
            // x_i: the channel vector at position i (row-major); f = W_f x (keys), g = W_g x (queries), h = W_h x (values).
            var positions = Enumerable.Range(0, N).Select(i => Enumerable.Range(0, C).Select(c => x[(b * C + c) * N + i]).ToArray()).ToArray();
            var f = positions.Select(p => Pointwise(block.Key, p)).ToArray();
            var g = positions.Select(p => Pointwise(block.Query, p)).ToArray();
            var h = positions.Select(p => Pointwise(block.Value, p)).ToArray();
            for (int j = 0; j < N; j++)
            {
                // s_ij = f(x_i)ᵀ g(x_j); β_{j,i} = exp(s_ij) / Σ_i exp(s_ij); o_j = W_v Σ_i β_{j,i} h(x_i); y_j = x_j + γ o_j.
                var s = Enumerable.Range(0, N).Select(i => f[i].Zip(g[j], (a, c) => a * c).Sum()).ToArray();
                double max = s.Max();
                var e = s.Select(v => Math.Exp(v - max)).ToArray();
                var beta = e.Select(v => v / e.Sum()).ToArray();
                var mixed = Enumerable.Range(0, (int)block.Reduced).Select(c => Enumerable.Range(0, N).Sum(i => beta[i] * h[i][c])).ToArray();
                var o = Pointwise(block.Output, mixed);
                for (int i = 0; i < N; i++) Assert.Equal(beta[i], weights[b, j, i].item<double>(), 12);
                for (int c = 0; c < C; c++) Assert.Equal(positions[j][c] + 0.7 * o[c], output[b, c, j / W, j % W].item<double>(), 12);
            }
        }
        Assert.Equal(2, block.Reduced);
    }

    [Fact]
    public void StartsAsTheIdentity_GammaZero_AndGammaGetsAGradient()
    {
        torch.manual_seed(4);
        var block = new FeatureMapSelfAttention(16);
        Assert.Equal(0f, block.Gamma.item<float>());
        var input = randn(2, 16, 5, 5);
        var output = block.call(input);
        Assert.Equal(0.0, (output - input).abs().max().item<float>());
        output.pow(2).sum().backward();
        Assert.True(block.Gamma.grad!.abs().item<float>() > 0, "γ must be trainable from 0");
        TestSupport.AssertArgumentError(() => block.call(randn(2, 5, 3, 3)), "input", "channels", "16", "5");
    }
}
