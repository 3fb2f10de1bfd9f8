using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>How <see cref="PoolingClassifier"/> turns a sequence into one vector.</summary>
public enum Pooling
{
    /// <summary>Learned attention pooling (<see cref="AttentionPooling"/>).</summary>
    Attention,
    /// <summary>The plain average of the real (unpadded) positions: the no-attention baseline.</summary>
    Mean,
}

/// <summary>
/// A sequence classifier: encode each position (<c>tanh(W x + b)</c>, as an embedding or RNN layer would),
/// pool the positions into one vector, then a linear layer to class logits. The pooling weights say which
/// positions the prediction used.
/// </summary>
public sealed class PoolingClassifier : Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear encoder;
    private readonly AttentionPooling? attention;
    private readonly Linear classifier;

    /// <param name="inputDim">Features per position D.</param>
    /// <param name="numClasses">Classes C.</param>
    /// <param name="pooling">Attention or mean pooling.</param>
    /// <param name="hiddenDim">Width H of the per-position encoder.</param>
    /// <param name="attentionHiddenDim">0 for a linear attention scorer, else the additive scorer's width.</param>
    public PoolingClassifier(long inputDim, long numClasses, Pooling pooling, long hiddenDim = 16, long attentionHiddenDim = 0) : base(nameof(PoolingClassifier))
    {
        Check.AtLeast(inputDim, 1, nameof(inputDim));
        Check.AtLeast(numClasses, 2, nameof(numClasses));
        Check.AtLeast(hiddenDim, 1, nameof(hiddenDim));
        Pooling = pooling;
        encoder = Linear(inputDim, hiddenDim);
        attention = pooling == Pooling.Attention ? new AttentionPooling(hiddenDim, attentionHiddenDim) : null;
        classifier = Linear(hiddenDim, numClasses);
        RegisterComponents();
    }

    public Pooling Pooling { get; }

    /// <summary>The attention pooling layer, or null for mean pooling.</summary>
    public AttentionPooling? AttentionPool => attention;

    /// <param name="input"><c>(B, T, D)</c>.</param>
    /// <param name="keyPadding"><c>(B, T)</c> Bool, true = padded; null treats every position as real.</param>
    /// <returns>logits <c>(B, C)</c>.</returns>
    public override Tensor forward(Tensor input, Tensor? keyPadding = null) => Classify(input, keyPadding).logits;

    /// <summary>The per-position encoding <c>tanh(W x + b)</c>: <c>(B, T, D)</c> → <c>(B, T, H)</c>, what the pooling scores and averages.</summary>
    public Tensor Encode(Tensor input) => encoder.call(input).tanh();

    /// <summary>Logits <c>(B, C)</c> and the pooling weights <c>(B, T)</c> (uniform over real positions for mean pooling).</summary>
    public (Tensor logits, Tensor weights) Classify(Tensor input, Tensor? keyPadding = null)
    {
        Check.Rank(input, 3, nameof(input), "(batch, length, inputDim)");
        Check.NonEmpty(input, nameof(input));
        Check.BoolMask(keyPadding, new[] { input.shape[0], input.shape[1] }, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        var encoded = Encode(input);                                                                                                // (B, T, H)
        Tensor pooled, weights;
        if (attention is not null) (pooled, weights) = attention.call(encoded, keyPadding);
        else
        {
            var real = keyPadding is null ? ones(input.shape[0], input.shape[1], dtype: encoded.dtype) : keyPadding.logical_not().to_type(encoded.dtype); // (B, T)
            weights = real / real.sum(1, keepdim: true).clamp_min(1.0);                                                             // (B, T)
            pooled = weights.unsqueeze(1).bmm(encoded).squeeze(1);                                                                  // (B, H)
        }
        var logits = classifier.call(pooled);                                                                                       // (B, C)
        return scope.MoveToOuter(logits, weights);
    }
}
