namespace AttentionCourse.Metrics;

/// <summary>
/// Levenshtein edit distance (insertions, deletions and substitutions, each costing 1) and the error rates built on it:
/// word error rate when the tokens are words, character error rate when they are characters, digit error rate in lesson 11.
/// </summary>
public static class EditDistance
{
    /// <summary>The fewest insertions, deletions and substitutions that turn <paramref name="hypothesis"/> into <paramref name="reference"/>.</summary>
    public static int Distance<T>(IReadOnlyList<T> hypothesis, IReadOnlyList<T> reference, IEqualityComparer<T>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(reference);
        comparer ??= EqualityComparer<T>.Default;
        // One row of the dynamic programme: previous[j] = distance between hypothesis[..i] and reference[..j].
        var previous = Enumerable.Range(0, reference.Count + 1).ToArray();
        var current = new int[reference.Count + 1];
        for (int i = 1; i <= hypothesis.Count; i++)
        {
            current[0] = i;
            for (int j = 1; j <= reference.Count; j++)
            {
                int substitution = previous[j - 1] + (comparer.Equals(hypothesis[i - 1], reference[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[reference.Count];
    }

    /// <summary>
    /// Token error rate of a corpus: Σ edit distances / Σ reference lengths (the usual corpus WER, not a mean of per-sentence
    /// rates). It can exceed 1 (insertions). With no reference token at all it is the number of hypothesis tokens (each one
    /// an insertion against a length counted as 1), so 0 when both sides are empty — a number, never NaN.
    /// </summary>
    public static double TokenErrorRate<T>(IReadOnlyList<IReadOnlyList<T>> hypotheses, IReadOnlyList<IReadOnlyList<T>> references, IEqualityComparer<T>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(references);
        if (hypotheses.Count != references.Count)
            throw new ArgumentException($"references must have one sequence per hypothesis ({hypotheses.Count}); got {references.Count}.", nameof(references));
        long errors = 0, referenceTokens = 0;
        for (int i = 0; i < hypotheses.Count; i++)
        {
            errors += Distance(hypotheses[i], references[i], comparer);
            referenceTokens += references[i].Count;
        }
        return (double)errors / Math.Max(1, referenceTokens);
    }

    /// <summary>Character error rate of strings (tokens = characters).</summary>
    public static double CharacterErrorRate(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references)
        => TokenErrorRate(hypotheses.Select(h => (IReadOnlyList<char>)h.ToCharArray()).ToArray(), references.Select(r => (IReadOnlyList<char>)r.ToCharArray()).ToArray());

    /// <summary>Word error rate of strings split on whitespace.</summary>
    public static double WordErrorRate(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references)
    {
        static IReadOnlyList<string> Words(string s) => s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return TokenErrorRate(hypotheses.Select(Words).ToArray(), references.Select(Words).ToArray(), StringComparer.Ordinal);
    }
}
