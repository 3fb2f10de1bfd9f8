using AttentionCourse.Data;
using AttentionCourse.Layers;
using AttentionCourse.Metrics;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 01's exercises (the checks compare the learner's answer with these).</summary>
public static class Lesson01
{
    /// <summary>
    /// Exercise 1: the <paramref name="folds"/>-fold cross-validation error of a fixed kernel for each sharpness w on
    /// <paramref name="grid"/>. Fold f holds the training points i with i mod folds = f; each is predicted from the points of
    /// the other folds, and the error is the mean squared error over all training points.
    /// </summary>
    public static double[] CrossValidationErrors(KernelRegressionData data, IReadOnlyList<double> grid, int folds = 5)
    {
        Check.AtLeast(folds, 2, nameof(folds));
        long n = data.TrainX.shape[0];
        if (folds > n) throw new ArgumentException($"folds must be at most the number of training points ({n}); got {folds}.", nameof(folds));
        return grid.Select(w =>
        {
            using var scope = NewDisposeScope();
            using var kernel = new GaussianKernelAttention(w, learnable: false);
            var fold = arange(n).remainder(folds);                                          // (N): the fold of each point
            var squaredErrors = zeros(n, dtype: ScalarType.Float64);
            for (int f = 0; f < folds; f++)
            {
                var held = fold.eq(f); var kept = held.logical_not();
                var queries = data.TrainX.masked_select(held);                             // (Q)
                var keys = data.TrainX.masked_select(kept).unsqueeze(0).expand(queries.shape[0], -1);   // (Q, N − Q)
                var values = data.TrainY.masked_select(kept).unsqueeze(0).expand(queries.shape[0], -1); // (Q, N − Q)
                var prediction = kernel.call(queries, keys, values).output;                // (Q)
                var error = (prediction - data.TrainY.masked_select(held)).square().to_type(ScalarType.Float64);
                squaredErrors = squaredErrors.masked_scatter(held, error);
            }
            return squaredErrors.mean().item<double>();
        }).ToArray();
    }

    /// <summary>Exercise 2: self-attention over the rows of <paramref name="tokens"/> <c>(T, d)</c> with Gaussian-kernel scores −‖xᵢ − xⱼ‖²/2.</summary>
    public static Tensor GaussianSelfAttention(Tensor tokens)
    {
        Check.Rank(tokens, 2, nameof(tokens), "(tokens, width)");
        using var scope = NewDisposeScope();
        var difference = tokens.unsqueeze(1) - tokens.unsqueeze(0);                       // (T, T, d)
        var weights = (difference.square().sum(-1) / -2.0).softmax(-1);                   // (T, T)
        return weights.matmul(tokens).MoveToOuterDisposeScope();                           // (T, d)
    }
}
