using AttentionCourse.Pitfalls;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Pitfalls;

public class SeedResNetAttentionTests
{
    [Fact]
    public void TheSeedsModel_FailsAsWritten_AndAttendsOverNothingWhenRepaired()
    {
        torch.manual_seed(11);
        var model = new SeedResNetAttentionModel(numClasses: 10);
        model.eval();
        var images = randn(2, 3, 64, 64);
        using var noGrad = no_grad();
        // As written: ResNet-50's output is 1000 ImageNet logits, and Linear(2048, 1) cannot read them.
        var asWritten = Assert.ThrowsAny<Exception>(() => model.call(images));
        Assert.Contains("1000", asWritten.Message);
        // The pooled 2048-vector it meant: no sequence dimension for softmax(dim=1).
        var pooled = model.PooledFeatures(images);
        Assert.Equal(new long[] { 2, 2048 }, pooled.shape);
        Assert.ThrowsAny<Exception>(() => model.Attention.call(pooled));
        // A sequence of one: weights exactly 1 whatever the scorer; the seed's weighted sum, (B, T) * (B, T, H), broadcasts
        // the weights as (1, B, T) and sums over the batch: every output is B × its input (here 2×).
        var output = model.Attention.call(pooled.unsqueeze(1));
        Assert.Equal(new float[] { 1f, 1f }, model.Attention.LastWeights!.flatten().data<float>().ToArray());
        TestSupport.AssertClose(pooled * 2, output, 1e-4, "attention over one position passes the input through (times B)");
        // The last feature map, before the pool, is what attention could choose in: 2×2 positions at 64×64 input.
        Assert.Equal(new long[] { 2, 2048, 2, 2 }, model.FeatureMap(images).shape);
        TestSupport.AssertClose(model.FeatureMap(images).mean([2, 3]), pooled, 1e-5, "pooled = mean of the map");
    }
}
