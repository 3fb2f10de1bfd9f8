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
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (padded, length) = SequenceWithPadding(test, index, padCount);                     // (1, n + P, F)
        var (_, weights) = model.Classify(padded, null);                                        // (1, n + P)
        return weights.narrow(1, length, padCount).sum().item<float>();
    }

    /// <summary>
    /// The class <paramref name="model"/>, called without a mask, predicts for test sequence <paramref name="index"/>
    /// followed by <paramref name="padCount"/> padded (all-zero) positions. Measured by running the model.
    /// </summary>
    public static long PredictionWithPadding(PoolingClassifier model, RelevantMeanTask test, int index, long padCount)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (padded, _) = SequenceWithPadding(test, index, padCount);                          // (1, n + P, F)
        return model.call(padded, null).argmax(-1).item<long>();
    }

    /// <summary>Test sequence <paramref name="index"/>'s n real positions followed by <paramref name="padCount"/> all-zero ones, and n.</summary>
    private static (Tensor padded, long length) SequenceWithPadding(RelevantMeanTask test, int index, long padCount)
    {
        if (index < 0 || index >= test.Count) throw new ArgumentException($"index must be in [0, {test.Count}), got {index}", nameof(index));
        if (padCount < 0) throw new ArgumentException($"padCount must be ≥ 0, got {padCount}", nameof(padCount));
        long length = test.Lengths[index].item<long>();
        var real = test.Features.narrow(0, index, 1).narrow(1, 0, length);                     // (1, n, F)
        return (cat(new[] { real, zeros(1, padCount, real.shape[2]) }, 1), length);            // (1, n + P, F)
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
    /// The real-valued number of padded (all-zero) positions P* at which <paramref name="model"/>, called without a mask,
    /// gives test sequence <paramref name="index"/> two equal logits, from the closed form (float64): the logit margin is
    /// <c>(1 − p)·d_real + p·d_pad</c> in the padding's share p, so p* = d_real / (d_real − d_pad), and
    /// P* = p*/(1 − p*) · Σ_real e^{s_t − s_pad}. NaN when the margins have the same sign (no padding flips it).
    /// </summary>
    public static double FlipPaddingCount(PoolingClassifier model, RelevantMeanTask test, int index)
    {
        if (index < 0 || index >= test.Count) throw new ArgumentException($"index must be in [0, {test.Count}), got {index}", nameof(index));
        if (model.AttentionPool is not { HiddenDim: 0 }) throw new ArgumentException("the model must use attention pooling with a linear scorer", nameof(model));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long length = test.Lengths[index].item<long>();
        var real = test.Features.narrow(0, index, 1).narrow(1, 0, length);                     // (1, n, F)
        var pad = zeros(1, 1, real.shape[2]);                                                     // (1, 1, F): one padded position
        // Margins at p = 0 (the unpadded sequence) and p = 1 (one padded position alone), and the scores, in float64.
        var (dReal, sReal) = MarginAndScores(model, real);
        var (dPad, sPad) = MarginAndScores(model, pad);
        if (Math.Sign(dReal) == Math.Sign(dPad)) return double.NaN;
        double pStar = dReal / (dReal - dPad);
        double realMass = (sReal - sPad.item<double>()).exp().sum().item<double>();
        return pStar / (1 - pStar) * realMass;
    }

    private static (double margin, Tensor scores) MarginAndScores(PoolingClassifier model, Tensor x)
    {
        var logits = model.call(x, null).to_type(ScalarType.Float64);                                          // (1, 2)
        var scores = model.AttentionPool!.Scorer.call(model.Encode(x)).squeeze(-1).to_type(ScalarType.Float64); // (1, n)
        return ((logits[0, 1] - logits[0, 0]).item<double>(), scores);
    }

    /// <summary>
    /// Exercise 1: true when <paramref name="padCount"/> is P* (within <paramref name="relativeTolerance"/>, relative,
    /// of <see cref="FlipPaddingCount"/>) and, measured by running the model, the prediction flips between ⌊P*⌋ and ⌊P*⌋ + 1
    /// for the reference P* (not the learner's value, whose floor can fall on the other side of an integer).
    /// Trying padded lengths one by one finds only the integer bracket, not the fractional part.
    /// </summary>
    public static bool FlipPaddingCountIsRight(PoolingClassifier model, RelevantMeanTask test, int index, double padCount, double relativeTolerance = 1e-3)
    {
        double reference = FlipPaddingCount(model, test, index);
        if (double.IsNaN(reference) || !(Math.Abs(padCount - reference) <= relativeTolerance * reference)) return false;
        return PredictionFlipsAt(model, test, index, reference);   // bracket the reference's floor: an answer within tolerance of a P* near an integer may floor to the other side
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
