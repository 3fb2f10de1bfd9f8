namespace AttentionCourse.Data;

/// <summary>
/// The Brown corpus's 472 fine tags (Francis &amp; Kučera's tag set: <c>nn</c>, <c>np-tl</c>, <c>ppss+md</c>, <c>fw-jj</c>…)
/// reduced to what the lessons label: 12 coarse parts of speech, and proper-noun chunks as BIO entities.
/// </summary>
/// <remarks>
/// <para><b>Coarse tags.</b> The 12 categories of Petrov, Das &amp; McDonald's universal tag set (2012): NOUN VERB ADJ ADV
/// ADP CONJ DET NUM PRON PRT X and "." for punctuation. The mapping here is the course's own, written from the Brown
/// manual's tag list with these rules: drop the <c>-tl</c> (title), <c>-hl</c> (headline) and <c>-nc</c> (cited word)
/// suffixes; a foreign word (<c>fw-…</c>) is X; a contraction (<c>ppss+md</c>, "I'll") takes the category of its first
/// part; a negated form (<c>md*</c>, "can't") that of its base; <c>*</c> ("not") is ADV. It agrees with Petrov et al.'s
/// published <c>en-brown.map</c> on most tokens; it differs where that map sends contractions to PRT and existential
/// <i>there</i> to PRT (here PRON, as in Universal Dependencies).</para>
/// <para><b>Entities.</b> Two types, read off the gold tags, so every sentence has exact gold spans: <b>NAME</b>, a run of
/// proper nouns (<c>np</c>, <c>nps</c>, <c>np$</c>, <c>nps$</c>: "Durwood Pye", "Atlanta's"), and <b>TITLE</b>, a run of
/// words the corpus marks as part of a title (<c>-tl</c>: "Fulton County Grand Jury", "City of Atlanta", "Superior Court
/// Judge"). An entity ends where the type changes: "Mayor-nominate/nn-tl Ivan/np Allen/np" is TITLE "Mayor-nominate",
/// then NAME "Ivan Allen". Labels are BIO: B- on an entity's first token, I- on the rest, O elsewhere.</para>
/// </remarks>
public static class BrownTags
{
    /// <summary>The 12 coarse tags, in a fixed order (their ids in <see cref="UniversalId"/>).</summary>
    public static IReadOnlyList<string> Universal { get; } = new[] { "NOUN", "VERB", "ADJ", "ADV", "ADP", "CONJ", "DET", "NUM", "PRON", "PRT", "X", "." };

    /// <summary>The 5 BIO entity labels, in a fixed order.</summary>
    public static IReadOnlyList<string> EntityLabels { get; } = new[] { "O", "B-NAME", "I-NAME", "B-TITLE", "I-TITLE" };

    private static readonly Dictionary<string, string> Coarse = Build();

    private static Dictionary<string, string> Build()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string category, string bases) { foreach (var b in bases.Split(' ')) map[b] = category; }
        Add("NOUN", "nn nn$ nns nns$ np np$ nps nps$ nr nr$ nrs pn pn$");
        Add("VERB", "vb vbd vbg vbn vbz be bed bedz beg bem ben ber bez do dod doz hv hvd hvg hvn hvz md");
        Add("ADJ", "jj jj$ jjr jjs jjt od ap ap$");
        Add("ADV", "rb rb$ rbr rbt rn ql qlp wrb wql *");
        Add("ADP", "in cs");
        Add("CONJ", "cc");
        Add("DET", "at abl abn abx dt dt$ dti dts dtx wdt pp$ wp$");
        Add("PRON", "pp$$ ppl ppls ppo pps ppss wpo wps ex");
        Add("NUM", "cd cd$");
        Add("PRT", "to rp uh");
        Add(".", ". , : ; ( ) `` '' ' --");
        return map;
    }

    /// <summary>The tag without its <c>-tl</c>, <c>-hl</c>, <c>-nc</c> suffixes, lower case.</summary>
    public static string Base(string tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        var t = tag.ToLowerInvariant();
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var suffix in Suffixes)
                if (t.Length > suffix.Length && t.EndsWith(suffix, StringComparison.Ordinal)) { t = t[..^suffix.Length]; changed = true; }
        }
        return t;
    }

    private static readonly string[] Suffixes = { "-tl", "-hl", "-nc" };

    /// <summary>The coarse (universal) tag of a Brown tag; X for foreign words, <c>nil</c> and anything unknown.</summary>
    public static string ToUniversal(string tag)
    {
        var t = Base(tag);
        if (t.StartsWith("fw-", StringComparison.Ordinal)) return "X";
        if (t != "*") t = t.Split('+')[0].TrimEnd('*');   // "ppss+md" → "ppss", "md*" → "md"
        return Coarse.TryGetValue(t, out var category) ? category : "X";
    }

    /// <summary>Id of a coarse tag in <see cref="Universal"/>.</summary>
    public static int UniversalId(string universalTag)
    {
        int id = Array.IndexOf((string[])Universal, universalTag);
        return id >= 0 ? id : throw new ArgumentException($"universalTag must be one of {string.Join(" ", Universal)}; got '{universalTag}'.", nameof(universalTag));
    }

    /// <summary>The entity type a Brown tag puts its token in: "TITLE", "NAME" or null (outside).</summary>
    public static string? EntityType(string tag)
    {
        var lower = tag.ToLowerInvariant();
        if (lower.StartsWith("fw-", StringComparison.Ordinal)) return null;
        if (lower.Contains("-tl", StringComparison.Ordinal)) return "TITLE";
        var first = Base(lower).Split('+')[0];
        return first is "np" or "nps" or "np$" or "nps$" ? "NAME" : null;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> entityTypes = new(StringComparer.Ordinal);

    /// <summary>BIO labels of a sentence's Brown tags (see the class remarks).</summary>
    public static string[] ToEntityLabels(IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var labels = new string[tags.Count];
        string? previous = null;
        for (int i = 0; i < tags.Count; i++)
        {
            var type = entityTypes.GetOrAdd(tags[i], EntityType);
            labels[i] = type is null ? "O" : (type == previous ? "I-" : "B-") + type;
            previous = type;
        }
        return labels;
    }
}
