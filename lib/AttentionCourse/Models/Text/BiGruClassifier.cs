using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>
/// A text classifier: word embeddings, a bidirectional GRU that gives each word a state reading its left and right
/// context, a pooling of the word states into one vector (learned attention, or the plain mean as the no-attention
/// baseline), and a linear layer to class logits. The attention variant is the word level of Yang et al. (2016),
/// "Hierarchical Attention Networks for Document Classification", §2.2: <c>u_t = tanh(W h_t + b)</c>,
/// <c>α_t = softmax_t(u_tᵀ u_w)</c>, <c>s = Σ_t α_t h_t</c>, here with <see cref="AttentionPooling"/> and a padding mask.
/// </summary>
/// <remarks>
/// Padding is handled twice. The backward GRU reads each review reversed <i>within its length</i> (last real word
/// first), so it never reads padding: the states equal those of a bidirectional GRU on packed sequences (PyTorch's
/// <c>pack_padded_sequence</c>; a test checks it with copied weights), at the cost of an unpacked GRU, which on a CPU is
/// about twice as fast as the packed one. And the pooling masks padded positions, so they get exactly zero weight.
/// With <c>readPadding: true</c> the backward GRU reads the whole padded row reversed, as a bidirectional GRU does on an
/// unpacked batch: it starts in the padding, and every backward state depends on how much padding the batch had (the
/// common mistake; lesson 04's pitfall).
/// </remarks>
public sealed class BiGruClassifier : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly Dropout embeddingDropout;
    private readonly GRU forwardGru;
    private readonly GRU backwardGru;
    private readonly AttentionPooling? attention;
    private readonly Dropout pooledDropout;
    private readonly Linear classifier;

    /// <param name="vocabularySize">Entries of the vocabulary, padding (id 0) included.</param>
    /// <param name="numClasses">Classes C.</param>
    /// <param name="pooling">Attention (the model) or mean (the baseline).</param>
    /// <param name="embeddingDim">Width E of the word embeddings.</param>
    /// <param name="hiddenDim">Width H of each GRU direction (word states are 2H wide).</param>
    /// <param name="attentionDim">Width of the additive scorer <c>tanh(W h + b)</c>; 0 for a linear scorer.</param>
    /// <param name="dropout">Dropout on the embeddings and on the pooled vector (training only).</param>
    /// <param name="wordDropout">Share of real words replaced by the unknown token during training (a regulariser for small
    /// data: the model cannot lean on any single word; Iyyer et al. 2015, §3.2).</param>
    /// <param name="readPadding">False (correct): the backward GRU reads each text reversed within its length, as packing does; true: it reads the padding (the pitfall).</param>
    public BiGruClassifier(long vocabularySize, long numClasses, Pooling pooling, long embeddingDim = 64, long hiddenDim = 64,
        long attentionDim = 64, double dropout = 0.3, double wordDropout = 0.0, bool readPadding = false) : base(nameof(BiGruClassifier))
    {
        Check.AtLeast(vocabularySize, 2, nameof(vocabularySize));
        Check.AtLeast(numClasses, 2, nameof(numClasses));
        Check.AtLeast(embeddingDim, 1, nameof(embeddingDim));
        Check.AtLeast(hiddenDim, 1, nameof(hiddenDim));
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentException($"dropout must lie in [0, 1); got {dropout}.", nameof(dropout));
        if (!(wordDropout >= 0 && wordDropout < 1)) throw new ArgumentException($"wordDropout must lie in [0, 1); got {wordDropout}.", nameof(wordDropout));
        WordDropout = wordDropout;
        Pooling = pooling;
        ReadsPadding = readPadding;
        VocabularySize = vocabularySize;
        embedding = Embedding(vocabularySize, embeddingDim, padding_idx: Data.Vocabulary.PaddingId);
        embeddingDropout = Dropout(dropout);
        forwardGru = GRU(embeddingDim, hiddenDim, batchFirst: true);
        backwardGru = GRU(embeddingDim, hiddenDim, batchFirst: true);
        attention = pooling == Pooling.Attention ? new AttentionPooling(2 * hiddenDim, attentionDim) : null;
        pooledDropout = Dropout(dropout);
        classifier = Linear(2 * hiddenDim, numClasses);
        RegisterComponents();
    }

    /// <summary>Attention or mean pooling.</summary>
    public Pooling Pooling { get; }

    /// <summary>True if the backward GRU reads the padded rows whole (the pitfall); false = reversed within each length.</summary>
    public bool ReadsPadding { get; }

    /// <summary>Share of real words replaced by the unknown token in training mode.</summary>
    public double WordDropout { get; }

    /// <summary>Entries of the vocabulary the embedding table has.</summary>
    public long VocabularySize { get; }

    /// <param name="ids"><c>(B, T)</c> Int64 word ids, padded at the end with id 0.</param>
    /// <param name="keyPadding"><c>(B, T)</c> Bool, true at padded positions (a suffix of each row; at least one real word).</param>
    /// <returns>logits <c>(B, C)</c>.</returns>
    public override Tensor forward(Tensor ids, Tensor keyPadding) => Classify(ids, keyPadding).logits;

    /// <summary>Logits <c>(B, C)</c> and the per-word pooling weights <c>(B, T)</c> (zero at padding; uniform over real words for mean pooling).</summary>
    public (Tensor logits, Tensor weights) Classify(Tensor ids, Tensor keyPadding)
    {
        using var scope = NewDisposeScope();
        var states = Encode(ids, keyPadding);                                                              // (B, T, 2H)
        Tensor pooled, weights;
        if (attention is not null) (pooled, weights) = attention.call(states, keyPadding);                  // (B, 2H), (B, T)
        else
        {
            var real = keyPadding.logical_not().to_type(states.dtype);                                      // (B, T)
            weights = real / real.sum(1, keepdim: true);                                                    // (B, T)
            pooled = weights.unsqueeze(1).bmm(states).squeeze(1);                                           // (B, 2H)
        }
        var logits = classifier.call(pooledDropout.call(pooled));                                          // (B, C)
        return scope.MoveToOuter(logits, weights);
    }

    /// <summary>The word states <c>(B, T, 2H)</c>: forward and backward GRU states concatenated, zero at padded positions.</summary>
    public Tensor Encode(Tensor ids, Tensor keyPadding)
    {
        Check.TokenIds(ids, nameof(ids), "word");
        Check.BoolMask(keyPadding, ids.shape, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        var lengths = keyPadding.logical_not().sum(1);                                                      // (B)
        long shortest = lengths.min().item<long>();
        if (shortest < 1)
            throw new ArgumentException($"keyPadding: every row needs at least one real word; row {lengths.argmin().item<long>()} has none.", nameof(keyPadding));
        using (var expected = Masks.PaddingFromLengths(lengths.data<long>().ToArray(), ids.shape[1]))
            if (!expected.eq(keyPadding).all().item<bool>())
                throw new ArgumentException("keyPadding must mark a suffix of each row (padding at the end, as PaddedBatch builds it); got padding before a real word.", nameof(keyPadding));
        if (training && WordDropout > 0)
        {
            var dropped = rand(ids.shape, dtype: ScalarType.Float32).lt(WordDropout).logical_and(keyPadding.logical_not()); // (B, T)
            ids = ids.masked_fill(dropped, Data.Vocabulary.UnknownId);
        }
        var embedded = embeddingDropout.call(embedding.call(ids));                                          // (B, T, E)
        var (forwardStates, _) = forwardGru.call(embedded);                                                 // (B, T, H): position t has read 0…t
        // The backward direction reads right to left. Packed: each row reversed within its length, so it starts at the
        // last real word; unpacked: the whole padded row reversed, so it starts in the padding.
        var reverse = !ReadsPadding ? ReverseWithinLength(lengths, ids.shape[1]) : arange(ids.shape[1] - 1, -1, -1).expand(ids.shape[0], -1); // (B, T)
        var gather = reverse.unsqueeze(-1).expand(-1, -1, embedded.shape[2]);                               // (B, T, E)
        var (reversedStates, _) = backwardGru.call(embedded.gather(1, gather));                             // (B, T, H)
        var backwardStates = reversedStates.gather(1, reverse.unsqueeze(-1).expand(-1, -1, reversedStates.shape[2])); // (B, T, H): t has read t…end
        var states = cat(new[] { forwardStates, backwardStates }, 2).masked_fill(keyPadding.unsqueeze(-1), 0.0); // (B, T, 2H)
        return states.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// For each row, the positions in the order the backward GRU reads them: <c>len−1, …, 1, 0</c>, then the padded
    /// positions in place (<c>len, …, T−1</c>). The permutation is its own inverse, so the same gather puts the states back.
    /// </summary>
    public static Tensor ReverseWithinLength(Tensor lengths, long length)
    {
        using var scope = NewDisposeScope();
        var positions = arange(length).unsqueeze(0);                                                        // (1, T)
        var last = lengths.unsqueeze(1) - 1;                                                                // (B, 1)
        return where(positions.le(last), last - positions, positions).MoveToOuterDisposeScope();            // (B, T)
    }
}
