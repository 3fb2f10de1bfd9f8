using AttentionCourse.Layers;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers and hints for lesson 12's exercises (reducing attention's cost).</summary>
public static class Lesson12
{
    /// <summary>Relative error of an approximate attention output: ‖output − exact‖ / ‖exact‖ (Frobenius norms, float64).</summary>
    public static double RelativeError(Tensor output, Tensor exact)
    {
        using var scope = NewDisposeScope();
        var o = output.detach().to_type(ScalarType.Float64);
        var e = exact.detach().to_type(ScalarType.Float64);
        return (o - e).norm().item<double>() / e.norm().item<double>();
    }

    /// <summary>Exercise 1: how many (query, key) pairs a sliding window of ±<paramref name="window"/> scores over
    /// <paramref name="length"/> positions, the window clipped at both ends — counted pair by pair.</summary>
    public static long WindowPairs(long length, long window)
    {
        Check.AtLeast(length, 1, nameof(length));
        Check.AtLeast(window, 0, nameof(window));
        long pairs = 0;
        for (long i = 0; i < length; i++)
            for (long j = Math.Max(0, i - window); j <= Math.Min(length - 1, i + window); j++) pairs++;
        return pairs;
    }

    /// <summary>Exercise 2: top-k attention through the library, the reference for the learner's written-out version.</summary>
    public static Tensor TopK(Tensor query, Tensor key, Tensor value, long k) => TopKAttention.Forward(query, key, value, k).output;

    /// <summary>Exercise 3: the longest sequence for which <see cref="AttentionPlanner.Choose"/> keeps written-out exact attention
    /// (self-attention, the default maximum exact length), found by bisection over T.</summary>
    public static long LongestExactLength(long batch, long heads, long headDim, long memoryBudgetBytes)
    {
        bool Exact(long t)
        {
            try { return AttentionPlanner.Choose(batch, heads, t, headDim, memoryBudgetBytes).Kind == AttentionKind.Exact; }
            catch (ArgumentException) { return false; }                                    // not even chunked attention fits: not exact either
        }
        if (!Exact(1)) return 0;
        long low = 1, high = AttentionPlanner.DefaultMaxExactLength;                         // Exact(low) holds; above the default maxExactLength it never does
        if (Exact(high)) return high;
        while (high - low > 1)
        {
            long mid = (low + high) / 2;
            if (Exact(mid)) low = mid; else high = mid;
        }
        return low;
    }

    /// <summary>Hints shown by the exercise checks after a wrong answer (kept here so the check cells do not spell them out).</summary>
    public static string Hint(int exercise) => exercise switch
    {
        1 => "for each query i the window holds keys max(0, i − w) … min(T − 1, i + w); add up the counts (the two ends lose keys)",
        2 => "scores = q kᵀ/√d; the k-th largest score of each row is scores.topk(k).values[..., k − 1]; fill every score below it with −∞, softmax, multiply by v",
        3 => "call AttentionPlanner.Choose(1, 8, T, 64, budget) for growing T (or bisect) and keep the largest T whose plan.Kind is AttentionKind.Exact",
        _ => throw new ArgumentOutOfRangeException(nameof(exercise)),
    };
}
