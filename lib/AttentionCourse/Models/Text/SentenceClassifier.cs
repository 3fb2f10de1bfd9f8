using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>How a <see cref="SentenceClassifier"/> turns its BiLSTM states into a fixed-size vector.</summary>
public enum SentencePooling
{
    /// <summary>The average of the states over real positions: the no-attention baseline.</summary>
    Mean,
    /// <summary>Lin et al. 2017's structured self-attention: r hops, <c>M = A H</c>, flattened.</summary>
    SelfAttentive,
}

/// <summary>
/// A text classifier built as Lin et al. 2017 build theirs: embedding → BiLSTM (packed) → a sentence embedding
/// (<see cref="SentencePooling"/>) → a one-hidden-layer MLP (ReLU) → class logits. With self-attentive pooling the
/// embedding is the r × 2u matrix M, flattened; with mean pooling it is one 2u vector.
/// </summary>
public sealed class SentenceClassifier : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly Dropout dropout;
    private readonly BiLstmEncoder encoder;
    private readonly StructuredSelfAttention? attention;
    private readonly Linear hidden;
    private readonly Linear output;

    /// <param name="vocabularySize">Token ids in [0, this); 0 is padding.</param>
    /// <param name="numClasses">Classes.</param>
    /// <param name="pooling">Mean or self-attentive.</param>
    /// <param name="hops">r (self-attentive only).</param>
    /// <param name="embeddingDim">Word embedding width.</param>
    /// <param name="hiddenDim">u, LSTM units per direction.</param>
    /// <param name="attentionDim">d_a of the attention scorer.</param>
    /// <param name="mlpDim">Hidden width of the MLP.</param>
    /// <param name="dropoutRate">Dropout on the embeddings and before the output layer.</param>
    public SentenceClassifier(long vocabularySize, long numClasses, SentencePooling pooling, long hops = 4, long embeddingDim = 64,
        long hiddenDim = 64, long attentionDim = 64, long mlpDim = 64, double dropoutRate = 0.3) : base(nameof(SentenceClassifier))
    {
        Check.AtLeast(vocabularySize, 2, nameof(vocabularySize));
        Check.AtLeast(numClasses, 2, nameof(numClasses));
        Pooling = pooling;
        embedding = Embedding(vocabularySize, embeddingDim, padding_idx: Data.Vocabulary.PaddingId);
        dropout = Dropout(dropoutRate);
        encoder = new BiLstmEncoder(embeddingDim, hiddenDim);
        attention = pooling == SentencePooling.SelfAttentive ? new StructuredSelfAttention(encoder.OutputDim, attentionDim, hops) : null;
        hidden = Linear(encoder.OutputDim * (attention?.Hops ?? 1), mlpDim);
        output = Linear(mlpDim, numClasses);
        RegisterComponents();
    }

    public SentencePooling Pooling { get; }

    /// <summary>The structured self-attention layer (null with mean pooling).</summary>
    public StructuredSelfAttention? Attention => attention;

    /// <param name="ids"><c>(B, T)</c> Int64 token ids, 0-padded at the end.</param>
    /// <param name="keyPadding"><c>(B, T)</c> Bool, true = padded.</param>
    /// <returns>logits <c>(B, C)</c>.</returns>
    public override Tensor forward(Tensor ids, Tensor keyPadding) => Classify(ids, keyPadding).logits;

    /// <summary>Logits <c>(B, C)</c> and the attention A <c>(B, r, T)</c> (with mean pooling: one row, uniform over real tokens).</summary>
    public (Tensor logits, Tensor weights) Classify(Tensor ids, Tensor keyPadding)
    {
        Check.Rank(ids, 2, nameof(ids), "(batch, length)");
        Check.NonEmpty(ids, nameof(ids));
        Check.BoolMask(keyPadding, ids.shape, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        var h = Encode(ids, keyPadding);                                                      // (B, T, 2u)
        Tensor sentence, weights;
        if (attention is not null)
        {
            (var m, weights) = attention.call(h, keyPadding);                                 // (B, r, 2u), (B, r, T)
            sentence = m.flatten(1);                                                          // (B, r·2u)
        }
        else
        {
            var real = keyPadding.logical_not().to_type(h.dtype);                             // (B, T)
            weights = (real / real.sum(1, keepdim: true)).unsqueeze(1);                       // (B, 1, T)
            sentence = weights.bmm(h).squeeze(1);                                             // (B, 2u)
        }
        var logits = Head(sentence);                                                          // (B, C)
        return scope.MoveToOuter(logits, weights);
    }

    /// <summary>The BiLSTM states H <c>(B, T, 2u)</c> (zeros at padding): what the pooling reads.</summary>
    /// <param name="ids"><c>(B, T)</c> Int64 token ids, 0-padded at the end.</param>
    /// <param name="keyPadding"><c>(B, T)</c> Bool, true = padded.</param>
    public Tensor Encode(Tensor ids, Tensor keyPadding)
    {
        Check.Rank(ids, 2, nameof(ids), "(batch, length)");
        Check.BoolMask(keyPadding, ids.shape, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        return encoder.call(dropout.call(embedding.call(ids)), keyPadding).MoveToOuterDisposeScope();
    }

    /// <summary>The MLP on a sentence embedding: <c>(B, r·2u)</c> (M flattened; mean pooling: <c>(B, 2u)</c>) → logits <c>(B, C)</c>.</summary>
    public Tensor Head(Tensor sentence)
    {
        Check.Rank(sentence, 2, nameof(sentence), "(batch, r·2u)");
        Check.Size(sentence, 1, hidden.in_features, nameof(sentence), "hops × 2u");
        using var scope = NewDisposeScope();
        return output.call(dropout.call(functional.relu(hidden.call(sentence)))).MoveToOuterDisposeScope();
    }
}
