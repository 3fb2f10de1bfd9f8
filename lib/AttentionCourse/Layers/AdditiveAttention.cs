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
        var (context, weights) = Attend(query, ProjectKeys(key), value, keyPadding);
        return scope.MoveToOuter(context, weights);
    }

    /// <summary>
    /// <c>W_k k + b</c> <c>(B, S, A)</c>: the key half of the score. A decoder that attends to the same encoder outputs at
    /// every step computes it once per sequence and passes it to <see cref="Attend"/>, instead of once per step.
    /// </summary>
    public Tensor ProjectKeys(Tensor key)
    {
        Check.Size(key, (int)key.dim() - 1, KeyDim, nameof(key), "keyDim");
        return keyProjection.call(key);
    }

    /// <summary>The same as <see cref="forward"/> with the keys already projected by <see cref="ProjectKeys"/>.</summary>
    /// <param name="query"><c>(B, T, Dq)</c>.</param>
    /// <param name="projectedKeys"><c>(B, S, A)</c> from <see cref="ProjectKeys"/>.</param>
    /// <param name="value"><c>(B, S, Dv)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, S)</c> Bool, true = padded.</param>
    public (Tensor context, Tensor weights) Attend(Tensor query, Tensor projectedKeys, Tensor value, Tensor? keyPadding = null)
    {
        Check.Rank(query, 3, nameof(query), "(batch, queries, queryDim)");
        Check.Size(query, 2, QueryDim, nameof(query), "queryDim");
        Check.Rank(projectedKeys, 3, nameof(projectedKeys), "(batch, keys, attentionDim)");
        Check.Size(projectedKeys, 2, scoreVector.shape[0], nameof(projectedKeys), "attentionDim");
        Check.Size(projectedKeys, 0, query.shape[0], nameof(projectedKeys), "batch, must match query");
        Check.Size(value, 1, projectedKeys.shape[1], nameof(value), "keys, must match projectedKeys");
        Check.BoolMask(keyPadding, new[] { query.shape[0], projectedKeys.shape[1] }, nameof(keyPadding), "(batch, keys), true = padded");
        using var scope = NewDisposeScope();
        var q = queryProjection.call(query).unsqueeze(2);                                  // (B, T, 1, A)
        var k = projectedKeys.unsqueeze(1);                                                // (B, 1, S, A)
        var scores = (q + k).tanh().matmul(scoreVector);                                    // (B, T, S)
        var allowed = keyPadding?.logical_not().unsqueeze(1);                               // (B, 1, S)
        var weights = Attention.MaskedSoftmax(scores, allowed);                             // (B, T, S)
        var context = weights.bmm(value);                                                   // (B, T, Dv)
        return scope.MoveToOuter(context, weights);
    }
}
