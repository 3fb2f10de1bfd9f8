using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Layers;

/// <summary>
/// Sliding-window self-attention (Longformer, Beltagy et al. 2020): position i attends to positions
/// i − w … i + w, plus optional <i>global</i> positions that attend to every position and that every position
/// attends to. Computed block by block: a block of c queries only ever meets its c + 2w neighbouring keys, so time
/// and memory are O(T · (c + 2w)), never a masked T × T matrix.
/// </summary>
public static class SlidingWindowAttention
{
    /// <param name="query"><c>(B, H, T, D)</c>.</param>
    /// <param name="key"><c>(B, H, T, D)</c> (self-attention: same length as the queries).</param>
    /// <param name="value"><c>(B, H, T, Dv)</c>.</param>
    /// <param name="window">w ≥ 1: neighbours seen on each side.</param>
    /// <param name="keyPadding">Optional <c>(B, T)</c> Bool, true = padded.</param>
    /// <param name="globalPositions">Optional positions with global attention (distinct, in [0, T)).</param>
    /// <param name="causal">Only the w previous positions (and global positions before i) are seen.</param>
    /// <param name="block">Queries per block; 0 (the default) means max(w, 64).</param>
    /// <returns><c>(B, H, T, Dv)</c>.</returns>
    public static Tensor Forward(Tensor query, Tensor key, Tensor value, long window, Tensor? keyPadding = null,
        IReadOnlyList<long>? globalPositions = null, bool causal = false, long block = 0)
    {
        ChunkedAttention.CheckInputs(query, key, value, keyPadding);
        long B = query.shape[0], H = query.shape[1], T = query.shape[2], D = query.shape[3], Dv = value.shape[3];
        Check.Size(key, 2, T, nameof(key), "keyLength, must equal queryLength for sliding-window self-attention");
        Check.AtLeast(window, 1, nameof(window));
        Check.AtLeast(block, 0, nameof(block));
        if (block == 0) block = Math.Max(window, 64);
        var globals = (globalPositions ?? Array.Empty<long>()).ToArray();
        foreach (var g in globals)
            if (g < 0 || g >= T) throw new ArgumentException($"globalPositions must lie in [0, {T}) (the sequence length); got {g}.", nameof(globalPositions));
        var repeated = globals.GroupBy(g => g).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0)
            throw new ArgumentException($"globalPositions must be distinct; {string.Join(", ", repeated)} appear more than once.", nameof(globalPositions));

        double scale = 1.0 / Math.Sqrt(D);
        long G = globals.Length;
        using var outer = NewDisposeScope();
        var keyAllowed = keyPadding?.logical_not();                                         // (B, T)
        var globalIndex = tensor(globals);                                                  // (G)
        var globalKeys = G > 0 ? key.index_select(2, globalIndex) : null;                   // (B, H, G, D)
        var globalValues = G > 0 ? value.index_select(2, globalIndex) : null;               // (B, H, G, Dv)
        var blocks = new List<Tensor>();
        for (long qs = 0; qs < T; qs += block)
        {
            long tq = Math.Min(block, T - qs);
            long ks = Math.Max(0, qs - window), ke = Math.Min(T, qs + tq + (causal ? 0 : window)); // neighbouring keys
            long tk = ke - ks;
            using var scope = NewDisposeScope();
            var q = query.narrow(2, qs, tq) * scale;                                        // (B, H, tq, D)
            var scores = q.matmul(key.narrow(2, ks, tk).transpose(-2, -1));                 // (B, H, tq, tk)
            var rows = arange(qs, qs + tq).unsqueeze(1);                                    // (tq, 1)
            var cols = arange(ks, ke).unsqueeze(0);                                         // (1, tk)
            var band = (cols - rows).abs().le(window);                                      // (tq, tk): |i − j| ≤ w
            if (causal) band = band.logical_and(cols.le(rows));
            var allowed = band.view(1, 1, tq, tk);                                          // (1, 1, tq, tk)
            if (keyAllowed is not null) allowed = allowed.logical_and(keyAllowed.narrow(1, ks, tk).view(B, 1, 1, tk));
            Tensor weights, output;
            if (G > 0)
            {
                // Every query also sees the global keys, except those its window already holds (no double counting).
                var globalScores = q.matmul(globalKeys!.transpose(-2, -1));                 // (B, H, tq, G)
                var globalCols = globalIndex.unsqueeze(0);                                  // (1, G)
                var globalAllowed = (globalCols - rows).abs().gt(window);                   // (tq, G): outside the window
                if (causal) globalAllowed = globalAllowed.logical_and(globalCols.le(rows));
                var ga = globalAllowed.view(1, 1, tq, G);
                if (keyAllowed is not null) ga = ga.logical_and(keyAllowed.index_select(1, globalIndex).view(B, 1, 1, G));
                weights = Attention.MaskedSoftmax(cat(new[] { scores, globalScores }, -1),
                    cat(new[] { allowed.expand(B, 1, tq, tk), ga.expand(B, 1, tq, G) }, -1));  // (B, H, tq, tk + G)
                output = weights.narrow(-1, 0, tk).matmul(value.narrow(2, ks, tk))
                       + weights.narrow(-1, tk, G).matmul(globalValues!);                   // (B, H, tq, Dv)
            }
            else
            {
                weights = Attention.MaskedSoftmax(scores, allowed);                          // (B, H, tq, tk)
                output = weights.matmul(value.narrow(2, ks, tk));                           // (B, H, tq, Dv)
            }
            blocks.Add(output.MoveToOuterDisposeScope());
        }
        var result = cat(blocks, 2);                                                        // (B, H, T, Dv)
        if (G > 0)
        {
            // Global queries attend to every key: G rows of full attention, O(G · T).
            var allowedAll = keyAllowed?.view(B, 1, 1, T);
            if (causal)
            {
                var c = arange(T).unsqueeze(0).le(globalIndex.unsqueeze(1)).view(1, 1, G, T); // (1, 1, G, T)
                allowedAll = allowedAll is null ? c : allowedAll.logical_and(c);
            }
            var (globalRows, _) = Attention.ScaledDotProduct(query.index_select(2, globalIndex), key, value, allowedAll); // (B, H, G, Dv)
            result = result.index_copy(2, globalIndex, globalRows);
        }
        return result.MoveToOuterDisposeScope();
    }
}
