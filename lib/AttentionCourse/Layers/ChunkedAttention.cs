using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Layers;

/// <summary>
/// Exact attention computed block by block (the FlashAttention recurrence, on the CPU): for each block of queries,
/// walk over blocks of keys keeping a running maximum <c>m</c>, a running sum <c>l</c> and an unnormalised output
/// <c>acc</c> (the online softmax). The <c>(T, S)</c> weight matrix is never stored: memory is
/// O(queryBlock · keyBlock) per head instead of O(T · S). Same masks and shapes as <see cref="Attention.ScaledDotProduct"/>.
/// </summary>
public static class ChunkedAttention
{
    /// <param name="query"><c>(B, H, T, D)</c>.</param>
    /// <param name="key"><c>(B, H, S, D)</c>.</param>
    /// <param name="value"><c>(B, H, S, Dv)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, S)</c> Bool, true = padded.</param>
    /// <param name="causal">Query i sees keys j ≤ i + (S − T); key blocks wholly in the future are skipped.</param>
    /// <param name="queryBlock">Queries per block (any T works, not only multiples). 512 × 512 tiles (8 MiB for 8 heads) measured
    /// fastest here: larger tiles exceed glibc's mmap threshold and pay page faults on every allocation.</param>
    /// <param name="keyBlock">Keys per block.</param>
    /// <returns><c>(B, H, T, Dv)</c>; a query with no visible key gets zeros.</returns>
    public static Tensor Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPadding = null, bool causal = false,
        long queryBlock = 512, long keyBlock = 512)
    {
        CheckInputs(query, key, value, keyPadding);
        Check.AtLeast(queryBlock, 1, nameof(queryBlock));
        Check.AtLeast(keyBlock, 1, nameof(keyBlock));
        long B = query.shape[0], H = query.shape[1], T = query.shape[2], D = query.shape[3], S = key.shape[2], Dv = value.shape[3];
        double scale = 1.0 / Math.Sqrt(D);
        long offset = S - T;                                                               // causal alignment
        bool trackGradients = is_grad_enabled() && (query.requires_grad || key.requires_grad || value.requires_grad);
        using var keyAllowed = keyPadding?.logical_not().view(B, 1, 1, S);                // (B, 1, 1, S)
        // Without autograd, blocks are written into one preallocated output and the running state is updated in place;
        // with autograd, every step makes new tensors (in-place updates would break the graph) and blocks are concatenated.
        var output = trackGradients ? null : empty(B, H, T, Dv, dtype: value.dtype);     // (B, H, T, Dv)
        var blocks = new List<Tensor>();
        try
        {
            for (long qs = 0; qs < T; qs += queryBlock)
            {
                long tq = Math.Min(queryBlock, T - qs);
                using var scope = NewDisposeScope();
                var q = query.narrow(2, qs, tq) * scale;                                   // (B, H, tq, D)
                var m = full(B, H, tq, 1, double.NegativeInfinity, dtype: query.dtype);    // running max
                var l = zeros(B, H, tq, 1, dtype: query.dtype);                            // running sum of exp
                var acc = zeros(B, H, tq, Dv, dtype: query.dtype);                         // running Σ exp · v
                long keyEnd = causal ? Math.Clamp(qs + tq + offset, 0, S) : S;             // keys after this are in every row's future
                for (long ks = 0; ks < keyEnd; ks += keyBlock)
                {
                    long tk = Math.Min(keyBlock, keyEnd - ks);
                    using var inner = NewDisposeScope();
                    var s = q.matmul(key.narrow(2, ks, tk).transpose(-2, -1));             // (B, H, tq, tk)
                    var allowed = BlockMask(keyAllowed, causal, qs, tq, ks, tk, offset);   // broadcastable to s, or null
                    if (!trackGradients && allowed is null)
                    {
                        // An unmasked tile without autograd: one fused row softmax replaces separate passes over the tile for
                        // the subtraction, the exponential and the sum. The tile's maximum comes with its position, and its sum
                        // from the largest weight: softmax there is exp(max − max) / Σ = 1 / Σ.
                        var (tileMax, at) = s.max(-1, keepdim: true);                      // (B, H, tq, 1)
                        var tileWeights = nn.functional.softmax(s, -1);                    // (B, H, tq, tk), normalised per tile
                        var tileSum = tileWeights.gather(-1, at).reciprocal_();            // Σ exp(s − tileMax)
                        var tileOut = tileWeights.matmul(value.narrow(2, ks, tk));         // (B, H, tq, Dv), normalised per tile
                        var merged = maximum(m, tileMax);                                  // (B, H, tq, 1)
                        var keep = (m - merged).exp_();                                    // rescales what was accumulated (0 at first)
                        var add = (tileMax - merged).exp_().mul_(tileSum);                 // this tile's Σ exp(s − merged)
                        l.mul_(keep).add_(add);
                        acc.mul_(keep).add_(tileOut.mul_(add));
                        m.copy_(merged);
                        continue;
                    }
                    if (allowed is not null) s = trackGradients ? s.masked_fill(allowed.logical_not(), double.NegativeInfinity)
                                                                : s.masked_fill_(allowed.logical_not(), double.NegativeInfinity);
                    var mNew = maximum(m, s.amax(new long[] { -1 }, keepdim: true)).detach(); // (B, H, tq, 1)
                    var shift = mNew.masked_fill(mNew.isneginf(), 0.0);                    // a row with nothing seen yet: exp(−∞ − 0) = 0
                    var p = trackGradients ? (s - shift).exp() : s.sub_(shift).exp_();     // (B, H, tq, tk)
                    var correction = (m - shift).exp();                                    // rescales what was accumulated
                    var blockSum = p.sum(-1, keepdim: true);                               // (B, H, tq, 1)
                    var blockOut = p.matmul(value.narrow(2, ks, tk));                      // (B, H, tq, Dv)
                    m.Dispose();
                    m = mNew.MoveToOuterDisposeScope();
                    if (!trackGradients)
                    {
                        l.mul_(correction).add_(blockSum);
                        acc.mul_(correction).add_(blockOut);
                        continue;
                    }
                    // Replace the running state, freeing the previous one now rather than at the end of the query block.
                    var (lNext, accNext) = ((l * correction + blockSum).MoveToOuterDisposeScope(), (acc * correction + blockOut).MoveToOuterDisposeScope());
                    l.Dispose(); acc.Dispose();
                    (l, acc) = (lNext, accNext);
                }
                // l ≥ 1 for a row that saw any key (its maximum contributes exp(0)); an empty row has l = acc = 0, and
                // clamping to 1 keeps both its value and its gradient finite (clamping to ε would give 0·∞ = NaN).
                var normalised = acc / l.clamp_min(1.0);
                if (output is not null) output.narrow(2, qs, tq).copy_(normalised);
                else blocks.Add(normalised.MoveToOuterDisposeScope());
            }
            if (output is not null) return output;
            return blocks.Count == 1 ? blocks[0].alias() : cat(blocks, 2);                 // (B, H, T, Dv)
        }
        catch
        {
            output?.Dispose();
            throw;
        }
        finally
        {
            foreach (var b in blocks) b.Dispose();
        }
    }

    /// <summary>The allowed mask of one (query block, key block) tile, or null when every entry is allowed.</summary>
    private static Tensor? BlockMask(Tensor? keyAllowed, bool causal, long qs, long tq, long ks, long tk, long offset)
    {
        Tensor? allowed = keyAllowed?.narrow(3, ks, tk);                                   // (B, 1, 1, tk)
        // The tile needs a causal mask only if its last key lies after its first query's horizon.
        if (causal && ks + tk - 1 > qs + offset)
        {
            var rows = arange(qs, qs + tq).unsqueeze(1) + offset;                          // (tq, 1)
            var cols = arange(ks, ks + tk).unsqueeze(0);                                   // (1, tk)
            var causalMask = cols.le(rows);                                                // (tq, tk)
            allowed = allowed is null ? causalMask : allowed.logical_and(causalMask);
        }
        return allowed;
    }

    internal static void CheckInputs(Tensor query, Tensor key, Tensor value, Tensor? keyPadding)
    {
        Check.Rank(query, 4, nameof(query), "(batch, heads, queryLength, headDim)");
        Check.Rank(key, 4, nameof(key), "(batch, heads, keyLength, headDim)");
        Check.Rank(value, 4, nameof(value), "(batch, heads, keyLength, valueDim)");
        Check.Size(key, 0, query.shape[0], nameof(key), "batch, must match query");
        Check.Size(key, 1, query.shape[1], nameof(key), "heads, must match query");
        Check.Size(key, 3, query.shape[3], nameof(key), "headDim, must match query");
        Check.Size(value, 0, query.shape[0], nameof(value), "batch, must match query");
        Check.Size(value, 1, query.shape[1], nameof(value), "heads, must match query");
        Check.Size(value, 2, key.shape[2], nameof(value), "keyLength, must match key");
        Check.NonEmpty(query, nameof(query));
        Check.NonEmpty(key, nameof(key));
        Check.BoolMask(keyPadding, new[] { key.shape[0], key.shape[2] }, nameof(keyPadding), "(batch, keyLength), true = padded");
    }
}
