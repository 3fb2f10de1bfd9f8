using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>How a <see cref="HierarchicalDialogueEncoder"/> summarises the history turns before it answers.</summary>
public enum TurnSummary
{
    /// <summary>The question attends over the history turns (additive attention, padded turns masked): the model reads the turn it needs.</summary>
    Attention,
    /// <summary>The turn-level GRU's state after the question (HRED, Serban et al. 2016): everything must survive the recurrence.</summary>
    LastState,
    /// <summary>The mean of the turn-level GRU's states over the real history turns: every turn counts the same.</summary>
    Mean,
}

/// <summary>
/// A hierarchical dialogue encoder (words → turn vectors → turns → answer) in the style of Yang et al. 2016's
/// hierarchical attention network and Serban et al. 2016's HRED: each turn's words are embedded, passed through
/// <c>tanh(W e + b)</c> and attention-pooled into one turn vector (padded words masked); a GRU reads the turn vectors in
/// order; the question (the last turn) then summarises the history turns by <see cref="TurnSummary"/>, and a linear
/// layer on [summary ; question] gives the answer logits.
/// </summary>
public sealed class HierarchicalDialogueEncoder : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly Linear wordProjection;
    private readonly AttentionPooling wordAttention;
    private readonly GRU turnRnn;
    private readonly AdditiveAttention? turnAttention;
    private readonly Linear output;

    /// <param name="vocabularySize">Word ids in [0, this); 0 is padding.</param>
    /// <param name="numAnswers">Number of answer classes.</param>
    /// <param name="summary">How the history is summarised.</param>
    /// <param name="embeddingDim">Width of word embeddings.</param>
    /// <param name="hiddenDim">Width of turn vectors and of the turn GRU.</param>
    public HierarchicalDialogueEncoder(long vocabularySize, long numAnswers, TurnSummary summary, long embeddingDim = 32, long hiddenDim = 64)
        : base(nameof(HierarchicalDialogueEncoder))
    {
        Check.AtLeast(vocabularySize, 2, nameof(vocabularySize));
        Check.AtLeast(numAnswers, 2, nameof(numAnswers));
        Summary = summary;
        HiddenDim = hiddenDim;
        embedding = Embedding(vocabularySize, embeddingDim, padding_idx: Data.Vocabulary.PaddingId);
        wordProjection = Linear(embeddingDim, hiddenDim);
        wordAttention = new AttentionPooling(hiddenDim);
        turnRnn = GRU(hiddenDim, hiddenDim, batchFirst: true);
        turnAttention = summary == TurnSummary.Attention ? new AdditiveAttention(hiddenDim, hiddenDim, hiddenDim) : null;
        output = Linear(2 * hiddenDim, numAnswers);
        RegisterComponents();
    }

    public TurnSummary Summary { get; }
    public long HiddenDim { get; }

    /// <param name="wordIds"><c>(B, N, W)</c> Int64: N turns (the question last) of W word slots.</param>
    /// <param name="wordPadding"><c>(B, N, W)</c> Bool, true = padded word; a turn whose words are all padded is a padded turn.</param>
    /// <returns>answer logits <c>(B, C)</c>.</returns>
    public override Tensor forward(Tensor wordIds, Tensor wordPadding) => Answer(wordIds, wordPadding).logits;

    /// <summary>The logits and the weights over the N − 1 history turns <c>(B, N − 1)</c> (attention weights; for
    /// <see cref="TurnSummary.Mean"/> uniform over real turns; for <see cref="TurnSummary.LastState"/> null).</summary>
    public (Tensor logits, Tensor? turnWeights) Answer(Tensor wordIds, Tensor wordPadding)
    {
        Check.Rank(wordIds, 3, nameof(wordIds), "(batch, turns, words)");
        Check.NonEmpty(wordIds, nameof(wordIds));
        Check.BoolMask(wordPadding, wordIds.shape, nameof(wordPadding), "(batch, turns, words), true = padded");
        long B = wordIds.shape[0], N = wordIds.shape[1], W = wordIds.shape[2];
        if (N < 2) throw new ArgumentException($"wordIds must hold at least 2 turns (history and the question); got {N}.", nameof(wordIds));
        using var scope = NewDisposeScope();
        var words = wordProjection.call(embedding.call(wordIds)).tanh();                     // (B, N, W, D)
        var (turnVectors, _) = wordAttention.call(words.view(B * N, W, HiddenDim), wordPadding.view(B * N, W)); // (B·N, D)
        turnVectors = turnVectors.view(B, N, HiddenDim);                                    // (B, N, D); a padded turn is 0
        var (states, _) = turnRnn.call(turnVectors);                                         // (B, N, D)
        var history = states.narrow(1, 0, N - 1);                                            // (B, N−1, D)
        var question = states.select(1, N - 1);                                              // (B, D): the state after the question
        var turnPadding = wordPadding.narrow(1, 0, N - 1).all(-1);                           // (B, N−1) true = padded turn
        Tensor summary;
        Tensor? weights = null;
        switch (Summary)
        {
            case TurnSummary.Attention:
                var (context, w) = turnAttention!.call(question.unsqueeze(1), history, history, turnPadding); // (B, 1, D), (B, 1, N−1)
                summary = context.squeeze(1);                                                // (B, D)
                weights = w.squeeze(1);                                                      // (B, N−1)
                break;
            case TurnSummary.Mean:
                var real = turnPadding.logical_not().to_type(states.dtype);                  // (B, N−1)
                weights = real / real.sum(1, keepdim: true).clamp_min(1.0);                   // (B, N−1)
                summary = weights.unsqueeze(1).bmm(history).squeeze(1);                      // (B, D)
                break;
            default:
                summary = question;                                                          // (B, D)
                break;
        }
        var logits = output.call(cat(new[] { summary, question }, 1));                       // (B, C)
        return weights is null ? (logits.MoveToOuterDisposeScope(), null) : scope.MoveToOuter(logits, weights);
    }
}
