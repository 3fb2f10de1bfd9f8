using AttentionCourse.Layers;
using AttentionCourse.Pitfalls;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Pitfalls;

public class SeedAttentionModelTests
{
    [Fact]
    public void AsWritten_TheSeedsWeightedSumDoesNotBroadcast()
    {
        manual_seed(41);
        var model = new SeedAttentionModel(20, 8, 16);
        var ids = randint(20, new long[] { 4, 10 });
        Assert.ThrowsAny<Exception>(() => model.call(ids, ids));                            // (4, 10) weights × (4, 10, 16) states
    }

    [Fact]
    public void WithTheBroadcastFixed_ItPoolsLikeAttentionPooling_AndIgnoresTheTarget()
    {
        manual_seed(42);
        var simple = new SeedSimpleAttention(16, fixBroadcast: true);
        var pooling = new AttentionPooling(16);
        using (no_grad())
            foreach (var (from, to) in simple.parameters().Zip(pooling.parameters())) to.copy_(from);
        var states = randn(3, 7, 16);
        TestSupport.AssertClose(pooling.call(states, null).pooled, simple.call(states), 1e-6, "pooled vector");

        var model = new SeedAttentionModel(20, 8, 16, fixBroadcast: true);
        var ids = randint(20, new long[] { 4, 10 });
        var output = model.call(ids, ids);
        Assert.Equal(new long[] { 4, 20 }, output.shape);                                    // one score vector per sequence
        TestSupport.AssertClose(output, model.call(ids, zeros_like(ids)), 0, "the target is never read");
    }
}
