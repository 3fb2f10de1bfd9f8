using static TorchSharp.torch;

namespace AttentionCourse.Data;

/// <summary>
/// Token sequences with one or more label sets (one label per token), as padded tensors for a tagger: ids and labels
/// <c>(N, T)</c> Int64, 0 at padded positions (mask them: <see cref="KeyPadding"/>), and the true lengths.
/// </summary>
/// <param name="Ids"><c>(N, T)</c> token ids from the vocabulary, <see cref="Vocabulary.PaddingId"/> at padding.</param>
/// <param name="KeyPadding"><c>(N, T)</c> Bool, true = padded.</param>
/// <param name="Labels">One <c>(N, T)</c> Int64 tensor per label set: the index of each token's label in that set's names.</param>
/// <param name="Lengths">Tokens in each sequence.</param>
public sealed record LabelledSequences(Tensor Ids, Tensor KeyPadding, Tensor[] Labels, long[] Lengths) : IDisposable
{
    /// <summary>Number of sequences.</summary>
    public long Count => Ids.shape[0];

    /// <summary>Builds the tensors.</summary>
    /// <param name="tokens">The sequences' tokens.</param>
    /// <param name="vocabulary">Token ids (built on the training split; unknown tokens map to <see cref="Vocabulary.UnknownId"/>).</param>
    /// <param name="length">Padded length T; a longer sequence is an error (filter or cut first).</param>
    /// <param name="labelSets">For each label set: the labels of every sequence, and the names whose indices are the ids.</param>
    public static LabelledSequences From(IReadOnlyList<IReadOnlyList<string>> tokens, Vocabulary vocabulary, int length,
        params (IReadOnlyList<IReadOnlyList<string>> labels, IReadOnlyList<string> names)[] labelSets)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(vocabulary);
        using var padded = PaddedBatch.From(tokens.Select(t => vocabulary.Encode(t)).ToList(), length);
        var labels = new Tensor[labelSets.Length];
        for (int k = 0; k < labelSets.Length; k++)
        {
            var (sets, names) = labelSets[k];
            if (sets.Count != tokens.Count)
                throw new ArgumentException($"labelSets[{k}] must have one label list per sequence ({tokens.Count}); got {sets.Count}.", nameof(labelSets));
            var index = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => (long)p.i, StringComparer.Ordinal);
            var flat = new long[tokens.Count * length];
            for (int s = 0; s < tokens.Count; s++)
            {
                if (sets[s].Count != tokens[s].Count)
                    throw new ArgumentException($"labelSets[{k}], sequence {s}: {sets[s].Count} labels for {tokens[s].Count} tokens.", nameof(labelSets));
                for (int t = 0; t < sets[s].Count; t++)
                    flat[s * length + t] = index.TryGetValue(sets[s][t], out var id) ? id
                        : throw new ArgumentException($"labelSets[{k}], sequence {s}, token {t}: label '{sets[s][t]}' is not one of {string.Join(" ", names)}.", nameof(labelSets));
            }
            labels[k] = tensor(flat, new long[] { tokens.Count, length });
        }
        return new LabelledSequences(padded.Ids.clone(), padded.KeyPadding.clone(), labels, padded.Lengths);
    }

    public void Dispose()
    {
        Ids.Dispose();
        KeyPadding.Dispose();
        foreach (var l in Labels) l.Dispose();
    }
}
