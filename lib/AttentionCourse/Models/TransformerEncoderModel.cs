using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>How <see cref="TransformerEncoderModel"/> tells positions apart.</summary>
public enum PositionalEncodingKind
{
    /// <summary>No positions: the model is permutation-equivariant (permuting the input permutes the output).</summary>
    None,
    /// <summary>Fixed sin/cos table added to the embeddings (Vaswani et al. 2017).</summary>
    Sinusoidal,
    /// <summary>A learned vector per position added to the embeddings (BERT, GPT-2).</summary>
    Learned,
    /// <summary>Queries and keys rotated by their position in every layer (RoPE, Su et al. 2021): relative positions.</summary>
    Rotary,
}

/// <summary>What <see cref="TransformerEncoderModel"/> predicts.</summary>
public enum OutputHead
{
    /// <summary>One prediction per position: logits <c>(B, T, C)</c> (tagging, sorting, reversing).</summary>
    PerToken,
    /// <summary>One prediction per sequence from the mean of the real (unpadded) positions: <c>(B, C)</c>.</summary>
    MeanPooled,
    /// <summary>One prediction per sequence read from position 0 (a class token the data puts there): <c>(B, C)</c>.</summary>
    FirstToken,
    /// <summary>One prediction per sequence read from the last real position (where a query token sits): <c>(B, C)</c>.</summary>
    LastToken,
}

/// <summary>
/// The settings of a <see cref="TransformerEncoderModel"/>.
/// </summary>
/// <param name="VocabSize">Token ids lie in [0, VocabSize).</param>
/// <param name="OutputDim">Classes C of the head.</param>
/// <param name="MaxLength">Longest sequence (sizes the position tables).</param>
/// <param name="Width">Model width E.</param>
/// <param name="Heads">Attention heads H (must divide E).</param>
/// <param name="Depth">Number of encoder blocks N.</param>
/// <param name="FeedForwardDim">Hidden width of each block's feed-forward network; 0 = 4E.</param>
/// <param name="Positions">Positional encoding.</param>
/// <param name="Head">Per-token or pooled prediction.</param>
/// <param name="Dropout">Dropout in the blocks.</param>
/// <param name="PreNorm">Pre-LN blocks (true) or post-LN (the 2017 form).</param>
/// <param name="Kernel">The attention computation of every block; null = exact softmax attention.</param>
/// <param name="Residual">Residual connections in the blocks (false only to show what they are for).</param>
public sealed record TransformerEncoderConfig(long VocabSize, long OutputDim, long MaxLength, long Width = 64, long Heads = 4, long Depth = 2,
    long FeedForwardDim = 0, PositionalEncodingKind Positions = PositionalEncodingKind.Sinusoidal, OutputHead Head = OutputHead.PerToken,
    double Dropout = 0.0, bool PreNorm = true, SelfAttentionKernel? Kernel = null, bool Residual = true)
{
    /// <summary>A short description for tables and legends, e.g. "4 heads, depth 2, sinusoidal".</summary>
    public string Describe() => $"{Heads} head{(Heads == 1 ? "" : "s")}, depth {Depth}, {Positions.ToString().ToLowerInvariant()} positions" +
        (Kernel is null || Kernel.Kind == SelfAttentionKind.Softmax ? "" : $", {Kernel}");
}

/// <summary>
/// A small Transformer encoder for sequence tasks: token embedding, optional positions (none, sinusoidal, learned or
/// rotary), N pre-LN (or post-LN) <see cref="TransformerEncoderBlock"/>s, a final LayerNorm (pre-LN), and a linear head,
/// per token or pooled. Any attention the blocks support can be used (<see cref="TransformerEncoderConfig.Kernel"/>).
/// Input <c>(B, T)</c> Int64 token ids and an optional <c>(B, T)</c> key-padding mask (true = padded).
/// </summary>
public sealed class TransformerEncoderModel : Module<Tensor, Tensor?, Tensor>
{
    private readonly Embedding embedding;
    private readonly Module<Tensor, Tensor>? positions;
    private readonly ModuleList<TransformerEncoderBlock> blocks;
    private readonly LayerNorm? finalNorm;
    private readonly Linear head;

