using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// Locality-sensitive-hashing attention (Reformer, Kitaev et al. 2020). Queries and keys are shared (keys are the
/// unit-normalised queries); each position is hashed by a random rotation into one of <c>bucketCount</c> buckets
/// (<c>argmax([xR; −xR])</c>), positions are sorted by bucket, cut into chunks of <c>chunkLength</c>, and each chunk
/// attends to itself and the previous chunk. Several hash rounds are combined by their log-sum-exp, so a key missed by
/// one round can be found by another. A position attends to itself only when it has no other key (shared-QK
/// attention would otherwise prefer itself). Cost O(T · chunkLength) per round.
/// </summary>
public sealed class LshAttention : Module<Tensor, Tensor, Tensor?, Tensor>
{
    private readonly Tensor rotations;

    /// <param name="headDim">D, width of a query/key.</param>
    /// <param name="bucketCount">Buckets per round: 1, or an even number (the rotation trick makes pairs).</param>
    /// <param name="hashRounds">Independent hashings, combined.</param>
    /// <param name="chunkLength">Positions per chunk after sorting.</param>
    /// <param name="causal">Position i sees positions j ≤ i only.</param>
    /// <param name="seed">Seed of the random rotations (fixed at construction, so the layer is deterministic).</param>
    public LshAttention(long headDim, long bucketCount, long hashRounds = 2, long chunkLength = 64, bool causal = false, int? seed = null)
        : base(nameof(LshAttention))
    {
        Check.AtLeast(headDim, 1, nameof(headDim));
        Check.AtLeast(bucketCount, 1, nameof(bucketCount));
        if (bucketCount > 1 && bucketCount % 2 != 0)
            throw new ArgumentException($"bucketCount must be 1 or even (buckets come in ± pairs of a rotation); got {bucketCount}.", nameof(bucketCount));
        Check.AtLeast(hashRounds, 1, nameof(hashRounds));
        Check.AtLeast(chunkLength, 1, nameof(chunkLength));
        HeadDim = headDim;
        BucketCount = bucketCount;
        HashRounds = hashRounds;
        ChunkLength = chunkLength;
        Causal = causal;
        using var generator = new Generator((ulong)(seed ?? Course.Seed));
        rotations = randn(new[] { hashRounds, headDim, Math.Max(1, bucketCount / 2) }, generator: generator); // (R, D, nb/2)
        register_buffer(nameof(rotations), rotations);
        RegisterComponents();
    }

    public long HeadDim { get; }
    public long BucketCount { get; }
    public long HashRounds { get; }
    public long ChunkLength { get; }
    public bool Causal { get; }

    /// <summary>Bucket of every position in one round: <c>(B, H, T)</c> Int64.</summary>
    public Tensor Buckets(Tensor queryKey, int round)
    {
        if (BucketCount == 1) return zeros(queryKey.shape[0], queryKey.shape[1], queryKey.shape[2], dtype: ScalarType.Int64);
        using var scope = NewDisposeScope();
        var projected = functional.normalize(queryKey, dim: -1).matmul(rotations[round].to(queryKey.dtype)); // (B, H, T, nb/2)
        return cat(new[] { projected, -projected }, -1).argmax(-1).MoveToOuterDisposeScope();              // (B, H, T)
    }

