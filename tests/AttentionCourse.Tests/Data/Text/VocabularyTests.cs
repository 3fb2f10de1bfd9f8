using AttentionCourse.Data;

namespace AttentionCourse.Tests.Data.Text;

public class VocabularyTests
{
    private static readonly string[][] Training = { new[] { "the", "cat", "sat" }, new[] { "the", "dog", "sat", "the" } };

    [Fact]
    public void Ids_FollowFrequency_ThenOrdinalOrder_AfterTheSpecialTokens()
    {
        var vocabulary = Vocabulary.Build(Training);
        // the ×3, sat ×2, then cat and dog once each, in ordinal order.
        Assert.Equal(new[] { "<pad>", "<unk>", "the", "sat", "cat", "dog" }, vocabulary.Tokens);
        Assert.Equal(new long[] { 2, 4, 3 }, vocabulary.Encode(new[] { "the", "cat", "sat" }));
    }

    [Fact]
    public void UnknownTokens_MapToUnknown_OrThrowNamingTheTokenAndPosition()
    {
        var vocabulary = Vocabulary.Build(Training);
        Assert.Equal(new long[] { 2, Vocabulary.UnknownId }, vocabulary.Encode(new[] { "the", "bird" }));
        var error = Assert.Throws<ArgumentException>(() => vocabulary.Encode(new[] { "the", "bird" }, UnknownTokens.Throw));
        Assert.Contains("'bird'", error.Message);
        Assert.Contains("position 1", error.Message);
        Assert.Equal(0.5, vocabulary.UnknownRate(new[] { new[] { "the", "bird" } }));
    }

    [Fact]
    public void MinCount_MaxSize_AndTheLengthCap()
    {
        var rare = Vocabulary.Build(Training, minCount: 2);
        Assert.Equal(new[] { "<pad>", "<unk>", "the", "sat" }, rare.Tokens);
        var capped = Vocabulary.Build(Training, maxSize: 3);
        Assert.Equal(new[] { "<pad>", "<unk>", "the" }, capped.Tokens);
        Assert.Equal(new long[] { 2, 1 }, capped.Encode(new[] { "the", "dog", "sat" }, maxLength: 2));
        Assert.Throws<ArgumentException>(() => Vocabulary.Build(Training, maxSize: 1));
    }

    [Fact]
    public void SequenceMarkers_AndDecodeRoundTrip()
    {
        var vocabulary = Vocabulary.Build(Training, withSequenceMarkers: true);
        Assert.Equal(2, vocabulary.BeginId);
        Assert.Equal(3, vocabulary.EndId);
        var ids = vocabulary.Encode(new[] { "the", "dog" });
        Assert.Equal(new[] { "the", "dog" }, vocabulary.Decode(ids.Append(Vocabulary.PaddingId)));
        Assert.Throws<InvalidOperationException>(() => Vocabulary.Build(Training).BeginId);
        Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary[99L]);
    }

    [Fact]
    public void PaddedBatch_PadsAtTheEnd_AndMarksPaddingTrue()
    {
        using var batch = PaddedBatch.From(new[] { new long[] { 5, 6, 7 }, new long[] { 8 }, Array.Empty<long>() });
        Assert.Equal(new long[] { 3, 3 }, batch.Ids.shape);
        Assert.Equal(new long[] { 5, 6, 7, 8, 0, 0, 0, 0, 0 }, batch.Ids.data<long>().ToArray());
        Assert.Equal(new[] { false, false, false, false, true, true, true, true, true }, batch.KeyPadding.data<bool>().ToArray());
        Assert.Equal(new long[] { 3, 1, 0 }, batch.Lengths);
        var error = Assert.Throws<ArgumentException>(() => PaddedBatch.From(new[] { new long[] { 1, 2, 3 } }, length: 2));
        Assert.Contains("row 0 has 3 tokens", error.Message);
    }
}
