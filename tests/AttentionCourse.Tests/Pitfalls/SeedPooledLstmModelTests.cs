using AttentionCourse.Pitfalls;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Pitfalls;

public class SeedPooledLstmModelTests
{
    [Fact]
    public void TheSeedsWeightedSum_ThrowsOnAnOrdinaryBatch_AndOnceRepaired_GivesOneLabelPerSentence()
    {
        manual_seed(1);
        var ids = randint(1, 20, new long[] { 4, 7 });
        var faithful = new SeedPooledLstmModel(20, 8, 16, 12, repairBroadcast: false);
        // (4, 7) weights times (4, 7, 16) states: aligned from the right, 7 ≠ 16.
        Assert.ThrowsAny<Exception>(() => faithful.call(ids, ids));
        var repaired = new SeedPooledLstmModel(20, 8, 16, 12, repairBroadcast: true);
        Assert.Equal(new long[] { 4, 12 }, repaired.call(ids, ids).shape);                  // not (4, 7, 12)
    }

    [Fact]
    public void TheSeedsAttention_RunsSilentlyWhenShapesHappenToBroadcast_AndComputesSomethingElse()
    {
        // B = T = H = 3: no error, but the weights of sequence b multiply the *b-th position* of every sequence.
        manual_seed(2);
        var seed = new SeedSimpleAttention(3, repairBroadcast: false);
        var right = new SeedSimpleAttention(3, repairBroadcast: true);
        right.load_state_dict(seed.state_dict());
        var x = randn(3, 3, 3);
        var wrong = seed.call(x);
        Assert.Equal(new long[] { 3, 3 }, wrong.shape);
        Assert.True((wrong - right.call(x)).abs().max().item<float>() > 1e-3);
    }
}
