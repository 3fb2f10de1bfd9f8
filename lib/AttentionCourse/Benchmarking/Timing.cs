using System.Diagnostics;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace AttentionCourse.Benchmarking;

/// <summary>A timing: the median and spread of repeated runs, in milliseconds.</summary>
public sealed record Timing(string Name, double MedianMilliseconds, double MinMilliseconds, double MaxMilliseconds, int Repetitions)
{
    public override string ToString() => $"{Name}: median {MedianMilliseconds:F2} ms (min {MinMilliseconds:F2}, max {MaxMilliseconds:F2}, n={Repetitions})";
}

/// <summary>What a timing measures.</summary>
public enum TimingClock
{
    /// <summary>Elapsed wall-clock time: what a user waits, including time spent waiting for a core.</summary>
    Wall,
    /// <summary>CPU time of the whole process (every thread): what the computation costs, whatever else runs on the
    /// machine. With LibTorch on one thread it is close to the wall time on an idle machine; on a machine shared with other
    /// work it stays put while the wall time grows. Exact (nanoseconds) on Linux and macOS.</summary>
    ProcessCpu,
}

/// <summary>
/// Timing of TorchSharp code. Compare configurations as ratios measured in the same process, one after the other:
/// absolute wall-clock times on a shared 2-core machine move by ±15 % and more; process CPU time
/// (<see cref="TimingClock.ProcessCpu"/>) moves much less when other work competes for the cores.
/// </summary>
public static class Timer
{
    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times untimed, then <paramref name="repetitions"/> times timed;
    /// every run is inside its own dispose scope and without autograd.</summary>
    public static Timing Measure(string name, Action action, int repetitions = 10, int warmup = 2, TimingClock clock = TimingClock.Wall)
        => Compare(new[] { (name, action) }, repetitions, warmup, clock)[0];

    /// <summary>Times several actions interleaved (A, B, C, A, B, C, …) so drift in machine load hits all of them alike.
    /// Autograd is off unless <paramref name="withGradients"/> (timing training steps).</summary>
    public static IReadOnlyList<Timing> Compare(IReadOnlyList<(string name, Action action)> actions, int repetitions = 10, int warmup = 2,
        TimingClock clock = TimingClock.Wall, bool withGradients = false)
    {
        Layers.Check.AtLeast(repetitions, 1, nameof(repetitions));
        var samples = actions.Select(_ => new List<double>()).ToArray();
        for (int i = -warmup; i < repetitions; i++)
            for (int a = 0; a < actions.Count; a++)
            {
                using var scope = NewDisposeScope();
                using var noGrad = withGradients ? null : no_grad();
                double start = Now(clock);
                actions[a].action();
                if (i >= 0) samples[a].Add(Now(clock) - start);
            }
        return actions.Select((x, a) =>
        {
            var s = samples[a].Order().ToArray();
            double median = s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
            return new Timing(x.name, median, s[0], s[^1], s.Length);
        }).ToArray();
    }

    /// <summary>Milliseconds on the given clock, from an arbitrary origin.</summary>
    public static double Now(TimingClock clock) => clock == TimingClock.Wall
        ? Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency
        : ProcessCpuMilliseconds();

    /// <summary>CPU time used so far by every thread of this process, in milliseconds.</summary>
    public static double ProcessCpuMilliseconds()
    {
        // CLOCK_PROCESS_CPUTIME_ID is 2 on Linux and 12 on macOS; elsewhere the runtime's (coarser) process times.
        int id = OperatingSystem.IsLinux() ? 2 : OperatingSystem.IsMacOS() ? 12 : -1;
        if (id >= 0 && ClockGetTime(id, out var time) == 0) return time.Seconds * 1000.0 + time.Nanoseconds / 1e6;
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalMilliseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);
}