    public TransformerEncoderModel(TransformerEncoderConfig config) : base(nameof(TransformerEncoderModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        Check.AtLeast(config.VocabSize, 1, "config.VocabSize");
        Check.AtLeast(config.OutputDim, 1, "config.OutputDim");
        Check.AtLeast(config.MaxLength, 1, "config.MaxLength");
        Check.AtLeast(config.Width, 1, "config.Width");
        Check.AtLeast(config.Heads, 1, "config.Heads");
        Check.AtLeast(config.Depth, 1, "config.Depth");
        Check.AtLeast(config.FeedForwardDim, 0, "config.FeedForwardDim");
        Check.Divisible(config.Width, config.Heads, "config.Width", "config.Heads");
        Config = config;
        embedding = Embedding(config.VocabSize, config.Width);                              // N(0, 1), the scale of the sin/cos table
        positions = config.Positions switch
        {
            PositionalEncodingKind.Sinusoidal => new SinusoidalPositionalEncoding(config.Width, config.MaxLength),
            PositionalEncodingKind.Learned => new LearnedPositionalEncoding(config.Width, config.MaxLength, initStd: 1.0), // the token embeddings' scale
            _ => null,
        };
        var rotary = config.Positions == PositionalEncodingKind.Rotary
            ? new RotaryPositionalEncoding(config.Width / config.Heads, config.MaxLength) : null;
        long feedForward = config.FeedForwardDim > 0 ? config.FeedForwardDim : 4 * config.Width;
        blocks = new ModuleList<TransformerEncoderBlock>(Enumerable.Range(0, (int)config.Depth)
            .Select(_ => new TransformerEncoderBlock(config.Width, config.Heads, feedForward, config.Dropout, config.PreNorm, rotary, config.Kernel, config.Residual))
            .ToArray());
        finalNorm = config.PreNorm ? LayerNorm(config.Width) : null;                         // pre-LN leaves the last residual stream unnormalised
        head = Linear(config.Width, config.OutputDim);
        RegisterComponents();
    }

    public TransformerEncoderConfig Config { get; }

    /// <summary>The encoder blocks, first to last.</summary>
    public IReadOnlyList<TransformerEncoderBlock> Blocks => blocks.ToArray();

    /// <summary>Logits: <c>(B, T, C)</c> for a per-token head, <c>(B, C)</c> for a pooled one.</summary>
    /// <param name="tokens"><c>(B, T)</c> Int64 ids in [0, VocabSize).</param>
    /// <param name="keyPadding">Optional <c>(B, T)</c> Bool, true = padded.</param>
    public override Tensor forward(Tensor tokens, Tensor? keyPadding = null)
    {
        using var scope = NewDisposeScope();
        return ForwardEmbedded(Embed(tokens), keyPadding).MoveToOuterDisposeScope();
    }

    /// <summary>The token embeddings <c>(B, T, E)</c> (positions not yet added): the input of <see cref="ForwardEmbedded"/>,
    /// exposed so a lesson can measure the gradient that reaches each input position.</summary>
    public Tensor Embed(Tensor tokens)
    {
        Check.TokenIds(tokens, nameof(tokens));
        if (tokens.shape[1] > Config.MaxLength)
            throw new ArgumentException($"tokens: length must be at most config.MaxLength ({Config.MaxLength}); got {tokens.shape[1]}.", nameof(tokens));
        long low = tokens.min().item<long>(), high = tokens.max().item<long>();
        if (low < 0 || high >= Config.VocabSize)
            throw new ArgumentException($"tokens must lie in [0, {Config.VocabSize}) (config.VocabSize); got values from {low} to {high}.", nameof(tokens));
        return embedding.call(tokens);                                                      // (B, T, E)
    }

    /// <summary>
    /// The model from token embeddings on. If <paramref name="layerInputs"/> is given, the input of every block is
    /// appended to it (then the final hidden state): autograd can measure the gradient that reaches each layer.
    /// </summary>
    /// <param name="embedded"><c>(B, T, E)</c>, as from <see cref="Embed"/>.</param>
    /// <param name="keyPadding">Optional <c>(B, T)</c> Bool, true = padded.</param>
    /// <param name="layerInputs">Optional list that receives the <c>(B, T, E)</c> input of each block and the final state.</param>
    public Tensor ForwardEmbedded(Tensor embedded, Tensor? keyPadding = null, List<Tensor>? layerInputs = null)
    {
        using var scope = NewDisposeScope();
        int kept = layerInputs?.Count ?? 0;
        var hidden = Encode(embedded, keyPadding, layerInputs);                              // (B, T, E)
        var summary = Config.Head switch
        {
            OutputHead.PerToken => hidden,                                                   // (B, T, E)
            OutputHead.MeanPooled => MeanOfRealPositions(hidden, keyPadding),                // (B, E)
            OutputHead.FirstToken => hidden.select(1, 0),                                    // (B, E)
            OutputHead.LastToken => LastRealPosition(hidden, keyPadding),                    // (B, E)
            _ => throw new InvalidOperationException($"unknown head {Config.Head}"),
        };
        var logits = head.call(summary);                                                     // (B, T, C) or (B, C)
        if (layerInputs is not null) for (int i = kept; i < layerInputs.Count; i++) layerInputs[i].MoveToOuterDisposeScope();
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>The final hidden states <c>(B, T, E)</c> (after the final LayerNorm of a pre-LN model).</summary>
    public Tensor Encode(Tensor embedded, Tensor? keyPadding = null, List<Tensor>? layerInputs = null)
    {
        Check.Rank(embedded, 3, nameof(embedded), "(batch, length, width)");
        Check.Size(embedded, 2, Config.Width, nameof(embedded), "width");
        Check.BoolMask(keyPadding, new[] { embedded.shape[0], embedded.shape[1] }, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        int kept = layerInputs?.Count ?? 0;
        var x = positions is null ? embedded.alias() : positions.call(embedded);            // (B, T, E)
        foreach (var block in blocks)
        {
            layerInputs?.Add(x);
            x = block.call(x, keyPadding, false);                                            // (B, T, E)
        }
        if (finalNorm is not null) x = finalNorm.call(x);
        if (layerInputs is null) return x.MoveToOuterDisposeScope();
        layerInputs.Add(x);
        for (int i = kept; i < layerInputs.Count; i++) layerInputs[i].MoveToOuterDisposeScope();
        return x;
    }

    /// <summary>Self-attention weights of block <paramref name="layer"/> for <paramref name="tokens"/>: <c>(B, T, T)</c> averaged over
    /// heads, or <c>(B, H, T, T)</c> per head. Softmax blocks only.</summary>
    public Tensor AttentionWeights(Tensor tokens, int layer, Tensor? keyPadding = null, bool perHead = false)
    {
        if (layer < 0 || layer >= blocks.Count)
            throw new ArgumentException($"layer must lie in [0, {blocks.Count}) (the depth); got {layer}.", nameof(layer));
        using var scope = NewDisposeScope();
        var x = Embed(tokens);
        if (positions is not null) x = positions.call(x);
        for (int i = 0; i < layer; i++) x = blocks[i].call(x, keyPadding, false);
        return blocks[layer].AttentionWeightsFor(x, keyPadding, perHead: perHead).MoveToOuterDisposeScope();
    }

    /// <summary>Predicted classes: <c>(B, T)</c> or <c>(B)</c> Int64, in eval mode without gradients.</summary>
    public Tensor Predict(Tensor tokens, Tensor? keyPadding = null)
    {
        bool wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            using var logits = call(tokens, keyPadding);
            return logits.argmax(-1);
        }
        finally { if (wasTraining) train(); }
    }

    private static Tensor MeanOfRealPositions(Tensor hidden, Tensor? keyPadding)
    {
        if (keyPadding is null) return hidden.mean(new long[] { 1 });                        // (B, E)
        var real = keyPadding.logical_not().to_type(hidden.dtype).unsqueeze(-1);             // (B, T, 1)
        return (hidden * real).sum(1) / real.sum(1).clamp_min(1.0);                          // (B, E)
    }

    private static Tensor LastRealPosition(Tensor hidden, Tensor? keyPadding)
    {
        long B = hidden.shape[0], T = hidden.shape[1], E = hidden.shape[2];
        if (keyPadding is null) return hidden.select(1, T - 1);                              // (B, E)
        var last = keyPadding.logical_not().sum(1).sub(1).clamp_min(0);                      // (B): index of the last real position
        return hidden.gather(1, last.view(B, 1, 1).expand(B, 1, E)).squeeze(1);              // (B, E)
    }
}
