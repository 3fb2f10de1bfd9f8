using AttentionCourse.Data;

namespace AttentionCourse.Tests.Data.Datasets;

public class BrownTagsTests
{
    [Theory]
    // Suffixes -tl (title), -hl (headline), -nc (cited) are dropped; the rest as in Petrov et al.'s en-brown.map.
    [InlineData("nn", "NOUN")] [InlineData("np-tl", "NOUN")] [InlineData("nns$", "NOUN")] [InlineData("nr", "NOUN")]
    [InlineData("vbd", "VERB")] [InlineData("bedz", "VERB")] [InlineData("md", "VERB")] [InlineData("hvz-hl", "VERB")]
    [InlineData("jjt", "ADJ")] [InlineData("od", "ADJ")] [InlineData("ap", "ADJ")]
    [InlineData("rb", "ADV")] [InlineData("ql", "ADV")] [InlineData("wrb", "ADV")] [InlineData("*", "ADV")]
    [InlineData("in", "ADP")] [InlineData("cs", "ADP")] [InlineData("cc", "CONJ")]
    [InlineData("at", "DET")] [InlineData("pp$", "DET")] [InlineData("wdt", "DET")]
    [InlineData("pps", "PRON")] [InlineData("ppo", "PRON")] [InlineData("cd", "NUM")]
    [InlineData("to", "PRT")] [InlineData("rp", "PRT")] [InlineData("uh", "PRT")]
    [InlineData(".", ".")] [InlineData("``", ".")] [InlineData("(-hl", ".")] [InlineData("--", ".")]
    [InlineData("fw-nn", "X")] [InlineData("nil", "X")]
    // The course's own choices where the published map says PRT: a contraction takes its first part's category,
    // a negated form its base's, existential "there" is PRON.
    [InlineData("ppss+md", "PRON")] [InlineData("md*", "VERB")] [InlineData("doz*", "VERB")] [InlineData("ex", "PRON")]
    public void ToUniversal(string tag, string expected) => Assert.Equal(expected, BrownTags.ToUniversal(tag));

    [Fact]
    public void EntityLabels_RunsOfProperNounsAreNames_RunsOfTitleWordsAreTitles_AndTheTypeChangeStartsANewEntity()
    {
        // ca01, sentence 3: "… by Fulton Superior Court Judge Durwood Pye … by Mayor-nominate Ivan Allen Jr. ."
        var tags = new[] { "in", "np-tl", "jj-tl", "nn-tl", "nn-tl", "np", "np", "in", "nn-tl", "np", "np", "np", "." };
        Assert.Equal(new[] { "O", "B-TITLE", "I-TITLE", "I-TITLE", "I-TITLE", "B-NAME", "I-NAME", "O", "B-TITLE", "B-NAME", "I-NAME", "I-NAME", "O" },
            BrownTags.ToEntityLabels(tags));
        // "Atlanta's" (np$) and "Maynard's" (np+bez) are names; a foreign proper noun is not.
        Assert.Equal(new[] { "B-NAME", "O", "B-NAME", "O" }, BrownTags.ToEntityLabels(new[] { "np$", "cc", "np+bez", "fw-np" }));
    }

    [Fact]
    public void EveryCoarseTag_HasAnId_AndAnUnknownOneIsAnError()
    {
        Assert.Equal(12, BrownTags.Universal.Count);
        Assert.Equal(Enumerable.Range(0, 12), BrownTags.Universal.Select(BrownTags.UniversalId));
        TestSupport.AssertArgumentError(() => BrownTags.UniversalId("PROPN"), "universalTag", "'PROPN'");
    }
}
