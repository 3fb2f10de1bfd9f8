using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// Low-rank attention (Linformer, Wang et al. 2020): learned projections <c>E, F (k × n)</c> compress keys and
/// values along the sequence from length n to k, so each query meets k summaries instead of n keys:
/// O(T · k) time and memory. Shared across heads. Sequences up to <see cref="MaxLength"/> n are accepted; a shorter
/// one uses the first T columns of E and F. Not causal: a summary mixes every position.
/// </summary>
public sealed class LinformerAttention : Module<Tensor, Tensor, Tensor, Tensor?, Tensor>
{
    private readonly Parameter keyProjection;
    private readonly Parameter valueProjection;

    /// <param name="maxLength">n, the longest sequence accepted.</param>
    /// <param name="projectedLength">k ≤ n, the number of key/value summaries.</param>
    public LinformerAttention(long maxLength, long projectedLength) : base(nameof(LinformerAttention))
    {
        Check.AtLeast(maxLength, 1, nameof(maxLength));
        Check.AtLeast(projectedLength, 1, nameof(projectedLength));
        if (projectedLength > maxLength)
            throw new ArgumentException($"projectedLength must be at most maxLength ({maxLength}); got {projectedLength}.", nameof(projectedLength));
        MaxLength = maxLength;
        ProjectedLength = projectedLength;
        // N(0, 1/k) as in the paper's initialisation of E and F.
        keyProjection = Parameter(randn(projectedLength, maxLength) / Math.Sqrt(projectedLength));
        valueProjection = Parameter(randn(projectedLength, maxLength) / Math.Sqrt(projectedLength));
        RegisterComponents();
    }

    public long MaxLength { get; }
    public long ProjectedLength { get; }

    /// <summary>E, the <c>(k, n)</c> key projection.</summary>
    public Parameter KeyProjection => keyProjection;
    /// <summary>F, the <c>(k, n)</c> value projection.</summary>
    public Parameter ValueProjection => valueProjection;

    /// <param name="query"><c>(B, H, T, D)</c>.</param>
    /// <param name="key"><c>(B, H, S, D)</c> with S ≤ n.</param>
    /// <param name="value"><c>(B, H, S, Dv)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, S)</c> Bool, true = padded (zeroed before projection).</param>
    /// <returns><c>(B, H, T, Dv)</c>.</returns>
    public override Tensor forward(Tensor query, Tensor key, Tensor value, Tensor? keyPadding = null)
    {
        ChunkedAttention.CheckInputs(query, key, value, keyPadding);
        long B = query.shape[0], S = key.shape[2];
        if (S > MaxLength)
            throw new ArgumentException($"key length must be at most maxLength ({MaxLength}); got {S}. Build the layer with a larger maxLength.", nameof(key));
        using var scope = NewDisposeScope();
        var e = keyProjection.narrow(1, 0, S);                                             // (k, S)
        var f = valueProjection.narrow(1, 0, S);                                           // (k, S)
        if (keyPadding is not null)
        {
            var real = keyPadding.logical_not().to_type(key.dtype).view(B, 1, S, 1);      // (B, 1, S, 1)
            key = key * real;
            value = value * real;
        }
        var projectedKey = e.matmul(key);                                                  // (B, H, k, D)
        var projectedValue = f.matmul(value);                                              // (B, H, k, Dv)
        return functional.scaled_dot_product_attention(query, projectedKey, projectedValue).MoveToOuterDisposeScope(); // (B, H, T, Dv)
    }
}
