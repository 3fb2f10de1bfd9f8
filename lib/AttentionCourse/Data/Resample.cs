namespace AttentionCourse.Data;

/// <summary>Seeded re-sampling of labelled data (e.g. to build an imbalanced evaluation set from a balanced one).</summary>
public static class Resample
{
    /// <summary>
    /// Indices of a subset in which <paramref name="minorityClass"/> makes up <paramref name="minorityShare"/> of the
    /// examples: every example of the other classes is kept, and just enough minority examples, drawn without
    /// replacement by a seeded shuffle, are added (rounded to the nearest count, at least one). Indices are returned in
    /// their original order.
    /// </summary>
    public static int[] WithMinorityShare(IReadOnlyList<long> labels, long minorityClass, double minorityShare, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!(minorityShare > 0 && minorityShare < 1))
            throw new ArgumentException($"minorityShare must lie in (0, 1); got {minorityShare}.", nameof(minorityShare));
        var minority = Enumerable.Range(0, labels.Count).Where(i => labels[i] == minorityClass).ToArray();
        var others = Enumerable.Range(0, labels.Count).Where(i => labels[i] != minorityClass).ToArray();
        // m / (m + others) = share  ⇒  m = share · others / (1 − share).
        int wanted = Math.Max(1, (int)Math.Round(minorityShare * others.Length / (1 - minorityShare)));
        if (wanted > minority.Length)
            throw new ArgumentException(
                $"minorityShare {minorityShare} needs {wanted} examples of class {minorityClass}; the labels hold {minority.Length}.", nameof(minorityShare));
        new Random(seed).Shuffle(minority);
        return others.Concat(minority.Take(wanted)).Order().ToArray();
    }
}
