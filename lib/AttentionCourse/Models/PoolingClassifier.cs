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
/// A sequence classifier: pool the positions into one vector, then a linear layer to class logits.
/// Pooling works on the raw features so the weights can be read directly as "which positions mattered".
/// </summary>
public sealed class PoolingClassifier : Module<Tensor, Tensor?, Tensor>
{
    private readonly AttentionPooling? attention;
    private readonly Linear classifier;

    public PoolingClassifier(long inputDim, long numClasses, Pooling pooling, long attentionHiddenDim = 0) : base(nameof(PoolingClassifier))
    {
        Check.AtLeast(numClasses, 2, nameof(numClasses));
        Pooling = pooling;
        attention = pooling == Pooling.Attention ? new AttentionPooling(inputDim, attentionHiddenDim) : null;
        classifier = Linear(inputDim, numClasses);
        RegisterComponents();
    }

    public Pooling Pooling { get; }

    /// <param name="input"><c>(B, T, D)</c>.</param>
    /// <param name="keyPadding"><c>(B, T)</c> Bool, true = padded; null treats every position as real.</param>
    /// <returns>logits <c>(B, C)</c>.</returns>
    public override Tensor forward(Tensor input, Tensor? keyPadding = null) => Classify(input, keyPadding).logits;

    /// <summary>Logits <c>(B, C)</c> and the pooling weights <c>(B, T)</c> (uniform over real positions for mean pooling).</summary>
    public (Tensor logits, Tensor weights) Classify(Tensor input, Tensor? keyPadding = null)
    {
        Check.Rank(input, 3, nameof(input), "(batch, length, inputDim)");
        using var scope = NewDisposeScope();
        Tensor pooled, weights;
        if (attention is not null) (pooled, weights) = attention.call(input, keyPadding);
        else
        {
            var real = keyPadding is null ? ones(input.shape[0], input.shape[1]) : keyPadding.logical_not().to_type(input.dtype); // (B, T)
            weights = real / real.sum(1, keepdim: true).clamp_min(1.0);                                                             // (B, T)
            pooled = weights.unsqueeze(1).bmm(input).squeeze(1);                                                                    // (B, D)
        }
        var logits = classifier.call(pooled);                                                                                       // (B, C)
        return scope.MoveToOuter(logits, weights);
    }
}
