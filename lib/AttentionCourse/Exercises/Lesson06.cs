using AttentionCourse.Data;
using AttentionCourse.Metrics;
using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference computations for lesson 06's exercises.</summary>
public static class Lesson06
{
    /// <summary>
    /// The share of weight that <paramref name="model"/>, called without a mask (as the seed's model is), puts on padding
    /// when test sequence <paramref name="index"/> is followed by <paramref name="padCount"/> padded (all-zero) positions.
    /// Measured by running the model, not by a formula.
    /// </summary>
    public static double PaddingShareOfSequence(PoolingClassifier model, RelevantMeanTask test, int index, long padCount)
    {
        if (index < 0 || index >= test.Count) throw new ArgumentException($"index must be in [0, {test.Count}), got {index}", nameof(index));
        if (padCount < 0) throw new ArgumentException($"padCount must be ≥ 0, got {padCount}", nameof(padCount));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long length = test.Lengths[index].item<long>();
        var real = test.Features.narrow(0, index, 1).narrow(1, 0, length);                     // (1, n, F)
        var padded = cat(new[] { real, zeros(1, padCount, real.shape[2]) }, 1);                 // (1, n + P, F)
        var (_, weights) = model.Classify(padded, null);                                        // (1, n + P)
        return weights.narrow(1, length, padCount).sum().item<float>();
    }

    /// <summary>
    /// The class <paramref name="model"/>, called without a mask, predicts for test sequence <paramref name="index"/>
    /// followed by <paramref name="padCount"/> padded (all-zero) positions. Measured by running the model.
    /// </summary>
    public static long PredictionWithPadding(PoolingClassifier model, RelevantMeanTask test, int index, long padCount)
    {
        if (index < 0 || index >= test.Count) throw new ArgumentException($"index must be in [0, {test.Count}), got {index}", nameof(index));
        if (padCount < 0) throw new ArgumentException($"padCount must be ≥ 0, got {padCount}", nameof(padCount));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long length = test.Lengths[index].item<long>();
        var real = test.Features.narrow(0, index, 1).narrow(1, 0, length);                     // (1, n, F)
        var padded = cat(new[] { real, zeros(1, padCount, real.shape[2]) }, 1);                 // (1, n + P, F)
        return model.call(padded, null).argmax(-1).item<long>();
    }

    /// <summary>
    /// Exercise 1: true when <paramref name="padCount"/> is where the unmasked model's prediction for sequence
    /// <paramref name="index"/> flips: the class predicted with ⌊P⌋ padded positions differs from the class predicted with
    /// ⌊P⌋ + 1 (both measured by running the model).
    /// </summary>
    public static bool PredictionFlipsAt(PoolingClassifier model, RelevantMeanTask test, int index, double padCount)
    {
        if (!(padCount >= 0) || padCount > 1e6) return false;
        long below = (long)Math.Floor(padCount);
        return PredictionWithPadding(model, test, index, below) != PredictionWithPadding(model, test, index, below + 1);
    }

    /// <summary>
    /// Exercise 2: the test accuracy (padded as given, with the mask) of the learner's model, after checking that its
    /// attention pooling has an additive scorer. Null when the learner has not answered.
    /// </summary>
    public static double? AdditiveScorerAccuracy(PoolingClassifier? model, RelevantMeanTask test)
    {
        if (model is null) return null;
        if (model.AttentionPool is not { HiddenDim: > 0 })
            throw new ClaimFailedException("Exercise 2: this model's pooling has no additive scorer. Hint: new PoolingClassifier(RelevantMeanTask.FeatureDim, 2, Pooling.Attention, attentionHiddenDim: 16)");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return Classification.Accuracy(model.call(test.Features, test.PaddingMask()), test.Labels);
    }
}
