using static TorchSharp.torch;

namespace AttentionCourse.Metrics;

/// <summary>Classification metrics computed from tensors.</summary>
public static class Classification
{
    /// <summary>Fraction of rows whose arg-max logit equals the label. <c>logits (N, C)</c>, <c>labels (N)</c> Int64.</summary>
    public static double Accuracy(Tensor logits, Tensor labels)
    {
        Layers.Check.Rank(logits, 2, nameof(logits), "(examples, classes)");
        Layers.Check.Rank(labels, 1, nameof(labels), "(examples)");
        Layers.Check.Size(labels, 0, logits.shape[0], nameof(labels), "examples, must match logits");
        Layers.Check.NonEmpty(labels, nameof(labels));
        using var predicted = logits.argmax(1);
        using var correct = predicted.eq(labels);
        using var mean = correct.to_type(ScalarType.Float64).mean();
        return mean.item<double>();
    }
}
