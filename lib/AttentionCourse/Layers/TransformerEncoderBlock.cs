using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// One Transformer encoder block: self-attention and a position-wise feed-forward network, each with a
/// residual connection and LayerNorm. Pre-LN (<c>x + f(LN(x))</c>, the default, stable without warmup) or
/// post-LN (<c>LN(x + f(x))</c>, the 2017 paper's form).
/// </summary>
public sealed class TransformerEncoderBlock : Module<Tensor, Tensor?, bool, Tensor>
{
    private readonly LayerNorm attentionNorm;
    private readonly MultiHeadAttention attention;
    private readonly Dropout attentionDropout;
    private readonly LayerNorm feedForwardNorm;
    private readonly Sequential feedForward;

    /// <param name="embedDim">Model width E.</param>
    /// <param name="numHeads">Heads; must divide E.</param>
    /// <param name="feedForwardDim">Hidden width of the feed-forward network (often 4E).</param>
    /// <param name="dropout">Dropout on attention weights and on each residual branch.</param>
    /// <param name="preNorm">Pre-LN if true, post-LN if false.</param>
    /// <param name="rotary">Optional rotary positions for the attention.</param>
    public TransformerEncoderBlock(long embedDim, long numHeads, long feedForwardDim, double dropout = 0.0, bool preNorm = true,
        RotaryPositionalEncoding? rotary = null) : base(nameof(TransformerEncoderBlock))
    {
        Check.AtLeast(feedForwardDim, 1, nameof(feedForwardDim));
        PreNorm = preNorm;
        attentionNorm = LayerNorm(embedDim);
        attention = new MultiHeadAttention(embedDim, numHeads, dropout, rotary: rotary);
        attentionDropout = Dropout(dropout);
        feedForwardNorm = LayerNorm(embedDim);
        feedForward = Sequential(Linear(embedDim, feedForwardDim), GELU(), Linear(feedForwardDim, embedDim), Dropout(dropout));
        RegisterComponents();
    }

    public bool PreNorm { get; }

    /// <summary>The block's attention layer (for reading its weights).</summary>
    public MultiHeadAttention Attention => attention;

    /// <param name="input"><c>(B, T, E)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, T)</c> Bool, true = padded.</param>
    /// <param name="causal">Causal self-attention.</param>
    /// <returns><c>(B, T, E)</c>.</returns>
    public override Tensor forward(Tensor input, Tensor? keyPadding = null, bool causal = false)
        => Residuals(input, x => attention.SelfAttention(x, keyPadding, causal).output);

    /// <summary>
    /// The block for <c>T</c> new positions of a causal (decoder-only) model, attending to the positions already in
    /// <paramref name="cache"/> (see <see cref="MultiHeadAttention.SelfAttention(Tensor, KeyValueCache)"/>). Equals the
    /// last <c>T</c> rows of <c>forward(whole sequence, causal: true)</c>.
    /// </summary>
    /// <param name="input"><c>(B, T, E)</c>, the new positions.</param>
    /// <param name="cache">This block's key/value cache (grows by <c>T</c>).</param>
    public Tensor Decode(Tensor input, KeyValueCache cache) => Residuals(input, x => attention.SelfAttention(x, cache));

    /// <summary>The two residual branches around <paramref name="attend"/> (self-attention of its argument), pre- or post-LN.</summary>
    private Tensor Residuals(Tensor input, Func<Tensor, Tensor> attend)
    {
        using var scope = NewDisposeScope();
        Tensor x;
        if (PreNorm)
        {
            x = input + attentionDropout.call(attend(attentionNorm.call(input)));          // (B, T, E)
            x = x + feedForward.call(feedForwardNorm.call(x));                              // (B, T, E)
        }
        else
        {
            x = attentionNorm.call(input + attentionDropout.call(attend(input)));          // (B, T, E)
            x = feedForwardNorm.call(x + feedForward.call(x));                              // (B, T, E)
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The block's self-attention weights for <paramref name="input"/>, averaged over heads or per head.</summary>
    public Tensor AttentionWeightsFor(Tensor input, Tensor? keyPadding = null, bool causal = false, bool perHead = false)
    {
        using var scope = NewDisposeScope();
        var normed = PreNorm ? attentionNorm.call(input) : input;
        var (_, weights) = attention.SelfAttention(normed, keyPadding, causal, perHead ? AttentionWeights.PerHead : AttentionWeights.Averaged);
        return weights!.MoveToOuterDisposeScope();
    }
}
