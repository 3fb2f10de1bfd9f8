using AttentionCourse.Benchmarking;
using static TorchSharp.torch;
using Timer = AttentionCourse.Benchmarking.Timer;

namespace AttentionCourse.Tests.Benchmarking;

[Collection(ProcessWideMeasurements.Name)]
public class TimerTests
{
    [Fact]
    public void ProcessCpuTime_AgreesWithTheKernelsCountOfTheProcess_WhileWallTimeAlsoCountsSleeping()
    {
        // The reference: the runtime's process CPU time, read from /proc/self/stat on Linux (10 ms ticks). Both clocks count
        // every thread of the process, so whatever else runs in the test host (other threads, LibTorch's OpenMP workers
        // spin-waiting after a parallel operation — this test first asserted "≤ 15 ms of CPU per 40 ms sleep" and measured
        // 17–40 ms in the full test run) moves both alike; only a wrong clock id or struct layout makes them disagree.
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        double ours0 = Timer.ProcessCpuMilliseconds();
        self.Refresh();
        double reference0 = self.TotalProcessorTime.TotalMilliseconds;
        var a = randn(256, 256);
        for (int i = 0; i < 60; i++) a.mm(a).Dispose();                                      // ≈ 2 GFLOP: tens of ms of CPU
        Thread.Sleep(40);
        double ours = Timer.ProcessCpuMilliseconds() - ours0;
        self.Refresh();
        double reference = self.TotalProcessorTime.TotalMilliseconds - reference0;
        Assert.True(ours > 5, $"CPU {ours:F1} ms");
        Assert.InRange(ours - reference, -25, 25);                                           // two 10 ms ticks of the reference, and a margin

        var wall = Timer.Measure("sleep", () => Thread.Sleep(40), repetitions: 3, warmup: 0, clock: TimingClock.Wall);
        Assert.InRange(wall.MedianMilliseconds, 39, 400);
    }

    [Fact]
    public void ProcessCpuTime_CountsWork()
    {
        var a = randn(256, 256);
        var cpu = Timer.Measure("matmuls", () => { for (int i = 0; i < 400; i++) a.mm(a).Dispose(); }, repetitions: 3, warmup: 1, clock: TimingClock.ProcessCpu);
        var wall = Timer.Measure("matmuls", () => { for (int i = 0; i < 400; i++) a.mm(a).Dispose(); }, repetitions: 3, warmup: 1, clock: TimingClock.Wall);
        // 400 × 2·256³ = 13 GFLOP: at least a millisecond of CPU on any machine, and not wildly more CPU than wall time
        // allows for the machine's cores. With 10 products (about 2 ms of wall time here) the process's other threads — the
        // runtime's background JIT, the test host — added enough CPU to break the bound in 2 of 3 isolated runs
        // (CPU 7.8 ms, wall 2.2 ms); tens of milliseconds of work make that noise small beside the measurement. With 100 undisposed products a full
        // test run once read CPU 70.6 ms against wall 18.8 ms (finalizer threads freeing them, and 10 ms tick granularity):
        // each product is now disposed at once, and 400 of them take ~80 ms of wall time.
        Assert.True(cpu.MedianMilliseconds > 1, $"CPU {cpu.MedianMilliseconds:F1} ms");
        Assert.True(cpu.MedianMilliseconds < wall.MedianMilliseconds * (Environment.ProcessorCount + 1), $"CPU {cpu.MedianMilliseconds:F1} ms, wall {wall.MedianMilliseconds:F1} ms");
    }

    [Fact]
    public void ThreadCpuTime_CountsTheCallingThreadsWork_AndNotAnotherThreads()
    {
        if (!OperatingSystem.IsLinux()) return;                                              // the reference below is Linux's /proc
        // Independent reference for the calling thread: utime + stime in /proc/thread-self/stat (clock ticks, 10 ms).
        static double ReferenceThreadMilliseconds()
        {
            var fields = File.ReadAllText("/proc/thread-self/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return (long.Parse(fields[11]) + long.Parse(fields[12])) * 10.0;                 // fields 14 and 15 of stat(5), 100 ticks/s
        }
        static void Spin(double milliseconds)
        {
            double start = Timer.ThreadCpuMilliseconds();
            double x = 0;
            while (Timer.ThreadCpuMilliseconds() - start < milliseconds) x += Math.Sqrt(x + 1);
            GC.KeepAlive(x);
        }

        // Work on the calling thread: both clocks see it.
        double ours0 = Timer.ThreadCpuMilliseconds(), reference0 = ReferenceThreadMilliseconds();
        Spin(120);
        double ours = Timer.ThreadCpuMilliseconds() - ours0, reference = ReferenceThreadMilliseconds() - reference0;
        Assert.InRange(ours, 120, 400);
        Assert.InRange(ours - reference, -25, 25);                                           // two 10 ms ticks of the reference, and a margin

        // Work on another thread while this one waits: the process clock sees it, the calling thread's clock does not.
        double thread0 = Timer.ThreadCpuMilliseconds(), process0 = Timer.ProcessCpuMilliseconds();
        var worker = new Thread(() => Spin(80));
        worker.Start();
        worker.Join();
        double threadDelta = Timer.ThreadCpuMilliseconds() - thread0, processDelta = Timer.ProcessCpuMilliseconds() - process0;
        Assert.True(processDelta >= 80, $"process CPU {processDelta:F1} ms while another thread spun for 80 ms");
        Assert.True(threadDelta < 20, $"calling thread's CPU {threadDelta:F1} ms while it only waited");
    }
}
