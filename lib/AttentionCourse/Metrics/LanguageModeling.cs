using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Metrics;

/// <summary>
/// How well a language model predicts held-out text. All three numbers say the same thing in different units:
/// the mean cross-entropy H (nats per token, what training minimises), perplexity exp(H) (the model is as unsure as a
/// uniform choice among that many tokens), and bits per character H / ln 2 (for character models).
/// </summary>
public static class LanguageModeling
{
    /// <summary>Mean next-token cross-entropy in nats: <c>logits (…, V)</c>, <c>targets (…)</c> Int64 (float64 accumulation).</summary>
    public static double MeanCrossEntropy(Tensor logits, Tensor targets)
    {
        if (logits.dim() != targets.dim() + 1 || !logits.shape[..^1].SequenceEqual(targets.shape))
            throw new ArgumentException($"logits must be targets' shape plus a vocabulary dimension; got logits {Layers.Check.Describe(logits.shape)}, targets {Layers.Check.Describe(targets.shape)}.", nameof(logits));
        Layers.Check.NonEmpty(targets, nameof(targets));
        using var scope = NewDisposeScope();
        var flat = logits.reshape(-1, logits.shape[^1]).to_type(ScalarType.Float64);        // (N, V)
        return functional.cross_entropy(flat, targets.flatten()).item<double>();
    }

    /// <summary>Perplexity exp(H) from a mean cross-entropy H in nats. A uniform guess over V tokens has perplexity V.</summary>
    public static double Perplexity(double meanCrossEntropyNats)
    {
        if (double.IsNaN(meanCrossEntropyNats) || meanCrossEntropyNats < 0)
            throw new ArgumentException($"meanCrossEntropyNats must be ≥ 0 (a mean of −log p); got {meanCrossEntropyNats}.", nameof(meanCrossEntropyNats));
        return Math.Exp(meanCrossEntropyNats);
    }

    /// <summary>Bits per token H / ln 2 from a mean cross-entropy H in nats.</summary>
    public static double BitsPerToken(double meanCrossEntropyNats) => meanCrossEntropyNats / Math.Log(2);
}
