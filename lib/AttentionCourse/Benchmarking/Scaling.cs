namespace AttentionCourse.Benchmarking;

/// <summary>How a cost grows with size: the exponent of a power law fitted to measurements.</summary>
public static class Scaling
{
    /// <summary>
    /// The least-squares slope of log(<paramref name="costs"/>) against log(<paramref name="sizes"/>): 1 for a cost that
    /// doubles when the size doubles, 2 for one that quadruples. Any base of logarithm gives the same slope.
    /// </summary>
    public static double LogLogSlope(IReadOnlyList<double> sizes, IReadOnlyList<double> costs)
    {
        if (sizes.Count != costs.Count)
            throw new ArgumentException($"costs must have one value per size ({sizes.Count}); got {costs.Count}.", nameof(costs));
        if (sizes.Count < 2) throw new ArgumentException($"sizes must hold at least 2 values; got {sizes.Count}.", nameof(sizes));
        for (int i = 0; i < sizes.Count; i++)
            if (!(sizes[i] > 0) || !(costs[i] > 0))
                throw new ArgumentException($"sizes and costs must be positive (logarithms); got size {sizes[i]}, cost {costs[i]} at index {i}.", nameof(costs));
        var x = sizes.Select(s => Math.Log(s)).ToArray();
        var y = costs.Select(c => Math.Log(c)).ToArray();
        double mx = x.Average(), my = y.Average();
        double sxx = x.Sum(v => (v - mx) * (v - mx));
        if (sxx == 0) throw new ArgumentException("sizes must not all be equal.", nameof(sizes));
        return x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / sxx;
    }
}
