using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Exercises;

/// <summary>Lesson 30 (evaluating sequence outputs): the reference for its temperature-scaling exercise.</summary>
public static class Lesson30
{
    /// <summary>
    /// Temperature scaling (Guo et al. 2017, §4.2) by grid search: the temperature τ among <paramref name="grid"/> that
    /// minimises the mean cross-entropy of softmax(logits / τ) against <paramref name="labels"/> (the first on a tie).
    /// </summary>
    /// <param name="logits"><c>(N, V)</c> next-token logits.</param>
    /// <param name="labels"><c>(N)</c> Int64 true next tokens.</param>
    /// <param name="grid">Candidate temperatures, each &gt; 0.</param>
    public static double BestTemperature(Tensor logits, Tensor labels, IReadOnlyList<double> grid)
    {
        Layers.Check.Rank(logits, 2, nameof(logits), "(examples, classes)");
        Layers.Check.Rank(labels, 1, nameof(labels), "(examples)");
        Layers.Check.Size(labels, 0, logits.shape[0], nameof(labels), "examples, must match logits");
        ArgumentNullException.ThrowIfNull(grid);
        if (grid.Count == 0) throw new ArgumentException("grid must hold at least one temperature; got none.", nameof(grid));
        double best = double.NaN, bestLoss = double.PositiveInfinity;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z = logits.detach().to_type(ScalarType.Float64);
        foreach (var tau in grid)
        {
            if (!(tau > 0)) throw new ArgumentException($"every temperature must be > 0; got {tau}.", nameof(grid));
            double loss = functional.cross_entropy(z / tau, labels).item<double>();
            if (loss < bestLoss) { bestLoss = loss; best = tau; }
        }
        return best;
    }
}
