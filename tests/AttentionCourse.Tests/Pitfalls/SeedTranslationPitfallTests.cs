using AttentionCourse.Data;
using AttentionCourse.Layers;
using AttentionCourse.Models;
using AttentionCourse.Pitfalls;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Pitfalls;

public class SeedTranslationPitfallTests
{
    [Fact]
    public void SeedModel_ThrowsAsWritten_AndRepairedEmitsOneTokenPerSentence_IgnoringTargets()
    {
        manual_seed(2);
        var source = randint(1, 9, new long[] { 4, 6 });
        var target = randint(1, 9, new long[] { 4, 5 });
        Assert.ThrowsAny<Exception>(() => new SeedTranslationModel(9, 5, 8).call(source, target));
        var repaired = new SeedTranslationModel(9, 5, 8, fixWeightedSum: true);
        var output = repaired.call(source, target);
        Assert.Equal(new long[] { 4, 9 }, output.shape);
        Assert.Equal(0.0, Checks.MaxAbsDifference(output, repaired.call(source, zeros_like(target))));
    }

    [Fact]
    public void AsTheSeedsTaggerAndDialogueModel_ItEmitsOneLabelDistributionPerSequence_NotOnePerToken()
    {
        // Questions 26 and 29: the same code with num_labels outputs. A tagger needs (B, T, labels).
        manual_seed(4);
        var ids = randint(1, 20, new long[] { 4, 7 });
        var tagger = new SeedTranslationModel(20, 8, 16, fixWeightedSum: true, outputSize: 12);
        Assert.Equal(new long[] { 4, 12 }, tagger.call(ids, ids).shape);
        Assert.ThrowsAny<Exception>(() => new SeedTranslationModel(20, 8, 16, outputSize: 12).call(ids, ids));   // (4, 7) × (4, 7, 16)
    }

    /// <summary>Unpacked h_n equals the length-aware summary when nothing is padded, and differs when rows are padded.</summary>
    [Fact]
    public void UnpackedEncoding_EqualsTheEncoderWithoutPadding_AndDiffersWithIt()
    {
        manual_seed(3);
        var model = new Seq2SeqModel(new Seq2SeqSizes(8, 8, DecoderAttention.None, EmbeddingDim: 4, EncoderHidden: 5));
        var ids = randint(4, 8, new long[] { 3, 6 });
        var noPadding = zeros(3, 6, dtype: ScalarType.Bool);
        TestSupport.AssertClose(model.Encode(ids, noPadding).Final, UnpackedGruEncoding.Encode(model, ids, noPadding).Final, 1e-5, "summary without padding");
        var padding = Masks.PaddingFromLengths(new long[] { 6, 2, 4 }, 6);
        var padded = ids.masked_fill(padding, Vocabulary.PaddingId);
        var gap = Checks.MaxAbsDifference(model.Encode(padded, padding).Final, UnpackedGruEncoding.Encode(model, padded, padding).Final);
        Assert.True(gap > 1e-3, $"unpacked h_n should differ for padded rows; max gap {gap}");
        TestSupport.AssertClose(model.Encode(padded, padding).Final[0], UnpackedGruEncoding.Encode(model, padded, padding).Final[0], 1e-5, "the unpadded row agrees");
    }
}
