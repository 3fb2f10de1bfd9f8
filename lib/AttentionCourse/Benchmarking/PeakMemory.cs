using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AttentionCourse.Benchmarking;

/// <summary>A memory measurement: how far the process's resident memory rose above where it started, at its peak.</summary>
/// <param name="ExtraBytes">Peak resident bytes during the call minus resident bytes just before it.</param>
/// <param name="Exact">True when read from the kernel's own high-water mark (Linux); false when sampled every millisecond.</param>
public sealed record MemoryUse(long ExtraBytes, bool Exact)
{
    public double ExtraMib => ExtraBytes / (double)(1 << 20);
    public override string ToString() => $"{ExtraMib:F1} MiB{(Exact ? "" : " (sampled)")}";
}

/// <summary>
/// Peak memory of one call, measured in this process. On Linux it is exact: the heap's free pages are first returned to
/// the system (<c>malloc_trim</c>), the kernel's high-water mark is reset (<c>/proc/self/clear_refs</c>), and the peak is
/// read from <c>VmHWM</c>. Elsewhere the resident set is sampled every millisecond on another thread (it can miss a
/// short-lived peak). Either way it counts everything the call allocates (tensors, LibTorch's workspace), which is what a
/// memory budget is about; a tensor the call returns is part of it.
/// </summary>
public static class PeakMemory
{
    /// <summary>Runs <paramref name="run"/> once and reports how much resident memory it added at its peak.</summary>
    public static (MemoryUse memory, T result) Measure<T>(Func<T> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (OperatingSystem.IsLinux() && TryResetHighWaterMark())
        {
            long before = StatusKilobytes("VmRSS");
            var result = run();
            long peak = StatusKilobytes("VmHWM");
            return (new MemoryUse(Math.Max(0, peak - before) * 1024, true), result);
        }
        return Sampled(run);
    }

    /// <summary>Runs <paramref name="run"/> once and reports how much resident memory it added at its peak.</summary>
    public static MemoryUse Measure(Action run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Measure(() => { run(); return 0; }).memory;
    }

    private static (MemoryUse, T) Sampled<T>(Func<T> run)
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        long before = process.WorkingSet64, peak = before;
        bool done = false;
        var sampler = new Thread(() =>
        {
            using var self = Process.GetCurrentProcess();
            while (!Volatile.Read(ref done))
            {
                self.Refresh();
                long now = self.WorkingSet64;
                if (now > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, now);
                Thread.Sleep(1);
            }
        }) { IsBackground = true };
        sampler.Start();
        T result;
        try { result = run(); }
        finally
        {
            Volatile.Write(ref done, true);
            sampler.Join();
        }
        return (new MemoryUse(Math.Max(0, Interlocked.Read(ref peak) - before), false), result);
    }

    private static bool TryResetHighWaterMark()
    {
        try
        {
            MallocTrim(UIntPtr.Zero);                                                   // free heap pages back to the kernel first
            File.WriteAllText("/proc/self/clear_refs", "5");                           // VmHWM := VmRSS
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(UIntPtr pad);

    private static long StatusKilobytes(string field) =>
        long.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..].Trim().Split(' ')[0]);
}
