using AttentionCourse.Data;

namespace AttentionCourse.Tests.Data.Datasets;

public class BrownCorpusTests
{
    [Fact]
    public void TheShippedCorpus_HasTheSizesNltkReports_AndFifteenGenres()
    {
        // NLTK's copy of the same corpus: brown.fileids() 500, len(brown.sents()) 57,340, len(brown.words()) 1,161,192.
        var corpus = BrownCorpus.Load();
        Assert.Equal(500, corpus.Documents.Count);
        Assert.Equal(57_340, corpus.Documents.Sum(d => d.Sentences.Count));
        Assert.Equal(1_161_192, corpus.Documents.Sum(d => d.TokenCount));
        Assert.Equal(15, corpus.Genres.Count);
        Assert.Equal(44, corpus.Documents.Count(d => d.Genre == "news"));
        var first = corpus.Documents[0].Sentences[0];
        Assert.Equal(("ca01", "news"), (first.DocumentId, first.Genre));
        Assert.Equal(new[] { "The", "Fulton", "County", "Grand", "Jury", "said" }, first.Tokens.Take(6));
        Assert.Same(corpus, BrownCorpus.Load());
    }

    [Fact]
    public void TheSplit_IsByDocument_AboutEightyTenTen_InEveryLargeGenre()
    {
        var corpus = BrownCorpus.Load();
        var ids = Enum.GetValues<DataSplit>().Select(s => corpus.DocumentsOf(s).Select(d => d.Id).ToHashSet()).ToArray();
        Assert.Equal(500, ids.Sum(s => s.Count));
        Assert.Empty(ids[0].Intersect(ids[1]));
        Assert.Empty(ids[0].Intersect(ids[2]));
        Assert.Empty(ids[1].Intersect(ids[2]));
        // Every sentence of a split comes from that split's documents.
        Assert.All(corpus.Sentences(DataSplit.Test), s => Assert.Contains(s.DocumentId, ids[2]));
        // news has 44 documents: positions 3, 13, 23, 33, 43 → validation; 7, 17, 27, 37 → test.
        Assert.Equal(new[] { "ca04", "ca14", "ca24", "ca34", "ca44" }, corpus.DocumentsOf(DataSplit.Validation, new[] { "news" }).Select(d => d.Id));
        Assert.Equal(new[] { "ca08", "ca18", "ca28", "ca38" }, corpus.DocumentsOf(DataSplit.Test, new[] { "news" }).Select(d => d.Id));
        foreach (var genre in corpus.Genres.Where(g => corpus.Documents.Count(d => d.Genre == g) >= 8))
            Assert.NotEmpty(corpus.DocumentsOf(DataSplit.Test, new[] { genre }));
    }

    [Fact]
    public void SplitPositions_FollowIdOrderWithinAGenre_WhateverTheFileOrder()
    {
        TaggedDocument Doc(string id) => new(id, new Dictionary<string, string> { ["genre"] = "g" },
            new[] { new TaggedSentence(new[] { "x" }, new[] { "nn" }, 1) });
        var ids = Enumerable.Range(0, 10).Select(i => $"d{i}").ToArray();
        var forward = BrownCorpus.FromDocuments(ids.Select(Doc));
        var reversed = BrownCorpus.FromDocuments(ids.Reverse().Select(Doc));
        Assert.Equal("d3", Assert.Single(forward.DocumentsOf(DataSplit.Validation)).Id);
        Assert.Equal("d7", Assert.Single(forward.DocumentsOf(DataSplit.Test)).Id);
        Assert.Equal("d3", Assert.Single(reversed.DocumentsOf(DataSplit.Validation)).Id);
        Assert.Equal("d9", reversed.Documents[0].Id);
    }

    [Fact]
    public void ADocumentWithoutGenre_OrAnUnknownGenre_IsAnError()
    {
        var noGenre = new TaggedDocument("x", new Dictionary<string, string>(), new[] { new TaggedSentence(new[] { "a" }, new[] { "at" }, 7) });
        var error = Assert.Throws<DataFileException>(() => BrownCorpus.FromDocuments(new[] { noGenre }, "f.conll"));
        Assert.Equal("f.conll:7: document x has no '# genre = …' line.", error.Message);
        TestSupport.AssertArgumentError(() => BrownCorpus.Load().Sentences(DataSplit.Train, new[] { "poetry" }), "genres", "'poetry'", "news");
    }

    [Fact]
    public void Passages_AreWholeSentencesOfOneDocument_OfAtLeastTheMinimumLength()
    {
        var corpus = BrownCorpus.Load();
        var passages = corpus.Passages(DataSplit.Validation, minTokens: 100, maxTokens: 120, genres: new[] { "news" });
        Assert.All(passages, p => Assert.InRange(p.Tokens.Count, 100, 120));
        Assert.All(passages, p => Assert.Equal("news", p.Genre));
        var first = corpus.DocumentsOf(DataSplit.Validation, new[] { "news" }).First();
        var expected = first.Sentences.SelectMany(s => s.Tokens).Take(passages[0].Tokens.Count);
        Assert.Equal(expected, passages[0].Tokens);
        Assert.Equal(first.Id, passages[0].DocumentId);
    }
}
