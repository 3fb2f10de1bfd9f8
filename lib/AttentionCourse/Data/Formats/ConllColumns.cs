using System.Text.RegularExpressions;

namespace AttentionCourse.Data;

/// <summary>
/// Reads and writes CoNLL-style column files: one token per line with whitespace-separated columns (token first, the
/// tag in a chosen column, the last by default), a blank line after each sentence. This is the layout of the CoNLL-2000
/// chunking and CoNLL-2003 NER files (<c>EU NNP B-NP B-ORG</c>) and, with tabs, of the two-column files the course ships.
/// </summary>
/// <remarks>
/// Documents: a CoNLL-2003 <c>-DOCSTART-</c> line, or a CoNLL-U comment <c># newdoc id = X</c>, starts a new document;
/// further <c># key = value</c> comments before the document's first sentence become its metadata (the course's Brown
/// file uses <c># genre = news</c>). Other comment lines are skipped. A file without document markers is one document
/// named after the file. A line starting with <c>#</c> is a comment unless it has the file's column count and no
/// <c> = </c> (the token "#"). Errors name the file and the line: a token line with one column, a line whose number of
/// columns differs from the file's first token line, a file with no sentence.
/// </remarks>
public static partial class ConllColumns
{
    /// <summary>Reads a file (<c>.gz</c> is decompressed).</summary>
    /// <param name="path">The file.</param>
    /// <param name="tagColumn">Column of the tag, 0-based; negative counts from the end (−1 = last, as conlleval reads it).</param>
    public static IReadOnlyList<TaggedDocument> Read(string path, int tagColumn = -1)
    {
        using var reader = TextFiles.Open(path);
        return Read(reader, path, tagColumn);
    }

    /// <summary>Reads CoNLL columns from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
    public static IReadOnlyList<TaggedDocument> Read(TextReader reader, string source, int tagColumn = -1)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (tagColumn == 0) throw new ArgumentException("tagColumn must not be 0: column 0 holds the token.", nameof(tagColumn));
        var documents = new List<TaggedDocument>();
        string? documentId = null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var sentences = new List<TaggedSentence>();
        var tokens = new List<string>();
        var tags = new List<string>();
        int columns = 0, sentenceLine = 0, lineNumber = 0, sentenceCount = 0;

        void EndSentence()
        {
            if (tokens.Count == 0) return;
            sentences.Add(new TaggedSentence(tokens.ToArray(), tags.ToArray(), sentenceLine));
            tokens.Clear();
            tags.Clear();
            sentenceCount++;
        }
        void EndDocument()
        {
            EndSentence();
            if (documentId is null && sentences.Count == 0) return;
            documents.Add(new TaggedDocument(documentId ?? Path.GetFileName(source), metadata, sentences.ToArray()));
            sentences.Clear();
            metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            documentId = null;
        }

