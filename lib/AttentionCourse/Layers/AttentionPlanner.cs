using static TorchSharp.torch;

namespace AttentionCourse.Layers;

/// <summary>How <see cref="AttentionPlanner"/> computes attention.</summary>
public enum AttentionKind
{
    /// <summary>Written-out softmax(QKᵀ/√d)V: stores the (T, S) weights, so it can return them.</summary>
    Exact,
    /// <summary><see cref="ChunkedAttention"/>: the same numbers, memory linear in T.</summary>
    Chunked,
    /// <summary><see cref="SlidingWindowAttention"/>: an approximation, time and memory linear in T.</summary>
    SlidingWindow,
}

/// <summary>A choice of attention algorithm, with the numbers behind it.</summary>
public sealed record AttentionPlan(AttentionKind Kind, long Block, long Window, double EstimatedBytes, string Reason);

/// <summary>
/// Dynamic attention: picks exact, chunked-exact or sliding-window attention from the sequence length and a memory
/// budget, and says why. Exact while its (T, S) weight matrices fit the budget; chunked (same result, memory
/// O(T · block)) beyond; a sliding window once the length passes the point where quadratic time is too slow.
/// </summary>
public static class AttentionPlanner
{
    /// <summary>The default longest T that <see cref="Choose"/> computes exactly.</summary>
    public const long DefaultMaxExactLength = 16_384;

    private const long BytesPerFloat = 4;

    /// <param name="batch">B.</param>
    /// <param name="heads">H.</param>
    /// <param name="length">T (self-attention: S = T).</param>
    /// <param name="headDim">D.</param>
    /// <param name="memoryBudgetBytes">Memory the attention may use for its intermediates.</param>
    /// <param name="maxExactLength">Longest T computed exactly (time grows as T²); beyond, a sliding window.</param>
    /// <param name="window">Window w used beyond <paramref name="maxExactLength"/>.</param>
    public static AttentionPlan Choose(long batch, long heads, long length, long headDim, long memoryBudgetBytes,
        long maxExactLength = DefaultMaxExactLength, long window = 256)
    {
        Check.AtLeast(batch, 1, nameof(batch));
        Check.AtLeast(heads, 1, nameof(heads));
        Check.AtLeast(length, 1, nameof(length));
        Check.AtLeast(headDim, 1, nameof(headDim));
        Check.AtLeast(memoryBudgetBytes, 1, nameof(memoryBudgetBytes));
        Check.AtLeast(window, 1, nameof(window));
        // Scores, masked scores, exponentials and weights (and a Bool mask) can be alive at once in a masked softmax.
        double exactBytes = 5.0 * batch * heads * length * length * BytesPerFloat;
        double gigaFlops = 4.0 * batch * heads * length * length * headDim / 1e9;          // QKᵀ and (weights)V
        if (length > maxExactLength)
        {
            long block = Math.Max(window, 64);
            double bytes = 2.0 * batch * heads * block * (block + 2 * window) * BytesPerFloat;
            if (bytes > memoryBudgetBytes)
                throw new ArgumentException($"memoryBudgetBytes ({memoryBudgetBytes} bytes = {Mib(memoryBudgetBytes)}) is below what a window of {window} needs ({Mib(bytes)}); raise the budget or lower the window.", nameof(memoryBudgetBytes));
            return new AttentionPlan(AttentionKind.SlidingWindow, block, window, bytes,
                $"T = {length} > maxExactLength = {maxExactLength}: exact attention would cost {gigaFlops:F0} GFLOP (growing as T²); " +
                $"a sliding window of ±{window} costs {4.0 * batch * heads * length * (2 * window + 1) * headDim / 1e9:F1} GFLOP and {Mib(bytes)}, but is approximate.");
        }
        if (exactBytes <= memoryBudgetBytes)
            return new AttentionPlan(AttentionKind.Exact, length, 0, exactBytes,
                $"the written-out form's (T, T) buffers (up to five of B·H·T² floats: scores, masked scores, exponentials, weights, mask) take {Mib(exactBytes)} ≤ budget {Mib(memoryBudgetBytes)}: exact attention, which can also return its weights.");
        for (long block = 512; block >= 16; block /= 2)
        {
            double bytes = 2.0 * batch * heads * block * block * BytesPerFloat + 3.0 * batch * heads * length * headDim * BytesPerFloat;
            if (bytes <= memoryBudgetBytes)
                return new AttentionPlan(AttentionKind.Chunked, block, 0, bytes,
                    $"the written-out form's (T, T) buffers (up to five of B·H·T² floats) would take {Mib(exactBytes)} > budget {Mib(memoryBudgetBytes)}: chunked exact attention with {block}×{block} tiles needs {Mib(bytes)}, same result.");
        }
        throw new ArgumentException($"memoryBudgetBytes ({memoryBudgetBytes} bytes = {Mib(memoryBudgetBytes)}) cannot hold even the inputs' running state ({Mib(3.0 * batch * heads * length * headDim * BytesPerFloat)}).", nameof(memoryBudgetBytes));
    }

    /// <summary>Runs a plan: <c>(B, H, T, D)</c> inputs → <c>(B, H, T, Dv)</c>.</summary>
    public static Tensor Run(AttentionPlan plan, Tensor query, Tensor key, Tensor value, Tensor? keyPadding = null, bool causal = false) => plan.Kind switch
    {
        AttentionKind.Exact => ExactOutput(query, key, value, keyPadding, causal),
        AttentionKind.Chunked => ChunkedAttention.Forward(query, key, value, keyPadding, causal, plan.Block, plan.Block),
        AttentionKind.SlidingWindow => SlidingWindowAttention.Forward(query, key, value, plan.Window, keyPadding, causal: causal, block: plan.Block),
        _ => throw new ArgumentOutOfRangeException(nameof(plan), plan.Kind, "unknown attention kind"),
    };

    private static Tensor ExactOutput(Tensor query, Tensor key, Tensor value, Tensor? keyPadding, bool causal)
    {
        using var allowed = Masks.Allowed(query.shape[0], query.shape[2], key.shape[2], keyPadding, causal);
        var (output, weights) = Attention.ScaledDotProduct(query, key, value, allowed);
        weights.Dispose();
        return output;
    }

    private static string Mib(double bytes) => $"{bytes / (1 << 20):F1} MiB";
}
