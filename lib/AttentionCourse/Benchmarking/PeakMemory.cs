using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AttentionCourse.Benchmarking;

/// <summary>A memory measurement: how far the memory held by the process rose above where it started, at its peak.</summary>
/// <param name="ExtraBytes">Peak bytes during the call minus bytes just before it.</param>
/// <param name="Method">How it was measured (see <see cref="PeakMemory"/>).</param>
public sealed record MemoryUse(long ExtraBytes, string Method)
{
    public double ExtraMib => ExtraBytes / (double)(1 << 20);
    public override string ToString() => $"{ExtraMib:F1} MiB ({Method})";
}

/// <summary>
/// Peak memory of one call, measured in this process. Two readings are taken and the larger kept, because each can only
/// miss memory, never invent it:
/// <list type="bullet">
/// <item>the kernel's high-water mark of resident memory (Linux: the heap's free pages are returned first with
/// <c>malloc_trim</c>, the mark is reset through <c>/proc/self/clear_refs</c>, then read from <c>VmHWM</c>) — exact for new
/// pages, blind to freed memory the allocator kept and hands out again;</item>
/// <item>the bytes the program holds from the allocator (glibc's <c>mallinfo2</c>: heap in use plus mapped blocks),
/// sampled about every millisecond on another thread — blind to reuse problems, but it can miss a peak shorter than
/// a sample.</item>
/// </list>
/// Elsewhere than Linux the resident set (<see cref="Process.WorkingSet64"/>) is sampled instead. Either way it counts
/// everything the call allocates (tensors, LibTorch's workspace), which is what a memory budget is about; a tensor the call
/// returns is part of it.
/// </summary>
public static class PeakMemory
{
    private static int warmedUp;

    /// <summary>Runs <paramref name="run"/> once and reports how much memory it added at its peak.</summary>
    public static (MemoryUse memory, T result) Measure<T>(Func<T> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        // The first measurement in a process pays for JIT compilation and the sampler thread's first stack pages (≈ 4 MiB):
        // pay it once, on nothing.
        if (Interlocked.Exchange(ref warmedUp, 1) == 0) Measure(() => 0);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        bool linux = OperatingSystem.IsLinux();
        bool highWaterMark = linux && TryResetHighWaterMark();
        bool allocator = linux && TryAllocatorBytes(out _);
        Func<long> sample = allocator ? () => TryAllocatorBytes(out long b) ? b : 0 : ResidentBytes;
        long rssBefore = highWaterMark ? StatusKilobytes("VmRSS") * 1024 : 0;
        long sampledBefore = sample(), sampledPeak = sampledBefore;
        bool done = false;
        var sampler = new Thread(() =>
        {
            while (!Volatile.Read(ref done))
            {
                long now = sample();
                if (now > Interlocked.Read(ref sampledPeak)) Interlocked.Exchange(ref sampledPeak, now);
                Thread.Sleep(1);
            }
        }) { IsBackground = true, Name = "PeakMemory sampler" };
        sampler.Start();
        T result;
        try { result = run(); }
        finally
        {
            Volatile.Write(ref done, true);
            sampler.Join();
        }
        long sampledAfter = sample();
        long sampledExtra = Math.Max(0, Math.Max(Interlocked.Read(ref sampledPeak), sampledAfter) - sampledBefore);
        long rssExtra = highWaterMark ? Math.Max(0, StatusKilobytes("VmHWM") * 1024 - rssBefore) : 0;
        string method = highWaterMark
            ? (rssExtra >= sampledExtra ? "resident high-water mark" : allocator ? "allocator bytes in use, sampled" : "resident set, sampled")
            : allocator ? "allocator bytes in use, sampled" : "resident set, sampled";
        return (new MemoryUse(Math.Max(rssExtra, sampledExtra), method), result);
    }

    /// <summary>Runs <paramref name="run"/> once and reports how much memory it added at its peak.</summary>
    public static MemoryUse Measure(Action run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Measure(() => { run(); return 0; }).memory;
    }

    private static long ResidentBytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
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

    /// <summary>Bytes the program holds from glibc's allocator: in-use heap chunks plus mmapped blocks.</summary>
    private static bool TryAllocatorBytes(out long bytes)
    {
        try
        {
            var info = MallInfo2();
            bytes = (long)(info.uordblks + info.hblkhd);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            bytes = 0;
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallocInfo
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallocInfo MallInfo2();

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(UIntPtr pad);

    private static long StatusKilobytes(string field) =>
        long.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..].Trim().Split(' ')[0]);
}
