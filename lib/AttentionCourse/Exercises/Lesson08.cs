using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>
/// References for lesson 08's exercises, computed from the definitions with plain loops, so that an answer which
/// just calls the library (<c>Masks.Causal</c>, <c>MultiHeadAttention.SelfAttention</c>) is compared with something
/// other than itself.
/// </summary>
public static class Lesson08
{
    /// <summary>
    /// The causal mask for <paramref name="queries"/> new tokens after <c>keys − queries</c> cached ones, entry by
    /// entry from its definition: query i sits at absolute position i + (S − T) and may see key j exactly when
    /// j ≤ i + (S − T). Returns a <c>(T, S)</c> Bool tensor, true = may attend.
    /// </summary>
    public static Tensor CausalMaskByDefinition(long queries, long keys)
    {
        if (queries < 1 || keys < queries) throw new ArgumentException($"need 1 ≤ queries ≤ keys, got {queries} queries over {keys} keys");
        var allowed = new bool[queries * keys];
        for (long i = 0; i < queries; i++)
            for (long j = 0; j < keys; j++)
                allowed[i * keys + j] = j <= i + (keys - queries);
        return tensor(allowed).view(queries, keys);
    }

    /// <summary>
    /// The masked softmax of <paramref name="scores"/> <c>(R, S)</c> under <paramref name="allowed"/> <c>(R, S)</c>
    /// (Bool, true = may attend), row by row from the definition in double precision: an allowed entry gets
    /// exp(sⱼ − m) / Σ exp(sᵢ − m) over the allowed entries i, with m the row's largest allowed score; a forbidden
    /// entry gets 0; a row with nothing allowed gets all zeros. Returns float32 <c>(R, S)</c>.
    /// </summary>
    public static Tensor MaskedSoftmaxByDefinition(Tensor scores, Tensor allowed)
    {
        if (scores.dim() != 2 || !scores.shape.SequenceEqual(allowed.shape)) throw new ArgumentException("need scores and allowed of the same (R, S) shape");
        long rows = scores.shape[0], keys = scores.shape[1];
        var s = scores.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        var a = allowed.to_type(ScalarType.Bool).contiguous().data<bool>().ToArray();
        var result = new float[rows * keys];
        for (long r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity;
            for (long j = 0; j < keys; j++) if (a[r * keys + j]) max = Math.Max(max, s[r * keys + j]);
            if (double.IsNegativeInfinity(max)) continue;                                   // nothing allowed: the row stays 0
            double sum = 0;
            for (long j = 0; j < keys; j++) if (a[r * keys + j]) sum += Math.Exp(s[r * keys + j] - max);
            for (long j = 0; j < keys; j++) if (a[r * keys + j]) result[r * keys + j] = (float)(Math.Exp(s[r * keys + j] - max) / sum);
        }
        return tensor(result).view(rows, keys);
    }

    /// <summary>
    /// Multi-head self-attention written as a loop over sequences and heads, with the packed input projection
    /// <paramref name="inputWeight"/> <c>(3E, E)</c> and <paramref name="inputBias"/> <c>(3E)</c> (rows: queries,
    /// keys, values; head h takes rows h·D … h·D + D − 1 of each block, D = E / H), a softmax written out with
    /// its row maximum subtracted, and the output projection. Returns the output <c>(B, T, E)</c> and the
    /// per-head weights <c>(B, H, T, T)</c>. <paramref name="allowed"/> (optional, Bool, true = may attend) is any
    /// shape that broadcasts to <c>(B, H, T, T)</c>, e.g. a causal <c>(T, T)</c> or a padding + causal
    /// <c>(B, 1, T, T)</c>: entry by entry, a forbidden key gets weight exactly 0 and the allowed ones share the row;
    /// a row with no allowed key gets all zeros (and so a zero context).
    /// </summary>
    public static (Tensor output, Tensor weights) MultiHeadByLoop(Tensor x, Tensor inputWeight, Tensor inputBias,
        Tensor outputWeight, Tensor outputBias, long heads, Tensor? allowed = null)
    {
        using var noGrad = no_grad();
        long batch = x.shape[0], time = x.shape[1], width = x.shape[2];
        if (width % heads != 0) throw new ArgumentException($"width {width} is not divisible by {heads} heads");
        long headWidth = width / heads;
        var mask = allowed?.to_type(ScalarType.Bool).expand(batch, heads, time, time);       // (B, H, T, T), a view
        var outputs = new List<Tensor>(); var weights = new List<Tensor>();
        for (long b = 0; b < batch; b++)
        {
            var merged = new List<Tensor>(); var sequenceWeights = new List<Tensor>();
            for (long h = 0; h < heads; h++)
            {
                Tensor Project(long part) =>
                    x[b].matmul(inputWeight.narrow(0, part * width + h * headWidth, headWidth).t()) + inputBias.narrow(0, part * width + h * headWidth, headWidth); // (T, D)
                var (q, k, v) = (Project(0), Project(1), Project(2));
                var scores = q.matmul(k.t()) / Math.Sqrt(headWidth);                          // (T, T)
                Tensor w;                                                                      // (T, T)
                if (mask is null)
                {
                    var exps = (scores - scores.amax(new long[] { -1 }, keepdim: true)).exp();
                    w = exps / exps.sum(-1, keepdim: true);
                }
                else w = MaskedSoftmaxByDefinition(scores, mask[b, h]);                  // forbidden keys get exactly 0
                merged.Add(w.matmul(v)); sequenceWeights.Add(w);
            }
            outputs.Add(cat(merged.ToArray(), 1).matmul(outputWeight.t()) + outputBias);        // (T, E): heads side by side, then W_O
            weights.Add(stack(sequenceWeights.ToArray()));                                     // (H, T, T)
        }
        return (stack(outputs.ToArray()), stack(weights.ToArray()));
    }
}
