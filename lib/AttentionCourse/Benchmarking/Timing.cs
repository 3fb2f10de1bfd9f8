using System.Diagnostics;
using static TorchSharp.torch;

namespace AttentionCourse.Benchmarking;

/// <summary>A timing: the median and spread of repeated runs, in milliseconds.</summary>
public sealed record Timing(string Name, double MedianMilliseconds, double MinMilliseconds, double MaxMilliseconds, int Repetitions)
{
    public override string ToString() => $"{Name}: median {MedianMilliseconds:F2} ms (min {MinMilliseconds:F2}, max {MaxMilliseconds:F2}, n={Repetitions})";
}

/// <summary>
/// Wall-clock timing of TorchSharp code. Compare configurations as ratios measured in the same process, one after
/// the other: absolute times on a shared 2-core machine move by ±15 %.
/// </summary>
public static class Timer
{
    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times untimed, then <paramref name="repetitions"/> times timed;
    /// every run is inside its own dispose scope and without autograd.</summary>
    public static Timing Measure(string name, Action action, int repetitions = 10, int warmup = 2)
        => Compare(new[] { (name, action) }, repetitions, warmup)[0];

    /// <summary>Times several actions interleaved (A, B, C, A, B, C, …) so drift in machine load hits all of them alike.
    /// Autograd is off unless <paramref name="withGradients"/> (timing training steps).</summary>
    public static IReadOnlyList<Timing> Compare(IReadOnlyList<(string name, Action action)> actions, int repetitions = 10, int warmup = 2, bool withGradients = false)
    {
        Layers.Check.AtLeast(repetitions, 1, nameof(repetitions));
        var samples = actions.Select(_ => new List<double>()).ToArray();
        for (int i = -warmup; i < repetitions; i++)
            for (int a = 0; a < actions.Count; a++)
            {
                using var scope = NewDisposeScope();
                using var noGrad = withGradients ? null : no_grad();
                var clock = Stopwatch.StartNew();
                actions[a].action();
                if (i >= 0) samples[a].Add(clock.Elapsed.TotalMilliseconds);
            }
        return actions.Select((x, a) =>
        {
            var s = samples[a].Order().ToArray();
            double median = s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
            return new Timing(x.name, median, s[0], s[^1], s.Length);
        }).ToArray();
    }
}
