using AttentionCourse.Metrics;
using AttentionCourse.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Metrics;

public class GradientFlowTests
{
    [Fact]
    public void PerPosition_IsTheMeanNormOfEachPositionsGradient()
    {
        // loss = Σ_b Σ_t w_t · (x_bt · u): ∂loss/∂x_bt = w_t u, so every batch row has norm |w_t|·‖u‖ at position t.
        var x = randn(3, 4, 5);
        var w = tensor(new float[] { 0, 1, -2, 0.5f });
        var u = randn(5);
        var norms = GradientFlow.PerPosition(x, e => (e.matmul(u) * w).sum());
        double uNorm = u.norm().item<float>();
        for (int t = 0; t < 4; t++) Assert.Equal(Math.Abs(w[t].item<float>()) * uNorm, norms[t], 4);
    }

    [Fact]
    public void PerPosition_SeesOnlyWhatTheOutputDependsOn()
    {
        manual_seed(150);
        var model = new RecurrentClassifier(5, 2, embedDim: 4, hiddenDim: 4, kind: RecurrentKind.Rnn);
        var tokens = randint(0, 5, new long[] { 2, 6 });
        var padding = AttentionCourse.Layers.Masks.PaddingFromLengths(new long[] { 4, 4 }, 6);                 // the last state read is at position 3
        var norms = GradientFlow.PerPosition(model.Embed(tokens), e => model.ForwardEmbedded(e, padding).sum());
        Assert.All(norms.Take(4), g => Assert.True(g > 0));
        Assert.Equal(0.0, norms[4]);
        Assert.Equal(0.0, norms[5]);
    }

    [Fact]
    public void PerLayer_GivesOneNormPerLayerInput_EqualToAutograd()
    {
        manual_seed(151);
        var model = new TransformerEncoderModel(new TransformerEncoderConfig(6, 3, 8, Width: 8, Heads: 2, Depth: 3, Head: OutputHead.MeanPooled));
        var tokens = randint(0, 6, new long[] { 2, 5 });
        var layers = new List<Tensor>();
        var loss = functional.cross_entropy(model.ForwardEmbedded(model.Embed(tokens), null, layers), tensor(new long[] { 0, 2 }));
        var norms = GradientFlow.PerLayer(loss, layers);
        Assert.Equal(4, norms.Length);
        var expected = autograd.grad(new[] { loss }, layers.ToArray(), null, true);
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i].norm().item<float>(), norms[i], 5);
        TestSupport.AssertArgumentError(() => GradientFlow.PerLayer(loss, Array.Empty<Tensor>()), "layerInputs", "at least one");
    }
}
