using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>What a <see cref="SequenceTagger"/> puts between its BiLSTM and its per-token classifiers.</summary>
public enum TaggerContext
{
    /// <summary>Nothing: each token is labelled from its BiLSTM state alone (the baseline).</summary>
    BiLstmOnly,
    /// <summary>Multi-head self-attention over the BiLSTM states (padding masked), added back and layer-normalised.</summary>
    SelfAttention,
    /// <summary>The same layer with each token allowed to attend only to itself: the parameters of <see cref="SelfAttention"/>
    /// without its mixing of positions (a control for "it only adds parameters").</summary>
    SelfOnlyAttention,
    /// <summary>Only the LayerNorm of <see cref="SelfAttention"/>: <c>z = LayerNorm(h)</c>, no attention parameters
    /// (a control that separates the normalisation from the attention layer).</summary>
    LayerNormOnly,
}

/// <summary>
/// A sequence labeller: one label per token, for one or more label sets at once (e.g. part of speech and entity BIO
/// labels). Embedding → BiLSTM (packed, so padding never enters it) → optional self-attention
/// <c>z = LayerNorm(h + MHA(h, h, h))</c> with padded keys masked → one linear classifier per label set, applied at every
/// position. The seed's model of question 26 pooled the sequence into one vector before its classifier, so it could emit
/// only one label per sentence (see <see cref="Pitfalls.SeedTranslationModel"/>, the same code for questions 10, 26, 27 and 29).
/// </summary>
public sealed class SequenceTagger : Module<Tensor, Tensor, Tensor[]>
{
    private readonly Embedding embedding;
    private readonly Dropout inputDropout;
    private readonly BiLstmEncoder encoder;
    private readonly MultiHeadAttention? attention;
    private readonly LayerNorm? norm;
    private readonly Dropout outputDropout;
    private readonly ModuleList<Linear> classifiers;

    /// <param name="vocabularySize">Token ids are in [0, this); id 0 is padding.</param>
    /// <param name="labelCounts">Number of labels of each label set (one classifier each).</param>
    /// <param name="context">What sits between the BiLSTM and the classifiers.</param>
    /// <param name="embeddingDim">Width of the token embeddings.</param>
    /// <param name="hiddenDim">Hidden width of each LSTM direction (the states are 2 × this wide).</param>
    /// <param name="numHeads">Attention heads (must divide 2 × <paramref name="hiddenDim"/>).</param>
    /// <param name="dropout">Dropout on the embeddings and on the states before the classifiers.</param>
    public SequenceTagger(long vocabularySize, long[] labelCounts, TaggerContext context, long embeddingDim = 64, long hiddenDim = 64,
        long numHeads = 4, double dropout = 0.2) : base(nameof(SequenceTagger))
    {
        Check.AtLeast(vocabularySize, 2, nameof(vocabularySize));
        if (labelCounts is null || labelCounts.Length == 0 || labelCounts.Any(c => c < 2))
            throw new ArgumentException($"labelCounts must list at least one label set of at least 2 labels; got [{string.Join(", ", labelCounts ?? Array.Empty<long>())}].", nameof(labelCounts));
        Context = context;
        LabelCounts = labelCounts.ToArray();
        embedding = Embedding(vocabularySize, embeddingDim, padding_idx: Data.Vocabulary.PaddingId);
        inputDropout = Dropout(dropout);
        encoder = new BiLstmEncoder(embeddingDim, hiddenDim);
        if (context is TaggerContext.SelfAttention or TaggerContext.SelfOnlyAttention)
            attention = new MultiHeadAttention(encoder.OutputDim, numHeads);
        if (context != TaggerContext.BiLstmOnly)
            norm = LayerNorm(encoder.OutputDim);
        outputDropout = Dropout(dropout);
        classifiers = ModuleList(LabelCounts.Select(c => Linear(encoder.OutputDim, c)).ToArray());
        RegisterComponents();
    }

    public TaggerContext Context { get; }

