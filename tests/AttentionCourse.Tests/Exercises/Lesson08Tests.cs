using AttentionCourse.Exercises;
using AttentionCourse.Layers;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

public class Lesson08Tests
{
    [Fact]
    public void CausalMaskByDefinitionMatchesHandWrittenMasks()
    {
        // Written out by hand: 2 new queries over 4 keys (2 cached), and the square case.
        var twoOverFour = tensor(new[] { true, true, true, false, true, true, true, true }).view(2, 4);
        Assert.Equal(0, Checks.MaxAbsDifference(Lesson08.CausalMaskByDefinition(2, 4).to_type(ScalarType.Float32), twoOverFour.to_type(ScalarType.Float32)));
        var square = tensor(new[] { true, false, false, true, true, false, true, true, true }).view(3, 3);
        Assert.Equal(0, Checks.MaxAbsDifference(Lesson08.CausalMaskByDefinition(3, 3).to_type(ScalarType.Float32), square.to_type(ScalarType.Float32)));
        // And it agrees with the library's bottom-right mask on other sizes.
        foreach (var (t, s) in new[] { (3L, 8L), (1L, 5L), (4L, 4L) })
            Assert.Equal(0, Checks.MaxAbsDifference(Lesson08.CausalMaskByDefinition(t, s).to_type(ScalarType.Float32), Masks.Causal(t, s).to_type(ScalarType.Float32)));
        Assert.Throws<ArgumentException>(() => Lesson08.CausalMaskByDefinition(5, 3));
    }

    [Fact]
    public void MaskedSoftmaxByDefinitionGivesHandComputedWeights_ForLargeScoresAndEmptyRows()
    {
        var scores = tensor(new float[] { 2, 1, 0, 3, 1, 0, 1000, 999, 5000, -1000, -1001, -1002 }).view(4, 3);
        var allowed = tensor(new[] { true, true, false, false, false, false, true, true, false, true, true, true }).view(4, 3);
        var w = Lesson08.MaskedSoftmaxByDefinition(scores, allowed);
        double a = 1 / (1 + Math.Exp(-1)), third = 1 / (1 + Math.Exp(-1) + Math.Exp(-2));          // written out by hand
        var expected = tensor(new float[] { (float)a, (float)(1 - a), 0, 0, 0, 0, (float)a, (float)(1 - a), 0,
            (float)third, (float)(third * Math.Exp(-1)), (float)(third * Math.Exp(-2)) }).view(4, 3);
        Assert.True(Checks.MaxAbsDifference(w, expected) < 1e-7);
        Assert.False(w.isnan().any().item<bool>());
        // Agrees with the library's masked softmax on random scores and masks (rows may be empty).
        Course.SetSeed();
        var randomScores = randn(20, 7) * 30; var randomAllowed = rand(20, 7).gt(0.5);
        Assert.True(Checks.MaxAbsDifference(Lesson08.MaskedSoftmaxByDefinition(randomScores, randomAllowed), Attention.MaskedSoftmax(randomScores, randomAllowed)) < 1e-6);
    }

