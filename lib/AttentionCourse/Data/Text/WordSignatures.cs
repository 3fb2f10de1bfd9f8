namespace AttentionCourse.Data;

/// <summary>
/// Unknown-word signatures: a word the vocabulary does not hold is replaced by a coarse description of its spelling,
/// <c>&lt;unk-Cap-ing&gt;</c> ("a capitalised word ending in -ing"), instead of one <c>&lt;unk&gt;</c> for all. A tagger then
/// still sees that an unseen word is capitalised (likely a name) or ends in -ly (likely an adverb). The idea is the
/// parser literature's (e.g. Petrov et al. 2006, "Learning accurate, compact, and interpretable tree annotation", §4:
/// unknown words mapped to classes by suffix and capitalisation); the classes here are the course's own, listed below.
/// </summary>
/// <remarks>
/// Shape: <c>num</c> (contains a digit), <c>CAPS</c> (all letters upper case, at least two), <c>Cap</c> (first letter
/// upper case), <c>low</c> (anything else with a letter), <c>sym</c> (no letter). Suffix, for letter shapes: the first
/// of <c>ing ed ly ion ity ment ness er est al ive able ous ic ful 's s</c> the lower-cased word ends with, else none;
/// a hyphen inside the word adds <c>-hyph</c>. Training uses the same mapping for its rare words (seen fewer than
/// <c>minCount</c> times), so every signature has a trained embedding.
/// </remarks>
public static class WordSignatures
{
    private static readonly string[] Suffixes = { "ing", "ed", "ly", "ion", "ity", "ment", "ness", "er", "est", "al", "ive", "able", "ous", "ic", "ful", "'s", "s" };

    /// <summary>The signature of a word, e.g. <c>&lt;unk-Cap-ing&gt;</c>, <c>&lt;unk-num&gt;</c>, <c>&lt;unk-low-ly&gt;</c>.</summary>
    public static string Of(string word)
    {
        ArgumentException.ThrowIfNullOrEmpty(word);
        string shape;
        if (word.Any(char.IsDigit)) shape = "num";
        else if (!word.Any(char.IsLetter)) shape = "sym";
        else if (word.Count(char.IsLetter) >= 2 && word.Where(char.IsLetter).All(char.IsUpper)) shape = "CAPS";
        else if (char.IsUpper(word.First(char.IsLetter))) shape = "Cap";
        else shape = "low";
        var parts = new List<string> { "<unk", shape };
        if (shape is "Cap" or "low" or "CAPS")
        {
            var lower = word.ToLowerInvariant();
            var suffix = Suffixes.FirstOrDefault(s => lower.Length > s.Length + 1 && lower.EndsWith(s, StringComparison.Ordinal));
            if (suffix is not null) parts.Add(suffix);
        }
        if (word.IndexOf('-', 1) > 0 && word.IndexOf('-', 1) < word.Length - 1) parts.Add("hyph");
        return string.Join("-", parts) + ">";
    }

    /// <summary>
    /// A vocabulary of the words seen at least <paramref name="minCount"/> times in the training sequences, plus the
    /// signatures of the rarer ones (so an unseen word at test time has a trained class to fall into).
    /// </summary>
    public static Vocabulary BuildVocabulary(IEnumerable<IReadOnlyList<string>> training, int minCount)
    {
        var sequences = training.ToList();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sequence in sequences)
            foreach (var token in sequence) counts[token] = counts.GetValueOrDefault(token) + 1;
        return Vocabulary.Build(sequences.Select(s => s.Select(t => counts[t] >= minCount ? t : Of(t))), minCount: 1);
    }

    /// <summary>The tokens with every word the vocabulary does not hold replaced by its signature.</summary>
    public static string[] Map(IReadOnlyList<string> tokens, Vocabulary vocabulary)
        => tokens.Select(t => vocabulary.Contains(t) ? t : Of(t)).ToArray();
}
