using System.Collections.ObjectModel;

namespace AttentionCourse.Data;

/// <summary>What <see cref="Vocabulary.Encode"/> does with a token the vocabulary has never seen.</summary>
public enum UnknownTokens
{
    /// <summary>Map it to <see cref="Vocabulary.Unknown"/> (id 1): the usual choice for words at test time.</summary>
    MapToUnknown,
    /// <summary>Throw an <see cref="ArgumentException"/> naming the token: for closed alphabets (characters of a fixed text).</summary>
    Throw,
}

/// <summary>
/// A token ↔ id table for words or characters, built on a training split only (so test text cannot leak into it).
/// Id 0 is padding and id 1 the unknown token; optional begin/end-of-sequence tokens follow; the rest are sorted by
/// descending training frequency, ties broken by ordinal order, so the same corpus gives the same ids on every machine.
/// </summary>
public sealed class Vocabulary
{
    public const string Padding = "<pad>";
    public const string Unknown = "<unk>";
    public const string BeginOfSequence = "<bos>";
    public const string EndOfSequence = "<eos>";

    public const long PaddingId = 0;
    public const long UnknownId = 1;

    private readonly string[] tokens;
    private readonly Dictionary<string, long> ids;

    private Vocabulary(IEnumerable<string> ordered)
    {
        tokens = ordered.ToArray();
        ids = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!ids.TryAdd(tokens[i], i))
                throw new ArgumentException($"tokens must be distinct; '{tokens[i]}' appears twice.", nameof(ordered));
        }
    }

    /// <summary>
    /// Builds a vocabulary from training sequences.
    /// </summary>
    /// <param name="trainingSequences">Tokenised training examples (never the test split).</param>
    /// <param name="minCount">Keep tokens seen at least this often (rarer ones become unknown).</param>
    /// <param name="maxSize">At most this many entries in all, special tokens included; null = no cap.</param>
    /// <param name="withSequenceMarkers">Add <c>&lt;bos&gt;</c> and <c>&lt;eos&gt;</c> (ids 2 and 3) for generation.</param>
    public static Vocabulary Build(IEnumerable<IEnumerable<string>> trainingSequences, int minCount = 1, int? maxSize = null, bool withSequenceMarkers = false)
    {
        ArgumentNullException.ThrowIfNull(trainingSequences);
        Layers.Check.AtLeast(minCount, 1, nameof(minCount));
        var specials = withSequenceMarkers ? new[] { Padding, Unknown, BeginOfSequence, EndOfSequence } : new[] { Padding, Unknown };
        if (maxSize is int cap && cap < specials.Length)
            throw new ArgumentException($"maxSize must be at least {specials.Length} (the special tokens); got {cap}.", nameof(maxSize));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sequence in trainingSequences)
            foreach (var token in sequence)
                counts[token] = counts.GetValueOrDefault(token) + 1;
        var kept = counts.Where(kv => kv.Value >= minCount && !specials.Contains(kv.Key))
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key);
        if (maxSize is int limit) kept = kept.Take(limit - specials.Length);
        return new Vocabulary(specials.Concat(kept));
    }

    /// <summary>A vocabulary with exactly these tokens after the special ones, in this order (e.g. a fixed alphabet).</summary>
    public static Vocabulary FromTokens(IEnumerable<string> tokens, bool withSequenceMarkers = false)
    {
        var specials = withSequenceMarkers ? new[] { Padding, Unknown, BeginOfSequence, EndOfSequence } : new[] { Padding, Unknown };
        return new Vocabulary(specials.Concat(tokens));
    }

    /// <summary>Number of entries, special tokens included (the embedding table's size).</summary>
    public int Count => tokens.Length;

    /// <summary>The tokens in id order.</summary>
    public IReadOnlyList<string> Tokens => new ReadOnlyCollection<string>(tokens);

    /// <summary>True if the vocabulary has <c>&lt;bos&gt;</c> and <c>&lt;eos&gt;</c>.</summary>
    public bool HasSequenceMarkers => ids.ContainsKey(BeginOfSequence);

    /// <summary>Id of <c>&lt;bos&gt;</c>; throws if the vocabulary was built without sequence markers.</summary>
    public long BeginId => Marker(BeginOfSequence);

    /// <summary>Id of <c>&lt;eos&gt;</c>; throws if the vocabulary was built without sequence markers.</summary>
    public long EndId => Marker(EndOfSequence);

    public bool Contains(string token) => ids.ContainsKey(token);

    /// <summary>The id of one token.</summary>
    public long this[string token] => ids.TryGetValue(token, out var id) ? id : UnknownId;

    /// <summary>The token of one id.</summary>
    public string this[long id] => id >= 0 && id < tokens.Length
        ? tokens[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"id must lie in [0, {tokens.Length - 1}] (the vocabulary has {tokens.Length} entries).");

    /// <summary>Token ids of a sequence, optionally truncated to <paramref name="maxLength"/> (the documented length cap).</summary>
    public long[] Encode(IEnumerable<string> sequence, UnknownTokens unknown = UnknownTokens.MapToUnknown, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        if (maxLength is int cap) Layers.Check.AtLeast(cap, 1, nameof(maxLength));
        var result = new List<long>();
        int position = 0;
        foreach (var token in sequence)
        {
            if (maxLength is int limit && result.Count >= limit) break;
            if (ids.TryGetValue(token, out var id)) result.Add(id);
            else if (unknown == UnknownTokens.MapToUnknown) result.Add(UnknownId);
            else throw new ArgumentException($"token '{token}' at position {position} is not in the vocabulary ({Count} entries, built from the training split).", nameof(sequence));
            position++;
        }
        return result.ToArray();
    }

    /// <summary>The tokens of some ids; padding is skipped unless <paramref name="keepPadding"/>.</summary>
    public string[] Decode(IEnumerable<long> sequence, bool keepPadding = false)
        => sequence.Where(id => keepPadding || id != PaddingId).Select(id => this[id]).ToArray();

    /// <summary>Share of tokens of some sequences that are not in the vocabulary (the out-of-vocabulary rate).</summary>
    public double UnknownRate(IEnumerable<IEnumerable<string>> sequences)
    {
        long all = 0, unknown = 0;
        foreach (var sequence in sequences)
            foreach (var token in sequence) { all++; if (!ids.ContainsKey(token)) unknown++; }
        return all == 0 ? 0 : (double)unknown / all;
    }

    private long Marker(string marker) => ids.TryGetValue(marker, out var id)
        ? id
        : throw new InvalidOperationException($"this vocabulary has no {marker}: build it with withSequenceMarkers: true.");
}
