using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 27's exercises, computed independently of the learner's code.</summary>
public static class Lesson27
{
    /// <summary>
    /// Erasure: the share of passages whose predicted class changes when the token at <paramref name="positions"/>[b] of
    /// row b is replaced by the unknown token (the model in eval mode, padding unchanged). Computed one passage at a time.
    /// </summary>
    /// <param name="model">A trained classifier.</param>
    /// <param name="ids"><c>(B, T)</c> token ids, 0-padded at the end.</param>
    /// <param name="keyPadding"><c>(B, T)</c> Bool, true = padded.</param>
    /// <param name="positions">One real position per row.</param>
    public static double ErasureFlipRate(SentenceClassifier model, Tensor ids, Tensor keyPadding, IReadOnlyList<long> positions)
    {
        if (positions.Count != ids.shape[0])
            throw new ArgumentException($"positions needs one entry per row ({ids.shape[0]}); got {positions.Count}.", nameof(positions));
        bool wasTraining = model.training;
        model.eval();
        int flips = 0;
        using (no_grad())
            for (int b = 0; b < positions.Count; b++)
            {
                using var scope = NewDisposeScope();
                var row = ids[b].unsqueeze(0).clone();                                   // (1, T)
                var padding = keyPadding[b].unsqueeze(0);                                // (1, T)
                long p = positions[b];
                if (p < 0 || p >= row.shape[1] || padding[0, p].item<bool>())
                    throw new ArgumentException($"positions[{b}] = {p} is not a real token of row {b}.", nameof(positions));
                long before = model.call(row, padding).argmax(-1).item<long>();
                row[0, p] = Data.Vocabulary.UnknownId;
                long after = model.call(row, padding).argmax(-1).item<long>();
                if (before != after) flips++;
            }
        if (wasTraining) model.train();
        return flips / (double)positions.Count;
    }

    /// <summary>The position of each row with the largest attention summed over the hops: A <c>(B, r, T)</c> → B positions.</summary>
    public static long[] MostAttendedPositions(Tensor weights)
    {
        using var scope = NewDisposeScope();
        return weights.detach().sum(1).argmax(-1).cpu().data<long>().ToArray();
    }

    /// <summary>
    /// Jain &amp; Wallace's permutation test with several permutations: for each passage, the total-variation distance
    /// <c>½ Σ_c |p_c − q_c|</c> between the model's output distribution p and the one q obtained with the same attention
    /// weights shuffled over the passage's real positions (one permutation per passage and draw, the same for all hops;
    /// H and the MLP kept), then the median over <paramref name="permutations"/> draws. Returns one median per passage.
    /// The k-th draw orders each row by <c>rand((B, T), generator)</c> with padding set to 2 (so it sorts last).
    /// </summary>
    /// <param name="model">A trained self-attentive classifier.</param>
    /// <param name="ids"><c>(B, T)</c> token ids, 0-padded at the end.</param>
    /// <param name="keyPadding"><c>(B, T)</c> Bool, true = padded.</param>
    /// <param name="permutations">Draws per passage (≥ 1).</param>
    /// <param name="seed">Seed of the permutations' generator.</param>
    public static double[] MedianPermutationTvd(SentenceClassifier model, Tensor ids, Tensor keyPadding, int permutations, long seed)
    {
        if (model.Attention is null) throw new ArgumentException("the model must use self-attentive pooling.", nameof(model));
        if (permutations < 1) throw new ArgumentException($"permutations must be at least 1; got {permutations}.", nameof(permutations));
        bool wasTraining = model.training;
        model.eval();
        long B = ids.shape[0], T = ids.shape[1];
        var tvd = new double[permutations][];
        using (no_grad())
        {
            using var scope = NewDisposeScope();
            var h = model.Encode(ids, keyPadding);                                            // (B, T, 2u)
            var (logits, weights) = model.Classify(ids, keyPadding);                          // (B, C), (B, r, T)
            var p = logits.softmax(-1);
            var generator = new Generator((ulong)seed);
            for (int k = 0; k < permutations; k++)
            {
                var order = rand(new long[] { B, T }, generator: generator).masked_fill(keyPadding, 2.0).argsort(1);   // (B, T)
                var shuffled = weights.gather(2, order.unsqueeze(1).expand_as(weights));       // (B, r, T)
                var q = model.Head(shuffled.bmm(h).flatten(1)).softmax(-1);                   // (B, C)
                tvd[k] = (p - q).abs().sum(-1).mul(0.5).to_type(ScalarType.Float64).data<double>().ToArray();
            }
        }
        if (wasTraining) model.train();
        return Enumerable.Range(0, (int)B).Select(b =>
        {
            var sorted = tvd.Select(row => row[b]).Order().ToArray();
            return permutations % 2 == 1 ? sorted[permutations / 2] : (sorted[permutations / 2 - 1] + sorted[permutations / 2]) / 2;
        }).ToArray();
    }
}
