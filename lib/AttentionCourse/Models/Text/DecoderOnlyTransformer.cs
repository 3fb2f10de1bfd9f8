using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>Sizes and switches of a <see cref="DecoderOnlyTransformer"/>. Its <c>ToString()</c> lists every field, so it
/// serves as the configuration key of <see cref="Training.ModelCache"/>.</summary>
/// <param name="VocabularySize">Tokens V (embedding rows and output logits).</param>
/// <param name="BlockSize">Longest context T the model reads (learned positions 0…T−1).</param>
/// <param name="Width">Model width E.</param>
/// <param name="Layers">Transformer blocks L.</param>
/// <param name="Heads">Heads per block (must divide E).</param>
public sealed record DecoderOnlyConfig(long VocabularySize, long BlockSize, long Width, long Layers, long Heads)
{
    /// <summary>Hidden width of the feed-forward network; 0 = 4E (GPT-2).</summary>
    public long FeedForwardWidth { get; init; }
    /// <summary>Dropout after the embeddings, on attention weights and on each residual branch (0 = none).</summary>
    public double Dropout { get; init; }
    /// <summary>Pre-LN blocks (GPT-2, the default) or Post-LN blocks (the 2017 Transformer; no final LayerNorm).</summary>
    public bool PreNorm { get; init; } = true;
    /// <summary>Share the token embedding with the output layer (Press &amp; Wolf 2017): logits = h·Wₑᵀ.</summary>
    public bool TieWeights { get; init; }
    /// <summary>Causal mask on (a language model). False removes it: position t then sees the token it must predict
    /// (lesson 17's pitfall).</summary>
    public bool Causal { get; init; } = true;

    /// <summary>The feed-forward width actually used.</summary>
    public long HiddenWidth => FeedForwardWidth > 0 ? FeedForwardWidth : 4 * Width;
}

/// <summary>
/// A decoder-only (GPT-style) Transformer language model, after nanoGPT's <c>model.py</c>: token embeddings plus learned
/// position embeddings, <see cref="DecoderOnlyConfig.Layers"/> blocks of causal self-attention and a feed-forward network
/// (<see cref="TransformerEncoderBlock"/> with the causal mask: a "decoder-only" block is an encoder block that cannot
/// look ahead, with no cross-attention), a final LayerNorm (pre-LN), and a linear layer to one logit per token.
/// Decoding can reuse each layer's keys and values (<see cref="DecoderCache"/>).
/// </summary>
/// <remarks>
/// Initialisation as GPT-2: every weight matrix and embedding ~ N(0, 0.02²), biases 0, and the two projections that
/// write into the residual stream (attention output, second feed-forward layer) ~ N(0, (0.02/√(2L))²), so the
/// residual stream's variance does not grow with depth. The loss at initialisation is then ≈ ln V (tested).
/// </remarks>
public sealed class DecoderOnlyTransformer : Module<Tensor, Tensor>
{
    private readonly Embedding tokenEmbedding;
    private readonly LearnedPositionalEncoding positionEmbedding;
    private readonly Dropout embeddingDropout;
    private readonly ModuleList<TransformerEncoderBlock> blocks;
    private readonly LayerNorm? finalNorm;
    private readonly Linear? head;

    public DecoderOnlyTransformer(DecoderOnlyConfig config) : base(nameof(DecoderOnlyTransformer))
    {
        ArgumentNullException.ThrowIfNull(config);
        Check.AtLeast(config.VocabularySize, 2, nameof(config.VocabularySize));
        Check.AtLeast(config.BlockSize, 1, nameof(config.BlockSize));
        Check.AtLeast(config.Layers, 1, nameof(config.Layers));
        Check.AtLeast(config.FeedForwardWidth, 0, nameof(config.FeedForwardWidth));
        Check.Divisible(config.Width, config.Heads, nameof(config.Width), nameof(config.Heads));
        Config = config;
        tokenEmbedding = Embedding(config.VocabularySize, config.Width);
        positionEmbedding = new LearnedPositionalEncoding(config.Width, config.BlockSize);
        embeddingDropout = Dropout(config.Dropout);
        blocks = new ModuleList<TransformerEncoderBlock>(Enumerable.Range(0, (int)config.Layers)
            .Select(_ => new TransformerEncoderBlock(config.Width, config.Heads, config.HiddenWidth, config.Dropout, config.PreNorm)).ToArray());
        finalNorm = config.PreNorm ? LayerNorm(config.Width) : null;
        head = config.TieWeights ? null : Linear(config.Width, config.VocabularySize, hasBias: false);
        RegisterComponents();
        InitialiseAsGpt2();
    }

