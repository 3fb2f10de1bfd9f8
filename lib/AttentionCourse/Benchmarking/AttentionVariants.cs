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

/// <summary>The settings of the approximate variants (window, Linformer's k, LSH's buckets, chunks and rounds, top-k's k).</summary>
public sealed record VariantSettings(long Window = 256, long LinformerLength = 256, long LshBuckets = 64, long LshChunk = 64, long LshRounds = 2, long TopK = 64)
{
    /// <summary>The benchmark suite's settings (lengths 512 to 65,536).</summary>
    public static VariantSettings Benchmark { get; } = new();
}

/// <summary>The attention variants compared by the benchmark suite (and, at smaller settings, by lesson 12).</summary>
public static class AttentionVariants
{
    public static readonly AttentionVariant Manual = new("manual", true, true, "softmax(QKᵀ/√d)V written out (Attention.ScaledDotProduct)",
        (_, _) => (q, k, v) => Attention.ScaledDotProduct(q, k, v).output);

    public static readonly AttentionVariant BuiltIn = new("sdpa", true, false, "TorchSharp's built-in scaled_dot_product_attention (fused flash kernel)",
        (_, _) => (q, k, v) => functional.scaled_dot_product_attention(q, k, v));

    public static readonly AttentionVariant Chunked = new("chunked", true, false, "ChunkedAttention, 512×512 tiles, online softmax",
        (_, _) => (q, k, v) => ChunkedAttention.Forward(q, k, v));

    public static readonly AttentionVariant SlidingWindow = WindowVariant(VariantSettings.Benchmark);
    public static readonly AttentionVariant Linformer = LinformerVariant(VariantSettings.Benchmark);
    public static readonly AttentionVariant Lsh = LshVariant(VariantSettings.Benchmark);
    public static readonly AttentionVariant TopKVariant = TopKVariantWith(VariantSettings.Benchmark);

    public static readonly AttentionVariant Linear = new("linear", false, false, "LinearAttention, φ = elu + 1",
        (_, _) => (q, k, v) => LinearAttention.Forward(q, k, v));

    /// <summary>Every variant, the approximate ones with <paramref name="settings"/> (in the order of <see cref="All"/>).</summary>
    public static IReadOnlyList<AttentionVariant> With(VariantSettings settings) =>
        new[] { Manual, BuiltIn, Chunked, WindowVariant(settings), LinformerVariant(settings), LshVariant(settings), TopKVariantWith(settings), Linear };

    private static AttentionVariant WindowVariant(VariantSettings s) => new("window", false, false, $"SlidingWindowAttention, w = ±{s.Window}",
        (_, _) => (q, k, v) => SlidingWindowAttention.Forward(q, k, v, s.Window));

    private static AttentionVariant LinformerVariant(VariantSettings s) => new("linformer", false, false, $"LinformerAttention, k = {s.LinformerLength}",
        (length, _) =>
        {
            Course.SetSeed();
            var layer = new LinformerAttention(length, Math.Min(s.LinformerLength, length));
            return (q, k, v) => layer.call(q, k, v, null);
        });

    private static AttentionVariant LshVariant(VariantSettings s) => new("lsh", false, false,
        $"LshAttention, {s.LshBuckets} buckets, chunks of {s.LshChunk}, {s.LshRounds} rounds (shared QK: uses q as keys)",
        (_, headDim) =>
        {
            var layer = new LshAttention(headDim, s.LshBuckets, s.LshRounds, s.LshChunk);
            return (q, _, v) => layer.call(q, v, null);
        }, SharedQueryKey: true);

    private static AttentionVariant TopKVariantWith(VariantSettings s) => new("topk", false, true, $"TopKAttention, k = {s.TopK}",
        (_, _) => (q, k, v) => TopKAttention.Forward(q, k, v, Math.Min(s.TopK, k.shape[2])).output);

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