    /// <summary>
    /// Cross-entropy averaged over real tokens only: <paramref name="logits"/> <c>(B, T, C)</c>, <paramref name="labels"/>
    /// <c>(B, T)</c> Int64 (any value at padded positions), <paramref name="keyPadding"/> <c>(B, T)</c> true = padded. Padded
    /// positions get label −100, PyTorch's <c>ignore_index</c>, so they add nothing to the loss or its gradient.
    /// </summary>
    public static Tensor TokenLoss(Tensor logits, Tensor labels, Tensor keyPadding)
    {
        Check.Rank(logits, 3, nameof(logits), "(batch, length, labels)");
        Check.BoolMask(keyPadding, new[] { logits.shape[0], logits.shape[1] }, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        var target = labels.masked_fill(keyPadding, IgnoredLabel);                          // (B, T)
        var loss = functional.cross_entropy(logits.flatten(0, 1), target.flatten(), ignore_index: IgnoredLabel);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>The label value the loss ignores (PyTorch's default <c>ignore_index</c>).</summary>
    public const long IgnoredLabel = -100;
    public IReadOnlyList<long> LabelCounts { get; }

    /// <summary>The self-attention layer (null for <see cref="TaggerContext.BiLstmOnly"/> and <see cref="TaggerContext.LayerNormOnly"/>).</summary>
    public MultiHeadAttention? SelfAttentionLayer => attention;

    /// <summary>The BiLSTM states <c>h</c> <c>(B, T, 2H)</c> that the self-attention reads (zeros at padding).</summary>
    public Tensor Encode(Tensor ids, Tensor keyPadding)
    {
        Check.Rank(ids, 2, nameof(ids), "(batch, length)");
        Check.BoolMask(keyPadding, ids.shape, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        return encoder.call(inputDropout.call(embedding.call(ids)), keyPadding).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Predicted label ids <c>(N, T)</c> per label set (arg-max of the logits), in eval mode and without gradients,
    /// <paramref name="batchSize"/> sequences at a time. Values at padded positions are meaningless.
    /// </summary>
    public Tensor[] Predict(Tensor ids, Tensor keyPadding, long batchSize = 512)
    {
        Check.Rank(ids, 2, nameof(ids), "(batch, length)");
        Check.AtLeast(batchSize, 1, nameof(batchSize));
        bool wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            var parts = LabelCounts.Select(_ => new List<Tensor>()).ToArray();
            for (long start = 0; start < ids.shape[0]; start += batchSize)
            {
                using var scope = NewDisposeScope();
                long size = Math.Min(batchSize, ids.shape[0] - start);
                var logits = call(ids.narrow(0, start, size), keyPadding.narrow(0, start, size));
                for (int k = 0; k < logits.Length; k++) parts[k].Add(logits[k].argmax(-1).MoveToOuterDisposeScope());
            }
            return parts.Select(p => { var joined = cat(p, 0); foreach (var t in p) t.Dispose(); return joined; }).ToArray();
        }
        finally { if (wasTraining) train(); }
    }

    /// <param name="ids"><c>(B, T)</c> Int64 token ids, padded with 0 at the end.</param>
    /// <param name="keyPadding"><c>(B, T)</c> Bool, true = padded.</param>
    /// <returns>One logits tensor <c>(B, T, C_k)</c> per label set; rows at padded positions are meaningless (mask them).</returns>
    public override Tensor[] forward(Tensor ids, Tensor keyPadding) => Run(ids, keyPadding, withWeights: false).logits;

    /// <summary>The logits and the self-attention weights <c>(B, T, T)</c> averaged over heads (row = query token;
    /// padded keys get 0). Null weights for <see cref="TaggerContext.BiLstmOnly"/> and <see cref="TaggerContext.LayerNormOnly"/>.</summary>
    public (Tensor[] logits, Tensor? weights) TagWithAttention(Tensor ids, Tensor keyPadding) => Run(ids, keyPadding, withWeights: true);

    private (Tensor[] logits, Tensor? weights) Run(Tensor ids, Tensor keyPadding, bool withWeights)
    {
        Check.Rank(ids, 2, nameof(ids), "(batch, length)");
        Check.NonEmpty(ids, nameof(ids));
        Check.BoolMask(keyPadding, ids.shape, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        var x = inputDropout.call(embedding.call(ids));                                     // (B, T, E)
        var h = encoder.call(x, keyPadding);                                                // (B, T, 2H)
        Tensor? weights = null;
        if (attention is not null)
        {
            Tensor context;                                                                 // (B, T, 2H)
            if (Context == TaggerContext.SelfAttention)
                (context, weights) = attention.SelfAttention(h, keyPadding, weights: withWeights ? AttentionWeights.Averaged : AttentionWeights.None);
            else
            {
                // Attending only to itself, a token's weight on itself is 1: the output is its own value vector,
                // W_o (W_v h + b_v) + b_o, the same parameters with no mixing of positions.
                long E = attention.EmbedDim;
                var value = functional.linear(h, attention.InputProjectionWeight.narrow(0, 2 * E, E),
                    attention.InputProjectionBias?.narrow(0, 2 * E, E));                  // (B, T, 2H)
                context = attention.OutputProjection.call(value);                          // (B, T, 2H)
                if (withWeights)
                    weights = eye(ids.shape[1], device: ids.device).unsqueeze(0)
                        .mul(keyPadding.logical_not().unsqueeze(1).to_type(ScalarType.Float32)); // (B, T, T)
            }
            h = norm!.call(h + context);                                                    // (B, T, 2H)
        }
        else if (norm is not null)
            h = norm.call(h);                                                               // LayerNormOnly: (B, T, 2H)
        h = outputDropout.call(h);
        var logits = classifiers.Select(c => c.call(h).MoveToOuterDisposeScope()).ToArray(); // (B, T, C_k) each
        return (logits, weights?.MoveToOuterDisposeScope());
    }
}
