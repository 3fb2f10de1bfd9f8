using AttentionCourse.Data;
using AttentionCourse.Layers;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 01's exercises (the checks compare the learner's answer with these).</summary>
public static class Lesson01
{
    /// <summary>
    /// Exercise 1: hard, windowed attention pooling — a boxcar kernel. Each test query x gives equal weight to every
    /// training key within <paramref name="halfWidth"/> of it (|x − k| ≤ h) and none to the others, and predicts the mean of
    /// their values; a query with no key in its window gets zero weights everywhere and predicts 0 (the course's rule for a
    /// fully masked row). Returns the predictions at the test points, <c>(T)</c>.
    /// </summary>
    public static Tensor BoxcarPredictions(KernelRegressionData data, double halfWidth)
    {
        if (!(halfWidth > 0)) throw new ArgumentException($"halfWidth must be positive; got {halfWidth}.", nameof(halfWidth));
        using var scope = NewDisposeScope();
        var distance = (data.TestX.unsqueeze(1) - data.TrainX.unsqueeze(0)).abs();      // (T, S)
        var allowed = distance.le(halfWidth);                                              // (T, S): keys inside the window
        var weights = Attention.MaskedSoftmax(zeros_like(distance), allowed);              // (T, S): uniform over the window
        return weights.matmul(data.TrainY).MoveToOuterDisposeScope();                      // (T)
    }

    /// <summary>
    /// Exercise 2: self-attention over the rows of <paramref name="tokens"/> <c>(T, d)</c> with Gaussian-kernel scores
    /// −‖xᵢ − xⱼ‖²/(2√d) — the same 1/√d temperature as scaled dot-product attention, so the two differ only by the
    /// key-norm term.
    /// </summary>
    public static Tensor GaussianSelfAttention(Tensor tokens)
    {
        Check.Rank(tokens, 2, nameof(tokens), "(tokens, width)");
        using var scope = NewDisposeScope();
        var difference = tokens.unsqueeze(1) - tokens.unsqueeze(0);                       // (T, T, d)
        var weights = (difference.square().sum(-1) / (-2.0 * Math.Sqrt(tokens.shape[1]))).softmax(-1);   // (T, T)
        return weights.matmul(tokens).MoveToOuterDisposeScope();                           // (T, d)
    }
}
