using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// Attention pooling: one learned query scores every position, a masked softmax turns scores into weights,
/// and the weighted sum of the inputs is the pooled vector. This is the seed's <c>SimpleAttention</c> done
/// right: padded positions get exactly zero weight, and the weights are returned for inspection.
/// </summary>
/// <remarks>
/// With <c>hiddenDim = 0</c> the score is linear, <c>w·x + b</c> (the seed's <c>nn.Linear(hidden, 1)</c>);
/// otherwise it is additive, <c>vᵀ tanh(W x + b)</c> (Bahdanau-style, as in Yang et al.'s hierarchical attention).
/// </remarks>
public sealed class AttentionPooling : Module<Tensor, Tensor?, (Tensor pooled, Tensor weights)>
{
    private readonly Linear? hidden;
    private readonly Linear score;

    /// <param name="inputDim">Width D of each position.</param>
    /// <param name="hiddenDim">Width of the additive scorer's hidden layer; 0 for a linear scorer.</param>
    public AttentionPooling(long inputDim, long hiddenDim = 0) : base(nameof(AttentionPooling))
    {
        Check.AtLeast(inputDim, 1, nameof(inputDim));
        Check.AtLeast(hiddenDim, 0, nameof(hiddenDim));
        InputDim = inputDim;
        HiddenDim = hiddenDim;
        hidden = hiddenDim > 0 ? Linear(inputDim, hiddenDim) : null;
        score = Linear(hiddenDim > 0 ? hiddenDim : inputDim, 1);
        RegisterComponents();
    }

    /// <summary>Width D of each position.</summary>
    public long InputDim { get; }

    /// <summary>Width A of the additive scorer's hidden layer; 0 when the scorer is linear.</summary>
    public long HiddenDim { get; }

    /// <summary>The additive scorer's inner layer <c>W x + b</c> (<c>D → A</c>), before its tanh; null when the scorer is linear.</summary>
    public Linear? Hidden => hidden;

    /// <summary>
    /// The final scoring layer (<c>D → 1</c> or <c>A → 1</c>). Its bias is inert: it adds the same number to every
    /// position's score, which the softmax cancels, so its gradient is exactly zero (lesson 06 measures it).
    /// </summary>
    public Linear Scorer => score;

    /// <param name="input"><c>(B, T, D)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, T)</c> Bool, true = padded (gets zero weight).</param>
    /// <returns>pooled <c>(B, D)</c> and weights <c>(B, T)</c> (each row sums to 1 over real positions).</returns>
    public override (Tensor pooled, Tensor weights) forward(Tensor input, Tensor? keyPadding = null)
    {
        Check.Rank(input, 3, nameof(input), "(batch, length, inputDim)");
        Check.Size(input, 2, InputDim, nameof(input), "inputDim");
        Check.NonEmpty(input, nameof(input));
        Check.BoolMask(keyPadding, new[] { input.shape[0], input.shape[1] }, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        var features = hidden is null ? input : hidden.call(input).tanh();                // (B, T, A) or (B, T, D)
        var scores = score.call(features).squeeze(-1);                                      // (B, T)
        var weights = Attention.MaskedSoftmax(scores, keyPadding?.logical_not());           // (B, T)
        // (B, 1, T) @ (B, T, D): an explicit contraction over T, so a (B, T) × (B, T, D) broadcast cannot happen.
        var pooled = weights.unsqueeze(1).bmm(input).squeeze(1);                            // (B, D)
        return scope.MoveToOuter(pooled, weights);
    }
}
