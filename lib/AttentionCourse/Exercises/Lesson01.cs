using AttentionCourse.Data;
using AttentionCourse.Layers;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 01's exercises (the checks compare the learner's answer with these).</summary>
public static class Lesson01
{
    /// <summary>
    /// Exercise 1: choosing the half-width of a boxcar kernel (hard, windowed attention) by leave-one-out error. For each
    /// half-width h in <paramref name="halfWidths"/>, every training point x predicts the mean of the values of the
    /// <em>other</em> training points with |x − k| ≤ h (itself excluded; an empty window gives zero weights and predicts 0,
    /// the course's rule for a fully masked row), and the result is the mean squared error of those predictions against
    /// the noisy training targets. Returns one error per half-width, <c>(G)</c>.
    /// </summary>
    public static Tensor BoxcarLeaveOneOutErrors(KernelRegressionData data, double[] halfWidths)
    {
        ArgumentNullException.ThrowIfNull(halfWidths);
        if (halfWidths.Length == 0 || halfWidths.Any(h => !(h > 0)))
            throw new ArgumentException($"halfWidths must be a non-empty list of positive numbers; got [{string.Join(", ", halfWidths)}].", nameof(halfWidths));
        using var scope = NewDisposeScope();
        long n = data.TrainX.shape[0];
        var distance = (data.TrainX.unsqueeze(1) - data.TrainX.unsqueeze(0)).abs();      // (S, S)
        var notSelf = eye(n, dtype: ScalarType.Bool).logical_not();                        // (S, S)
        var errors = halfWidths.Select(h =>
        {
            var allowed = distance.le(h).logical_and(notSelf);                              // (S, S): the other keys inside the window
            var prediction = Attention.MaskedSoftmax(zeros_like(distance), allowed).matmul(data.TrainY);   // (S)
            return (prediction - data.TrainY).square().mean();
        }).ToArray();
        return stack(errors).MoveToOuterDisposeScope();                                    // (G)
    }

    /// <summary>
    /// Exercise 2: self-attention over the rows of <paramref name="tokens"/> <c>(T, d)</c> with projections:
    /// <c>softmax((X W_q)(X W_k)ᵀ / √d_k) (X W_v)</c>, where d_k is the width of the queries (the columns of
    /// <paramref name="wq"/>). Returns the outputs <c>(T, d_v)</c>.
    /// </summary>
    public static Tensor ProjectedSelfAttention(Tensor tokens, Tensor wq, Tensor wk, Tensor wv)
    {
        Check.Rank(tokens, 2, nameof(tokens), "(tokens, width)");
        Check.Rank(wq, 2, nameof(wq), "(width, d_k)");
        Check.Rank(wk, 2, nameof(wk), "(width, d_k)");
        Check.Rank(wv, 2, nameof(wv), "(width, d_v)");
        using var scope = NewDisposeScope();
        var q = tokens.matmul(wq); var k = tokens.matmul(wk); var v = tokens.matmul(wv);   // (T, d_k), (T, d_k), (T, d_v)
        var weights = (q.matmul(k.transpose(0, 1)) / Math.Sqrt(wq.shape[1])).softmax(-1); // (T, T)
        return weights.matmul(v).MoveToOuterDisposeScope();                                // (T, d_v)
    }
}
