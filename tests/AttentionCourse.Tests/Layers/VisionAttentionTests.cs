using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Layers;

public class VisionAttentionTests
{
    private static double[,] Weight(TorchSharp.Modules.Linear l) => ToMatrix(l.weight!);

    private static double[,] ToMatrix(Tensor t)
    {
        var flat = t.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        int r = (int)t.shape[0], c = (int)t.shape[1];
        var m = new double[r, c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) m[i, j] = flat[i * c + j];
        return m;
    }

    private static double[] Affine(double[,] w, Tensor bias, double[] x)
    {
        var b = bias.detach().to_type(ScalarType.Float64).data<double>().ToArray();
        var y = new double[w.GetLength(0)];
        for (int i = 0; i < y.Length; i++) { y[i] = b[i]; for (int j = 0; j < x.Length; j++) y[i] += w[i, j] * x[j]; }
        return y;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    [Fact]
    public void SqueezeExcitation_EqualsItsFormula_WrittenWithLoops()
    {
        torch.manual_seed(1);
        var se = new SqueezeExcitation(channels: 6, reduction: 2).to(ScalarType.Float64);
        var u = randn(2, 6, 3, 4, dtype: ScalarType.Float64);
        var (output, weights) = se.Apply(u);
        var x = u.data<double>().ToArray();
        for (int b = 0; b < 2; b++)
        {
            // z_c = (1 / HW) Σ u_c(i, j); s = σ(W₂ ReLU(W₁ z + b₁) + b₂); out_c = s_c u_c.
            var z = Enumerable.Range(0, 6).Select(c => Enumerable.Range(0, 12).Sum(p => x[(b * 6 + c) * 12 + p]) / 12).ToArray();
            var hidden = Affine(Weight(se.Reduce), se.Reduce.bias!, z).Select(v => Math.Max(0, v)).ToArray();
            var s = Affine(Weight(se.Expand), se.Expand.bias!, hidden).Select(Sigmoid).ToArray();
            for (int c = 0; c < 6; c++)
            {
                Assert.Equal(s[c], weights[b, c].item<double>(), 12);
                for (int p = 0; p < 12; p++) Assert.Equal(s[c] * x[(b * 6 + c) * 12 + p], output[b, c, p / 4, p % 4].item<double>(), 12);
            }
        }
        Assert.Equal(3, se.Hidden);
        TestSupport.AssertArgumentError(() => se.call(randn(2, 5, 3, 3, dtype: ScalarType.Float64)), "input", "channels", "6", "5");
    }

    [Fact]
    public void Cbam_EqualsItsFormula_WrittenWithLoops()
    {
        torch.manual_seed(2);
        const int C = 4, H = 5, W = 6, K = 7;
        var cbam = new Cbam(C, reduction: 2, kernelSize: K).to(ScalarType.Float64);
        var f = randn(1, C, H, W, dtype: ScalarType.Float64);
        var (output, channelWeights, spatialMap) = cbam.Apply(f);
        var x = f.data<double>().ToArray();
        double At(int c, int i, int j) => x[(c * H + i) * W + j];
        // Channel attention: M_c = σ(MLP(avg) + MLP(max)), one MLP shared.
        double[] Mlp(double[] v) => Affine(Weight(cbam.Expand), cbam.Expand.bias!, Affine(Weight(cbam.Reduce), cbam.Reduce.bias!, v).Select(h => Math.Max(0, h)).ToArray());
        var avg = Enumerable.Range(0, C).Select(c => Enumerable.Range(0, H * W).Average(p => At(c, p / W, p % W))).ToArray();
        var max = Enumerable.Range(0, C).Select(c => Enumerable.Range(0, H * W).Max(p => At(c, p / W, p % W))).ToArray();
        var mc = Mlp(avg).Zip(Mlp(max), (a, b) => Sigmoid(a + b)).ToArray();
        // Spatial attention on F′ = M_c ⊙ F: M_s = σ(conv7×7([max over channels; mean over channels])), zero padding 3.
        double Refined(int c, int i, int j) => mc[c] * At(c, i, j);
        var kernel = cbam.Spatial.weight!.detach().data<double>().ToArray();                 // (1, 2, 7, 7)
        double bias = cbam.Spatial.bias!.item<double>();
        for (int c = 0; c < C; c++) Assert.Equal(mc[c], channelWeights[0, c].item<double>(), 12);
        for (int i = 0; i < H; i++)
            for (int j = 0; j < W; j++)
            {
                double z = bias;
                for (int di = 0; di < K; di++)
                    for (int dj = 0; dj < K; dj++)
                    {
                        int ii = i + di - K / 2, jj = j + dj - K / 2;
                        if (ii < 0 || ii >= H || jj < 0 || jj >= W) continue;
                        var column = Enumerable.Range(0, C).Select(c => Refined(c, ii, jj)).ToArray();
                        z += kernel[0 * K * K + di * K + dj] * column.Max() + kernel[1 * K * K + di * K + dj] * column.Average();
                    }
                double ms = Sigmoid(z);
                Assert.Equal(ms, spatialMap[0, i, j].item<double>(), 12);
                for (int c = 0; c < C; c++) Assert.Equal(ms * Refined(c, i, j), output[0, c, i, j].item<double>(), 12);
            }
        TestSupport.AssertArgumentError(() => new Cbam(4, kernelSize: 6), "kernelSize", "odd", "6");
    }

    [Fact]
    public void FeatureMapAttentionPooling_IsSequencePoolingOverPositions_AndAverageWhenScoresAreEqual()
    {
        torch.manual_seed(3);
        var pool = new FeatureMapAttentionPooling(channels: 5);
        var map = randn(3, 5, 4, 6);
        var (pooled, weights) = pool.call(map);
        Assert.Equal(new long[] { 3, 4, 6 }, weights.shape);
        TestSupport.AssertClose(ones(3), weights.sum([1, 2]), 1e-6, "weights sum to 1 over positions");
        // Position (i, j) is sequence element i·W + j: the same as AttentionPooling on the flattened positions.
        var positions = map.permute(0, 2, 3, 1).reshape(3, 24, 5);
        var (expectedPooled, expectedWeights) = pool.Pooling.call(positions, null);
        TestSupport.AssertClose(expectedPooled, pooled, 1e-6, "pooled");
        TestSupport.AssertClose(expectedWeights.view(3, 4, 6), weights, 1e-7, "map");
        // Weighted sum written out: Σ_p a_p x_p.
        TestSupport.AssertClose((weights.unsqueeze(1) * map).sum([2, 3]), pooled, 1e-5, "weighted sum");
        // A scorer that gives every position the same score makes it global average pooling.
        using (no_grad()) foreach (var p in pool.parameters()) p.zero_();
        var (averaged, uniform) = pool.call(map);
        TestSupport.AssertClose(map.mean([2, 3]), averaged, 1e-6, "equal scores = global average pooling");
        TestSupport.AssertClose(full(3, 4, 6, 1.0 / 24), uniform, 1e-7, "uniform map");
    }
}
