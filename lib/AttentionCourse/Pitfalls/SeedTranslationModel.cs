using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Pitfalls;

/// <summary>
/// The seed's "attention model for NLP" (its questions 10, 17, 22 and 24), translated line by line from PyTorch:
/// <code>
/// embedded = self.embedding(input_sequence)
/// encoder_output, (encoder_hidden, encoder_cell) = self.encoder(embedded)
/// decoder_output, (decoder_hidden, decoder_cell) = self.decoder(encoder_output)
/// attention_output = self.attention(decoder_output)      # SimpleAttention: pools the sequence to one vector
/// output = self.fc(attention_output)
/// </code>
/// The "decoder" reads the encoder's outputs, not the previous target tokens; <c>target_sequence</c> is accepted and never
/// used; the attention pools everything into one vector per sentence. So the model emits one token distribution per
/// sentence <c>(B, V)</c>: it cannot produce a sequence, whatever it is trained on. Its <c>SimpleAttention</c> also
/// multiplies <c>(B, S)</c> weights by <c>(B, S, H)</c> outputs (see <see cref="SeedCode.SeedWeightedSum"/>), which throws
/// unless B = S = H; <c>fixWeightedSum: true</c> repairs only that, to show what the architecture does once it runs.
/// The seed's models for questions 26 (<c>SequenceLabelingModel</c>), 27 (<c>TextClassificationModel</c>) and 29
/// (<c>DialogueSystemModel</c>) are this same code with <c>num_labels</c> or <c>num_classes</c> outputs instead of the
/// vocabulary: pass <c>outputSize</c>.
/// </summary>
public sealed class SeedTranslationModel : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly LSTM encoder;
    private readonly LSTM decoder;
    private readonly Linear attention;   // SimpleAttention: nn.Linear(hidden_size, 1)
    private readonly Linear fc;
    private readonly bool fixWeightedSum;

    /// <param name="vocabularySize">Input token ids are in [0, this).</param>
    /// <param name="embeddingDim">The seed's <c>embedding_dim</c>.</param>
    /// <param name="hiddenDim">The seed's <c>hidden_dim</c>.</param>
    /// <param name="fixWeightedSum">Repair the weighted sum's broadcast (and nothing else).</param>
    /// <param name="outputSize">Width of <c>fc</c>'s output: the vocabulary (questions 10, 17, 22, 24) if null, else the
    /// seed's <c>num_labels</c> / <c>num_classes</c> (questions 26, 27, 29).</param>
    public SeedTranslationModel(long vocabularySize, long embeddingDim, long hiddenDim, bool fixWeightedSum = false, long? outputSize = null) : base(nameof(SeedTranslationModel))
    {
        this.fixWeightedSum = fixWeightedSum;
        embedding = Embedding(vocabularySize, embeddingDim);
        encoder = LSTM(embeddingDim, hiddenDim, batchFirst: true);
        decoder = LSTM(hiddenDim, hiddenDim, batchFirst: true);
        attention = Linear(hiddenDim, 1);
        fc = Linear(hiddenDim, outputSize ?? vocabularySize);
        RegisterComponents();
    }

    /// <param name="inputSequence"><c>(B, S)</c> source ids.</param>
    /// <param name="targetSequence"><c>(B, T)</c> target ids — accepted, as in the seed, and never read.</param>
    /// <returns><c>(B, V)</c> (or <c>(B, outputSize)</c>): one distribution per sentence.</returns>
    public override Tensor forward(Tensor inputSequence, Tensor targetSequence)
    {
        using var scope = NewDisposeScope();
        var embedded = embedding.call(inputSequence);                                        // (B, S, E)
        var (encoderOutput, _, _) = encoder.call(embedded);                                  // (B, S, H)
        var (decoderOutput, _, _) = decoder.call(encoderOutput);                             // (B, S, H): reads the encoder, not the targets
        var scores = attention.call(decoderOutput).squeeze(-1);                              // (B, S)
        var weights = functional.softmax(scores, 1);                                         // (B, S), padding included
        var pooled = fixWeightedSum
            ? (weights.unsqueeze(-1) * decoderOutput).sum(1)                                 // (B, H): one vector per sentence
            : SeedCode.SeedWeightedSum(weights, decoderOutput);                              // the seed's line: throws unless B = S = H
        return fc.call(pooled).MoveToOuterDisposeScope();                                    // (B, V)
    }
}
