using AttentionCourse.Exercises;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

public class Lesson29Tests
{
    // Two dialogues of 3 history turns. Dialogue 0: fact at turn 2, weights (0.1, 0.2, 0.7) → 0.7, argmax hit.
    // Dialogue 1: fact at turn 0, weights (0.3, 0.5, 0.2) → 0.3, argmax is turn 1: a miss.
    private static readonly Tensor Weights = tensor(new double[] { 0.1, 0.2, 0.7, 0.3, 0.5, 0.2 }).view(2, 3);
    private static readonly Tensor FactTurns = tensor(new long[] { 2, 0 });

    [Fact]
    public void ShareOnFactTurn_AveragesTheFactTurnsWeight()
        => Assert.Equal((0.7 + 0.3) / 2, Lesson29.ShareOnFactTurn(Weights, FactTurns), 12);

    [Fact]
    public void ArgmaxHitRate_CountsDialoguesWhoseLargestWeightIsOnTheFact()
        => Assert.Equal(0.5, Lesson29.ArgmaxHitRate(Weights, FactTurns), 12);

    [Fact]
    public void AccuracyByTurnsBack_GroupsByK_NaNWhereNoDialogue()
    {
        // k = 1: two dialogues, one right; k = 2: one, right; k = 3: none.
        var accuracy = Lesson29.AccuracyByTurnsBack(tensor(new long[] { 5, 7, 9 }), tensor(new long[] { 5, 8, 9 }), tensor(new long[] { 1, 1, 2 }), 3);
        var values = accuracy.data<double>().ToArray();
        Assert.Equal(0.5, values[0], 12);
        Assert.Equal(1.0, values[1], 12);
        Assert.True(double.IsNaN(values[2]));
    }
}
