using AttentionCourse.Benchmarking;

namespace AttentionCourse.Tests.Benchmarking;

public class ScalingTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(0.5)]
    public void LogLogSlope_RecoversThePowerOfAPowerLaw(double power)
    {
        var sizes = new double[] { 256, 512, 1024, 4096 };
        Assert.Equal(power, Scaling.LogLogSlope(sizes, sizes.Select(s => 3.7 * Math.Pow(s, power)).ToArray()), 12);
    }

    [Fact]
    public void LogLogSlope_IsTheLeastSquaresFit()
    {
        // log2 sizes 1, 2, 3; log2 costs 1, 3, 4: slope = Σ(x−2)(y−8/3) / Σ(x−2)² = (5/3 + 0 + 4/3) / 2 = 1.5
        Assert.Equal(1.5, Scaling.LogLogSlope(new double[] { 2, 4, 8 }, new double[] { 2, 8, 16 }), 12);
    }

    [Fact]
    public void BadInput_IsNamed()
    {
        TestSupport.AssertArgumentError(() => Scaling.LogLogSlope(new double[] { 1, 2 }, new double[] { 1 }), "costs", "2", "1");
        TestSupport.AssertArgumentError(() => Scaling.LogLogSlope(new double[] { 1, 2 }, new double[] { 1, 0 }), "costs", "positive", "0");
        TestSupport.AssertArgumentError(() => Scaling.LogLogSlope(new double[] { 2, 2 }, new double[] { 1, 3 }), "sizes", "equal");
    }
}
