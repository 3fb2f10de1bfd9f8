using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Benchmarking;

/// <summary>One way of computing self-attention over <c>(B, H, T, D)</c> inputs, for benchmarks and lesson 12.</summary>
/// <param name="Name">Short name used in tables.</param>
/// <param name="Exact">Whether it computes softmax(QKᵀ/√d)V exactly.</param>
/// <param name="Quadratic">Whether its memory grows as T² (the (T, T) matrix is stored).</param>
/// <param name="Description">What it is and the settings used.</param>
/// <param name="Create">Builds the computation for a length T and head width D (layers with parameters are built here, seeded).</param>
/// <param name="SharedQueryKey">It computes shared-QK attention (keys = unit queries, no attending to oneself), so its
/// error must be measured against <see cref="AttentionVariants.SharedQueryKeyReference"/>, not softmax(QKᵀ/√d)V.</param>
public sealed record AttentionVariant(string Name, bool Exact, bool Quadratic, string Description, Func<long, long, Func<Tensor, Tensor, Tensor, Tensor>> Create,
    bool SharedQueryKey = false);

/// <summary>The attention variants compared by the benchmark suite, with the settings it uses.</summary>
public static class AttentionVariants
{
    public const long Window = 256, LinformerLength = 256, LshBuckets = 64, LshChunk = 64, LshRounds = 2, TopK = 64;

    public static readonly AttentionVariant Manual = new("manual", true, true, "softmax(QKᵀ/√d)V written out (Attention.ScaledDotProduct)",
        (_, _) => (q, k, v) => Attention.ScaledDotProduct(q, k, v).output);

    public static readonly AttentionVariant BuiltIn = new("sdpa", true, false, "TorchSharp's built-in scaled_dot_product_attention (fused flash kernel)",
        (_, _) => (q, k, v) => functional.scaled_dot_product_attention(q, k, v));

    public static readonly AttentionVariant Chunked = new("chunked", true, false, "ChunkedAttention, 512×512 tiles, online softmax",
        (_, _) => (q, k, v) => ChunkedAttention.Forward(q, k, v));

    public static readonly AttentionVariant SlidingWindow = new("window", false, false, $"SlidingWindowAttention, w = ±{Window}",
        (_, _) => (q, k, v) => SlidingWindowAttention.Forward(q, k, v, Window));

    public static readonly AttentionVariant Linformer = new("linformer", false, false, $"LinformerAttention, k = {LinformerLength}",
        (length, _) =>
        {
            Course.SetSeed();
            var layer = new LinformerAttention(length, Math.Min(LinformerLength, length));
            return (q, k, v) => layer.call(q, k, v, null);
        });

    public static readonly AttentionVariant Lsh = new("lsh", false, false, $"LshAttention, {LshBuckets} buckets, chunks of {LshChunk}, {LshRounds} rounds (shared QK: uses q as keys)",
        (_, headDim) =>
        {
            var layer = new LshAttention(headDim, LshBuckets, LshRounds, LshChunk);
            return (q, _, v) => layer.call(q, v, null);
        }, SharedQueryKey: true);

    public static readonly AttentionVariant TopKVariant = new("topk", false, true, $"TopKAttention, k = {TopK}",
        (_, _) => (q, k, v) => TopKAttention.Forward(q, k, v, Math.Min(TopK, k.shape[2])).output);

    public static readonly AttentionVariant Linear = new("linear", false, false, "LinearAttention, φ = elu + 1",
        (_, _) => (q, k, v) => LinearAttention.Forward(q, k, v));

    /// <summary>The exact function LSH attention approximates: keys are the unit-normalised queries, and no position attends to itself.</summary>
    public static Tensor SharedQueryKeyReference(Tensor queryKey, Tensor value)
    {
        long T = queryKey.shape[2];
        using var scope = NewDisposeScope();
        var notSelf = eye(T, dtype: ScalarType.Bool).logical_not();                         // (T, T)
        var (output, _) = Attention.ScaledDotProduct(queryKey, functional.normalize(queryKey, dim: -1), value, notSelf);
        return output.MoveToOuterDisposeScope();
    }

    public static IReadOnlyList<AttentionVariant> All { get; } = new[] { Manual, BuiltIn, Chunked, SlidingWindow, Linformer, Lsh, TopKVariant, Linear };

    public static AttentionVariant Named(string name) => All.FirstOrDefault(v => v.Name == name)
        ?? throw new ArgumentException($"name must be one of {string.Join(", ", All.Select(v => v.Name))}; got '{name}'.", nameof(name));
}
