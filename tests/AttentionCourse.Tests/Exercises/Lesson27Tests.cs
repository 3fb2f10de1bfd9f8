using AttentionCourse.Exercises;
using AttentionCourse.Models;
using Xunit;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

public class Lesson27Tests
{
    [Fact]
    public void MostAttendedPositions_SumsTheHops()
    {
        // Row 0: position sums over the two hops (0.3+0.6, 0.7+0.4, 0) = (0.9, 1.1, 0) → 1; row 1: (1.0, 0.5, 0.5) → 0.
        var a = tensor(new float[] { 0.3f, 0.7f, 0, 0.6f, 0.4f, 0, 0.5f, 0, 0.5f, 0.5f, 0.5f, 0 }).view(2, 2, 3);
        Assert.Equal(new long[] { 1, 0 }, Lesson27.MostAttendedPositions(a));
    }

    [Fact]
    public void ErasureFlipRate_EqualsABatchedRecount()
    {
        // The reference erases one row at a time; recount here with one batched forward of the erased copies.
        manual_seed(27);
        var model = new SentenceClassifier(12, 3, SentencePooling.SelfAttentive, hops: 2, embeddingDim: 6, hiddenDim: 4, attentionDim: 5, mlpDim: 7);
        model.eval();
        var ids = randint(2, 12, new long[] { 16, 5 });
        var padding = AttentionCourse.Layers.Masks.PaddingFromLengths(new long[] { 5, 4, 3, 5, 2, 5, 5, 1, 5, 4, 3, 5, 2, 5, 5, 1 }, 5);
        ids = ids.masked_fill(padding, 0);
        var positions = new long[] { 4, 3, 0, 1, 1, 2, 0, 0, 4, 3, 0, 1, 1, 2, 0, 0 };
        var before = model.call(ids, padding).argmax(-1);
        var erased = ids.clone();
        for (int b = 0; b < 16; b++) erased[b, positions[b]] = AttentionCourse.Data.Vocabulary.UnknownId;
        var after = model.call(erased, padding).argmax(-1);
        double expected = before.ne(after).to_type(ScalarType.Float64).mean().item<double>();
        Assert.Equal(expected, Lesson27.ErasureFlipRate(model, ids, padding, positions), 12);
        Assert.Throws<ArgumentException>(() => { Lesson27.ErasureFlipRate(model, ids, padding, new long[16].Select((_, i) => i == 7 ? 3L : 0L).ToArray()); });
    }
}
