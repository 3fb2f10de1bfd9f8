using AttentionCourse.Data;
using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>Sizes of a <see cref="Seq2SeqModel"/>.</summary>
/// <param name="SourceVocabulary">Source vocabulary size (padding id 0).</param>
/// <param name="TargetVocabulary">Target vocabulary size (padding id 0, with &lt;bos&gt; and &lt;eos&gt;).</param>
/// <param name="Attention">How the decoder reads the encoder.</param>
/// <param name="EmbeddingDim">Width of source and target token embeddings.</param>
/// <param name="EncoderHidden">Width H of each encoder direction (the memory is 2H wide).</param>
/// <param name="DecoderHidden">Width of the decoder state (2H for Luong dot); null = 2H.</param>
/// <param name="AttentionDim">Hidden width of Bahdanau's scorer.</param>
public sealed record Seq2SeqSizes(long SourceVocabulary, long TargetVocabulary, DecoderAttention Attention,
    long EmbeddingDim = 32, long EncoderHidden = 64, long? DecoderHidden = null, long AttentionDim = 64)
{
    public long DecoderWidth => DecoderHidden ?? 2 * EncoderHidden;

    /// <summary>A one-line description, used as the cache key of trained weights.</summary>
    public override string ToString()
        => $"src{SourceVocabulary} tgt{TargetVocabulary} {Attention} emb{EmbeddingDim} enc{EncoderHidden} dec{DecoderWidth} att{AttentionDim}";
}

/// <summary>
/// An encoder–decoder for token sequences: source embedding → <see cref="BiGruEncoder"/> → <see cref="AttentionDecoder"/>.
/// Trained with teacher forcing (<see cref="Loss"/>); decodes greedily or with a beam (<see cref="SequenceDecoding"/>).
/// </summary>
public sealed class Seq2SeqModel : Module<Tensor, Tensor?, Tensor, (Tensor logits, Tensor weights)>
{
    private readonly Embedding sourceEmbedding;
    private readonly BiGruEncoder encoder;
    private readonly AttentionDecoder decoder;

    public Seq2SeqModel(Seq2SeqSizes sizes) : base(nameof(Seq2SeqModel))
    {
        ArgumentNullException.ThrowIfNull(sizes);
        Sizes = sizes;
        sourceEmbedding = Embedding(sizes.SourceVocabulary, sizes.EmbeddingDim, padding_idx: Vocabulary.PaddingId);
        encoder = new BiGruEncoder(sizes.EmbeddingDim, sizes.EncoderHidden);
        decoder = new AttentionDecoder(sizes.TargetVocabulary, sizes.EmbeddingDim, sizes.DecoderWidth, encoder.OutputDim, sizes.Attention, sizes.AttentionDim);
        RegisterComponents();
    }

    public Seq2SeqSizes Sizes { get; }
    public BiGruEncoder Encoder => encoder;
    public AttentionDecoder Decoder => decoder;

    /// <summary>Embeds and encodes source ids <c>(B, S)</c> with their padding <c>(B, S)</c>.</summary>
    public EncoderMemory Encode(Tensor sourceIds, Tensor? sourcePadding)
    {
        Check.Rank(sourceIds, 2, nameof(sourceIds), "(batch, sourceLength)");
        using var scope = NewDisposeScope();
        var memory = encoder.call(sourceEmbedding.call(sourceIds), sourcePadding);           // (B, S, 2H)
        var (o, f) = scope.MoveToOuter(memory.Outputs, memory.Final);
        return new EncoderMemory(o, f, sourcePadding);
    }

    /// <summary>Teacher-forced logits <c>(B, T, V)</c> and weights <c>(B, T, S)</c>.</summary>
    public override (Tensor logits, Tensor weights) forward(Tensor sourceIds, Tensor? sourcePadding, Tensor targetInputs)
    {
        using var scope = NewDisposeScope();
        var (logits, weights) = decoder.call(Encode(sourceIds, sourcePadding), targetInputs);
        return scope.MoveToOuter(logits, weights);
    }

    /// <summary>
    /// Mean cross-entropy of the teacher-forced predictions over the real target tokens (padding, id 0, is ignored).
    /// <paramref name="targetInputs"/> = &lt;bos&gt; + target, <paramref name="targetOutputs"/> = target + &lt;eos&gt;, both <c>(B, T)</c>.
    /// </summary>
    public Tensor Loss(Tensor sourceIds, Tensor? sourcePadding, Tensor targetInputs, Tensor targetOutputs)
    {
        using var scope = NewDisposeScope();
        var (logits, _) = forward(sourceIds, sourcePadding, targetInputs);                   // (B, T, V)
        var loss = functional.cross_entropy(logits.reshape(-1, logits.shape[2]), targetOutputs.reshape(-1), ignore_index: Vocabulary.PaddingId);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Greedy translations of a batch of sources.</summary>
    public Hypothesis[] Greedy(Tensor sourceIds, Tensor? sourcePadding, DecodingOptions options)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return SequenceDecoding.Greedy(decoder, Encode(sourceIds, sourcePadding), options);
    }

    /// <summary>Beam-search translations of a batch of sources, one example at a time.</summary>
    public Hypothesis[] Beam(Tensor sourceIds, Tensor? sourcePadding, DecodingOptions options, int width, double lengthPenalty = 0)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var memory = Encode(sourceIds, sourcePadding);
        return Enumerable.Range(0, (int)memory.Batch)
            .Select(b => { using var row = tensor(new long[] { b }); return SequenceDecoding.BeamSearch(decoder, memory.Select(row), options, width, lengthPenalty); })
            .ToArray();
    }
}
