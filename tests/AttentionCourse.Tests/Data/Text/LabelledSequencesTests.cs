using AttentionCourse.Data;

namespace AttentionCourse.Tests.Data.Text;

public class LabelledSequencesTests
{
    [Fact]
    public void IdsLabelsAndPadding_LineUp()
    {
        var vocabulary = Vocabulary.FromTokens(new[] { "the", "cat", "sat" });
        var tokens = new[] { new[] { "the", "cat", "sat" }, new[] { "cat" } };
        var pos = new[] { new[] { "DET", "NOUN", "VERB" }, new[] { "NOUN" } };
        using var data = LabelledSequences.From(tokens, vocabulary, 4, (pos, new[] { "NOUN", "VERB", "DET" }));
        Assert.Equal(new long[] { 2, 3, 4, 0, 3, 0, 0, 0 }, data.Ids.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 0, 1, 0, 0, 0, 0, 0 }, data.Labels[0].data<long>().ToArray());
        Assert.Equal(new[] { false, false, false, true, false, true, true, true }, data.KeyPadding.data<bool>().ToArray());
        Assert.Equal(new long[] { 3, 1 }, data.Lengths);
    }

    [Fact]
    public void AnUnknownLabel_OrAMissingOne_IsAnArgumentError()
    {
        var vocabulary = Vocabulary.FromTokens(new[] { "a" });
        TestSupport.AssertArgumentError(() => LabelledSequences.From(new[] { new[] { "a" } }, vocabulary, 2, (new[] { new[] { "ADJ" } }, new[] { "NOUN" })),
            "labelSets", "'ADJ'", "sequence 0, token 0");
        TestSupport.AssertArgumentError(() => LabelledSequences.From(new[] { new[] { "a", "a" } }, vocabulary, 2, (new[] { new[] { "NOUN" } }, new[] { "NOUN" })),
            "labelSets", "1 labels for 2 tokens");
    }
}
