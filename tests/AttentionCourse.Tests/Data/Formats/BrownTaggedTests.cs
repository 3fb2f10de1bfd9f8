using AttentionCourse.Data;

namespace AttentionCourse.Tests.Data.Formats;

public class BrownTaggedTests
{
    // The first two sentences of ca01, as distributed (a tab before each sentence, blank lines between them).
    private const string Ca01 = "\n\n\tThe/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd Friday/nr ./.\n\n\n" +
                                "\tThe/at jury/nn further/rbr said/vbd 1-1/2/cd ./.\n";

    [Fact]
    public void EachNonBlankLine_IsASentence_AndTokensSplitAtTheLastSlash()
    {
        var sentences = BrownTagged.ReadSentences(new StringReader(Ca01), "ca01");
        Assert.Equal(2, sentences.Count);
        Assert.Equal(new[] { "The", "Fulton", "County", "Grand", "Jury", "said", "Friday", "." }, sentences[0].Tokens);
        Assert.Equal(new[] { "at", "np-tl", "nn-tl", "jj-tl", "nn-tl", "vbd", "nr", "." }, sentences[0].Tags);
        Assert.Equal("1-1/2", sentences[1].Tokens[4]);
        Assert.Equal("cd", sentences[1].Tags[4]);
        Assert.Equal(new[] { 3, 6 }, sentences.Select(s => s.Line));
    }

    [Theory]
    [InlineData("\tThe/at jury nn\n", "token 'jury' is not word/tag (no '/')")]
    [InlineData("\tThe/at /nn\n", "token '/nn' has an empty word")]
    [InlineData("\tThe/at jury/\n", "token 'jury/' has an empty tag")]
    public void AMalformedToken_IsAnErrorNamingTheFileAndLine(string line, string fragment)
    {
        var error = Assert.Throws<DataFileException>(() => BrownTagged.ReadSentences(new StringReader("\n\tA/at b/nn\n\n" + line), "cb07"));
        Assert.Equal(4, error.Line);
        Assert.StartsWith("cb07:4: ", error.Message);
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void AnEmptyFile_IsAnError()
    {
        var error = Assert.Throws<DataFileException>(() => BrownTagged.ReadSentences(new StringReader("\n\n"), "ca02"));
        Assert.Equal("ca02: no sentences in 2 lines (expected lines of word/tag tokens).", error.Message);
    }

    [Fact]
    public void ACorpusFolder_ReadsCatsTxtAndEachFile_InItsOrder()
    {
        var folder = Directory.CreateTempSubdirectory("brown-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "cats.txt"), "ca01 news\ncr09 humor\n");
            File.WriteAllText(Path.Combine(folder, "ca01"), Ca01);
            File.WriteAllText(Path.Combine(folder, "cr09"), "\tHa/uh !/.\n");
            var documents = BrownTagged.ReadCorpus(folder);
            Assert.Equal(new[] { "ca01", "cr09" }, documents.Select(d => d.Id));
            Assert.Equal(new[] { "news", "humor" }, documents.Select(d => d.Metadata["genre"]));
            Assert.Equal(2, documents[0].Sentences.Count);

            File.WriteAllText(Path.Combine(folder, "cats.txt"), "ca01 news\ncr09\n");
            var error = Assert.Throws<DataFileException>(() => BrownTagged.ReadCorpus(folder));
            Assert.Equal(2, error.Line);
            Assert.Contains("expected 'file genre'", error.Message);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
