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

    [Fact]
    public void MedianPermutationTvd_EqualsAPerPassageRecount()
    {
        // Recount passage by passage: the same draws (same generator, same construction), each row's permutation applied by
        // index to that row's own weights, its output recomputed alone, the median taken by hand.
        manual_seed(27);
        var model = new SentenceClassifier(12, 3, SentencePooling.SelfAttentive, hops: 2, embeddingDim: 6, hiddenDim: 4, attentionDim: 5, mlpDim: 7);
        model.eval();
        var lengths = new long[] { 5, 4, 3, 5, 1, 2 };
        var padding = AttentionCourse.Layers.Masks.PaddingFromLengths(lengths, 5);
        var ids = randint(2, 12, new long[] { 6, 5 }).masked_fill(padding, 0);
        const int draws = 4;
        var medians = Lesson27.MedianPermutationTvd(model, ids, padding, draws, seed: 5);
        var generator = new Generator(5);
        var orders = Enumerable.Range(0, draws).Select(_ => rand(new long[] { 6, 5 }, generator: generator).masked_fill(padding, 2.0).argsort(1)).ToArray();
        for (int b = 0; b < 6; b++)
        {
            var row = ids[b].unsqueeze(0);
            var rowPadding = padding[b].unsqueeze(0);
            var (logits, a) = model.Classify(row, rowPadding);                                   // (1, C), (1, r, T)
            var h = model.Encode(row, rowPadding);                                               // (1, T, 2u)
            var p = logits.softmax(-1).data<float>().ToArray();
            var values = new List<double>();
            foreach (var order in orders)
            {
                var index = order[b].data<long>().ToArray();
                var shuffled = zeros_like(a);
                for (int t = 0; t < index.Length; t++) shuffled[.., .., t] = a[.., .., index[t]];
                var q = model.Head(shuffled.bmm(h).flatten(1)).softmax(-1).data<float>().ToArray();
                values.Add(0.5 * p.Zip(q, (x, y) => Math.Abs((double)x - y)).Sum());
            }
            values.Sort();
            double expected = (values[1] + values[2]) / 2;
            Assert.Equal(expected, medians[b], 5);
        }
        Assert.Equal(0.0, medians[4], 12);                                                      // one real token: nothing to shuffle
    }
}
