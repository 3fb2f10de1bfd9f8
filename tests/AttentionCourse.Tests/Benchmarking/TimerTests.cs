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
        var cpu = Timer.Measure("matmuls", () => { for (int i = 0; i < 10; i++) a.mm(a); }, repetitions: 3, warmup: 1, clock: TimingClock.ProcessCpu);
        var wall = Timer.Measure("matmuls", () => { for (int i = 0; i < 10; i++) a.mm(a); }, repetitions: 3, warmup: 1, clock: TimingClock.Wall);
        // 10 × 2·256³ = 0.34 GFLOP: at least a millisecond of CPU on any machine, and not wildly more CPU than wall time
        // allows for the machine's cores.
        Assert.True(cpu.MedianMilliseconds > 1, $"CPU {cpu.MedianMilliseconds:F1} ms");
        Assert.True(cpu.MedianMilliseconds < wall.MedianMilliseconds * (Environment.ProcessorCount + 1), $"CPU {cpu.MedianMilliseconds:F1} ms, wall {wall.MedianMilliseconds:F1} ms");
    }
}
