using System.Text.RegularExpressions;

namespace AttentionCourse.Metrics;

/// <summary>
/// Cheap, model-free measures of generated text: how much of it is made of real words, and how repetitive it is.
/// Neither says the text is good (lesson 30): they catch gibberish and loops.
/// </summary>
public static partial class GeneratedText
{
    [GeneratedRegex("[A-Za-z]+")]
    private static partial Regex WordPattern();

    /// <summary>The words of a text: maximal runs of ASCII letters, lower-cased.</summary>
    public static string[] Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant()).ToArray();
    }

    /// <summary>The set of words of a reference text (e.g. the training text), for <see cref="KnownWordRate"/>.</summary>
    public static HashSet<string> Lexicon(string text) => new(Words(text), StringComparer.Ordinal);

    /// <summary>
    /// Share of the words of <paramref name="text"/> with at least <paramref name="minimumLength"/> letters that occur in
    /// <paramref name="lexicon"/> (0 for a text with no such word). The default skips one-letter words: "a" and "I" are
    /// real words that random characters produce by chance. An untrained character model scores near 0; real English
    /// against its own book's lexicon near 1.
    /// </summary>
    public static double KnownWordRate(string text, IReadOnlySet<string> lexicon, int minimumLength = 2)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        Layers.Check.AtLeast(minimumLength, 1, nameof(minimumLength));
        var words = Words(text).Where(w => w.Length >= minimumLength).ToArray();
        return words.Length == 0 ? 0 : (double)words.Count(lexicon.Contains) / words.Length;
    }

    /// <summary>
    /// distinct-n (Li et al. 2016): the number of distinct n-grams divided by the number of n-grams, over the
    /// tokens of one or more <paramref name="texts"/> pooled. 1 = no n-gram repeats; near 0 = a loop. 0 when there is no n-gram.
    /// </summary>
    public static double DistinctN<T>(IEnumerable<IReadOnlyList<T>> texts, int n)
    {
        ArgumentNullException.ThrowIfNull(texts);
        Layers.Check.AtLeast(n, 1, nameof(n));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        foreach (var tokens in texts)
            for (int i = 0; i + n <= tokens.Count; i++)
            {
                total++;
                seen.Add(string.Join("\u0001", Enumerable.Range(i, n).Select(j => tokens[j])));
            }
        return total == 0 ? 0 : (double)seen.Count / total;
    }
}
