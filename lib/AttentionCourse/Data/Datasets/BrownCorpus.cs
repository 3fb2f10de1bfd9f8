namespace AttentionCourse.Data;

/// <summary>Which part of a data set: the model trains on Train, chooses settings on Validation, reports on Test.</summary>
public enum DataSplit { Train, Validation, Test }

/// <summary>One sentence of the Brown corpus with the labels the lessons use.</summary>
/// <param name="DocumentId">The source document (<c>ca01</c> … <c>cr09</c>).</param>
/// <param name="Genre">The document's genre (<c>news</c>, <c>learned</c>…, from the corpus's <c>cats.txt</c>).</param>
/// <param name="Tokens">The words.</param>
/// <param name="Tags">The original Brown tags (<c>np-tl</c>, <c>vbd</c>…).</param>
/// <param name="UniversalTags">The 12 coarse tags (<see cref="BrownTags.ToUniversal"/>).</param>
/// <param name="EntityLabels">BIO labels of the proper-noun chunks (<see cref="BrownTags.ToEntityLabels"/>).</param>
public sealed record BrownSentence(string DocumentId, string Genre, IReadOnlyList<string> Tokens, IReadOnlyList<string> Tags,
    IReadOnlyList<string> UniversalTags, IReadOnlyList<string> EntityLabels)
{
    public int Length => Tokens.Count;
}

/// <summary>A Brown document: id, genre, the split it belongs to, and its sentences.</summary>
public sealed record BrownDocument(string Id, string Genre, DataSplit Split, IReadOnlyList<BrownSentence> Sentences)
{
    /// <summary>Number of tokens.</summary>
    public int TokenCount => Sentences.Sum(s => s.Length);
}

/// <summary>A passage: consecutive sentences of one document, joined, for document-level tasks (genre).</summary>
public sealed record BrownPassage(string DocumentId, string Genre, IReadOnlyList<string> Tokens);

/// <summary>
/// The Brown corpus (Francis &amp; Kučera 1964/1979): 500 documents of American English from 1961, 15 genres,
/// ≈ 1.16 M tagged tokens, as shipped in <c>data/brown/brown.conll.gz</c> (see data/README.md).
/// </summary>
/// <remarks>
/// The split is by <b>document</b>, never by sentence, so no document's names and phrasing are in both training and
/// test data, and it is deterministic: documents are ordered by id within their genre, and the document at position
/// p goes to Validation if p mod 10 = 3, to Test if p mod 10 = 7, else to Train (≈ 80 / 10 / 10 in every genre with
/// at least eight documents).
/// </remarks>
public sealed class BrownCorpus
{
    private BrownCorpus(IReadOnlyList<BrownDocument> documents) => Documents = documents;

    /// <summary>The shipped file, relative to the data folder.</summary>
    public const string ShippedFile = "brown/brown.conll.gz";

    /// <summary>Every document, in file order.</summary>
    public IReadOnlyList<BrownDocument> Documents { get; }

    /// <summary>The genres, in order of first appearance.</summary>
    public IReadOnlyList<string> Genres => Documents.Select(d => d.Genre).Distinct().ToArray();

    private static readonly object cacheLock = new();
    private static (string path, DateTime written, BrownCorpus corpus)? cache;

    /// <summary>
    /// Loads the shipped corpus (or a CoNLL file with <c># newdoc id</c> and <c># genre</c> lines at
    /// <paramref name="path"/>). The result is cached per process: a lesson that loads it twice reads it once.
    /// </summary>
    public static BrownCorpus Load(string? path = null)
    {
        path ??= DataFiles.Find(ShippedFile);
        var written = File.GetLastWriteTimeUtc(path);
        lock (cacheLock)
        {
            if (cache is { } hit && hit.path == path && hit.written == written) return hit.corpus;
            var corpus = FromDocuments(ConllColumns.Read(path), path);
            cache = (path, written, corpus);
            return corpus;
        }
    }

