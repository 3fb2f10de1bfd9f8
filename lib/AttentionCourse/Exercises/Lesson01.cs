using AttentionCourse.Data;
using AttentionCourse.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 01's exercises (the checks compare the learner's answer with these).</summary>
public static class Lesson01
{
    /// <summary>
    /// Exercise 1: choosing the half-width of a boxcar kernel (hard, windowed attention) by leave-one-out error. For each
    /// half-width h in <paramref name="halfWidths"/>, every training point x predicts the mean of the values of the
    /// <em>other</em> training points with |x − k| ≤ h (itself excluded); a point with no other point inside its window
    /// predicts the value of its nearest other point instead (the fallback lesson 01's "Hard vs soft" uses, so that an empty
    /// window is not scored as a prediction of 0), and the result is the mean squared error of those predictions against
    /// the noisy training targets. Returns one error per half-width, <c>(G)</c>.
    /// </summary>
    public static Tensor BoxcarLeaveOneOutErrors(KernelRegressionData data, double[] halfWidths)
    {
        ArgumentNullException.ThrowIfNull(halfWidths);
        if (halfWidths.Length == 0 || halfWidths.Any(h => !(h > 0)))
            throw new ArgumentException($"halfWidths must be a non-empty list of positive numbers; got [{string.Join(", ", halfWidths)}].", nameof(halfWidths));
        using var scope = NewDisposeScope();
        long n = data.TrainX.shape[0];
        var distance = (data.TrainX.unsqueeze(1) - data.TrainX.unsqueeze(0)).abs();      // (S, S)
        var notSelf = eye(n, dtype: ScalarType.Bool).logical_not();                        // (S, S)
        var errors = halfWidths.Select(h =>
        {
            var nearestOther = functional.one_hot(distance.masked_fill(notSelf.logical_not(), double.PositiveInfinity).argmin(1), n).to_type(ScalarType.Bool); // (S, S): each point's nearest other point
            var allowed = distance.le(h).logical_and(notSelf).logical_or(nearestOther);     // (S, S): the other keys inside the window, and always the nearest other one
            var prediction = Attention.MaskedSoftmax(zeros_like(distance), allowed).matmul(data.TrainY);   // (S)
            return (prediction - data.TrainY).square().mean();
        }).ToArray();
        return stack(errors).MoveToOuterDisposeScope();                                    // (G)
    }

    /// <summary>
    /// Exercise 2: how often random projections leave a token's largest weight on itself. Draws <paramref name="draws"/> pairs
    /// of random <c>(d, d)</c> matrices from <c>new Generator(seed)</c> — first all the W_q as one <c>randn(draws, d, d)</c>, then
    /// all the W_k the same way — scores <c>(X W_q)(X W_k)ᵀ</c> for each pair (the 1/√d and the softmax do not move the argmax),
    /// and returns the share of the <c>draws × T</c> rows whose largest score is on a key that <paramref name="sameToken"/>
    /// <c>(T, T)</c> marks as the query's own token.
    /// </summary>
    public static double SelfTopShare(Tensor tokens, Tensor sameToken, int draws, ulong seed)
    {
        Check.Rank(tokens, 2, nameof(tokens), "(tokens, width)");
        Check.Rank(sameToken, 2, nameof(sameToken), "(tokens, tokens)");
        if (draws <= 0) throw new ArgumentException($"draws must be positive; got {draws}.", nameof(draws));
        using var scope = NewDisposeScope();
        long t = tokens.shape[0], d = tokens.shape[1];
        var generator = new Generator(seed);
        var wq = randn(new long[] { draws, d, d }, generator: generator);                 // (draws, d, d)
        var wk = randn(new long[] { draws, d, d }, generator: generator);                 // (draws, d, d)
        var scores = tokens.matmul(wq).matmul(tokens.matmul(wk).transpose(1, 2));          // (draws, T, T)
        var top = scores.argmax(-1, keepdim: true);                                        // (draws, T, 1)
        return sameToken.to_type(ScalarType.Bool).expand(draws, t, t).gather(2, top).to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>
    /// Exercise 3: batched multi-head attention with a padding mask and a causal mask, written out. <c>query (B, H, T, D)</c>,
    /// <c>key (B, H, S, D)</c>, <c>value (B, H, S, Dv)</c>; <paramref name="keyPadding"/> <c>(B, S)</c> Bool, true = a padded key
    /// (PyTorch's <c>key_padding_mask</c> convention); with <paramref name="causal"/>, query i may see key j only if
    /// j ≤ i + (S − T): the causal mask aligned bottom-right, as when the T queries are the last T of the S positions.
    /// Returns <c>softmax(q kᵀ/√D) v</c> over the allowed keys, <c>(B, H, T, Dv)</c>; a query with no allowed key gets zeros.
    /// </summary>
    public static Tensor BatchedMaskedAttention(Tensor query, Tensor key, Tensor value, Tensor keyPadding, bool causal)
    {
        Check.Rank(query, 4, nameof(query), "(batch, heads, queries, width)");
        Check.Rank(key, 4, nameof(key), "(batch, heads, keys, width)");
        Check.Rank(value, 4, nameof(value), "(batch, heads, keys, value width)");
        Check.Rank(keyPadding, 2, nameof(keyPadding), "(batch, keys), true = padded");
        using var scope = NewDisposeScope();
        long b = query.shape[0], t = query.shape[2], s = key.shape[2];
        var allowed = keyPadding.logical_not().view(b, 1, 1, s);                              // (B, 1, 1, S)
        if (causal) allowed = allowed.logical_and(ones(t, s, dtype: ScalarType.Bool).tril(s - t)); // (B, 1, T, S): bottom-right
        var scores = query.matmul(key.transpose(-2, -1)) / Math.Sqrt(query.shape[^1]);       // (B, H, T, S)
        var masked = scores.masked_fill(allowed.logical_not(), double.NegativeInfinity);      // (B, H, T, S)
        var weights = masked.softmax(-1).nan_to_num(0.0);                                     // an empty row is NaN: zero it
        return weights.matmul(value).MoveToOuterDisposeScope();                               // (B, H, T, Dv)
    }
}
