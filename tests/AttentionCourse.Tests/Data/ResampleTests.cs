using AttentionCourse.Data;

namespace AttentionCourse.Tests.Data;

public class ResampleTests
{
    [Fact]
    public void WithMinorityShare_KeepsEveryMajorityExample_AndDrawsJustEnoughMinority()
    {
        // 658 of class 0 and 342 of class 1, as the Fine Food test split (great = 0 here): 5 % of class 1 needs 35.
        var labels = Enumerable.Repeat(0L, 658).Concat(Enumerable.Repeat(1L, 342)).ToArray();
        var rows = Resample.WithMinorityShare(labels, minorityClass: 1, minorityShare: 0.05, seed: 3);
        Assert.Equal(658 + 35, rows.Length);
        Assert.Equal(35, rows.Count(i => labels[i] == 1));
        Assert.Equal(rows.Order(), rows);                                   // original order
        Assert.Equal(rows, Resample.WithMinorityShare(labels, 1, 0.05, seed: 3));
        Assert.NotEqual(rows, Resample.WithMinorityShare(labels, 1, 0.05, seed: 4));
        TestSupport.AssertArgumentError(() => Resample.WithMinorityShare(labels, 1, 0.5, 3), "minorityShare", "658", "342");
        TestSupport.AssertArgumentError(() => Resample.WithMinorityShare(labels, 1, 1.0, 3), "minorityShare", "(0, 1)");
    }
}
