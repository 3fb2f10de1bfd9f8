using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>Which computation <see cref="EfficientSelfAttention"/> runs between its projections.</summary>
public enum SelfAttentionKind
{
    /// <summary>Exact softmax(QKᵀ/√d)V through the fused kernel (the reference).</summary>
    Softmax,
    /// <summary><see cref="ChunkedAttention"/>: the same numbers, memory O(T · block).</summary>
    Chunked,
    /// <summary><see cref="SlidingWindowAttention"/>: ±w neighbours plus optional global positions.</summary>
    SlidingWindow,
    /// <summary><see cref="LinformerAttention"/>: keys and values compressed along the sequence to k rows.</summary>
    Linformer,
    /// <summary><see cref="LinearAttention"/>: the elu + 1 feature-map kernel, O(T · D²).</summary>
    Linear,
    /// <summary><see cref="TopKAttention"/>: each query keeps its k largest scores.</summary>
    TopK,
}

/// <summary>
/// The settings of one attention computation for <see cref="EfficientSelfAttention"/> (and so for a
/// <see cref="TransformerEncoderBlock"/> or a whole model). Build one with the static factories.
/// </summary>
/// <param name="Kind">The computation.</param>
/// <param name="Window">Sliding window: neighbours on each side.</param>
/// <param name="GlobalPositions">Sliding window: positions that see and are seen by every position.</param>
/// <param name="MaxLength">Linformer: the longest sequence n (its projections are k × n).</param>
/// <param name="ProjectedLength">Linformer: k, the number of key/value summaries.</param>
/// <param name="TopK">Top-k: keys kept per query.</param>
/// <param name="Block">Chunked: queries and keys per tile.</param>
public sealed record SelfAttentionKernel(SelfAttentionKind Kind, long Window = 0, IReadOnlyList<long>? GlobalPositions = null,
    long MaxLength = 0, long ProjectedLength = 0, long TopK = 0, long Block = 512)
{
    /// <summary>Exact attention through the fused kernel.</summary>
    public static SelfAttentionKernel Softmax { get; } = new(SelfAttentionKind.Softmax);
    /// <summary>Exact attention, tile by tile.</summary>
    public static SelfAttentionKernel Chunked(long block = 512) => new(SelfAttentionKind.Chunked, Block: block);
    /// <summary>Sliding window of ±<paramref name="window"/>, with optional global positions (e.g. a class token at 0).</summary>
    public static SelfAttentionKernel SlidingWindow(long window, params long[] globalPositions) => new(SelfAttentionKind.SlidingWindow, Window: window, GlobalPositions: globalPositions);
    /// <summary>Linformer with k = <paramref name="projectedLength"/> summaries for sequences up to <paramref name="maxLength"/>.</summary>
    public static SelfAttentionKernel Linformer(long maxLength, long projectedLength) => new(SelfAttentionKind.Linformer, MaxLength: maxLength, ProjectedLength: projectedLength);
    /// <summary>Linear attention, φ = elu + 1.</summary>
    public static SelfAttentionKernel Linear { get; } = new(SelfAttentionKind.Linear);
    /// <summary>Top-k attention.</summary>
    public static SelfAttentionKernel TopKeys(long k) => new(SelfAttentionKind.TopK, TopK: k);

    /// <summary>A short description for tables and legends.</summary>
    public override string ToString() => Kind switch
    {
        SelfAttentionKind.Softmax => "softmax (exact)",
        SelfAttentionKind.Chunked => $"chunked exact, {Block}×{Block} tiles",
        SelfAttentionKind.SlidingWindow => $"sliding window ±{Window}" + (GlobalPositions is { Count: > 0 } g ? $" + global {string.Join(",", g)}" : ""),
        SelfAttentionKind.Linformer => $"Linformer k = {ProjectedLength} (n = {MaxLength})",
        SelfAttentionKind.Linear => "linear (elu + 1)",
        SelfAttentionKind.TopK => $"top-{TopK}",
        _ => Kind.ToString(),
    };
}

/// <summary>
/// Multi-head self-attention whose core computation is chosen by a <see cref="SelfAttentionKernel"/>: the same packed
/// <c>(3E, E)</c> input projection and <c>E → E</c> output projection as <see cref="MultiHeadAttention"/> (weights can be
/// copied between the two), optional rotary positions, and in between exact, chunked, sliding-window, Linformer, linear
/// or top-k attention over <c>(B, H, T, D)</c>. It lets a whole model be trained with an efficient attention (lesson 12).
/// </summary>
public sealed class EfficientSelfAttention : Module<Tensor, Tensor?, bool, Tensor>
{
    private readonly Parameter in_proj_weight;
    private readonly Parameter in_proj_bias;
    private readonly RotaryPositionalEncoding? rotary;
    private readonly LinformerAttention? linformer;
    private readonly Linear out_proj;

