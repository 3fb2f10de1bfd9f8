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

    private long[]? bucketLengths;
    private int batchesPerBucket;

    /// <summary>
    /// Makes shuffled batches hold examples of similar length (the "bucket" or "sortish" sampler of torchtext and fastai):
    /// each epoch the examples are shuffled, cut into pools of <paramref name="batchesPerBucket"/> batches, each pool is
    /// sorted by length and cut into batches, and the batches are shuffled. A batch then carries little padding, which
    /// matters for recurrent layers, whose cost grows with the longest sequence of the batch. Returns this dataset.
    /// </summary>
    /// <param name="lengths">One length per example.</param>
    /// <param name="batchesPerBucket">Batches per pool: larger = less padding, less randomness in batch composition.</param>
    public TensorDataset WithLengthBuckets(long[] lengths, int batchesPerBucket = 20)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (lengths.Length != Count)
            throw new ArgumentException($"lengths must have one entry per example ({Count}); got {lengths.Length}.", nameof(lengths));
        Layers.Check.AtLeast(batchesPerBucket, 1, nameof(batchesPerBucket));
        bucketLengths = lengths.ToArray();
        this.batchesPerBucket = batchesPerBucket;
        return this;
    }

    /// <summary>
    /// Mini-batches in order, or shuffled by a generator seeded with <paramref name="seed"/> (default: the course seed),
    /// so a run is repeatable. With <see cref="WithLengthBuckets"/>, shuffled batches group similar lengths.
    /// </summary>
    public IEnumerable<Tensor[]> Batches(long batchSize, bool shuffle = false, long? seed = null)
    {
        Layers.Check.AtLeast(batchSize, 1, nameof(batchSize));
        Tensor order;
        if (shuffle)
        {
            using var generator = new TorchSharp.torch.Generator((ulong)(seed ?? Course.Seed));
            order = randperm(Count, generator: generator);
            if (bucketLengths is not null) order = Bucketed(order, batchSize, generator);
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

    // Pools of batchesPerBucket batches from the shuffled order, each sorted by length, cut into batches, batches shuffled.
    // The last batch (possibly short) stays last, so every other batch has exactly batchSize examples.
    private Tensor Bucketed(Tensor shuffled, long batchSize, TorchSharp.torch.Generator generator)
    {
        using (shuffled)
        {
            var indices = shuffled.data<long>().ToArray();
            long pool = batchSize * batchesPerBucket;
            var sorted = indices.Chunk((int)pool).SelectMany(chunk => chunk.OrderBy(i => bucketLengths![i])).ToArray();
            var batches = sorted.Chunk((int)batchSize).ToArray();
            int full = Count % batchSize == 0 ? batches.Length : batches.Length - 1;
            using var batchOrder = randperm(full, generator: generator);
            var reordered = batchOrder.data<long>().ToArray().SelectMany(b => batches[b]).Concat(batches.Skip(full).SelectMany(b => b));
            return tensor(reordered.ToArray());
        }
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
