using static TorchSharp.torch;

namespace AttentionCourse.Layers;

/// <summary>
/// Argument checks shared by every layer. Each failure is an <see cref="ArgumentException"/> whose
/// message names the argument, the expected value and the actual value, so a wrong shape never turns
/// into a silent broadcast or a NaN three layers later.
/// </summary>
public static class Check
{
    /// <summary>Shape as "(2, 3, 4)".</summary>
    public static string Describe(long[] shape) => "(" + string.Join(", ", shape) + ")";

    /// <summary>Requires <paramref name="tensor"/> to have <paramref name="rank"/> dimensions.</summary>
    public static void Rank(Tensor tensor, int rank, string argument, string layout)
    {
        if (tensor.dim() != rank)
            throw new ArgumentException(
                $"{argument} must be a {rank}-D tensor {layout}; got shape {Describe(tensor.shape)}.", argument);
    }

    /// <summary>Requires dimension <paramref name="dim"/> of <paramref name="tensor"/> to equal <paramref name="expected"/>.</summary>
    public static void Size(Tensor tensor, int dim, long expected, string argument, string meaning)
    {
        long actual = tensor.shape[dim];
        if (actual != expected)
            throw new ArgumentException(
                $"{argument}: dimension {dim} ({meaning}) must be {expected}; got {actual} (shape {Describe(tensor.shape)}).", argument);
    }

    /// <summary>Requires a batch of at least one element.</summary>
    public static void NonEmpty(Tensor tensor, string argument)
    {
        if (tensor.numel() == 0)
            throw new ArgumentException(
                $"{argument} must not be empty; got shape {Describe(tensor.shape)} (batch and sequence sizes must be at least 1).", argument);
    }

    /// <summary>Requires a non-empty <c>(batch, length)</c> Int64 tensor of ids (<paramref name="what"/>: "token", "word").</summary>
    public static void TokenIds(Tensor ids, string argument, string what = "token")
    {
        Rank(ids, 2, argument, $"(batch, length) {what} ids");
        NonEmpty(ids, argument);
        if (ids.dtype != ScalarType.Int64)
            throw new ArgumentException($"{argument} must be Int64 {what} ids; got dtype {ids.dtype}.", argument);
    }

    /// <summary>Requires a boolean tensor of exactly the given shape.</summary>
    public static void BoolMask(Tensor? mask, long[] expected, string argument, string layout)
    {
        if (mask is null) return;
        if (mask.dtype != ScalarType.Bool)
            throw new ArgumentException($"{argument} must be a Bool tensor {layout}; got dtype {mask.dtype}.", argument);
        if (!mask.shape.SequenceEqual(expected))
            throw new ArgumentException(
                $"{argument} must have shape {Describe(expected)} {layout}; got {Describe(mask.shape)}.", argument);
    }

    /// <summary>
    /// Requires a Bool mask that broadcasts to <paramref name="target"/> without stretching its last dimension (the keys):
    /// at most as many dimensions, each (aligned from the right) 1 or equal, the last one equal.
    /// </summary>
    public static void MaskFor(Tensor? mask, long[] target, string argument)
    {
        if (mask is null) return;
        if (mask.dtype != ScalarType.Bool)
            throw new ArgumentException($"{argument} must be a Bool mask (true = may attend); got dtype {mask.dtype}.", argument);
        var shape = mask.shape;
        bool fits = shape.Length >= 1 && shape.Length <= target.Length && shape[^1] == target[^1];
        for (int i = 2; fits && i <= shape.Length; i++)
            fits = shape[^i] == 1 || shape[^i] == target[^i];
        if (!fits)
            throw new ArgumentException(
                $"{argument} must broadcast to {Describe(target)} (each dimension 1 or equal, the last, {target[^1]} keys, equal); got {Describe(shape)}.", argument);
    }

    /// <summary>Requires <paramref name="value"/> ≥ <paramref name="minimum"/>.</summary>
    public static void AtLeast(long value, long minimum, string argument)
    {
        if (value < minimum)
            throw new ArgumentException($"{argument} must be at least {minimum}; got {value}.", argument);
    }

    /// <summary>Requires <paramref name="value"/> to be a multiple of <paramref name="divisor"/>.</summary>
    public static void Divisible(long value, long divisor, string argument, string divisorName)
    {
        if (divisor <= 0 || value % divisor != 0)
            throw new ArgumentException(
                $"{argument} ({value}) must be divisible by {divisorName} ({divisor}); " +
                $"the nearest valid values are {value / Math.Max(divisor, 1) * Math.Max(divisor, 1)} and {(value / Math.Max(divisor, 1) + 1) * Math.Max(divisor, 1)}.",
                argument);
    }

    /// <summary>
    /// Validates batch-first attention inputs: query <c>(B, T, Dq)</c>, key <c>(B, S, Dk)</c>, value <c>(B, S, Dv)</c>,
    /// non-empty, and an optional <c>(B, S)</c> Bool key-padding mask.
    /// </summary>
    public static void QueryKeyValue(Tensor query, Tensor key, Tensor value, long queryDim, long keyDim, Tensor? keyPadding)
    {
        Rank(query, 3, nameof(query), "(batch, queries, queryDim)");
        Rank(key, 3, nameof(key), "(batch, keys, keyDim)");
        Rank(value, 3, nameof(value), "(batch, keys, valueDim)");
        Size(query, 2, queryDim, nameof(query), "queryDim");
        Size(key, 2, keyDim, nameof(key), "keyDim");
        Size(key, 0, query.shape[0], nameof(key), "batch, must match query");
        Size(value, 0, query.shape[0], nameof(value), "batch, must match query");
        Size(value, 1, key.shape[1], nameof(value), "keys, must match key");
        NonEmpty(query, nameof(query));
        NonEmpty(key, nameof(key));
        BoolMask(keyPadding, new[] { key.shape[0], key.shape[1] }, nameof(keyPadding), "(batch, keys), true = padded");
    }
}
