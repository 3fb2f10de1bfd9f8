using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Layers;

/// <summary>
/// Top-k ("hard") attention: each query keeps only its k largest scores and renormalises over them.
/// It still computes every score (O(T·S) time); what it buys is sparsity of the weights (and, with a sparse kernel,
/// of the value sum), and a model that must commit to few keys. Ties at the k-th score are all kept.
/// </summary>
public static class TopKAttention
{
    /// <param name="query"><c>(B, H, T, D)</c>.</param>
    /// <param name="key"><c>(B, H, S, D)</c>.</param>
    /// <param name="value"><c>(B, H, S, Dv)</c>.</param>
    /// <param name="topK">1 ≤ k ≤ S keys kept per query.</param>
    /// <param name="keyPadding">Optional <c>(B, S)</c> Bool, true = padded.</param>
    /// <param name="causal">Causal mask (applied before choosing the top k).</param>
    /// <returns>output <c>(B, H, T, Dv)</c> and weights <c>(B, H, T, S)</c> with at most k non-zeros per row (more only on ties).</returns>
    public static (Tensor output, Tensor weights) Forward(Tensor query, Tensor key, Tensor value, long topK, Tensor? keyPadding = null, bool causal = false)
    {
        ChunkedAttention.CheckInputs(query, key, value, keyPadding);
        long B = query.shape[0], T = query.shape[2], S = key.shape[2];
        if (topK < 1 || topK > S)
            throw new ArgumentException($"topK must lie in [1, {S}] (the key length); got {topK}.", nameof(topK));
        using var scope = NewDisposeScope();
        var allowed = Masks.Allowed(B, T, S, keyPadding, causal);                          // (B, 1, T, S) or null
        var scores = Attention.ScaledDotScores(query, key);                                 // (B, H, T, S)
        if (allowed is not null) scores = scores.masked_fill(allowed.logical_not(), double.NegativeInfinity);
        var kth = scores.topk((int)topK, dim: -1).values.narrow(-1, topK - 1, 1);          // (B, H, T, 1): the k-th largest
        var keep = scores.ge(kth).logical_and(scores.isneginf().logical_not());            // (B, H, T, S)
        var weights = Attention.MaskedSoftmax(scores, keep);                                // (B, H, T, S)
        var output = weights.matmul(value);                                                 // (B, H, T, Dv)
        return scope.MoveToOuter(output, weights);
    }
}
