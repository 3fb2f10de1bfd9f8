using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// One Transformer encoder block: self-attention and a position-wise feed-forward network, each with a
/// residual connection and LayerNorm. Pre-LN (<c>x + f(LN(x))</c>, the default, stable without warmup) or
/// post-LN (<c>LN(x + f(x))</c>, the 2017 paper's form). The attention is <see cref="MultiHeadAttention"/>, or, given a
/// <see cref="SelfAttentionKernel"/> other than softmax, an <see cref="EfficientSelfAttention"/> (chunked, window,
/// Linformer, linear, top-k). Without the residual connections (<c>residual: false</c>, for lesson 19's gradient
/// experiment) the block computes <c>f(LN(x))</c> (pre-LN) or <c>LN(f(x))</c> (post-LN) for each sublayer.
/// </summary>
public sealed class TransformerEncoderBlock : Module<Tensor, Tensor?, bool, Tensor>
{
    private readonly LayerNorm attentionNorm;
    private readonly MultiHeadAttention? attention;
    private readonly EfficientSelfAttention? efficientAttention;
    private readonly Dropout attentionDropout;
    private readonly LayerNorm feedForwardNorm;
    private readonly Sequential feedForward;

    /// <param name="embedDim">Model width E.</param>
    /// <param name="numHeads">Heads; must divide E.</param>
    /// <param name="feedForwardDim">Hidden width of the feed-forward network (often 4E).</param>
    /// <param name="dropout">Dropout on attention weights and on each residual branch.</param>
    /// <param name="preNorm">Pre-LN if true, post-LN if false.</param>
    /// <param name="rotary">Optional rotary positions for the attention.</param>
    /// <param name="kernel">The attention computation; null or softmax = <see cref="MultiHeadAttention"/>.</param>
    /// <param name="residual">Whether each sublayer has its residual connection (true in every real Transformer).</param>
    public TransformerEncoderBlock(long embedDim, long numHeads, long feedForwardDim, double dropout = 0.0, bool preNorm = true,
        RotaryPositionalEncoding? rotary = null, SelfAttentionKernel? kernel = null, bool residual = true) : base(nameof(TransformerEncoderBlock))
    {
        Check.AtLeast(feedForwardDim, 1, nameof(feedForwardDim));
        PreNorm = preNorm;
        Residual = residual;
        Kernel = kernel ?? SelfAttentionKernel.Softmax;
        attentionNorm = LayerNorm(embedDim);
        if (Kernel.Kind == SelfAttentionKind.Softmax) attention = new MultiHeadAttention(embedDim, numHeads, dropout, rotary: rotary);
        else efficientAttention = new EfficientSelfAttention(embedDim, numHeads, Kernel, rotary);
        attentionDropout = Dropout(dropout);
        feedForwardNorm = LayerNorm(embedDim);
        feedForward = Sequential(Linear(embedDim, feedForwardDim), GELU(), Linear(feedForwardDim, embedDim), Dropout(dropout));
        RegisterComponents();
    }

    public bool PreNorm { get; }

    /// <summary>Whether the sublayers have residual connections.</summary>
    public bool Residual { get; }

    /// <summary>The attention computation.</summary>
    public SelfAttentionKernel Kernel { get; }

    /// <summary>The block's attention layer (for reading its weights); only for the softmax kernel.</summary>
    public MultiHeadAttention Attention => attention
        ?? throw new InvalidOperationException($"this block computes {Kernel} attention (an EfficientSelfAttention); only softmax blocks have a MultiHeadAttention.");

    /// <summary>The efficient attention layer, or null for the softmax kernel.</summary>
    public EfficientSelfAttention? EfficientAttention => efficientAttention;

    private Tensor SelfAttend(Tensor x, Tensor? keyPadding, bool causal)
        => attention is not null ? attention.SelfAttention(x, keyPadding, causal).output : efficientAttention!.call(x, keyPadding, causal);

    /// <param name="input"><c>(B, T, E)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, T)</c> Bool, true = padded.</param>
    /// <param name="causal">Causal self-attention.</param>
    /// <returns><c>(B, T, E)</c>.</returns>
    public override Tensor forward(Tensor input, Tensor? keyPadding = null, bool causal = false)
        => Residuals(input, x => SelfAttend(x, keyPadding, causal));

    /// <summary>
    /// The block for <c>T</c> new positions of a causal (decoder-only) model, attending to the positions already in
    /// <paramref name="cache"/> (see <see cref="MultiHeadAttention.SelfAttention(Tensor, KeyValueCache)"/>). Equals the
    /// last <c>T</c> rows of <c>forward(whole sequence, causal: true)</c>.
    /// </summary>
    /// <param name="input"><c>(B, T, E)</c>, the new positions.</param>
    /// <param name="cache">This block's key/value cache (grows by <c>T</c>).</param>
    public Tensor Decode(Tensor input, KeyValueCache cache) => Residuals(input, x => Attention.SelfAttention(x, cache));

    /// <summary>The two sublayers around <paramref name="attend"/> (self-attention of its argument), pre- or post-LN, with or
    /// without their residual connections.</summary>
    private Tensor Residuals(Tensor input, Func<Tensor, Tensor> attend)
    {
        using var scope = NewDisposeScope();
        Tensor x;
        if (PreNorm)
        {
            var attended = attentionDropout.call(attend(attentionNorm.call(input)));       // (B, T, E)
            x = Residual ? input + attended : attended;                                     // (B, T, E)
            var fed = feedForward.call(feedForwardNorm.call(x));                            // (B, T, E)
            x = Residual ? x + fed : fed;
        }
        else
        {
            var attended = attentionDropout.call(attend(input));                            // (B, T, E)
            x = attentionNorm.call(Residual ? input + attended : attended);                 // (B, T, E)
            var fed = feedForward.call(x);                                                  // (B, T, E)
            x = feedForwardNorm.call(Residual ? x + fed : fed);
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The block's self-attention weights for <paramref name="input"/>, averaged over heads or per head.</summary>
    public Tensor AttentionWeightsFor(Tensor input, Tensor? keyPadding = null, bool causal = false, bool perHead = false)
    {
        using var scope = NewDisposeScope();
        var normed = PreNorm ? attentionNorm.call(input) : input;
        var (_, weights) = Attention.SelfAttention(normed, keyPadding, causal, perHead ? AttentionWeights.PerHead : AttentionWeights.Averaged);
        return weights!.MoveToOuterDisposeScope();
    }
}
