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
    public void PredictionFlipPointIsAcceptedAndOthersAreNot()
    {
        // Independent reference: scan P = 0, 1, 2, … running the model at each, and find the first P + 1 whose prediction
        // differs from P's. Untrained models and sequences are tried until one has a flip below 2,000.
        for (int seed = 1; seed <= 20; seed++)
        {
            Course.SetSeed(seed);
            var model = new PoolingClassifier(RelevantMeanTask.FeatureDim, 2, Pooling.Attention);
            using var test = RelevantMeanTask.Generate(8, minLength: 4, maxLength: 12, seed: seed);
            for (int index = 0; index < 8; index++)
            {
                long first = Lesson06.PredictionWithPadding(model, test, index, 0), flip = -1;
                for (long p = 1; p <= 2000 && flip < 0; p++)
                    if (Lesson06.PredictionWithPadding(model, test, index, p) != first) flip = p - 1;
                if (flip < 0) continue;
                Assert.True(Lesson06.PredictionFlipsAt(model, test, index, flip + 0.5));
                Assert.True(Lesson06.PredictionFlipsAt(model, test, index, flip));
                Assert.False(Lesson06.PredictionFlipsAt(model, test, index, flip + 1.5));
                if (flip >= 1) Assert.False(Lesson06.PredictionFlipsAt(model, test, index, flip - 1));
                Assert.False(Lesson06.PredictionFlipsAt(model, test, index, -1));
                return;
            }
        }
        Assert.Fail("no untrained model and sequence with a prediction flip below 2,000 padded positions was found");
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
