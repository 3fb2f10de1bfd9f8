using AttentionCourse.Exercises;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

public class Lesson26Tests
{
    [Fact]
    public void ReceivedAttention_IsTheColumnSumOverRealRows_AveragedPerTag()
    {
        // One sentence of 2 real tokens (padded to 3): tag 0 (NOUN) then tag 1 (VERB). Rows: token 0 → (0.25, 0.75),
        // token 1 → (0.5, 0.5); the padded row is ignored. Column sums: NOUN 0.75, VERB 1.25.
        var weights = tensor(new double[] { 0.25, 0.75, 0, 0.5, 0.5, 0, 9, 9, 9 }).view(1, 3, 3);
        var tags = tensor(new long[] { 0, 1, 0 }).view(1, 3);
        var ratios = Lesson26.ReceivedAttentionByTag(weights, tags, new long[] { 2 }, minTokens: 1);
        Assert.Equal(0.75, ratios[0], 12);
        Assert.Equal(1.25, ratios[1], 12);
        Assert.True(double.IsNaN(ratios[2]));
    }

    [Fact]
    public void StrictEntityF1_DropsEntitiesOpenedByAnITag()
    {
        var gold = new[] { new[] { "B-NAME", "I-NAME", "O", "B-TITLE" } };
        // conlleval reading: NAME [0,2) right, TITLE [3,4) opened by I- and right → F1 1. Strict: the I-TITLE entity is dropped → P 1, R 1/2.
        var predicted = new[] { new[] { "B-NAME", "I-NAME", "O", "I-TITLE" } };
        Assert.Equal(1.0, AttentionCourse.Metrics.SequenceLabeling.EntityScores(gold, predicted).F1, 12);
        Assert.Equal(2.0 / 3, Lesson26.StrictEntityF1(gold, predicted), 12);
    }
}
