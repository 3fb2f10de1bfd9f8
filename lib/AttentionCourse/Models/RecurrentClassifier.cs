using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>Which recurrent cell <see cref="RecurrentClassifier"/> runs.</summary>
public enum RecurrentKind
{
    /// <summary>Elman RNN, <c>h_t = tanh(W x_t + U h_{t−1} + b)</c>: no gates.</summary>
    Rnn,
    /// <summary>LSTM (Hochreiter and Schmidhuber 1997): input, forget and output gates around an additive cell state.</summary>
    Lstm,
    /// <summary>GRU (Cho et al. 2014): update and reset gates.</summary>
    Gru,
}

/// <summary>How <see cref="RecurrentClassifier"/> turns its states into one vector.</summary>
public enum RecurrentReadout
{
    /// <summary>The state at the last real position: everything must be carried there step by step.</summary>
    LastState,
    /// <summary>The mean of the states at all real positions: every state has a one-step path to the output.</summary>
    MeanOfStates,
}

/// <summary>
/// The recurrent baseline for sequence classification: token embedding, a batch-first RNN/LSTM/GRU, and a linear head
/// on the hidden state at the last real position (sequences are right-padded) — or on the mean of all states. With the
/// last state, everything the model knows about an early token must be carried there step by step, which is what
/// lesson 19 measures against attention. TorchSharp's modules with PyTorch's default initialisation (uniform ±1/√hidden,
/// forget-gate bias not raised).
/// </summary>
public sealed class RecurrentClassifier : Module<Tensor, Tensor?, Tensor>
{
    private readonly Embedding embedding;
    private readonly Module? recurrent;
    private readonly Linear head;

    /// <param name="vocabSize">Token ids lie in [0, vocabSize).</param>
    /// <param name="outputDim">Classes C.</param>
    /// <param name="embedDim">Embedding width.</param>
    /// <param name="hiddenDim">Recurrent state width.</param>
    /// <param name="kind">RNN, LSTM or GRU.</param>
    /// <param name="layers">Stacked recurrent layers.</param>
    /// <param name="readout">Last state (the default) or the mean of all states.</param>
    public RecurrentClassifier(long vocabSize, long outputDim, long embedDim = 32, long hiddenDim = 64, RecurrentKind kind = RecurrentKind.Lstm, long layers = 1,
        RecurrentReadout readout = RecurrentReadout.LastState)
        : base(nameof(RecurrentClassifier))
    {
        Check.AtLeast(vocabSize, 1, nameof(vocabSize));
        Check.AtLeast(outputDim, 1, nameof(outputDim));
        Check.AtLeast(embedDim, 1, nameof(embedDim));
        Check.AtLeast(hiddenDim, 1, nameof(hiddenDim));
        Check.AtLeast(layers, 1, nameof(layers));
        Kind = kind;
        Readout = readout;
        VocabSize = vocabSize;
        EmbedDim = embedDim;
        embedding = Embedding(vocabSize, embedDim);
        recurrent = kind switch
        {
            RecurrentKind.Rnn => RNN(embedDim, hiddenDim, layers, batchFirst: true),
            RecurrentKind.Lstm => LSTM(embedDim, hiddenDim, layers, batchFirst: true),
            RecurrentKind.Gru => GRU(embedDim, hiddenDim, layers, batchFirst: true),
            _ => throw new ArgumentException($"kind must be Rnn, Lstm or Gru; got {kind}.", nameof(kind)),
        };
        head = Linear(hiddenDim, outputDim);
        RegisterComponents();
    }

    public RecurrentKind Kind { get; }
    public RecurrentReadout Readout { get; }
    public long VocabSize { get; }
    public long EmbedDim { get; }

    /// <summary>The recurrent module (TorchSharp's <c>LSTM</c>, <c>RNN</c> or <c>GRU</c>), for reading its weights.</summary>
    public Module Recurrent => recurrent!;

    /// <param name="tokens"><c>(B, T)</c> Int64 ids.</param>
    /// <param name="keyPadding">Optional <c>(B, T)</c> Bool, true = padded (right padding: real positions first).</param>
    /// <returns>logits <c>(B, C)</c> from the state at each sequence's last real position (or the mean of its states).</returns>
    public override Tensor forward(Tensor tokens, Tensor? keyPadding = null)
    {
        using var scope = NewDisposeScope();
        return ForwardEmbedded(Embed(tokens), keyPadding).MoveToOuterDisposeScope();
    }

    /// <summary>Token embeddings <c>(B, T, embedDim)</c>, exposed so a lesson can measure the gradient reaching each position.</summary>
    public Tensor Embed(Tensor tokens)
    {
        Check.TokenIds(tokens, nameof(tokens));
        long low = tokens.min().item<long>(), high = tokens.max().item<long>();
        if (low < 0 || high >= VocabSize)
            throw new ArgumentException($"tokens must lie in [0, {VocabSize}) (vocabSize); got values from {low} to {high}.", nameof(tokens));
        return embedding.call(tokens);                                                       // (B, T, De)
    }

    /// <summary>Logits <c>(B, C)</c> from embeddings <c>(B, T, embedDim)</c>.</summary>
    public Tensor ForwardEmbedded(Tensor embedded, Tensor? keyPadding = null)
    {
        Check.Rank(embedded, 3, nameof(embedded), "(batch, length, embedDim)");
        Check.Size(embedded, 2, EmbedDim, nameof(embedded), "embedDim");
        Check.BoolMask(keyPadding, new[] { embedded.shape[0], embedded.shape[1] }, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        var states = States(embedded);                                                       // (B, T, Hd)
        long B = states.shape[0], T = states.shape[1], Hd = states.shape[2];
        Tensor summary;                                                                      // (B, Hd)
        if (Readout == RecurrentReadout.MeanOfStates)
        {
            var real = keyPadding is null ? ones(B, T, 1, dtype: states.dtype) : keyPadding.logical_not().to_type(states.dtype).unsqueeze(-1); // (B, T, 1)
            summary = (states * real).sum(1) / real.sum(1).clamp_min(1.0);
        }
        else summary = keyPadding is null
            ? states.select(1, T - 1)
            : states.gather(1, keyPadding.logical_not().sum(1).sub(1).clamp_min(0).view(B, 1, 1).expand(B, 1, Hd)).squeeze(1);
        return head.call(summary).MoveToOuterDisposeScope();                                 // (B, C)
    }

    /// <summary>The hidden state at every position, <c>(B, T, hidden)</c> (the top layer's).</summary>
    public Tensor States(Tensor embedded)
    {
        return recurrent switch
        {
            LSTM lstm => lstm.call(embedded, null).Item1,
            GRU gru => gru.call(embedded, null).Item1,
            RNN rnn => rnn.call(embedded, null).Item1,
            _ => throw new InvalidOperationException("unknown recurrent module"),
        };
    }
}
