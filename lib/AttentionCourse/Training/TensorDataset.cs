using static TorchSharp.torch;

namespace AttentionCourse.Training;

/// <summary>
/// Tensors that share their first dimension (inputs, masks, targets…), cut into mini-batches.
/// The dataset owns its tensors; each batch is a set of new tensors that the caller's dispose scope frees.
/// </summary>
public sealed class TensorDataset : IDisposable
{
    private readonly Tensor[] tensors;

    public TensorDataset(params Tensor[] tensors)
    {
        if (tensors.Length == 0) throw new ArgumentException("tensors must hold at least one tensor; got none.", nameof(tensors));
        if (tensors[0].dim() == 0)
            throw new ArgumentException("tensors[0] must have at least one dimension (the examples); got a scalar (shape ()).", nameof(tensors));
        long count = tensors[0].shape[0];
        for (int i = 0; i < tensors.Length; i++)
        {
            if (tensors[i].dim() == 0 || tensors[i].shape[0] != count)
                throw new ArgumentException(
                    $"tensors[{i}] must have {count} rows (the first tensor's first dimension); got shape {Layers.Check.Describe(tensors[i].shape)}.", nameof(tensors));
        }
        if (count == 0) throw new ArgumentException("tensors must have at least one row; got 0.", nameof(tensors));
        this.tensors = tensors.Select(t => t.detach()).ToArray();
        Count = count;
    }

    /// <summary>Number of examples.</summary>
    public long Count { get; }

    /// <summary>The i-th tensor of the dataset (all rows).</summary>
    public Tensor this[int index] => tensors[index];

    /// <summary>
    /// Mini-batches in order, or shuffled by a generator seeded with <paramref name="seed"/> (default: the course seed),
    /// so a run is repeatable.
    /// </summary>
    public IEnumerable<Tensor[]> Batches(long batchSize, bool shuffle = false, long? seed = null)
    {
        Layers.Check.AtLeast(batchSize, 1, nameof(batchSize));
        Tensor order;
        if (shuffle)
        {
            using var generator = new TorchSharp.torch.Generator((ulong)(seed ?? Course.Seed));
            order = randperm(Count, generator: generator);
        }
        else order = arange(Count);
        try
        {
            for (long start = 0; start < Count; start += batchSize)
            {
                long size = Math.Min(batchSize, Count - start);
                using var index = order.narrow(0, start, size);
                yield return tensors.Select(t => t.index_select(0, index)).ToArray();
            }
        }
        finally { order.Dispose(); }
    }

    /// <summary>Splits off the first <paramref name="firstCount"/> rows (e.g. train) from the rest (e.g. validation).</summary>
    public (TensorDataset first, TensorDataset rest) Split(long firstCount)
    {
        if (firstCount <= 0 || firstCount >= Count)
            throw new ArgumentException($"firstCount must lie in [1, {Count - 1}] (Count − 1); got {firstCount}.", nameof(firstCount));
        return (new TensorDataset(tensors.Select(t => t.narrow(0, 0, firstCount).clone()).ToArray()),
                new TensorDataset(tensors.Select(t => t.narrow(0, firstCount, Count - firstCount).clone()).ToArray()));
    }

    public void Dispose()
    {
        foreach (var t in tensors) t.Dispose();
    }
}