        // The whole text at once, lines as spans, equal strings shared: a 1.2 M-line file reads in well under a second
        // (a string per line and per field would be millions of allocations).
        var text = reader.ReadToEnd();
        var pool = new Dictionary<string, string>(StringComparer.Ordinal);
        var lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
        string Shared(ReadOnlySpan<char> span)
        {
            if (lookup.TryGetValue(span, out var existing)) return existing;
            var created = span.ToString();
            pool[created] = created;
            return created;
        }
        foreach (var span in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            if (span.IsWhiteSpace()) { EndSentence(); continue; }
            int tab = span.IndexOf('\t');
            if (columns == 2 && tab > 0 && span[0] != '#' && span.LastIndexOf('\t') == tab && tab < span.Length - 1
                && !span[..tab].ContainsAny(' ', '\r') && !span[(tab + 1)..].ContainsAny(' ', '\r') && !span.StartsWith("-DOCSTART-"))
            {
                // The common case, a token line of a two-column file whose first token line set the column count.
                if (tokens.Count == 0) sentenceLine = lineNumber;
                tokens.Add(Shared(span[..tab]));
                tags.Add(Shared(span[(tab + 1)..]));
                continue;
            }
            var line = span.ToString();
            var fields = line.Split(line.Contains('\t') ? Tab : Space, StringSplitOptions.RemoveEmptyEntries);
            // A comment, unless it is a token line for the token "#" (same column count as the file's token lines).
            bool hashToken = fields[0] == "#" && columns > 0 && fields.Length == columns && !line.Contains(" = ");
            if (line.StartsWith('#') && !hashToken)
            {
                var comment = Comment().Match(line);
                if (!comment.Success) continue;
                string key = comment.Groups[1].Value, value = comment.Groups[2].Value.Trim();
                if (key == "newdoc id")
                {
                    EndDocument();
                    documentId = value.Length > 0 ? value : throw new DataFileException(source, lineNumber, "'# newdoc id =' has no id.");
                }
                else if (sentences.Count == 0 && tokens.Count == 0) metadata[key] = value;
                continue;
            }
            if (fields[0] == "-DOCSTART-")
            {
                EndDocument();
                documentId = $"document {documents.Count + 1}";
                continue;
            }
            if (fields.Length < 2)
                throw new DataFileException(source, lineNumber, $"expected a token and a tag separated by a tab or spaces; got one column: '{line}'.");
            if (columns == 0) columns = fields.Length;
            else if (fields.Length != columns)
                throw new DataFileException(source, lineNumber, $"expected {columns} columns (as on the first token line); got {fields.Length}: '{line}'.");
            int tagIndex = tagColumn < 0 ? columns + tagColumn : tagColumn;
            if (tagIndex <= 0 || tagIndex >= columns)
                throw new ArgumentException($"tagColumn ({tagColumn}) must name one of columns 1…{columns - 1} of this {columns}-column file ({source}).", nameof(tagColumn));
            if (tokens.Count == 0) sentenceLine = lineNumber;
            tokens.Add(Shared(fields[0]));
            tags.Add(Shared(fields[tagIndex]));
        }
        EndDocument();
        if (text.EndsWith('\n')) lineNumber--;   // EnumerateLines yields an empty last line after a final newline
        if (sentenceCount == 0) throw new DataFileException(source, 0, $"no sentences in {lineNumber} lines (expected token/tag lines, a blank line after each sentence).");
        return documents;
    }

    /// <summary>
    /// Writes documents as two tab-separated columns (token, tag), a blank line after each sentence, each document
    /// preceded by <c># newdoc id = …</c> and its metadata as <c># key = value</c> (keys in ordinal order).
    /// </summary>
    public static void Write(TextWriter writer, IEnumerable<TaggedDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var document in documents)
        {
            writer.Write("# newdoc id = "); writer.Write(Field(document.Id, "document id")); writer.Write('\n');
            foreach (var (key, value) in document.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (key == "newdoc id" || key.Contains('=') || value.Contains('\n'))
                    throw new ArgumentException($"metadata key '{key}' or its value cannot be written as '# key = value'.", nameof(documents));
                writer.Write($"# {key} = {value}\n");
            }
            foreach (var sentence in document.Sentences)
            {
                if (sentence.Tokens.Count != sentence.Tags.Count)
                    throw new ArgumentException($"document {document.Id}, sentence at line {sentence.Line}: {sentence.Tokens.Count} tokens but {sentence.Tags.Count} tags.", nameof(documents));
                for (int i = 0; i < sentence.Tokens.Count; i++)
                {
                    writer.Write(Field(sentence.Tokens[i], "token")); writer.Write('\t');
                    writer.Write(Field(sentence.Tags[i], "tag")); writer.Write('\n');
                }
                writer.Write('\n');
            }
        }
    }

    private static string Field(string text, string what)
    {
        if (text.Length == 0 || text.Any(char.IsWhiteSpace))
            throw new ArgumentException($"a {what} must be non-empty and contain no whitespace to be written as a column; got '{text}'.", "documents");
        return text;
    }

    private static readonly char[] Tab = { '\t' };
    private static readonly char[] Space = { ' ' };

    [GeneratedRegex(@"^#\s*([^=]+?)\s*=(.*)$")]
    private static partial Regex Comment();
}
