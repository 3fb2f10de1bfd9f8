using AttentionCourse.Benchmarking;

namespace AttentionCourse.Tests.Benchmarking;

[Collection(ProcessWideMeasurements.Name)]
public class SteadyAllocatorTests
{
    [Fact]
    public void Pin_FixesGlibcsThresholds_OnceAndForAll()
    {
        if (!OperatingSystem.IsLinux()) { Assert.False(SteadyAllocator.Pin()); return; }
        // mallopt returns 1 only for a known parameter with an allowed value: a wrong parameter id, or the two ids swapped
        // (a 64 MiB mapping threshold is above glibc's 32 MiB maximum), makes Pin return false. What pinning does to page
        // faults and timings is measured in notebook 12 (written-out attention at T = 512: 0 faults and 1.3–1.8 ms per call
        // pinned, 512–1,024 faults and 8–14 ms in some calls unpinned); in this test host the pattern of faults varies with
        // the other tests' allocations, so it is not asserted here.
        Assert.True(SteadyAllocator.Pin(), "mallopt refused the thresholds");
        Assert.True(SteadyAllocator.IsPinned);
        Assert.True(SteadyAllocator.Pin(), "a second call keeps it pinned");
        Assert.Equal(2 * SteadyAllocator.MappingThresholdBytes, SteadyAllocator.TrimThresholdBytes);
    }
}