    /// <param name="queryKey"><c>(B, H, T, D)</c>: shared queries and keys.</param>
    /// <param name="value"><c>(B, H, T, Dv)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, T)</c> Bool, true = padded.</param>
    /// <returns><c>(B, H, T, Dv)</c>.</returns>
    public override Tensor forward(Tensor queryKey, Tensor value, Tensor? keyPadding = null)
    {
        ChunkedAttention.CheckInputs(queryKey, queryKey, value, keyPadding);
        Check.Size(queryKey, 3, HeadDim, nameof(queryKey), "headDim");
        long B = queryKey.shape[0], H = queryKey.shape[1], T = queryKey.shape[2], D = HeadDim, Dv = value.shape[3];
        if (BucketCount > T)
            throw new ArgumentException($"bucketCount ({BucketCount}) must be at most the sequence length ({T}): more buckets than positions leaves buckets empty.", nameof(queryKey));
        long c = Math.Min(ChunkLength, T), chunks = (T + c - 1) / c, padded = chunks * c;
        double scale = 1.0 / Math.Sqrt(D);
        using var scope = NewDisposeScope();
        var keys = functional.normalize(queryKey, dim: -1);                                 // (B, H, T, D) unit keys
        var realKey = keyPadding is null ? ones(B, 1, T, dtype: ScalarType.Bool) : keyPadding.logical_not().view(B, 1, T);
        var outputs = new List<Tensor>();
        var logSumExps = new List<Tensor>();
        for (int round = 0; round < HashRounds; round++)
        {
            using var roundScope = NewDisposeScope();                                       // frees this round's intermediates
            var order = (Buckets(queryKey, round) * T + arange(T)).argsort(-1);             // (B, H, T): by bucket, then position
            Tensor Sort(Tensor x) => x.gather(2, order.unsqueeze(-1).expand(B, H, T, x.shape[3]));
            Tensor Pad(Tensor x, double fill) => functional.pad(x, new long[] { 0, 0, 0, padded - T }, value: fill);
            var q = Pad(Sort(queryKey), 0).view(B, H, chunks, c, D);                        // (B, H, n, c, D)
            var k = Pad(Sort(keys), 0).view(B, H, chunks, c, D);
            var v = Pad(Sort(value), 0).view(B, H, chunks, c, Dv);
            var position = functional.pad(order, new long[] { 0, padded - T }, value: -1).view(B, H, chunks, c); // −1 = padding
            var valid = functional.pad(realKey.expand(B, H, T).gather(2, order), new long[] { 0, padded - T }, value: 0).view(B, H, chunks, c);
            if (chunks > 1)
            {
                // Each chunk also looks one chunk back (the previous chunk of sorted positions).
                k = cat(new[] { k, k.roll(1, 2) }, 3);                                      // (B, H, n, 2c, D)
                v = cat(new[] { v, v.roll(1, 2) }, 3);
                position = cat(new[] { position, position.roll(1, 2) }, 3);
                valid = cat(new[] { valid, valid.roll(1, 2) }, 3);
            }
            var queryPosition = position.narrow(3, 0, c).unsqueeze(-1);                     // (B, H, n, c, 1)
            var keyPosition = position.unsqueeze(3);                                        // (B, H, n, 1, L)
            var allowed = valid.unsqueeze(3).logical_and(keyPosition.ge(0));                // (B, H, n, 1, L)
            if (Causal) allowed = allowed.logical_and(keyPosition.le(queryPosition));       // (B, H, n, c, L)
            var isSelf = keyPosition.eq(queryPosition);                                     // (B, H, n, c, L)
            var others = allowed.logical_and(isSelf.logical_not());
            // Attend to oneself only when nothing else is visible, and only if one's own key is valid (not padding).
            allowed = others.logical_or(isSelf.logical_and(allowed).logical_and(others.any(-1, keepdim: true).logical_not()));
            var scores = q.matmul(k.transpose(-2, -1)) * scale;                             // (B, H, n, c, L)
            var weights = Attention.MaskedSoftmax(scores, allowed);
            var sortedOut = weights.matmul(v).view(B, H, padded, Dv).narrow(2, 0, T);       // (B, H, T, Dv), sorted order
            var sortedLse = scores.masked_fill(allowed.logical_not(), double.NegativeInfinity)
                                  .logsumexp(-1).view(B, H, padded).narrow(2, 0, T);       // (B, H, T)
            outputs.Add(zeros(B, H, T, Dv, dtype: value.dtype).scatter(2, order.unsqueeze(-1).expand(B, H, T, Dv), sortedOut).MoveToOuterDisposeScope());
            logSumExps.Add(full(B, H, T, double.NegativeInfinity, dtype: value.dtype).scatter(2, order, sortedLse).MoveToOuterDisposeScope());
        }
        var lse = stack(logSumExps, -1);                                                     // (B, H, T, R)
        var roundWeights = Attention.MaskedSoftmax(lse, lse.isfinite());                     // each round by its total mass
        var combined = (stack(outputs, -1) * roundWeights.unsqueeze(3)).sum(-1);            // (B, H, T, Dv)
        return combined.MoveToOuterDisposeScope();
    }
}
