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
}
