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
    /// <summary>CPU time of the calling thread only. With LibTorch on one thread (<c>torch.set_num_threads(1)</c>) every
    /// operation runs on the calling thread, so this counts the computation and nothing else: not the host's other threads
    /// (a notebook kernel's JIT, GC and message loop), and not other processes. The steadiest clock for comparing
    /// lengths or methods on a busy machine; on more than one LibTorch thread it misses the workers' share — use
    /// <see cref="ProcessCpu"/> there. Exact on Linux and macOS; elsewhere it falls back to process CPU time.</summary>
    ThreadCpu,
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
        SteadyAllocator.Pin();
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
    public static double Now(TimingClock clock) => clock switch
    {
        TimingClock.Wall => Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency,
        TimingClock.ProcessCpu => ProcessCpuMilliseconds(),
        TimingClock.ThreadCpu => ThreadCpuMilliseconds(),
        _ => throw new ArgumentOutOfRangeException(nameof(clock), clock, "expected Wall, ProcessCpu or ThreadCpu"),
    };

    /// <summary>CPU time used so far by every thread of this process, in milliseconds.</summary>
    public static double ProcessCpuMilliseconds()
    {
        // CLOCK_PROCESS_CPUTIME_ID is 2 on Linux and 12 on macOS; elsewhere the runtime's (coarser) process times.
        if (ClockMilliseconds(linuxId: 2, macId: 12) is double milliseconds) return milliseconds;
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalMilliseconds;
    }

    /// <summary>CPU time used so far by the calling thread, in milliseconds (process CPU time where the OS clock is missing).</summary>
    public static double ThreadCpuMilliseconds()
    {
        // CLOCK_THREAD_CPUTIME_ID is 3 on Linux and 16 on macOS.
        return ClockMilliseconds(linuxId: 3, macId: 16) ?? ProcessCpuMilliseconds();
    }

    /// <summary>clock_gettime of the given clock, in milliseconds; null where the OS has no such clock or the call fails.</summary>
    private static double? ClockMilliseconds(int linuxId, int macId)
    {
        int id = OperatingSystem.IsLinux() ? linuxId : OperatingSystem.IsMacOS() ? macId : -1;
        return id >= 0 && ClockGetTime(id, out var time) == 0 ? time.Seconds * 1000.0 + time.Nanoseconds / 1e6 : null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds; public long Nanoseconds; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);
}

/// <summary>
/// Makes the C allocator's cost the same from one call to the next, so timings compare computation and not the history
/// of the heap. glibc (Linux) serves a large block either from its heap or from fresh pages of the kernel, and decides by
/// thresholds it moves at run time (a freed mapped block raises them; free memory at the top of the heap beyond the trim
/// threshold goes back to the kernel). Fresh pages fault in one by one, so a call that needs a few MiB of scratch — the
/// written-out attention's <c>T × T</c> weights — costs about 10× more in some runs than in others: measured on this
/// course's 2-core machine, written-out attention at <c>T = 512</c> (2 heads) took 1.5 ms in some runs of the same notebook
/// and 14 ms in others, which turned its time-vs-length slope (T = 256 → 1024) anywhere from 0.9 to 2.2 in four runs under load. <see cref="Pin"/> fixes the two
/// thresholds at the values glibc's own rule converges to after its first large free (blocks of 32 MiB and more mapped, free
/// heap above 64 MiB trimmed), so scratch of a few MiB is reused from the heap in every run. A block of 32 MiB or more is still mapped afresh on
/// every call — glibc allows no higher threshold — and its first touch faults every page in: written-out attention with
/// one head of width 32 took 3 faults and 14 ms per call at <c>T = 2048</c> (16 MiB matrices, pinned) and 49,160 faults —
/// its three 64 MiB matrices, page for page — and 700 ms at <c>T = 4096</c>. Elsewhere than Linux it does nothing.
/// </summary>
public static class SteadyAllocator
{
    /// <summary>glibc's largest allowed mapping threshold on 64-bit (<c>DEFAULT_MMAP_THRESHOLD_MAX</c>): 32 MiB.</summary>
    public const int MappingThresholdBytes = 32 << 20;
    /// <summary>Twice the mapping threshold, as glibc's dynamic rule sets it.</summary>
    public const int TrimThresholdBytes = 64 << 20;
    private const int MallocTrimThreshold = -1, MallocMmapThreshold = -3;                  // mallopt parameters, malloc.h
    private static int pinned;

    /// <summary>True once <see cref="Pin"/> has fixed the thresholds in this process.</summary>
    public static bool IsPinned => Volatile.Read(ref pinned) == 1;

    /// <summary>Fixes glibc's mapping and trim thresholds (once per process; later calls do nothing). Returns whether they are fixed.</summary>
    public static bool Pin()
    {
        if (!OperatingSystem.IsLinux()) return false;
        if (IsPinned) return true;
        try
        {
            bool ok = MallOpt(MallocMmapThreshold, MappingThresholdBytes) == 1 & MallOpt(MallocTrimThreshold, TrimThresholdBytes) == 1;
            if (ok) Volatile.Write(ref pinned, 1);
            return ok;
        }
        catch (EntryPointNotFoundException) { return false; }                               // a C library other than glibc (musl)
        catch (DllNotFoundException) { return false; }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);
}

