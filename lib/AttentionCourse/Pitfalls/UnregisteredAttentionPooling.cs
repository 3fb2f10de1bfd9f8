using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Pitfalls;

/// <summary>
/// A deliberately broken copy of the seed's attention pooling that forgets <c>RegisterComponents()</c>
/// (lesson 21). Its layers work, but the module reports no parameters: an optimiser built from
/// <c>parameters()</c> trains nothing, <c>save</c> writes nothing, and <c>to(device)</c> moves nothing.
/// </summary>
public sealed class UnregisteredAttentionPooling : Module<Tensor, Tensor>
{
    private readonly Linear score;

    public UnregisteredAttentionPooling(long inputDim) : base(nameof(UnregisteredAttentionPooling))
    {
        score = Linear(inputDim, 1);
        // RegisterComponents() is missing: that is the point.
    }

    /// <param name="input"><c>(B, T, D)</c> → pooled <c>(B, D)</c>.</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var weights = functional.softmax(score.call(input).squeeze(-1), 1);                 // (B, T)
        return weights.unsqueeze(1).bmm(input).squeeze(1).MoveToOuterDisposeScope();       // (B, D)
    }
}

/// <summary>The seed's code of questions 6 and 8, translated line by line, bugs included, to be run and compared.</summary>
public static class SeedCode
{
    /// <summary>The "large negative number" that the masking idiom <c>masked_fill(mask, -1e9)</c> uses instead of −∞.</summary>
    public const double LargeNegative = -1e9;

    /// <summary>
    /// The seed's weighted sum <c>torch.sum(attn_weights * input_sequence, dim=1)</c> with <c>attn_weights (B, T)</c> and
    /// <c>input_sequence (B, T, H)</c>. The shapes align from the right, so the weights act as <c>(1, B, T)</c>: it throws
    /// unless B ∈ {1, T} and T = H, and then it silently computes something else (for one sequence of length H, say).
    /// Correct: <c>(B, T, 1)</c> weights.
    /// </summary>
    public static Tensor SeedWeightedSum(Tensor attentionWeights, Tensor inputSequence)
    {
        using var product = attentionWeights * inputSequence;                               // (B, T) broadcasts as (1, B, T)
        return product.sum(1);
    }

    /// <summary>Masking with the "large negative number" idiom, <c>scores.masked_fill(mask, −1e9)</c>, then softmax.</summary>
    public static Tensor SoftmaxWithLargeNegative(Tensor scores, Tensor allowed)
    {
        using var masked = scores.masked_fill(allowed.logical_not(), LargeNegative);
        return functional.softmax(masked, -1);
    }

    /// <summary>Masking with −∞ and a plain softmax: a fully masked row becomes NaN.</summary>
    public static Tensor SoftmaxWithNegativeInfinity(Tensor scores, Tensor allowed)
    {
        using var masked = scores.masked_fill(allowed.logical_not(), double.NegativeInfinity);
        return functional.softmax(masked, -1);
    }
}