    /// <summary>Builds the corpus from tagged documents, each with a <c>genre</c> in its metadata.</summary>
    public static BrownCorpus FromDocuments(IEnumerable<TaggedDocument> documents, string source = "documents")
    {
        var list = documents.ToList();
        if (list.Count == 0) throw new DataFileException(source, 0, "holds no documents.");
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new BrownDocument?[list.Count];
        // 1.16 M tokens but only 472 distinct tags: convert each tag once, and share equal strings.
        var interned = new Dictionary<string, string>(StringComparer.Ordinal);
        string Intern(string s) { if (interned.TryGetValue(s, out var x)) return x; interned[s] = s; return s; }
        var universal = new Dictionary<string, string>(StringComparer.Ordinal);
        string Universal(string tag) { if (!universal.TryGetValue(tag, out var u)) universal[tag] = u = Intern(BrownTags.ToUniversal(tag)); return u; }
        // Split positions count documents by id within their genre, whatever order the file lists them in.
        var order = list.Select((d, i) => (d, i)).OrderBy(p => p.d.Id, StringComparer.Ordinal);
        foreach (var (document, index) in order)
        {
            if (!document.Metadata.TryGetValue("genre", out var genre))
                throw new DataFileException(source, document.Sentences.FirstOrDefault()?.Line ?? 0, $"document {document.Id} has no '# genre = …' line.");
            genre = Intern(genre);
            int position = positions.GetValueOrDefault(genre);
            positions[genre] = position + 1;
            var split = (position % 10) switch { 3 => DataSplit.Validation, 7 => DataSplit.Test, _ => DataSplit.Train };
            var sentences = new BrownSentence[document.Sentences.Count];
            for (int k = 0; k < sentences.Length; k++)
            {
                var s = document.Sentences[k];
                var tags = new string[s.Length];
                var coarse = new string[s.Length];
                for (int i = 0; i < tags.Length; i++) { tags[i] = Intern(s.Tags[i]); coarse[i] = Universal(tags[i]); }
                var entities = BrownTags.ToEntityLabels(tags);
                for (int i = 0; i < entities.Length; i++) entities[i] = Intern(entities[i]);
                sentences[k] = new BrownSentence(document.Id, genre, s.Tokens, tags, coarse, entities);
            }
            result[index] = new BrownDocument(document.Id, genre, split, sentences);
        }
        return new BrownCorpus(result.Select(d => d!).ToArray());
    }

    /// <summary>The documents of one split, optionally only of some genres.</summary>
    public IEnumerable<BrownDocument> DocumentsOf(DataSplit split, IEnumerable<string>? genres = null)
    {
        var wanted = genres?.ToHashSet(StringComparer.Ordinal);
        if (wanted is not null)
            foreach (var g in wanted)
                if (!Genres.Contains(g)) throw new ArgumentException($"genre '{g}' is not in the corpus; it has {string.Join(", ", Genres)}.", nameof(genres));
        return Documents.Where(d => d.Split == split && (wanted is null || wanted.Contains(d.Genre)));
    }

    /// <summary>The sentences of one split (all genres, or the given ones), in document order.</summary>
    public IReadOnlyList<BrownSentence> Sentences(DataSplit split, IEnumerable<string>? genres = null)
        => DocumentsOf(split, genres).SelectMany(d => d.Sentences).ToArray();

    /// <summary>
    /// Passages of one split: each document cut into consecutive runs of whole sentences of at least
    /// <paramref name="minTokens"/> tokens (the document's last, shorter run is dropped), each truncated to
    /// <paramref name="maxTokens"/>.
    /// </summary>
    public IReadOnlyList<BrownPassage> Passages(DataSplit split, int minTokens, int maxTokens, IEnumerable<string>? genres = null)
    {
        Layers.Check.AtLeast(minTokens, 1, nameof(minTokens));
        if (maxTokens < minTokens) throw new ArgumentException($"maxTokens ({maxTokens}) must be at least minTokens ({minTokens}).", nameof(maxTokens));
        var passages = new List<BrownPassage>();
        foreach (var document in DocumentsOf(split, genres))
        {
            var tokens = new List<string>();
            foreach (var sentence in document.Sentences)
            {
                tokens.AddRange(sentence.Tokens);
                if (tokens.Count < minTokens) continue;
                passages.Add(new BrownPassage(document.Id, document.Genre, tokens.Take(maxTokens).ToArray()));
                tokens.Clear();
            }
        }
        return passages;
    }
}
