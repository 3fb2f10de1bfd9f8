using AttentionCourse.Training;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Training;

public class TensorDatasetTests
{
    [Fact]
    public void ShuffledBatches_CoverEveryRowOnce_AndRepeatWithTheSeed()
    {
        using var data = new TensorDataset(arange(10), arange(10) * 2);
        var rows = data.Batches(3, shuffle: true, seed: 5).SelectMany(b => b[0].data<long>().ToArray()).ToArray();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), rows.Order());
        Assert.NotEqual(Enumerable.Range(0, 10).Select(i => (long)i), rows);
        Assert.Equal(rows, data.Batches(3, shuffle: true, seed: 5).SelectMany(b => b[0].data<long>().ToArray()));
        foreach (var b in data.Batches(4)) TestSupport.AssertClose(b[0] * 2, b[1], 0);
        Assert.Equal(new long[] { 4, 4, 2 }, data.Batches(4).Select(b => b[0].shape[0]));
    }

    [Fact]
    public void MismatchedOrEmptyTensors_AreRejected()
    {
        TestSupport.AssertArgumentError(() => new TensorDataset(zeros(5, 2), zeros(4)), "tensors", "5 rows", "(4)");
        TestSupport.AssertArgumentError(() => new TensorDataset(zeros(0, 2)), "tensors", "at least one row");
        using var data = new TensorDataset(zeros(5));
        TestSupport.AssertArgumentError(() => data.Split(5), "firstCount", "[1, 4]", "5");
    }

    [Fact]
    public void LengthBuckets_CoverEveryRowOnce_AndGroupSimilarLengths()
    {
        var random = new Random(3);
        var lengths = Enumerable.Range(0, 1000).Select(_ => (long)random.Next(1, 200)).ToArray();
        using var data = new TensorDataset(arange(1000)).WithLengthBuckets(lengths, batchesPerBucket: 10);
        var batches = data.Batches(32, shuffle: true, seed: 4).Select(b => b[0].data<long>().ToArray()).ToArray();
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), batches.SelectMany(b => b).Order());
        Assert.All(batches.SkipLast(1), b => Assert.Equal(32, b.Length));     // only the last batch is short (1000 = 31·32 + 8)
        Assert.Equal(8, batches[^1].Length);
        // The padding a batch carries (longest − mean length) is far below that of plain shuffled batches.
        double Waste(IEnumerable<long[]> bs) => bs.Average(b => b.Max(i => lengths[i]) - b.Average(i => lengths[i]));
        var plain = new TensorDataset(arange(1000)).Batches(32, shuffle: true, seed: 4).Select(b => b[0].data<long>().ToArray());
        Assert.True(Waste(batches) < 0.25 * Waste(plain), $"bucketed waste {Waste(batches):F1} vs plain {Waste(plain):F1}");
        // Repeatable with the seed, different across epochs (seeds).
        Assert.Equal(batches, data.Batches(32, shuffle: true, seed: 4).Select(b => b[0].data<long>().ToArray()));
        Assert.NotEqual(batches[0], data.Batches(32, shuffle: true, seed: 5).First()[0].data<long>().ToArray());
        TestSupport.AssertArgumentError(() => data.WithLengthBuckets(new long[] { 1, 2 }), "lengths", "(1000)", "got 2");
    }
}
