using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Pitfalls;

/// <summary>
/// The seed's <c>SimpleAttention</c> (questions 8 and 21), translated line by line: a linear score per position, a
/// softmax over positions, and the weighted sum written as <c>torch.sum(attn_weights * input_sequence, dim=1)</c> with
/// <c>(B, T)</c> weights against a <c>(B, T, H)</c> input, which does not broadcast (see <see cref="SeedCode.SeedWeightedSum"/>).
/// <paramref name="fixBroadcast"/> applies the one-character fix (weights as <c>(B, T, 1)</c>) so the rest can be run.
/// </summary>
public sealed class SeedSimpleAttention : Module<Tensor, Tensor>
{
    private readonly Linear attn;
    private readonly bool fixBroadcast;

    public SeedSimpleAttention(long hiddenSize, bool fixBroadcast = false) : base(nameof(SeedSimpleAttention))
    {
        attn = Linear(hiddenSize, 1);
        this.fixBroadcast = fixBroadcast;
        RegisterComponents();
    }

    /// <param name="input_sequence"><c>(B, T, H)</c> → <c>(B, H)</c>: the whole sequence pooled into one vector.</param>
    public override Tensor forward(Tensor input_sequence)
    {
        using var scope = NewDisposeScope();
        var attn_scores = attn.call(input_sequence);                                         // (B, T, 1)
        attn_scores = attn_scores.squeeze(-1);                                              // (B, T)
        var attn_weights = functional.softmax(attn_scores, 1);                               // (B, T)
        var output_vector = fixBroadcast
            ? (attn_weights.unsqueeze(-1) * input_sequence).sum(1)                          // (B, H)
            : SeedCode.SeedWeightedSum(attn_weights, input_sequence);                      // throws unless B ∈ {1, T} and T = H
        return output_vector.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// The seed's <c>AttentionModel</c> of questions 10, 17 and 24 (translation, sequence modelling, generation), translated
/// line by line: embedding → LSTM "encoder" → LSTM "decoder" that reads the <i>encoder's outputs</i> (not the previous
/// target tokens) → <see cref="SeedSimpleAttention"/> pooling the whole sequence into one vector → a linear layer.
/// It returns one vector of vocabulary scores per sequence, <c>(B, V)</c>, not one per position; its
/// <c>target_sequence</c> argument is never read; and it has no generation loop. It is a sequence <i>classifier</i>.
/// </summary>
public sealed class SeedAttentionModel : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding embedding;
    private readonly LSTM encoder;
    private readonly LSTM decoder;
    private readonly SeedSimpleAttention attention;
    private readonly Linear fc;

    public SeedAttentionModel(long vocab_size, long embedding_dim, long hidden_dim, bool fixBroadcast = false) : base(nameof(SeedAttentionModel))
    {
        embedding = Embedding(vocab_size, embedding_dim);
        encoder = LSTM(embedding_dim, hidden_dim, batchFirst: true);
        decoder = LSTM(hidden_dim, hidden_dim, batchFirst: true);
        attention = new SeedSimpleAttention(hidden_dim, fixBroadcast);
        fc = Linear(hidden_dim, vocab_size);
        RegisterComponents();
    }

    /// <param name="input_sequence"><c>(B, T)</c> token ids.</param>
    /// <param name="target_sequence">Accepted, as in the seed, and ignored.</param>
    /// <returns><c>(B, V)</c>: one score vector per sequence.</returns>
    public override Tensor forward(Tensor input_sequence, Tensor target_sequence)
    {
        using var scope = NewDisposeScope();
        var embedded = embedding.call(input_sequence);                                      // (B, T, E)
        var (encoder_output, _, _) = encoder.call(embedded);                                 // (B, T, H)
        var (decoder_output, _, _) = decoder.call(encoder_output);                           // (B, T, H)
        var attention_output = attention.call(decoder_output);                              // (B, H)
        var output = fc.call(attention_output);                                             // (B, V)
        return output.MoveToOuterDisposeScope();
    }
}