    public DecoderOnlyConfig Config { get; }

    /// <summary>The blocks, first to last (for reading attention weights or gradients per layer).</summary>
    public IReadOnlyList<TransformerEncoderBlock> Blocks => blocks.ToArray();

    /// <summary>Number of trainable parameters (a tied output layer counts once).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Logits for every position.</summary>
    /// <param name="ids"><c>(B, T)</c> Int64 token ids, T ≤ block size.</param>
    /// <returns><c>(B, T, V)</c>: row t scores the token at t + 1 given tokens 0…t.</returns>
    public override Tensor forward(Tensor ids)
    {
        CheckIds(ids, 0);
        using var scope = NewDisposeScope();
        var x = Embed(ids, 0);                                                              // (B, T, E)
        foreach (var block in blocks) x = block.call(x, null, Config.Causal);              // (B, T, E)
        return Logits(x).MoveToOuterDisposeScope();                                         // (B, T, V)
    }

    /// <summary>Every block's attention weights, per head, for <paramref name="ids"/> (eval mode is the caller's choice).</summary>
    /// <param name="ids"><c>(B, T)</c>.</param>
    /// <returns><c>(L, B, H, T, T)</c>: layer, sequence, head, query position, key position.</returns>
    public Tensor AttentionMaps(Tensor ids)
    {
        CheckIds(ids, 0);
        using var scope = NewDisposeScope();
        var x = Embed(ids, 0);                                                              // (B, T, E)
        var maps = new List<Tensor>();
        foreach (var block in blocks)
        {
            maps.Add(block.AttentionWeightsFor(x, null, Config.Causal, perHead: true));     // (B, H, T, T)
            x = block.call(x, null, Config.Causal);                                         // (B, T, E)
        }
        return stack(maps).MoveToOuterDisposeScope();                                      // (L, B, H, T, T)
    }

    /// <summary>
    /// Logits for <c>T</c> new tokens that continue the sequence held in <paramref name="cache"/> (which grows by T).
    /// Equal to the last T rows of <see cref="forward"/> on the whole sequence (tested to 1e-5), computing only the new rows.
    /// </summary>
    /// <param name="ids"><c>(B, T)</c> the new tokens; cache length + T ≤ block size.</param>
    /// <param name="cache">From <see cref="NewCache"/>, with the same B.</param>
    /// <returns><c>(B, T, V)</c>.</returns>
    public Tensor Decode(Tensor ids, DecoderCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (!Config.Causal) throw new InvalidOperationException("a model without the causal mask cannot decode with a cache: every position would need to see later ones.");
        if (cache.Layers.Count != blocks.Count)
            throw new ArgumentException($"cache must have one layer per block ({blocks.Count}); got {cache.Layers.Count}.", nameof(cache));
        CheckIds(ids, cache.Length);
        using var scope = NewDisposeScope();
        var x = Embed(ids, cache.Length);                                                   // (B, T, E)
        for (int i = 0; i < blocks.Count; i++) x = blocks[i].Decode(x, cache.Layers[i]);   // (B, T, E)
        return Logits(x).MoveToOuterDisposeScope();                                         // (B, T, V)
    }

    /// <summary>An empty key/value cache for <paramref name="batch"/> sequences, holding up to the block size.</summary>
    public DecoderCache NewCache(long batch)
    {
        var first = parameters().First();
        return new DecoderCache(Enumerable.Range(0, blocks.Count)
            .Select(_ => new KeyValueCache(batch, Config.Heads, Config.BlockSize, Config.Width / Config.Heads, first.dtype)).ToArray());
    }

