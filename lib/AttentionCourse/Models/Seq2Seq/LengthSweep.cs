using AttentionCourse.Data;
using AttentionCourse.Training;

namespace AttentionCourse.Models;

/// <summary>Accuracy of a sequence-to-sequence model measured separately at each input length (lesson 22's bottleneck curve).</summary>
public static class LengthSweep
{
    /// <summary>
    /// For each length in <paramref name="lengths"/>: <paramref name="perLength"/> fresh random strings of exactly that length
    /// (seeded), decoded greedily; returns exact match (the whole output right) and token accuracy (share of target
    /// positions whose token is right; a missing token counts as wrong) per length.
    /// </summary>
    public static (double[] exactMatch, double[] tokenAccuracy) Measure(Seq2SeqModel model, IReadOnlyList<int> lengths, int perLength, DigitTaskKind kind, int seed)
    {
        var vocabulary = DigitSequenceTask.Vocabulary();
        var exact = new double[lengths.Count];
        var tokens = new double[lengths.Count];
        for (int i = 0; i < lengths.Count; i++)
        {
            var (sources, targets) = DigitSequenceTask.Generate(perLength, lengths[i], lengths[i], kind, seed + i);
            using var data = Seq2SeqTensors.Encode(sources, targets, vocabulary, vocabulary);
            var hypotheses = Seq2SeqTraining.Decode(model, data, DecodingOptions.For(vocabulary, lengths[i] + 2));
            int right = 0, correctTokens = 0;
            for (int n = 0; n < perLength; n++)
            {
                var target = vocabulary.Encode(targets[n]).Append(vocabulary.EndId).ToArray();
                if (hypotheses[n].Tokens.SequenceEqual(target)) right++;
                for (int t = 0; t < targets[n].Length; t++)
                    if (t < hypotheses[n].Tokens.Length && hypotheses[n].Tokens[t] == target[t]) correctTokens++;
            }
            exact[i] = (double)right / perLength;
            tokens[i] = (double)correctTokens / (perLength * lengths[i]);
        }
        return (exact, tokens);
    }
}
