using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Pitfalls;

/// <summary>
/// The seed's <c>LongSequenceAttentionModel</c> (question 19), translated faithfully: an embedding, an LSTM encoder, an
/// LSTM "decoder" that reads the encoder's outputs (not its own predictions: nothing is decoded), the seed's
/// <c>SimpleAttention</c> pooling every decoder output into one vector, and a linear layer. Two repairs, both needed for it
/// to run at all: <c>SimpleAttention</c>'s weighted sum multiplies <c>(B, T)</c> weights by <c>(B, T, H)</c> states, which
/// only broadcasts by accident (lesson 08), so the weights get their missing last dimension (that is
/// <see cref="AttentionPooling"/> with a linear scorer); and the output layer predicts the task's classes instead of
/// <c>vocab_size</c> words. The seed's unused <c>target_sequence</c> argument is dropped. Lesson 19 measures what its
/// attention does and does not do for vanishing gradients.
/// </summary>
public sealed class SeedLongSequenceModel : Module<Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly LSTM encoder;
    private readonly LSTM decoder;
    private readonly AttentionPooling attention;
    private readonly Linear fc;

    public SeedLongSequenceModel(long vocabSize, long embeddingDim, long hiddenDim, long outputDim) : base(nameof(SeedLongSequenceModel))
    {
        Check.AtLeast(vocabSize, 1, nameof(vocabSize));
        Check.AtLeast(embeddingDim, 1, nameof(embeddingDim));
        Check.AtLeast(hiddenDim, 1, nameof(hiddenDim));
        Check.AtLeast(outputDim, 1, nameof(outputDim));
        EmbedDim = embeddingDim;
        embedding = Embedding(vocabSize, embeddingDim);
        encoder = LSTM(embeddingDim, hiddenDim, batchFirst: true);
        decoder = LSTM(hiddenDim, hiddenDim, batchFirst: true);
        attention = new AttentionPooling(hiddenDim);
        fc = Linear(hiddenDim, outputDim);
        RegisterComponents();
    }

    public long EmbedDim { get; }

    /// <param name="tokens"><c>(B, T)</c> Int64 ids.</param>
    /// <returns>logits <c>(B, C)</c>.</returns>
    public override Tensor forward(Tensor tokens)
    {
        Check.Rank(tokens, 2, nameof(tokens), "(batch, length) token ids");
        using var scope = NewDisposeScope();
        return ForwardEmbedded(embedding.call(tokens)).MoveToOuterDisposeScope();
    }

    /// <summary>Token embeddings <c>(B, T, embeddingDim)</c>.</summary>
    public Tensor Embed(Tensor tokens) => embedding.call(tokens);

    /// <summary>Logits from embeddings, so a lesson can measure the gradient reaching each input position.</summary>
    public Tensor ForwardEmbedded(Tensor embedded)
    {
        Check.Rank(embedded, 3, nameof(embedded), "(batch, length, embeddingDim)");
        Check.Size(embedded, 2, EmbedDim, nameof(embedded), "embeddingDim");
        using var scope = NewDisposeScope();
        var encoderOutput = encoder.call(embedded, null).Item1;                              // (B, T, H)
        var decoderOutput = decoder.call(encoderOutput, null).Item1;                         // (B, T, H)
        var (pooled, _) = attention.call(decoderOutput, null);                               // (B, H): softmax over all T, no mask
        return fc.call(pooled).MoveToOuterDisposeScope();                                    // (B, C)
    }
}
