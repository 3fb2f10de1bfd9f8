using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// Linear attention (Katharopoulos et al. 2020): replace <c>exp(q·k)</c> by <c>φ(q)·φ(k)</c> with the feature map
/// <c>φ(x) = elu(x) + 1</c> (positive), so that <c>Σⱼ φ(q)·φ(kⱼ) vⱼ = φ(q) · (Σⱼ φ(kⱼ) vⱼᵀ)</c> can be summed once
/// for all queries: O(T · D · Dv) instead of O(T² · D). The causal form keeps running sums (prefix sums), here
/// chunk by chunk: quadratic inside a chunk of c positions, a carried D × Dv state across chunks.
/// It is a different attention, not an approximation of softmax attention.
/// </summary>
public static class LinearAttention
{
    /// <summary>The feature map φ(x) = elu(x) + 1 (elementwise, positive).</summary>
    public static Tensor FeatureMap(Tensor x)
    {
        using var elu = functional.elu(x, 1.0, false);
        return elu + 1;
    }

    /// <param name="query"><c>(B, H, T, D)</c>.</param>
    /// <param name="key"><c>(B, H, S, D)</c>.</param>
    /// <param name="value"><c>(B, H, S, Dv)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, S)</c> Bool, true = padded (its φ(k) is zeroed).</param>
    /// <param name="causal">Query i sees keys j ≤ i (requires S = T).</param>
    /// <param name="chunk">Chunk length of the causal form.</param>
    /// <returns><c>(B, H, T, Dv)</c>.</returns>
    public static Tensor Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPadding = null, bool causal = false, long chunk = 128)
    {
        ChunkedAttention.CheckInputs(query, key, value, keyPadding);
        long B = query.shape[0], H = query.shape[1], T = query.shape[2], D = query.shape[3], S = key.shape[2], Dv = value.shape[3];
        Check.AtLeast(chunk, 1, nameof(chunk));
        if (causal) Check.Size(key, 2, T, nameof(key), "keyLength, must equal queryLength for causal linear attention");
        if (!causal && !(is_grad_enabled() && (query.requires_grad || key.requires_grad || value.requires_grad)))
            return WithoutGradients(query, key, value, keyPadding);
        using var scope = NewDisposeScope();
        var phiQ = FeatureMap(query);                                                      // (B, H, T, D)
        var phiK = FeatureMap(key);                                                        // (B, H, S, D)
        if (keyPadding is not null) phiK = phiK.masked_fill(keyPadding.view(B, 1, S, 1), 0.0);
        if (!causal)
        {
            var kv = phiK.transpose(-2, -1).matmul(value);                                 // (B, H, D, Dv) = Σⱼ φ(kⱼ) vⱼᵀ
            var z = phiK.sum(2).unsqueeze(-1);                                             // (B, H, D, 1) = Σⱼ φ(kⱼ)
            var numerator = phiQ.matmul(kv);                                               // (B, H, T, Dv)
            var denominator = phiQ.matmul(z);                                              // (B, H, T, 1)
            return (numerator / NonZero(denominator)).MoveToOuterDisposeScope();
        }
        var state = zeros(B, H, D, Dv, dtype: query.dtype);                                // Σ_{j < chunk start} φ(kⱼ) vⱼᵀ
        var normaliser = zeros(B, H, D, 1, dtype: query.dtype);                            // Σ_{j < chunk start} φ(kⱼ)
        var blocks = new List<Tensor>();
        for (long cs = 0; cs < T; cs += chunk)
        {
            long c = Math.Min(chunk, T - cs);
            var q = phiQ.narrow(2, cs, c); var k = phiK.narrow(2, cs, c); var v = value.narrow(2, cs, c);
            var inside = q.matmul(k.transpose(-2, -1)).tril();                             // (B, H, c, c): j ≤ i within the chunk
            var numerator = inside.matmul(v) + q.matmul(state);                            // (B, H, c, Dv)
            var denominator = inside.sum(-1, keepdim: true) + q.matmul(normaliser);        // (B, H, c, 1)
            blocks.Add(numerator / NonZero(denominator));
            state = state + k.transpose(-2, -1).matmul(v);                                 // (B, H, D, Dv)
            normaliser = normaliser + k.sum(2).unsqueeze(-1);                              // (B, H, D, 1)
        }
        return cat(blocks, 2).MoveToOuterDisposeScope();                                   // (B, H, T, Dv)
    }

    /// <summary>
    /// The non-causal form without autograd, in pieces of the sequence: every temporary (φ of a piece of queries or keys,
    /// its products) stays a few MiB, below the size at which glibc's allocator maps fresh pages for each allocation, so
    /// only the output is one large allocation and the time stays linear in T (the same reason
    /// <see cref="ChunkedAttention"/> uses 512 × 512 tiles).
    /// </summary>
    private static Tensor WithoutGradients(Tensor query, Tensor key, Tensor value, Tensor? keyPadding)
    {
        long B = query.shape[0], H = query.shape[1], T = query.shape[2], D = query.shape[3], S = key.shape[2], Dv = value.shape[3];
        long piece = Math.Max(1, (1L << 20) / (B * H * Math.Max(D, Dv)));                  // ≈ 4 MiB of float32 per temporary
        var output = empty(B, H, T, Dv, dtype: value.dtype);                               // (B, H, T, Dv)
        try
        {
            using var scope = NewDisposeScope();
            var kv = zeros(B, H, D, Dv, dtype: query.dtype);                               // Σⱼ φ(kⱼ) vⱼᵀ
            var z = zeros(B, H, D, 1, dtype: query.dtype);                                 // Σⱼ φ(kⱼ)
            for (long start = 0; start < S; start += piece)
            {
                long n = Math.Min(piece, S - start);
                using var inner = NewDisposeScope();
                var phiK = functional.elu(key.narrow(2, start, n), 1.0, false).add_(1);  // (B, H, n, D)
                if (keyPadding is not null) phiK.masked_fill_(keyPadding.narrow(1, start, n).view(B, 1, n, 1), 0.0);
                kv.add_(phiK.transpose(-2, -1).matmul(value.narrow(2, start, n)));
                z.add_(phiK.sum(2).unsqueeze(-1));
            }
            for (long start = 0; start < T; start += piece)
            {
                long n = Math.Min(piece, T - start);
                using var inner = NewDisposeScope();
                var phiQ = functional.elu(query.narrow(2, start, n), 1.0, false).add_(1); // (B, H, n, D)
                var numerator = phiQ.matmul(kv);                                           // (B, H, n, Dv)
                var denominator = phiQ.matmul(z);                                          // (B, H, n, 1)
                output.narrow(2, start, n).copy_(numerator.div_(NonZero(denominator)));
            }
            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A denominator that is 0 only for a query with no visible key (φ > 0 otherwise): replace it by 1 so the output is 0
    /// and the gradient stays finite.
    /// </summary>
    private static Tensor NonZero(Tensor denominator) => denominator.masked_fill(denominator.eq(0), 1.0);

    /// <summary>The same function written quadratically (for tests and lessons): <c>normalise(φ(q) φ(k)ᵀ ⊙ mask) v</c>.</summary>
    public static Tensor Quadratic(Tensor query, Tensor key, Tensor value, Tensor? keyPadding = null, bool causal = false)
    {
        long B = query.shape[0], S = key.shape[2];
        using var scope = NewDisposeScope();
        var a = FeatureMap(query).matmul(FeatureMap(key).transpose(-2, -1));               // (B, H, T, S)
        if (keyPadding is not null) a = a.masked_fill(keyPadding.view(B, 1, 1, S), 0.0);
        if (causal) a = a.tril();
        var weights = a / NonZero(a.sum(-1, keepdim: true));                               // rows sum to 1 (0 if empty)
        return weights.matmul(value).MoveToOuterDisposeScope();                            // (B, H, T, Dv)
    }
}
