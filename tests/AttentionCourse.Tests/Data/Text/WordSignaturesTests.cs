using AttentionCourse.Data;

namespace AttentionCourse.Tests.Data.Text;

public class WordSignaturesTests
{
    [Theory]
    [InlineData("running", "<unk-low-ing>")]
    [InlineData("Kennedy", "<unk-Cap>")]
    [InlineData("Durwood's", "<unk-Cap-'s>")]
    [InlineData("NATO", "<unk-CAPS>")]
    [InlineData("quickly", "<unk-low-ly>")]
    [InlineData("1961", "<unk-num>")]
    [InlineData("4-1/2%", "<unk-num-hyph>")]
    [InlineData("--", "<unk-sym>")]
    [InlineData("hard-fought", "<unk-low-hyph>")]
    [InlineData("Mayor-nominate", "<unk-Cap-hyph>")]
    [InlineData("is", "<unk-low>")]              // too short for the -s suffix
    public void Of(string word, string expected) => Assert.Equal(expected, WordSignatures.Of(word));

    [Fact]
    public void RareTrainingWords_AreLearnedAsSignatures_AndUnseenWordsMapToThem()
    {
        var training = new[] { new[] { "the", "cat", "Kennedy" }, new[] { "the", "cat", "running" } };
        var vocabulary = WordSignatures.BuildVocabulary(training, minCount: 2);
        Assert.True(vocabulary.Contains("the") && vocabulary.Contains("cat"));
        Assert.False(vocabulary.Contains("Kennedy"));
        Assert.True(vocabulary.Contains("<unk-Cap>") && vocabulary.Contains("<unk-low-ing>"));
        Assert.Equal(new[] { "the", "<unk-Cap>", "<unk-low-ing>", "<unk-low>" }, WordSignatures.Map(new[] { "the", "Johnson", "jumping", "dog" }, vocabulary));
    }
}