    [Fact]
    public void MultiHeadByLoopMatchesTheLibraryLayerWithRandomBiases()
    {
        Course.SetSeed();
        const long E = 8, H = 2;
        var layer = new MultiHeadAttention(E, H);
        layer.eval();
        using (no_grad()) { layer.InputProjectionBias!.normal_(); layer.OutputProjection.bias!.normal_(); }
        var x = randn(2, 5, E);
        var (output, weights) = Lesson08.MultiHeadByLoop(x, layer.InputProjectionWeight, layer.InputProjectionBias!,
            layer.OutputProjection.weight!, layer.OutputProjection.bias!, H);
        var (expected, expectedWeights) = layer.SelfAttention(x, weights: AttentionWeights.PerHead);
        Assert.Equal(new long[] { 2, 5, E }, output.shape);
        Assert.True(Checks.MaxAbsDifference(output, expected) < 1e-5);
        Assert.True(Checks.MaxAbsDifference(weights, expectedWeights!) < 1e-6);
        // Rows of weights sum to 1.
        Assert.True(Checks.MaxAbsDifference(weights.sum(-1), ones(2, H, 5)) < 1e-6);
    }
    [Fact]
    public void MultiHeadByLoopWithAMaskMatchesTheLibraryLayer_AndZeroesForbiddenKeys()
    {
        Course.SetSeed();
        const long E = 8, H = 2, T = 5;
        var layer = new MultiHeadAttention(E, H);
        layer.eval();
        using (no_grad()) { layer.InputProjectionBias!.normal_(); layer.OutputProjection.bias!.normal_(); }
        var x = randn(2, T, E);
        (Tensor output, Tensor weights) Loop(Tensor input, Tensor? allowed) => Lesson08.MultiHeadByLoop(input, layer.InputProjectionWeight,
            layer.InputProjectionBias!, layer.OutputProjection.weight!, layer.OutputProjection.bias!, H, allowed);

        // Causal only, as a (T, T) mask broadcast over batch and heads.
        var causal = tensor(new[] { true, false, false, false, false, true, true, false, false, false, true, true, true, false, false,
            true, true, true, true, false, true, true, true, true, true }).view(T, T);                              // written out by hand
        var (causalOutput, causalWeights) = Loop(x, causal);
        var (expected, expectedWeights) = layer.SelfAttention(x, causal: true, weights: AttentionWeights.PerHead);
        Assert.True(Checks.MaxAbsDifference(causalOutput, expected) < 1e-5);
        Assert.True(Checks.MaxAbsDifference(causalWeights, expectedWeights!) < 1e-6);
        Assert.Equal(0, causalWeights.masked_select(causal.logical_not().expand(2, H, T, T)).abs().max().item<float>());
        Assert.True(Checks.MaxAbsDifference(causalWeights.sum(-1), ones(2, H, T)) < 1e-6);
        // Causal means a prefix run alone gives the same rows (independent of the library).
        var (prefixOutput, _) = Loop(x.narrow(1, 0, 3), causal.narrow(0, 0, 3).narrow(1, 0, 3));
        Assert.True(Checks.MaxAbsDifference(prefixOutput, causalOutput.narrow(1, 0, 3)) < 1e-5);

        // Padding + causal as (B, 1, T, T): the second sequence has 3 real tokens.
        var padded = tensor(new[] { false, false, false, false, false, false, false, false, true, true }).view(2, T); // true = padded
        var allowed = padded.logical_not().view(2, 1, 1, T).logical_and(causal);                                   // (B, 1, T, T)
        var (maskedOutput, maskedWeights) = Loop(x, allowed);
        var (expectedMasked, expectedMaskedWeights) = layer.SelfAttention(x, padded, causal: true, weights: AttentionWeights.PerHead);
        Assert.True(Checks.MaxAbsDifference(maskedOutput, expectedMasked) < 1e-5);
        Assert.True(Checks.MaxAbsDifference(maskedWeights, expectedMaskedWeights!) < 1e-6);
        Assert.Equal(0, maskedWeights[1].narrow(-1, 3, 2).abs().max().item<float>());                               // padded keys get nothing
        // The first sequence has no padding, so its rows equal the causal-only run.
        Assert.True(Checks.MaxAbsDifference(maskedWeights[0], causalWeights[0]) < 1e-7);

        // A row with nothing allowed gets all-zero weights, not NaN.
        var emptyFirstRow = causal.clone(); emptyFirstRow[0, 0] = tensor(false);
        var (_, emptyWeights) = Loop(x, emptyFirstRow);
        Assert.False(emptyWeights.isnan().any().item<bool>());
        Assert.Equal(0, emptyWeights.select(2, 0).abs().max().item<float>());
    }
}
