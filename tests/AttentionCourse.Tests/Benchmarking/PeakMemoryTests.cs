using AttentionCourse.Benchmarking;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Benchmarking;

public class PeakMemoryTests
{
    [Fact]
    public void ATemporaryOf64MiB_IsSeen_AndNothingIsSeenAsLittle()
    {
        var big = PeakMemory.Measure(() =>
        {
            using var t = ones(16L << 20);                                                     // 16 Mi floats = 64 MiB, touched
            t.sum().Dispose();
        });
        var small = PeakMemory.Measure(() => { using var t = ones(16); });
        Assert.InRange(big.ExtraMib, 60, 200);
        Assert.InRange(small.ExtraMib, 0, 16);
        Assert.Equal(OperatingSystem.IsLinux(), big.Exact);
    }

    [Fact]
    public void TheResultIsReturned()
    {
        var (memory, value) = PeakMemory.Measure(() => 42);
        Assert.Equal(42, value);
        Assert.True(memory.ExtraBytes >= 0);
    }
}
