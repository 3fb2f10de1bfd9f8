using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// Additive (Bahdanau) attention: <c>score(q, k) = vᵀ tanh(W_q q + W_k k)</c>, softmax over keys,
/// weighted sum of values. Query and key widths may differ.
/// </summary>
public sealed class AdditiveAttention : Module<Tensor, Tensor, Tensor, Tensor?, (Tensor context, Tensor weights)>
{
    private readonly Linear queryProjection;
    private readonly Linear keyProjection;
    private readonly Parameter scoreVector;

    /// <param name="queryDim">Width Dq of a query.</param>
    /// <param name="keyDim">Width Dk of a key.</param>
    /// <param name="attentionDim">Width A of the hidden layer where query and key are added.</param>
    public AdditiveAttention(long queryDim, long keyDim, long attentionDim) : base(nameof(AdditiveAttention))
    {
        Check.AtLeast(queryDim, 1, nameof(queryDim));
        Check.AtLeast(keyDim, 1, nameof(keyDim));
        Check.AtLeast(attentionDim, 1, nameof(attentionDim));
        QueryDim = queryDim;
        KeyDim = keyDim;
        queryProjection = Linear(queryDim, attentionDim, hasBias: false);
        keyProjection = Linear(keyDim, attentionDim, hasBias: true);
        scoreVector = Parameter(empty(attentionDim).uniform_(-1.0 / Math.Sqrt(attentionDim), 1.0 / Math.Sqrt(attentionDim)));
        RegisterComponents();
    }

    public long QueryDim { get; }
    public long KeyDim { get; }

    /// <param name="query"><c>(B, T, Dq)</c> (a decoder state per step; T = 1 when decoding one step).</param>
    /// <param name="key"><c>(B, S, Dk)</c>.</param>
    /// <param name="value"><c>(B, S, Dv)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, S)</c> Bool, true = padded.</param>
    /// <returns>context <c>(B, T, Dv)</c> and weights <c>(B, T, S)</c>.</returns>
    public override (Tensor context, Tensor weights) forward(Tensor query, Tensor key, Tensor value, Tensor? keyPadding = null)
    {
        Check.QueryKeyValue(query, key, value, QueryDim, KeyDim, keyPadding);
        using var scope = NewDisposeScope();
        var q = queryProjection.call(query).unsqueeze(2);                                  // (B, T, 1, A)
        var k = keyProjection.call(key).unsqueeze(1);                                      // (B, 1, S, A)
        var scores = (q + k).tanh().matmul(scoreVector);                                    // (B, T, S)
        var allowed = keyPadding?.logical_not().unsqueeze(1);                               // (B, 1, S)
        var weights = Attention.MaskedSoftmax(scores, allowed);                             // (B, T, S)
        var context = weights.bmm(value);                                                   // (B, T, Dv)
        return scope.MoveToOuter(context, weights);
    }
}
