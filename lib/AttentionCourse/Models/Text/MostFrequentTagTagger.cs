namespace AttentionCourse.Models;

/// <summary>
/// The context-free baseline every tagger must beat: each token gets the label it carried most often in the training
/// data, whatever its neighbours (Jurafsky &amp; Martin, <i>Speech and Language Processing</i>, 3rd ed. draft, the part-of-speech tagging chapter:
/// the most-frequent-class baseline for part-of-speech tagging). A token never seen in training gets
/// <see cref="Fallback"/>, the most frequent label overall. Ties go to the label that is first in ordinal string order,
/// so the table does not depend on the order of the training data.
/// </summary>
/// <remarks>
/// Feed it the same token strings the tagger reads: with <see cref="Data.WordSignatures.Map"/>, words seen fewer than
/// <c>minCount</c> times in training become their signature (<c>&lt;unk-Cap&gt;</c>…), so an unseen test word gets the
/// most frequent label of the rare training words with its spelling signature, and only a signature never seen in
/// training falls back to <see cref="Fallback"/>.
/// </remarks>
public sealed class MostFrequentTagTagger
{
    private readonly Dictionary<string, string> table;

    private MostFrequentTagTagger(Dictionary<string, string> table, string fallback)
    {
        this.table = table;
        Fallback = fallback;
    }

    /// <summary>The label of any token that is not in the table: the most frequent training label.</summary>
    public string Fallback { get; }

    /// <summary>Distinct training tokens in the table.</summary>
    public int Count => table.Count;

    /// <summary>Counts the labels of every token in the training sequences and keeps each token's most frequent one.</summary>
    /// <param name="tokens">Training sequences of tokens.</param>
    /// <param name="labels">Their labels, one per token.</param>
    public static MostFrequentTagTagger Fit(IEnumerable<IReadOnlyList<string>> tokens, IEnumerable<IReadOnlyList<string>> labels)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(labels);
        var counts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var overall = new Dictionary<string, int>(StringComparer.Ordinal);
        int sequence = 0;
        using (var t = tokens.GetEnumerator())
        using (var l = labels.GetEnumerator())
        {
            while (true)
            {
                bool moreTokens = t.MoveNext(), moreLabels = l.MoveNext();
                if (moreTokens != moreLabels)
                    throw new ArgumentException($"tokens and labels must hold the same number of sequences; they differ after {sequence}.", nameof(labels));
                if (!moreTokens) break;
                if (t.Current.Count != l.Current.Count)
                    throw new ArgumentException($"sequence {sequence} has {t.Current.Count} tokens but {l.Current.Count} labels.", nameof(labels));
                for (int i = 0; i < t.Current.Count; i++)
                {
                    if (!counts.TryGetValue(t.Current[i], out var perLabel)) counts[t.Current[i]] = perLabel = new(StringComparer.Ordinal);
                    perLabel[l.Current[i]] = perLabel.GetValueOrDefault(l.Current[i]) + 1;
                    overall[l.Current[i]] = overall.GetValueOrDefault(l.Current[i]) + 1;
                }
                sequence++;
            }
        }
        if (overall.Count == 0) throw new ArgumentException("the training sequences hold no token.", nameof(tokens));
        return new MostFrequentTagTagger(counts.ToDictionary(kv => kv.Key, kv => MostFrequent(kv.Value), StringComparer.Ordinal), MostFrequent(overall));
    }

    private static string MostFrequent(Dictionary<string, int> counts)
        => counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;

    /// <summary>The label of one token: its most frequent training label, or <see cref="Fallback"/> if it was never seen.</summary>
    public string Tag(string token) => table.TryGetValue(token, out var label) ? label : Fallback;

    /// <summary>One label per token of the sequence, each chosen without looking at its neighbours.</summary>
    public string[] Tag(IReadOnlyList<string> tokens) => tokens.Select(Tag).ToArray();
}
