using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// Attention as pure functions (annotated-transformer style): scores, a masked softmax and
/// scaled dot-product attention, written out step by step. The modules in this folder call these.
/// </summary>
public static class Attention
{
    /// <summary>
    /// Softmax over the last dimension that gives masked entries exactly zero weight.
    /// A row whose entries are all masked gets all-zero weights (not NaN, and no NaN in the gradient):
    /// such a query attends to nothing and its output is the zero vector.
    /// </summary>
    /// <param name="scores">Scores <c>(…, T, S)</c>.</param>
    /// <param name="allowed">Bool, broadcastable to <paramref name="scores"/>; true = may attend. Null = no mask.</param>
    public static Tensor MaskedSoftmax(Tensor scores, Tensor? allowed)
    {
        if (allowed is null) return functional.softmax(scores, -1);
        Check.MaskFor(allowed, scores.shape, nameof(allowed));
        using var scope = NewDisposeScope();
        var masked = scores.masked_fill(allowed.logical_not(), double.NegativeInfinity);   // (…, T, S)
        // A fully masked row has max −∞; subtracting it would give NaN, so such rows use 0 instead.
        var rowMax = masked.amax(new long[] { -1 }, keepdim: true).detach();              // (…, T, 1)
        rowMax = rowMax.masked_fill(rowMax.isneginf(), 0.0);
        var exp = (masked - rowMax).exp();                                                 // (…, T, S), 0 where masked
        var sum = exp.sum(-1, keepdim: true);                                              // (…, T, 1), ≥ 1 unless the row is empty
        // clamp_min(1) leaves every non-empty row as it is and keeps 1/sum finite (also in the gradient) for empty rows.
        var weights = exp / sum.clamp_min(1.0);                                            // (…, T, S)
        return weights.MoveToOuterDisposeScope();
    }

    /// <summary>Dot-product scores <c>q·k</c>: <c>(…, T, D) × (…, S, D) → (…, T, S)</c>.</summary>
    public static Tensor DotScores(Tensor query, Tensor key) => query.matmul(key.transpose(-2, -1));

    /// <summary>Scaled dot-product scores <c>q·k/√D</c>: <c>(…, T, D) × (…, S, D) → (…, T, S)</c>.</summary>
    public static Tensor ScaledDotScores(Tensor query, Tensor key)
    {
        using var raw = DotScores(query, key);
        return raw / Math.Sqrt(query.shape[^1]);
    }

    /// <summary>Luong's "general" scores <c>qᵀ W k</c> with <c>W (Dq, Dk)</c>: <c>(B, T, Dq) × (B, S, Dk) → (B, T, S)</c>.</summary>
    public static Tensor GeneralScores(Tensor query, Tensor key, Tensor weight)
    {
        using var projected = query.matmul(weight);                                        // (B, T, Dk)
        return DotScores(projected, key);                                                  // (B, T, S)
    }

