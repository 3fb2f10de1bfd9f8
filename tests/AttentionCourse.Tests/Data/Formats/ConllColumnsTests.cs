using AttentionCourse.Data;

namespace AttentionCourse.Tests.Data.Formats;

public class ConllColumnsTests
{
    private static IReadOnlyList<TaggedDocument> Parse(string text, int tagColumn = -1)
        => ConllColumns.Read(new StringReader(text), "test.conll", tagColumn);

    [Fact]
    public void TwoColumns_BlankLinesEndSentences_TheLastSentenceNeedsNoBlankLine()
    {
        var documents = Parse("The\tDET\ncat\tNOUN\n\n\nsat\tVERB\n.\t.");
        var document = Assert.Single(documents);
        Assert.Equal("test.conll", document.Id);
        Assert.Equal(2, document.Sentences.Count);
        Assert.Equal(new[] { "The", "cat" }, document.Sentences[0].Tokens);
        Assert.Equal(new[] { "DET", "NOUN" }, document.Sentences[0].Tags);
        Assert.Equal(new[] { "sat", "." }, document.Sentences[1].Tokens);
        Assert.Equal(1, document.Sentences[0].Line);
        Assert.Equal(5, document.Sentences[1].Line);
    }

    [Fact]
    public void Conll2003_FourSpaceSeparatedColumns_DocStartAndAChosenTagColumn()
    {
        // The layout of the CoNLL-2003 NER files (token, POS, chunk, NER), from the shared task's description.
        const string text = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\n\n" +
                            "-DOCSTART- -X- -X- O\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n";
        var documents = Parse(text);
        Assert.Equal(2, documents.Count);
        Assert.Equal(new[] { "document 1", "document 2" }, documents.Select(d => d.Id));
        Assert.Equal(new[] { "B-ORG", "O", "B-MISC" }, documents[0].Sentences[0].Tags);
        Assert.Equal(new[] { "B-PER", "I-PER" }, documents[1].Sentences[0].Tags);
        Assert.Equal(new[] { "NNP", "VBZ", "JJ" }, Parse(text, tagColumn: 1)[0].Sentences[0].Tags);
    }

    [Fact]
    public void NewdocComments_StartDocuments_AndKeyValueCommentsBecomeTheirMetadata()
    {
        const string text = "# newdoc id = ca01\n# genre = news\nThe\tat\n\n# newdoc id = cb01\n# genre = editorial\n# a comment\nIt\tpps\n\n";
        var documents = Parse(text);
        Assert.Equal(new[] { "ca01", "cb01" }, documents.Select(d => d.Id));
        Assert.Equal("news", documents[0].Metadata["genre"]);
        Assert.Equal("editorial", documents[1].Metadata["genre"]);
        Assert.Single(documents[1].Metadata);
    }

    [Fact]
    public void TheTokenHash_IsATokenNotAComment_OnceTheColumnCountIsKnown()
    {
        var sentence = Parse("Call\tvb\n#\tnn\n5\tcd\n")[0].Sentences[0];
        Assert.Equal(new[] { "Call", "#", "5" }, sentence.Tokens);
    }

    [Fact]
    public void WriteThenRead_GivesTheSameDocuments()
    {
        var documents = new[]
        {
            new TaggedDocument("ca01", new Dictionary<string, string> { ["genre"] = "news" },
                new[] { new TaggedSentence(new[] { "The", "jury" }, new[] { "at", "nn" }, 0), new TaggedSentence(new[] { "1-1/2" }, new[] { "cd" }, 0) }),
            new TaggedDocument("cr09", new Dictionary<string, string> { ["genre"] = "humor" },
                new[] { new TaggedSentence(new[] { "Ha" }, new[] { "uh" }, 0) }),
        };
        var writer = new StringWriter();
        ConllColumns.Write(writer, documents);
        Assert.StartsWith("# newdoc id = ca01\n# genre = news\nThe\tat\njury\tnn\n\n1-1/2\tcd\n\n# newdoc id = cr09\n", writer.ToString());
        var back = Parse(writer.ToString());
        Assert.Equal(documents.Select(d => d.Id), back.Select(d => d.Id));
        for (int d = 0; d < documents.Length; d++)
        {
            Assert.Equal(documents[d].Metadata["genre"], back[d].Metadata["genre"]);
            Assert.Equal(documents[d].Sentences.Select(s => string.Join(" ", s.Tokens) + "|" + string.Join(" ", s.Tags)),
                back[d].Sentences.Select(s => string.Join(" ", s.Tokens) + "|" + string.Join(" ", s.Tags)));
        }
    }

    [Theory]
    [InlineData("The\tat\ncat\n", 2, "one column: 'cat'")]
    [InlineData("The\tat\tB-X\ncat\tnn\n", 2, "expected 3 columns (as on the first token line); got 2")]
    [InlineData("# newdoc id = \nThe\tat\n", 1, "has no id")]
    public void AMalformedLine_IsAnErrorNamingTheFileAndLine(string text, int line, string fragment)
    {
        var error = Assert.Throws<DataFileException>(() => Parse(text));
        Assert.Equal("test.conll", error.File);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"test.conll:{line}: ", error.Message);
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void AFileWithNoSentence_IsAnError_AndSoIsAMissingFile()
    {
        var error = Assert.Throws<DataFileException>(() => Parse("# only a comment\n\n"));
        Assert.Contains("no sentences in 2 lines", error.Message);
        Assert.Throws<FileNotFoundException>(() => ConllColumns.Read("/no/such/file.conll"));
    }

    [Fact]
    public void ATagColumnOutsideTheFile_OrZero_IsAnArgumentError()
    {
        TestSupport.AssertArgumentError(() => Parse("a\tb\n", tagColumn: 0), "tagColumn", "must not be 0");
        TestSupport.AssertArgumentError(() => Parse("a\tb\n", tagColumn: 3), "tagColumn", "(3)", "2-column");
    }

    [Fact]
    public void WritingATokenWithWhitespace_IsAnArgumentError()
    {
        var document = new TaggedDocument("d", new Dictionary<string, string>(), new[] { new TaggedSentence(new[] { "New York" }, new[] { "np" }, 0) });
        TestSupport.AssertArgumentError(() => ConllColumns.Write(new StringWriter(), new[] { document }), "documents", "'New York'");
    }

    [Fact]
    public void GzipFiles_AreDecompressed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"conll-{Guid.NewGuid():N}.conll.gz");
        try
        {
            using (var file = File.Create(path))
            using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
            using (var writer = new StreamWriter(gzip))
                writer.Write("The\tat\ncat\tnn\n");
            Assert.Equal(new[] { "The", "cat" }, ConllColumns.Read(path)[0].Sentences[0].Tokens);
        }
        finally { File.Delete(path); }
    }
}
