using AttentionCourse.Data;
using AttentionCourse.Layers;
using AttentionCourse.Metrics;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 01's exercises (the checks compare the learner's answer with these).</summary>
public static class Lesson01
{
    /// <summary>
    /// Exercise 1: the sharpness w on <paramref name="grid"/> with the lowest leave-one-out error on the training points
    /// (each training point predicted from all the others) — model selection that never looks at the test set.
    /// </summary>
    public static double LeaveOneOutBestSharpness(KernelRegressionData data, IReadOnlyList<double> grid)
    {
        using var scope = NewDisposeScope();
        var (keys, values) = data.TrainingKeysAndValues(leaveOneOut: true);               // (N, N−1) each
        return grid.MinBy(w =>
        {
            using var kernel = new GaussianKernelAttention(w, learnable: false);
            using var step = NewDisposeScope();
            return Regression.MeanSquaredError(kernel.call(data.TrainX, keys, values).output, data.TrainY);
        });
    }

    /// <summary>Exercise 2: the mean over test queries of each query's largest weight, for a fixed kernel of sharpness w.</summary>
    public static double MeanLargestWeight(KernelRegressionData data, double sharpness)
    {
        using var scope = NewDisposeScope();
        using var kernel = new GaussianKernelAttention(sharpness, learnable: false);
        var (keys, values) = data.AllTrainingPointsFor(data.TestX.shape[0]);
        var (_, weights) = kernel.call(data.TestX, keys, values);                          // (Q, N)
        return weights.max(1).values.mean().item<float>();
    }
}
