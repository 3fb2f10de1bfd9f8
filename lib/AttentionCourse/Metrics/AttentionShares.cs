using static TorchSharp.torch;

namespace AttentionCourse.Metrics;

/// <summary>Where attention weight goes, measured against where uniform attention would put it.</summary>
public static class AttentionShares
{
    /// <summary>
    /// For every query token inside a span of at least two tokens (an entity), the weight it puts on the <i>other</i>
    /// tokens of its span, averaged over those tokens — and the same average if each token attended uniformly to its
    /// sentence, <c>(span length − 1) / sentence length</c>. A ratio above 1 means attention favours the span.
    /// </summary>
    /// <param name="weights"><c>(B, T, T)</c> attention weights, row = query, rows of real tokens summing to 1 over real keys.</param>
    /// <param name="spans">The spans of each sentence (e.g. <see cref="SequenceLabeling.Entities"/> of the gold labels).</param>
    /// <param name="lengths">Real tokens in each sentence.</param>
    public static (double trained, double uniform, long tokens) WithinSpan(Tensor weights, IReadOnlyList<IReadOnlyList<Entity>> spans, IReadOnlyList<long> lengths)
    {
        Layers.Check.Rank(weights, 3, nameof(weights), "(batch, queries, keys)");
        if (spans.Count != weights.shape[0] || lengths.Count != weights.shape[0])
            throw new ArgumentException($"spans and lengths must have one entry per row of weights ({weights.shape[0]}); got {spans.Count} and {lengths.Count}.", nameof(spans));
        using var cpu = weights.detach().cpu().to_type(ScalarType.Float64).contiguous();
        var flat = cpu.data<double>().ToArray();
        long T = weights.shape[1], S = weights.shape[2];
        double trained = 0, uniform = 0;
        long tokens = 0;
        for (int b = 0; b < spans.Count; b++)
            foreach (var span in spans[b].Where(s => s.Length >= 2))
            {
                if (span.End > lengths[b]) throw new ArgumentException($"sentence {b}: span [{span.Start}, {span.End}) runs past its length {lengths[b]}.", nameof(spans));
                for (int i = span.Start; i < span.End; i++)
                {
                    for (int j = span.Start; j < span.End; j++)
                        if (j != i) trained += flat[(b * T + i) * S + j];
                    uniform += (span.Length - 1) / (double)lengths[b];
                    tokens++;
                }
            }
        if (tokens == 0) throw new ArgumentException("no span has two or more tokens: nothing to measure.", nameof(spans));
        return (trained / tokens, uniform / tokens, tokens);
    }

    /// <summary>
    /// How far attention reaches: Σ_ij α_ij |i − j| over real query tokens i, divided by their number (in tokens), and
    /// the same for uniform attention over each sentence's real tokens. Equal values mean the weights are, on average,
    /// no more local than a flat average.
    /// </summary>
    /// <param name="weights"><c>(B, T, T)</c>, row = query.</param>
    /// <param name="keyPadding"><c>(B, T)</c> Bool, true = padded.</param>
    public static (double trained, double uniform) MeanDistance(Tensor weights, Tensor keyPadding)
    {
        Layers.Check.Rank(weights, 3, nameof(weights), "(batch, queries, keys)");
        Layers.Check.BoolMask(keyPadding, new[] { weights.shape[0], weights.shape[1] }, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        long T = weights.shape[1];
        var positions = arange(T, dtype: ScalarType.Float64, device: weights.device);
        var distance = (positions.unsqueeze(1) - positions.unsqueeze(0)).abs();              // (T, T)
        var real = keyPadding.logical_not().to_type(ScalarType.Float64);                    // (B, T)
        var lengths = real.sum(1, keepdim: true);                                           // (B, 1)
        var uniformWeights = (real / lengths).unsqueeze(1);                                 // (B, 1, T): 1/n on real keys
        double count = real.sum().item<double>();
        double trained = ((weights.to_type(ScalarType.Float64) * distance).sum(-1) * real).sum().item<double>() / count;
        double uniform = ((uniformWeights * distance).sum(-1) * real).sum().item<double>() / count;
        return (trained, uniform);
    }
}
