using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>Luong's multiplicative score functions.</summary>
public enum LuongScore
{
    /// <summary><c>score = qᵀ k</c> (query and key widths must match; no parameters).</summary>
    Dot,
    /// <summary><c>score = qᵀ W k</c> with a learned <c>W</c>.</summary>
    General,
}

/// <summary>
/// Luong (multiplicative) attention: dot or general scores, softmax over keys, weighted sum of values.
/// </summary>
public sealed class LuongAttention : Module<Tensor, Tensor, Tensor, Tensor?, (Tensor context, Tensor weights)>
{
    private readonly Linear? general;

    /// <param name="queryDim">Width Dq of a query.</param>
    /// <param name="keyDim">Width Dk of a key (must equal <paramref name="queryDim"/> for <see cref="LuongScore.Dot"/>).</param>
    /// <param name="score">Dot or general.</param>
    public LuongAttention(long queryDim, long keyDim, LuongScore score = LuongScore.General) : base(nameof(LuongAttention))
    {
        Check.AtLeast(queryDim, 1, nameof(queryDim));
        Check.AtLeast(keyDim, 1, nameof(keyDim));
        if (score == LuongScore.Dot && queryDim != keyDim)
            throw new ArgumentException($"keyDim must equal queryDim ({queryDim}) for dot scores; got {keyDim}. Use LuongScore.General for different widths.", nameof(keyDim));
        QueryDim = queryDim;
        KeyDim = keyDim;
        Score = score;
        // general: q W k = q · (W k); a bias-free Linear(keyDim → queryDim) holds W.
        general = score == LuongScore.General ? Linear(keyDim, queryDim, hasBias: false) : null;
        RegisterComponents();
    }

    public long QueryDim { get; }
    public long KeyDim { get; }
    public LuongScore Score { get; }

    /// <param name="query"><c>(B, T, Dq)</c>.</param>
    /// <param name="key"><c>(B, S, Dk)</c>.</param>
    /// <param name="value"><c>(B, S, Dv)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, S)</c> Bool, true = padded.</param>
    /// <returns>context <c>(B, T, Dv)</c> and weights <c>(B, T, S)</c>.</returns>
    public override (Tensor context, Tensor weights) forward(Tensor query, Tensor key, Tensor value, Tensor? keyPadding = null)
    {
        Check.QueryKeyValue(query, key, value, QueryDim, KeyDim, keyPadding);
        using var scope = NewDisposeScope();
        var keys = general is null ? key : general.call(key);                               // (B, S, Dq)
        var scores = Attention.DotScores(query, keys);                                      // (B, T, S)
        var weights = Attention.MaskedSoftmax(scores, keyPadding?.logical_not().unsqueeze(1)); // (B, T, S)
        var context = weights.bmm(value);                                                   // (B, T, Dv)
        return scope.MoveToOuter(context, weights);
    }
}