    /// <summary>
    /// Additive (Bahdanau) scores <c>vᵀ tanh(Wq q + Wk k)</c>.
    /// <c>query (B, T, Dq)</c>, <c>key (B, S, Dk)</c>, <c>queryWeight (A, Dq)</c>, <c>keyWeight (A, Dk)</c>,
    /// <c>scoreVector (A)</c> → <c>(B, T, S)</c>.
    /// </summary>
    public static Tensor AdditiveScores(Tensor query, Tensor key, Tensor queryWeight, Tensor keyWeight, Tensor scoreVector)
    {
        using var scope = NewDisposeScope();
        var q = functional.linear(query, queryWeight).unsqueeze(2);                       // (B, T, 1, A)
        var k = functional.linear(key, keyWeight).unsqueeze(1);                           // (B, 1, S, A)
        var scores = (q + k).tanh().matmul(scoreVector);                                   // (B, T, S)
        return scores.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Scaled dot-product attention written out: <c>softmax(q kᵀ / √D) v</c>, returning the output and the weights.
    /// </summary>
    /// <param name="query"><c>(B, H, T, D)</c> (any number of leading dimensions).</param>
    /// <param name="key"><c>(B, H, S, D)</c>.</param>
    /// <param name="value"><c>(B, H, S, Dv)</c>.</param>
    /// <param name="allowed">Optional Bool mask broadcastable to <c>(B, H, T, S)</c>; true = may attend.</param>
    /// <returns>output <c>(B, H, T, Dv)</c> and weights <c>(B, H, T, S)</c>; fully masked rows give zeros.</returns>
    public static (Tensor output, Tensor weights) ScaledDotProduct(Tensor query, Tensor key, Tensor value, Tensor? allowed = null)
    {
        CheckQkv(query, key, value);
        Check.MaskFor(allowed, ScoreShape(query, key), nameof(allowed));
        using var scope = NewDisposeScope();
        var scores = ScaledDotScores(query, key);                                          // (B, H, T, S)
        var weights = MaskedSoftmax(scores, allowed);                                      // (B, H, T, S)
        var output = weights.matmul(value);                                                // (B, H, T, Dv)
        return scope.MoveToOuter(output, weights);
    }

    /// <summary>
    /// The same computation through TorchSharp's fused kernel (<c>scaled_dot_product_attention</c>),
    /// which works on blocks of keys instead of the whole <c>(T, S)</c> weight matrix (on this CPU build its peak memory grows
    /// linearly with T: a whole-process peak of 278 MiB against 16,666 MiB (≈ 16.3 GiB) for the written-out form at T = 16,384, measured by the benchmark suite).
    /// LibTorch's CPU back end considers its fused (flash) kernel only for 4-D <c>(B, H, T, D)</c> inputs and runs the unfused
    /// math path for any other rank, so callers that want the fused path pass 4-D tensors (as <see cref="MultiHeadAttention"/> does).
    /// Fully masked rows give zeros, as in the manual path: LibTorch 2.10 on CPU already returns zeros for them with 4-D and
    /// 3-D inputs (lesson 08 measures both), but other versions and back ends have returned NaN, so this method does not rely on it.
    /// </summary>
    public static Tensor ScaledDotProductFused(Tensor query, Tensor key, Tensor value, Tensor? allowed = null, double dropout = 0.0)
    {
        CheckQkv(query, key, value);
        Check.MaskFor(allowed, ScoreShape(query, key), nameof(allowed));
        if (allowed is null) return functional.scaled_dot_product_attention(query, key, value, p: dropout);
        using var scope = NewDisposeScope();
        var anyAllowed = allowed.any(-1, keepdim: true);                                   // (…, T, 1)
        if (anyAllowed.all().item<bool>())
            return functional.scaled_dot_product_attention(query, key, value, allowed, p: dropout).MoveToOuterDisposeScope();
        // Let empty rows attend everywhere (finite), then zero their output.
        var safe = allowed.logical_or(anyAllowed.logical_not());                           // (…, T, S)
        var output = functional.scaled_dot_product_attention(query, key, value, safe, p: dropout); // (…, T, Dv)
        output = output.masked_fill(anyAllowed.logical_not(), 0.0);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>The shape of the scores: query's leading dimensions, then (T, S).</summary>
    static long[] ScoreShape(Tensor query, Tensor key) => query.shape[..^1].Append(key.shape[^2]).ToArray();

    static void CheckQkv(Tensor query, Tensor key, Tensor value)
    {
        if (query.dim() < 2 || key.dim() != query.dim() || value.dim() != query.dim())
            throw new ArgumentException(
                $"query, key and value must have the same rank ≥ 2, (…, T, D), (…, S, D), (…, S, Dv); got {Check.Describe(query.shape)}, {Check.Describe(key.shape)}, {Check.Describe(value.shape)}.", nameof(query));
        if (query.shape[^1] != key.shape[^1])
            throw new ArgumentException(
                $"key's last dimension must equal query's ({query.shape[^1]}); got {key.shape[^1]} (key shape {Check.Describe(key.shape)}).", nameof(key));
        if (key.shape[^2] != value.shape[^2])
            throw new ArgumentException(
                $"value must have as many positions as key ({key.shape[^2]}); got {value.shape[^2]} (value shape {Check.Describe(value.shape)}).", nameof(value));
        for (int i = 0; i < query.dim() - 2; i++)
        {
            if (key.shape[i] != query.shape[i] || value.shape[i] != query.shape[i])
                throw new ArgumentException(
                    $"key and value must have query's leading dimensions {Check.Describe(query.shape[..^2])}; got key {Check.Describe(key.shape)}, value {Check.Describe(value.shape)}.", nameof(key));
        }
        Check.NonEmpty(query, nameof(query));
        Check.NonEmpty(key, nameof(key));
    }
}