    /// <summary>Mean next-token cross-entropy (nats per token) of <paramref name="input"/> → <paramref name="target"/>, both <c>(B, T)</c>.</summary>
    public Tensor Loss(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        var logits = call(input);                                                           // (B, T, V)
        return functional.cross_entropy(logits.flatten(0, 1), target.flatten()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Continues <paramref name="prompt"/> by <paramref name="count"/> tokens, each drawn by <paramref name="settings"/>
    /// with <paramref name="generator"/> (so a seed fixes the text). The context is the last block-size tokens.
    /// With <paramref name="useCache"/>, each step feeds only the new token and reuses the cached keys and values; when the
    /// cache is full it is refilled from the last half block (so beyond the block size the two modes see slightly
    /// different contexts; within it they give the same logits).
    /// </summary>
    /// <param name="prompt"><c>(B, T₀)</c> Int64, T₀ ≥ 1.</param>
    /// <param name="count">How many new tokens to generate.</param>
    /// <param name="settings">Temperature, top-k and top-p of the sampler.</param>
    /// <param name="generator">The random-number generator the sampler draws from.</param>
    /// <param name="useCache">Feed only the new token each step and reuse the cached keys and values.</param>
    /// <returns><c>(B, count)</c> the new tokens.</returns>
    public Tensor Generate(Tensor prompt, int count, SamplingSettings settings, Generator? generator = null, bool useCache = true)
    {
        Check.Rank(prompt, 2, nameof(prompt), "(batch, length)");
        Check.NonEmpty(prompt, nameof(prompt));
        Check.AtLeast(count, 0, nameof(count));
        bool wasTraining = training;
        eval();
        using var noGrad = no_grad();
        long promptLength = prompt.shape[1];
        var sequence = prompt.clone().DetachFromDisposeScope();                             // (B, T), grows by one per step
        using var cache = useCache ? NewCache(prompt.shape[0]) : null;
        try
        {
            for (int step = 0; step < count; step++)
            {
                using var scope = NewDisposeScope();
                long T = sequence.shape[1];
                Tensor Last(long length) => sequence.narrow(1, Math.Max(0, T - length), Math.Min(T, length)); // (B, ≤ length)
                Tensor logits;                                                              // (B, *, V)
                if (cache is null) logits = call(Last(Config.BlockSize));
                else if (step == 0) logits = Decode(Last(Config.BlockSize), cache);         // the prompt fills the cache
                else if (cache.Length < Config.BlockSize) logits = Decode(Last(1), cache);   // only the newest token
                else
                {
                    cache.Reset();
                    logits = Decode(Last(Math.Max(1, Config.BlockSize / 2)), cache);
                }
                var next = Sampling.Sample(logits.select(1, -1), settings, generator).unsqueeze(1); // (B, 1)
                var grown = cat(new[] { sequence, next }, 1).DetachFromDisposeScope();      // (B, T + 1)
                sequence.Dispose();
                sequence = grown;
            }
            return sequence.narrow(1, promptLength, count).clone();                          // (B, count)
        }
        finally
        {
            sequence.Dispose();
            train(wasTraining);
        }
    }

    private Tensor Embed(Tensor ids, long offset)
    {
        var x = positionEmbedding.Add(tokenEmbedding.call(ids), offset);                   // (B, T, E)
        return embeddingDropout.call(x);                                                    // (B, T, E)
    }

    private Tensor Logits(Tensor x)
    {
        if (finalNorm is not null) x = finalNorm.call(x);                                   // (B, T, E)
        return head is not null ? head.call(x) : functional.linear(x, tokenEmbedding.weight!); // (B, T, V)
    }

    private void CheckIds(Tensor ids, long offset)
    {
        Check.TokenIds(ids, nameof(ids));
        if (offset + ids.shape[1] > Config.BlockSize)
            throw new ArgumentException($"context length must be at most the block size ({Config.BlockSize}); got {offset + ids.shape[1]}{(offset > 0 ? $" ({offset} cached + {ids.shape[1]} new)" : "")}.", nameof(ids));
    }

    private void InitialiseAsGpt2()
    {
        using var noGrad = no_grad();
        double residualStd = 0.02 / Math.Sqrt(2 * Config.Layers);
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("bias")) init.zeros_(parameter);
            else if (parameter.dim() < 2) continue;                                          // LayerNorm gains stay 1
            else if (name.EndsWith("out_proj.weight") || name.EndsWith("feedForward.2.weight")) init.normal_(parameter, 0, residualStd);
            else init.normal_(parameter, 0, 0.02);
        }
    }
}

/// <summary>One <see cref="KeyValueCache"/> per block of a <see cref="DecoderOnlyTransformer"/>.</summary>
public sealed class DecoderCache : IDisposable
{
    internal DecoderCache(KeyValueCache[] layers) => Layers = layers;

    /// <summary>The caches, first block to last.</summary>
    public IReadOnlyList<KeyValueCache> Layers { get; }

    /// <summary>Positions held (the same in every layer).</summary>
    public long Length => Layers[0].Length;

    /// <summary>Forgets every position.</summary>
    public void Reset()
    {
        foreach (var layer in Layers) layer.Reset();
    }

    public void Dispose()
    {
        foreach (var layer in Layers) layer.Dispose();
    }
}
