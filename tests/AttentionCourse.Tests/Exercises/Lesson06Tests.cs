using AttentionCourse.Data;
using AttentionCourse.Exercises;
using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

public class Lesson06Tests
{
    private static (PoolingClassifier model, RelevantMeanTask test) UntrainedModelAndData()
    {
        Course.SetSeed();
        var model = new PoolingClassifier(RelevantMeanTask.FeatureDim, 2, Pooling.Attention);
        var test = RelevantMeanTask.Generate(8, minLength: 4, maxLength: 12, seed: Course.SeedFor("test data"));
        return (model, test);
    }

    // Independent reference: the closed form P·e^{s_pad} / (P·e^{s_pad} + Σ_real e^{s_t}), in float64, from the scores alone.
    private static (double padExp, double realMass) ScoreMasses(PoolingClassifier model, RelevantMeanTask test, int index)
    {
        using var noGrad = no_grad();
        long n = test.Lengths[index].item<long>();
        var scores = model.AttentionPool!.Scorer.call(model.Encode(test.Features.narrow(0, index, 1).narrow(1, 0, n))).squeeze(-1).to_type(ScalarType.Float64);
        double padScore = model.AttentionPool.Scorer.call(model.Encode(zeros(1, 1, RelevantMeanTask.FeatureDim))).to_type(ScalarType.Float64).item<double>();
        return (Math.Exp(padScore), scores.exp().sum().item<double>());
    }

    [Theory]
    [InlineData(0), InlineData(1), InlineData(7), InlineData(300)]
    public void MeasuredPaddingShareMatchesTheClosedForm(long padCount)
    {
        var (model, test) = UntrainedModelAndData();
        var (padExp, realMass) = ScoreMasses(model, test, 3);
        double expected = padCount * padExp / (padCount * padExp + realMass);
        Assert.Equal(expected, Lesson06.PaddingShareOfSequence(model, test, 3, padCount), 5);
    }

    [Fact]
    public void HalfWeightPointIsAcceptedAndOthersAreNot()
    {
        var (model, test) = UntrainedModelAndData();
        var (padExp, realMass) = ScoreMasses(model, test, 2);
        double half = realMass / padExp;                                   // P·e^{s_pad} = Σ_real e^{s_t}
        Assert.True(Lesson06.PaddingTakesHalfAt(model, test, 2, half));
        Assert.False(Lesson06.PaddingTakesHalfAt(model, test, 2, 2 * half + 2));
        Assert.False(Lesson06.PaddingTakesHalfAt(model, test, 2, -1));
    }

    [Fact]
    public void AdditiveScorerExerciseRejectsALinearScorerAndIgnoresNoAnswer()
    {
        var (linear, test) = UntrainedModelAndData();
        Assert.Null(Lesson06.AdditiveScorerAccuracy(null, test));
        Assert.Throws<ClaimFailedException>(() => Lesson06.AdditiveScorerAccuracy(linear, test));
        var additive = new PoolingClassifier(RelevantMeanTask.FeatureDim, 2, Pooling.Attention, attentionHiddenDim: 16);
        double accuracy = Lesson06.AdditiveScorerAccuracy(additive, test)!.Value;
        using var noGrad = no_grad();
        double byHand = additive.call(test.Features, test.PaddingMask()).argmax(-1).eq(test.Labels).to_type(ScalarType.Float64).mean().item<double>();
        Assert.Equal(byHand, accuracy, 9);
    }
}
