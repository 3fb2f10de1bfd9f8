using AttentionCourse.Benchmarking;
using static TorchSharp.torch;
using Timer = AttentionCourse.Benchmarking.Timer;

namespace AttentionCourse.Tests.Benchmarking;

[Collection(ProcessWideMeasurements.Name)]
public class TimerTests
{
    [Fact]
    public void ProcessCpuTime_IgnoresWaiting_WallTimeDoesNot()
    {
        var wall = Timer.Measure("sleep", () => Thread.Sleep(40), repetitions: 3, warmup: 0, clock: TimingClock.Wall);
        var cpu = Timer.Measure("sleep", () => Thread.Sleep(40), repetitions: 3, warmup: 0, clock: TimingClock.ProcessCpu);
        Assert.InRange(wall.MedianMilliseconds, 39, 400);
        Assert.InRange(cpu.MedianMilliseconds, 0, 15);                                       // the runtime's own threads may tick a little
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
