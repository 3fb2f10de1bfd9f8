using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Layers;

public class AdditiveAndLuongAttentionTests
{
    /// <summary>The additive layer's weights and context, recomputed by explicit loops over doubles.</summary>
    [Fact]
    public void Additive_MatchesExplicitLoops_AndIgnoresPadding()
    {
        manual_seed(20);
        var layer = new AdditiveAttention(queryDim: 3, keyDim: 5, attentionDim: 4);
        layer.to(ScalarType.Float64);
        var p = layer.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        double[,] wq = ToMatrix(p["queryProjection.weight"]), wk = ToMatrix(p["keyProjection.weight"]);
        double[] bk = p["keyProjection.bias"].data<double>().ToArray(), v = p["scoreVector"].data<double>().ToArray();
        var query = randn(2, 2, 3, dtype: ScalarType.Float64); var key = randn(2, 4, 5, dtype: ScalarType.Float64);
        var value = randn(2, 4, 2, dtype: ScalarType.Float64);
        var padding = Masks.PaddingFromLengths(new long[] { 4, 3 }, 4);
        var (context, weights) = layer.call(query, key, value, padding);
        for (int b = 0; b < 2; b++)
        for (int t = 0; t < 2; t++)
        {
            int length = b == 0 ? 4 : 3;
            var scores = new double[length];
            for (int s = 0; s < length; s++)
                for (int a = 0; a < 4; a++)
                {
                    double h = bk[a];
                    for (int i = 0; i < 3; i++) h += wq[a, i] * query[b, t, i].item<double>();
                    for (int i = 0; i < 5; i++) h += wk[a, i] * key[b, s, i].item<double>();
                    scores[s] += v[a] * Math.Tanh(h);
                }
            double max = scores.Max(), sum = scores.Sum(x => Math.Exp(x - max));
            for (int s = 0; s < 4; s++)
            {
                double expected = s < length ? Math.Exp(scores[s] - max) / sum : 0.0;
                Assert.Equal(expected, weights[b, t, s].item<double>(), 12);
            }
            for (int d = 0; d < 2; d++)
            {
                double expected = 0;
                for (int s = 0; s < length; s++) expected += Math.Exp(scores[s] - max) / sum * value[b, s, d].item<double>();
                Assert.Equal(expected, context[b, t, d].item<double>(), 12);
            }
        }
    }

    [Fact]
    public void Additive_GradientCheck_Float64()
    {
        manual_seed(21);
        var layer = new AdditiveAttention(3, 3, 4);
        layer.to(ScalarType.Float64);
        var query = randn(2, 1, 3, dtype: ScalarType.Float64).requires_grad_();
        var keys = randn(2, 5, 3, dtype: ScalarType.Float64).requires_grad_();
        var padding = Masks.PaddingFromLengths(new long[] { 5, 2 }, 5);
        var probe = randn(2, 1, 3, dtype: ScalarType.Float64);
        var p = layer.named_parameters().ToDictionary(x => x.name, x => (Tensor)x.parameter);
        TestSupport.AssertGradientsMatchFiniteDifferences(() => (layer.call(query, keys, keys, padding).context * probe).sum(),
            new[] { query, keys, p["queryProjection.weight"], p["scoreVector"] });
    }

    [Fact]
    public void Luong_DotAndGeneral_MatchTheirFormulas()
    {
        manual_seed(22);
        var query = randn(2, 3, 4); var key = randn(2, 5, 4); var value = randn(2, 5, 6);
        var dot = new LuongAttention(4, 4, LuongScore.Dot);
        var (context, weights) = dot.call(query, key, value, null);
        var expectedWeights = torch.nn.functional.softmax(query.bmm(key.transpose(1, 2)), -1);
        TestSupport.AssertClose(expectedWeights, weights, 1e-6, "dot weights");
        TestSupport.AssertClose(expectedWeights.bmm(value), context, 1e-5, "dot context");

        var general = new LuongAttention(4, 3, LuongScore.General);
        var key3 = randn(2, 5, 3);
        var w = general.parameters().Single();                                   // (Dq, Dk) as Linear(Dk → Dq)
        var (_, generalWeights) = general.call(query, key3, value, null);
        var scores = query.matmul(w).bmm(key3.transpose(1, 2));                  // q W k
        TestSupport.AssertClose(torch.nn.functional.softmax(scores, -1), generalWeights, 1e-6, "general weights");
    }

    [Fact]
    public void BadInput_NamesArgumentExpectedAndActual()
    {
        TestSupport.AssertArgumentError(() => new LuongAttention(4, 3, LuongScore.Dot), "keyDim", "4", "3");
        var additive = new AdditiveAttention(3, 5, 4);
        TestSupport.AssertArgumentError(() => additive.call(randn(2, 1, 3), randn(2, 4, 6), randn(2, 4, 2), null), "key", "5", "6");
        TestSupport.AssertArgumentError(() => additive.call(randn(2, 1, 3), randn(2, 4, 5), randn(2, 3, 2), null), "value", "4", "3");
        TestSupport.AssertArgumentError(() => additive.call(randn(2, 1, 3), randn(2, 4, 5), randn(2, 4, 2), ones(2, 5, dtype: ScalarType.Bool)), "keyPadding", "(2, 4)", "(2, 5)");
    }

    private static double[,] ToMatrix(Tensor t)
    {
        var result = new double[t.shape[0], t.shape[1]];
        for (int i = 0; i < t.shape[0]; i++) for (int j = 0; j < t.shape[1]; j++) result[i, j] = t[i, j].item<double>();
        return result;
    }
}
