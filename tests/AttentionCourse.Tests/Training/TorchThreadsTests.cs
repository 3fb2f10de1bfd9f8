using AttentionCourse.Training;
using TorchSharp;

namespace AttentionCourse.Tests.Training;

public class TorchThreadsTests
{
    [Fact]
    public void Limit_SetsTheThreadCount_AndRestoresTheEarlierOne_Once()
    {
        int before = torch.get_num_threads();
        int other = before == 1 ? 2 : 1;
        var limit = TorchThreads.Limit(other);
        Assert.Equal(other, torch.get_num_threads());
        using (TorchThreads.Limit(before)) Assert.Equal(before, torch.get_num_threads());   // nested: restores `other`
        Assert.Equal(other, torch.get_num_threads());
        limit.Dispose();
        Assert.Equal(before, torch.get_num_threads());
        torch.set_num_threads(other);
        limit.Dispose();                                                                      // a second Dispose restores nothing
        Assert.Equal(other, torch.get_num_threads());
        torch.set_num_threads(before);
    }

    [Fact]
    public void Limit_RejectsFewerThanOneThread()
        => TestSupport.AssertArgumentError(() => TorchThreads.Limit(0), "count", "0");
}