    /// <param name="embedDim">Model width E.</param>
    /// <param name="numHeads">Heads H; must divide E.</param>
    /// <param name="kernel">The attention computation.</param>
    /// <param name="rotary">Optional rotary positions applied to queries and keys.</param>
    public EfficientSelfAttention(long embedDim, long numHeads, SelfAttentionKernel kernel, RotaryPositionalEncoding? rotary = null)
        : base(nameof(EfficientSelfAttention))
    {
        Check.AtLeast(embedDim, 1, nameof(embedDim));
        Check.AtLeast(numHeads, 1, nameof(numHeads));
        Check.Divisible(embedDim, numHeads, nameof(embedDim), "numHeads");
        ArgumentNullException.ThrowIfNull(kernel);
        if (rotary is not null && rotary.HeadDim != embedDim / numHeads)
            throw new ArgumentException($"rotary.HeadDim must equal embedDim / numHeads ({embedDim / numHeads}); got {rotary.HeadDim}.", nameof(rotary));
        switch (kernel.Kind)
        {
            case SelfAttentionKind.SlidingWindow: Check.AtLeast(kernel.Window, 1, "kernel.Window"); break;
            case SelfAttentionKind.TopK: Check.AtLeast(kernel.TopK, 1, "kernel.TopK"); break;
            case SelfAttentionKind.Chunked: Check.AtLeast(kernel.Block, 1, "kernel.Block"); break;
        }
        EmbedDim = embedDim;
        NumHeads = numHeads;
        HeadDim = embedDim / numHeads;
        Kernel = kernel;
        in_proj_weight = Parameter(init.xavier_uniform_(empty(3 * embedDim, embedDim)));
        in_proj_bias = Parameter(zeros(3 * embedDim));
        this.rotary = rotary;
        linformer = kernel.Kind == SelfAttentionKind.Linformer ? new LinformerAttention(kernel.MaxLength, kernel.ProjectedLength) : null;
        out_proj = Linear(embedDim, embedDim);
        init.zeros_(out_proj.bias!);
        RegisterComponents();
    }

    public long EmbedDim { get; }
    public long NumHeads { get; }
    public long HeadDim { get; }
    public SelfAttentionKernel Kernel { get; }

    /// <summary>The Linformer projections (null unless the kernel is Linformer).</summary>
    public LinformerAttention? Linformer => linformer;

    /// <param name="input"><c>(B, T, E)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, T)</c> Bool, true = padded.</param>
    /// <param name="causal">Causal self-attention (not available for Linformer, whose summaries mix every position).</param>
    /// <returns><c>(B, T, E)</c>.</returns>
    public override Tensor forward(Tensor input, Tensor? keyPadding = null, bool causal = false)
    {
        Check.QueryKeyValue(input, input, input, EmbedDim, EmbedDim, keyPadding);
        if (causal && Kernel.Kind == SelfAttentionKind.Linformer)
            throw new ArgumentException("causal must be false for a Linformer kernel: each of its k summaries mixes every position, including future ones.", nameof(causal));
        long B = input.shape[0], T = input.shape[1], H = NumHeads, Dh = HeadDim, E = EmbedDim;
        using var scope = NewDisposeScope();
        var qkv = functional.linear(input, in_proj_weight, in_proj_bias)                    // (B, T, 3E)
            .view(B, T, 3, H, Dh).permute(2, 0, 3, 1, 4);                                   // (3, B, H, T, Dh)
        Tensor q = qkv[0], k = qkv[1], v = qkv[2];                                          // (B, H, T, Dh) each
        if (rotary is not null) { q = rotary.Rotate(q, 0); k = rotary.Rotate(k, 0); }
        var context = Kernel.Kind switch                                                    // (B, H, T, Dh)
        {
            SelfAttentionKind.Softmax => Attention.ScaledDotProductFused(q, k, v, Masks.Allowed(B, T, T, keyPadding, causal)),
            SelfAttentionKind.Chunked => ChunkedAttention.Forward(q, k, v, keyPadding, causal, Kernel.Block, Kernel.Block),
            SelfAttentionKind.SlidingWindow => SlidingWindowAttention.Forward(q, k, v, Kernel.Window, keyPadding, Kernel.GlobalPositions, causal),
            SelfAttentionKind.Linformer => linformer!.call(q, k, v, keyPadding),
            SelfAttentionKind.Linear => LinearAttention.Forward(q, k, v, keyPadding, causal),
            SelfAttentionKind.TopK => TopKAttention.Forward(q, k, v, Math.Min(Kernel.TopK, T), keyPadding, causal).output,
            _ => throw new InvalidOperationException($"unknown kernel {Kernel.Kind}"),
        };
        var merged = context.transpose(1, 2).reshape(B, T, E);                              // (B, T, E)
        return out_proj.call(merged).MoveToOuterDisposeScope();                             // (B, T, E)
    }

    /// <summary>Copies the projections of a <see cref="MultiHeadAttention"/> of the same width (built with biases).</summary>
    public void CopyProjectionsFrom(MultiHeadAttention source)
    {
        if (source.EmbedDim != EmbedDim)
            throw new ArgumentException($"source.EmbedDim must be {EmbedDim}; got {source.EmbedDim}.", nameof(source));
        if (source.InputProjectionBias is null)
            throw new ArgumentException("source must have biases (built with bias: true).", nameof(source));
        using var noGrad = no_grad();
        in_proj_weight.copy_(source.InputProjectionWeight);
        in_proj_bias.copy_(source.InputProjectionBias);
        out_proj.weight!.copy_(source.OutputProjection.weight!);
        out_proj.bias!.copy_(source.OutputProjection.bias!);
    }
}
