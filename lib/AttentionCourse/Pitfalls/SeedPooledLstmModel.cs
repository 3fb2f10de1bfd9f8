using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Pitfalls;

/// <summary>
/// The seed's <c>SimpleAttention</c> (its answer to question 8), translated line by line:
/// <c>attn_scores = self.attn(x).squeeze(-1)</c>, <c>attn_weights = torch.softmax(attn_scores, dim=1)</c>,
/// <c>torch.sum(attn_weights * input_sequence, dim=1)</c>. The product multiplies a <c>(B, T)</c> tensor by a
/// <c>(B, T, H)</c> one; broadcasting aligns shapes from the right, so it throws unless T = H and B ∈ {1, T}.
/// </summary>
public sealed class SeedSimpleAttention : Module<Tensor, Tensor>
{
    private readonly Linear attn;

    /// <param name="hiddenSize">H.</param>
    /// <param name="repairBroadcast">False: the seed's line as written. True: the weights unsqueezed to <c>(B, T, 1)</c>,
    /// the smallest change that runs.</param>
    public SeedSimpleAttention(long hiddenSize, bool repairBroadcast) : base(nameof(SeedSimpleAttention))
    {
        RepairBroadcast = repairBroadcast;
        attn = Linear(hiddenSize, 1);
        RegisterComponents();
    }

    public bool RepairBroadcast { get; }

    /// <param name="inputSequence"><c>(B, T, H)</c>.</param>
    /// <returns><c>(B, H)</c>: one vector per sequence.</returns>
    public override Tensor forward(Tensor inputSequence)
    {
        using var scope = NewDisposeScope();
        var attnScores = attn.call(inputSequence).squeeze(-1);                              // (B, T)
        var attnWeights = functional.softmax(attnScores, 1);                                // (B, T)
        var weights = RepairBroadcast ? attnWeights.unsqueeze(-1) : attnWeights;            // (B, T, 1) or (B, T)
        var outputVector = (weights * inputSequence).sum(1);                                // (B, H) — or a broadcast error
        return outputVector.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// The seed's model for questions 26 (sequence labelling), 27 (text classification) and 29 (dialogue) — the same code
/// under three class names — translated line by line: embedding → LSTM "encoder" → an LSTM "decoder" that reads the
/// encoder's outputs → <see cref="SeedSimpleAttention"/> → <c>Linear(hidden, num_labels)</c>;
/// <c>forward(input_sequence, target_sequence)</c> takes the targets and ignores them, and nothing masks padding. The
/// attention pools the T positions into one vector with a fixed scoring vector, so the model returns one distribution
/// per sequence, <c>(B, num_labels)</c> (a tagger needs <c>(B, T, num_labels)</c>), and what it attends to cannot depend
/// on a question.
/// </summary>
public sealed class SeedPooledLstmModel : Module<Tensor, Tensor?, Tensor>
{
    private readonly Embedding embedding;
    private readonly LSTM encoder;
    private readonly LSTM decoder;
    private readonly SeedSimpleAttention attention;
    private readonly Linear fc;

    public SeedPooledLstmModel(long vocabSize, long embeddingDim, long hiddenDim, long numLabels, bool repairBroadcast)
        : base(nameof(SeedPooledLstmModel))
    {
        embedding = Embedding(vocabSize, embeddingDim);
        encoder = LSTM(embeddingDim, hiddenDim, batchFirst: true);
        decoder = LSTM(hiddenDim, hiddenDim, batchFirst: true);
        attention = new SeedSimpleAttention(hiddenDim, repairBroadcast);
        fc = Linear(hiddenDim, numLabels);
        RegisterComponents();
    }

    /// <param name="inputSequence"><c>(B, T)</c> token ids.</param>
    /// <param name="targetSequence">The labels, passed in and unused, as in the seed.</param>
    /// <returns><c>(B, num_labels)</c>.</returns>
    public override Tensor forward(Tensor inputSequence, Tensor? targetSequence)
    {
        using var scope = NewDisposeScope();
        var embedded = embedding.call(inputSequence);                                       // (B, T, E)
        var (encoderOutput, _, _) = encoder.call(embedded);                                 // (B, T, H)
        var (decoderOutput, _, _) = decoder.call(encoderOutput);                            // (B, T, H)
        var attentionOutput = attention.call(decoderOutput);                                // (B, H)
        var output = fc.call(attentionOutput);                                              // (B, num_labels)
        return output.MoveToOuterDisposeScope();
    }
}
