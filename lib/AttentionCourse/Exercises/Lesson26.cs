using AttentionCourse.Metrics;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 26's exercises, computed independently of the learner's code.</summary>
public static class Lesson26
{
    /// <summary>
    /// Per coarse POS tag (index into <see cref="Data.BrownTags.Universal"/>): how much attention a key token of that tag
    /// receives relative to uniform attention — its column's mean weight over the sentence's real queries, times the
    /// sentence length n (uniform attention gives every key 1/n) — averaged over the tokens of the tag. Tags with fewer
    /// than <paramref name="minTokens"/> tokens get NaN.
    /// </summary>
    /// <param name="weights"><c>(B, T, T)</c>, row = query.</param>
    /// <param name="tagIds"><c>(B, T)</c> gold tag ids (any value at padding).</param>
    /// <param name="lengths">Real tokens per sentence.</param>
    /// <param name="minTokens">Tags with fewer tokens than this are too rare to rank: NaN.</param>
    public static double[] ReceivedAttentionByTag(Tensor weights, Tensor tagIds, IReadOnlyList<long> lengths, int minTokens = 50)
    {
        using var w = weights.detach().cpu().to_type(ScalarType.Float64).contiguous();
        using var t = tagIds.detach().cpu().to_type(ScalarType.Int64).contiguous();
        var flat = w.data<double>().ToArray();
        var tags = t.data<long>().ToArray();
        long T = weights.shape[1];
        int tagCount = Data.BrownTags.Universal.Count;
        var sum = new double[tagCount];
        var count = new int[tagCount];
        for (int b = 0; b < lengths.Count; b++)
        {
            long n = lengths[b];
            for (int j = 0; j < n; j++)
            {
                double column = 0;
                for (int i = 0; i < n; i++) column += flat[(b * T + i) * T + j];
                int tag = (int)tags[b * T + j];
                sum[tag] += column;              // (column / n) / (1 / n): mean received weight relative to uniform
                count[tag]++;
            }
        }
        return Enumerable.Range(0, tagCount).Select(g => count[g] >= minTokens ? sum[g] / count[g] : double.NaN).ToArray();
    }

    /// <summary>The tag id with the largest <see cref="ReceivedAttentionByTag"/> ratio.</summary>
    public static int MostAttendedTag(Tensor weights, Tensor tagIds, IReadOnlyList<long> lengths)
    {
        var ratios = ReceivedAttentionByTag(weights, tagIds, lengths);
        return Enumerable.Range(0, ratios.Length).Where(g => !double.IsNaN(ratios[g])).MaxBy(g => ratios[g]);
    }

    /// <summary>Entity F1 under seqeval's strict IOB2 reading: an entity must start with B-; a stray I- opens nothing.</summary>
    public static double StrictEntityF1(IReadOnlyList<IReadOnlyList<string>> gold, IReadOnlyList<IReadOnlyList<string>> predicted)
    {
        static IEnumerable<Entity> Strict(IReadOnlyList<string> labels)
            => SequenceLabeling.Entities(labels).Where(e => labels[e.Start].StartsWith("B-", StringComparison.Ordinal));
        long g = 0, p = 0, c = 0;
        for (int s = 0; s < gold.Count; s++)
        {
            var goldSet = Strict(gold[s]).ToHashSet();
            var predictedList = Strict(predicted[s]).ToList();
            g += goldSet.Count; p += predictedList.Count; c += predictedList.Count(goldSet.Contains);
        }
        return new EntityScores(g, p, c).F1;
    }
}
