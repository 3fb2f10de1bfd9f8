using static TorchSharp.torch;

namespace AttentionCourse.Layers;

/// <summary>
/// The keys and values one attention layer has already computed while decoding, so that each new token costs one
/// projection of itself and one attention row, instead of re-running the whole prefix: with a cache, step t of
/// generation costs O(t·D) attention work per layer rather than O(t²·D) (and O(D²) projection work rather than O(t·D²)).
/// </summary>
/// <remarks>
/// Storage is allocated once, <c>(B, H, capacity, Dh)</c>, and filled in place; <see cref="Keys"/> and
/// <see cref="Values"/> are views of the filled part. It holds no autograd history (decoding runs without gradients).
/// </remarks>
public sealed class KeyValueCache : IDisposable
{
    private readonly Tensor keys;                    // (B, H, capacity, Dh)
    private readonly Tensor values;                  // (B, H, capacity, Dh)

    /// <param name="batch">Sequences decoded together (B).</param>
    /// <param name="heads">Heads (H).</param>
    /// <param name="capacity">Most positions the cache will hold (the model's block size).</param>
    /// <param name="headDim">Width of one head (Dh).</param>
    /// <param name="dtype">Element type of the keys and values.</param>
    public KeyValueCache(long batch, long heads, long capacity, long headDim, ScalarType dtype = ScalarType.Float32)
    {
        Check.AtLeast(batch, 1, nameof(batch));
        Check.AtLeast(heads, 1, nameof(heads));
        Check.AtLeast(capacity, 1, nameof(capacity));
        Check.AtLeast(headDim, 1, nameof(headDim));
        keys = zeros(new[] { batch, heads, capacity, headDim }, dtype).DetachFromDisposeScope();
        values = zeros(new[] { batch, heads, capacity, headDim }, dtype).DetachFromDisposeScope();
        Capacity = capacity;
    }

    /// <summary>Positions filled so far.</summary>
    public long Length { get; private set; }

    /// <summary>Most positions it can hold.</summary>
    public long Capacity { get; }

    /// <summary>Cached keys <c>(B, H, Length, Dh)</c> (a view; valid until the next append or reset).</summary>
    public Tensor Keys => keys.narrow(2, 0, Length);

    /// <summary>Cached values <c>(B, H, Length, Dh)</c> (a view).</summary>
    public Tensor Values => values.narrow(2, 0, Length);

    /// <summary>Appends the keys and values of <c>T</c> new positions, <c>(B, H, T, Dh)</c> each.</summary>
    public void Append(Tensor newKeys, Tensor newValues)
    {
        long B = keys.shape[0], H = keys.shape[1], Dh = keys.shape[3];
        var expected = new[] { B, H, newKeys.shape.Length == 4 ? newKeys.shape[2] : -1, Dh };
        if (newKeys.dim() != 4 || !newKeys.shape.SequenceEqual(expected) || !newValues.shape.SequenceEqual(newKeys.shape))
            throw new ArgumentException($"newKeys and newValues must both be (B, H, T, Dh) = ({B}, {H}, T, {Dh}); got {Check.Describe(newKeys.shape)} and {Check.Describe(newValues.shape)}.", nameof(newKeys));
        long T = newKeys.shape[2];
        if (Length + T > Capacity)
            throw new ArgumentException($"the cache holds {Length} of {Capacity} positions; appending {T} would exceed its capacity (reset it or crop the context).", nameof(newKeys));
        using (no_grad())
        {
            using var keySlot = keys.narrow(2, Length, T);
            using var valueSlot = values.narrow(2, Length, T);
            keySlot.copy_(newKeys);
            valueSlot.copy_(newValues);
        }
        Length += T;
    }

    /// <summary>Forgets every position (the storage is reused).</summary>
    public void Reset() => Length = 0;

    public void Dispose()
    {
        keys.Dispose();
        values.Dispose();
    }
}
