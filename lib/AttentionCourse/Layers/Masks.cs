using static TorchSharp.torch;

namespace AttentionCourse.Layers;

/// <summary>
/// Mask conventions used across the course.
/// <list type="bullet">
/// <item><b>keyPadding</b> <c>(B, S)</c> Bool: <c>true</c> marks a padded key that must get no weight
/// (the convention of PyTorch's <c>key_padding_mask</c>).</item>
/// <item><b>allowed</b> <c>(B or 1, 1 or H, T, S)</c> Bool: <c>true</c> where a query may attend to a key
/// (the convention of <c>scaled_dot_product_attention</c>'s boolean mask).</item>
/// </list>
/// </summary>
public static class Masks
{
    /// <summary>Key-padding mask from sequence lengths: <c>(B, S)</c>, true at positions ≥ length.</summary>
    public static Tensor PaddingFromLengths(long[] lengths, long maxLength)
    {
        foreach (var length in lengths)
            if (length < 0 || length > maxLength)
                throw new ArgumentException($"lengths must lie in [0, {maxLength}] (maxLength); got {length}.", nameof(lengths));
        using var positions = arange(maxLength).unsqueeze(0);                 // (1, S)
        using var limits = tensor(lengths).unsqueeze(1);                        // (B, 1)
        return positions.ge(limits);                                            // (B, S)
    }

    /// <summary>Causal mask <c>(T, S)</c>: query i may see keys j ≤ i + (S − T) (aligned at the end, as in decoding with a cache).</summary>
    public static Tensor Causal(long queryLength, long keyLength)
    {
        return ones(queryLength, keyLength, dtype: ScalarType.Bool).tril(keyLength - queryLength); // (T, S)
    }

    /// <summary>
    /// Combines the optional masks into one "allowed" mask of shape <c>(B, 1, T, S)</c>, or null when
    /// nothing is masked. Validates shapes: <paramref name="keyPadding"/> must be <c>(B, S)</c>.
    /// </summary>
    public static Tensor? Allowed(long batch, long queryLength, long keyLength, Tensor? keyPadding, bool causal)
    {
        Check.BoolMask(keyPadding, new[] { batch, keyLength }, nameof(keyPadding), "(batch, keyLength), true = padded");
        if (keyPadding is null && !causal) return null;
        using var scope = NewDisposeScope();
        var allowed = ones(batch, 1, queryLength, keyLength, dtype: ScalarType.Bool);   // (B, 1, T, S)
        if (keyPadding is not null) allowed = allowed.logical_and(keyPadding.logical_not().view(batch, 1, 1, keyLength));
        if (causal) allowed = allowed.logical_and(Causal(queryLength, keyLength));
        return allowed.MoveToOuterDisposeScope();
    }
}
