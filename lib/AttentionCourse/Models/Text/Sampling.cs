using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>
/// How the next token is chosen from the model's logits. Temperature 0 = greedy (arg max). Otherwise the logits are
/// divided by the temperature, then optionally cut to the <see cref="TopK"/> most likely tokens and/or to the nucleus
/// (<see cref="TopP"/>: the smallest set of most likely tokens whose probability mass reaches p, Holtzman et al. 2020),
/// renormalised, and sampled.
/// </summary>
/// <param name="Temperature">0 = greedy; &lt; 1 sharpens, &gt; 1 flattens the distribution.</param>
/// <param name="TopK">Keep only the k most likely tokens (null = all).</param>
/// <param name="TopP">Keep the smallest most-likely prefix with mass ≥ p (null = all).</param>
public sealed record SamplingSettings(double Temperature = 1.0, int? TopK = null, double? TopP = null)
{
    /// <summary>Always the most likely token.</summary>
    public static SamplingSettings Greedy { get; } = new(0.0);

    public override string ToString() => Temperature == 0 ? "greedy"
        : $"T={Temperature:0.##}{(TopK is int k ? $", top-k {k}" : "")}{(TopP is double p ? $", top-p {p:0.##}" : "")}";
}

/// <summary>Greedy, temperature, top-k and top-p (nucleus) sampling of the next token.</summary>
public static class Sampling
{
    /// <summary>
    /// The distribution the sampler draws from: softmax of the temperature-scaled logits with every token outside the
    /// top-k and outside the nucleus set to probability 0 (then renormalised). For temperature 0, a one-hot at the arg max.
    /// </summary>
    /// <param name="logits"><c>(B, V)</c>.</param>
    /// <param name="settings">Temperature, top-k and top-p.</param>
    /// <returns><c>(B, V)</c>, rows summing to 1.</returns>
    public static Tensor Probabilities(Tensor logits, SamplingSettings settings)
    {
        Validate(logits, settings);
        using var scope = NewDisposeScope();
        if (settings.Temperature == 0)
            return functional.one_hot(logits.argmax(-1), logits.shape[1]).to_type(logits.dtype).MoveToOuterDisposeScope();
        var scaled = logits / settings.Temperature;                                         // (B, V)
        if (settings.TopK is int k && k < logits.shape[1])
        {
            var kth = scaled.topk(k, dim: -1).values.narrow(1, k - 1, 1);                  // (B, 1), the k-th largest
            scaled = scaled.masked_fill(scaled.lt(kth), double.NegativeInfinity);           // ties with the k-th are kept
        }
        if (settings.TopP is double p && p < 1)
        {
            var (sorted, order) = functional.softmax(scaled, -1).sort(-1, descending: true); // (B, V) each
            // Keep a token if the mass strictly before it is < p: the smallest prefix whose mass reaches p.
            var before = sorted.cumsum(-1) - sorted;                                        // (B, V)
            var dropSorted = before.ge(p);                                                  // (B, V), never the first
            var drop = zeros_like(dropSorted).scatter(-1, order, dropSorted);              // (B, V) back in token order
            scaled = scaled.masked_fill(drop, double.NegativeInfinity);
        }
        return functional.softmax(scaled, -1).MoveToOuterDisposeScope();                   // (B, V)
    }

    /// <summary>Draws one token per row of <paramref name="logits"/> <c>(B, V)</c> with <paramref name="generator"/>
    /// (null = TorchSharp's global generator); greedy for temperature 0. Returns <c>(B)</c> Int64.</summary>
    public static Tensor Sample(Tensor logits, SamplingSettings settings, Generator? generator = null)
    {
        Validate(logits, settings);
        if (settings.Temperature == 0) return logits.argmax(-1);
        using var probabilities = Probabilities(logits, settings);
        using var drawn = multinomial(probabilities, 1, generator: generator);              // (B, 1)
        return drawn.squeeze(1);
    }

    private static void Validate(Tensor logits, SamplingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Layers.Check.Rank(logits, 2, nameof(logits), "(batch, vocabulary)");
        if (!(settings.Temperature >= 0) || double.IsInfinity(settings.Temperature))
            throw new ArgumentException($"settings.Temperature must be a finite number ≥ 0 (0 = greedy); got {settings.Temperature}.", nameof(settings));
        if (settings.TopK is int k && k < 1)
            throw new ArgumentException($"settings.TopK must be at least 1; got {k}.", nameof(settings));
        if (settings.TopP is double p && !(p > 0 && p <= 1))
            throw new ArgumentException($"settings.TopP must lie in (0, 1]; got {p}.", nameof(settings));
    }
}
