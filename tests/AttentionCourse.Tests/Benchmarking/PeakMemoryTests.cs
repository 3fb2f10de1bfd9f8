using AttentionCourse.Benchmarking;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Benchmarking;

[Collection(ProcessWideMeasurements.Name)]
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
    }

    [Fact]
    public void MemoryTheAllocatorKeptAndHandsOutAgain_IsStillCounted()
    {
        // Allocate and free 24 MiB blocks until glibc keeps them in its heap (its mmap threshold rises after a free), then
        // measure one more: the resident set need not grow, the bytes in use do.
        for (int i = 0; i < 4; i++) using (var warm = ones(6L << 20)) warm.sum().Dispose();
        var again = PeakMemory.Measure(() => { using var t = ones(6L << 20); t.sum().Dispose(); });
        Assert.InRange(again.ExtraMib, 22, 100);
    }

    [Fact]
    public void TheResultIsReturned()
    {
        var (memory, value) = PeakMemory.Measure(() => 42);
        Assert.Equal(42, value);
        Assert.True(memory.ExtraBytes >= 0);
        Assert.False(string.IsNullOrEmpty(memory.Method));
    }
}
