using static TorchSharp.torch;

namespace AttentionCourse.Metrics;

/// <summary>Regression metrics computed from tensors.</summary>
public static class Regression
{
    /// <summary>Mean squared error of two tensors of the same shape.</summary>
    public static double MeanSquaredError(Tensor predicted, Tensor target)
    {
        if (!predicted.shape.SequenceEqual(target.shape))
            throw new ArgumentException($"target must have predicted's shape {Layers.Check.Describe(predicted.shape)}; got {Layers.Check.Describe(target.shape)}.", nameof(target));
        Layers.Check.NonEmpty(predicted, nameof(predicted));
        using var difference = predicted.detach().to_type(ScalarType.Float64) - target.detach().to_type(ScalarType.Float64);
        using var mse = difference.square().mean();
        return mse.item<double>();
    }
}
