using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// Nadaraya–Watson kernel regression as attention pooling over scalar keys:
/// <c>f(q) = Σᵢ softmax(−((q − kᵢ)·w)² / 2)ᵢ · vᵢ</c>. With <c>w</c> fixed this is the 1964 estimator
/// (a Gaussian kernel of bandwidth 1/w); with <c>w</c> learned it is the simplest trainable attention.
/// </summary>
public sealed class GaussianKernelAttention : Module<Tensor, Tensor, Tensor, (Tensor output, Tensor weights)>
{
    private readonly Parameter sharpness;

    /// <param name="initialSharpness">Initial <c>w</c> (inverse bandwidth).</param>
    /// <param name="learnable">Whether <c>w</c> is trained.</param>
    public GaussianKernelAttention(double initialSharpness = 1.0, bool learnable = true) : base(nameof(GaussianKernelAttention))
    {
        if (!(initialSharpness > 0))
            throw new ArgumentException($"initialSharpness must be positive; got {initialSharpness}.", nameof(initialSharpness));
        sharpness = Parameter(tensor(new[] { (float)initialSharpness }), requires_grad: learnable);
        RegisterComponents();
    }

    /// <summary>Current <c>w</c>.</summary>
    public double Sharpness => sharpness.ToDouble();

    /// <summary>Scores <c>−((q − k)·w)² / 2</c>: queries <c>(Q)</c>, keys <c>(Q, K)</c> → <c>(Q, K)</c>.</summary>
    public static Tensor Scores(Tensor queries, Tensor keys, Tensor sharpness)
    {
        using var difference = queries.unsqueeze(1) - keys;                                    // (Q, K)
        using var scaled = difference * sharpness;                                             // (Q, K)
        return scaled.square() / -2.0;                                                         // (Q, K)
    }

    /// <param name="queries"><c>(Q)</c> query positions.</param>
    /// <param name="keys"><c>(Q, K)</c> key positions seen by each query (a query may see a different set, e.g. leave-one-out).</param>
    /// <param name="values"><c>(Q, K)</c> values at those keys.</param>
    /// <returns>output <c>(Q)</c> and weights <c>(Q, K)</c>.</returns>
    public override (Tensor output, Tensor weights) forward(Tensor queries, Tensor keys, Tensor values)
    {
        Check.Rank(queries, 1, nameof(queries), "(queries)");
        Check.Rank(keys, 2, nameof(keys), "(queries, keys)");
        Check.Size(keys, 0, queries.shape[0], nameof(keys), "queries");
        Check.Rank(values, 2, nameof(values), "(queries, keys)");
        if (!values.shape.SequenceEqual(keys.shape))
            throw new ArgumentException($"values must have the shape of keys {Check.Describe(keys.shape)}; got {Check.Describe(values.shape)}.", nameof(values));
        Check.NonEmpty(keys, nameof(keys));
        using var scope = NewDisposeScope();
        var weights = functional.softmax(Scores(queries, keys, sharpness), -1);                // (Q, K)
        var output = (weights * values).sum(-1);                                               // (Q)
        return scope.MoveToOuter(output, weights);
    }
}
