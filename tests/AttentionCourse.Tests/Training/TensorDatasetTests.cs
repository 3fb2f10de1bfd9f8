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
}
