using AttentionCourse.Exercises;
using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

public class Lesson25Tests
{
    private static DecoderOnlyTransformer Model(bool preNorm = false)
    {
        manual_seed(25);
        return new DecoderOnlyTransformer(new DecoderOnlyConfig(20, 8, 32, 2, 4) { PreNorm = preNorm });
    }

    [Fact]
    public void Transformer2017Initialisation_IsXavierUniformOnMatrices_KeepsEmbeddings_ZeroesBiases()
    {
        var model = Model();
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        Lesson25.InitialiseAsTransformer2017(model);
        int matrices = 0;
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.StartsWith("tokenEmbedding") || name.StartsWith("positionEmbedding")) { TestSupport.AssertClose(before[name], p, 0); continue; }
            if (name.EndsWith("bias")) { Assert.Equal(0.0, p.abs().max().item<float>()); continue; }
            if (p.dim() < 2) { Assert.Equal(0.0, (p - 1).abs().max().item<float>()); continue; }
            matrices++;
            double bound = Math.Sqrt(6.0 / (p.shape[0] + p.shape[1]));                       // Glorot & Bengio 2010, eq. 16
            Assert.True(p.abs().max().item<float>() <= bound + 1e-6, $"{name}: |w| above the Xavier bound {bound}");
            double std = p.std().item<float>();
            Assert.InRange(std, 0.9 * bound / Math.Sqrt(3), 1.1 * bound / Math.Sqrt(3));      // uniform(−a, a) has std a/√3
        }
        Assert.Equal(2 * 4 + 1, matrices);                                                   // per block in_proj, out_proj, W1, W2; the head
    }

    [Fact]
    public void FeedForwardGradientNorms_AreTheNormsOfEachBlocksFeedForwardWeightGradients()
    {
        var model = Model(preNorm: true);
        model.eval();
        var ids = randint(0, 20, new long[] { 4, 9 });
        var input = ids[.., ..8];
        var target = ids[.., 1..];
        var norms = Lesson25.FeedForwardGradientNorms(model, input, target);
        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.abs().max().item<float>() == 0));  // cleared after
        model.Loss(input, target).backward();
        for (int i = 0; i < 2; i++)
        {
            var grads = model.Blocks[i].named_parameters().Where(p => p.name.StartsWith("feedForward.") && p.name.EndsWith("weight"))
                .Select(p => p.parameter.grad!.flatten()).ToArray();
            Assert.Equal(2, grads.Length);
            Assert.Equal(cat(grads).norm().item<float>(), norms[i], 4);
        }
    }

    [Fact]
    public void ClipScale_MatchesWhatClipGradNormDoes()
    {
        manual_seed(3);
        var a = new TorchSharp.Modules.Parameter(randn(5, 4));
        var b = new TorchSharp.Modules.Parameter(randn(7));
        (a.pow(2).sum() * 3 + b.sum()).backward();
        var before = new[] { a.grad!.clone(), b.grad!.clone() };
        double scale = Lesson25.ClipScale(before, 1.0);
        Assert.True(scale < 1);
        TorchSharp.torch.nn.utils.clip_grad_norm_(new[] { a, b }, 1.0);
        TestSupport.AssertClose(before[0] * scale, a.grad!, 1e-6);
        TestSupport.AssertClose(before[1] * scale, b.grad!, 1e-6);
        Assert.Equal(1.0, Lesson25.ClipScale(before, 1e9));
    }
}
