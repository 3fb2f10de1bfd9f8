using AttentionCourse.Data;
using AttentionCourse.Exercises;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

/// <summary>Lesson 01's exercise references against plain loops in float64.</summary>
public class Lesson01Tests
{
    [Fact]
    public void BoxcarLeaveOneOutErrors_AverageTheOtherPointsInsideTheWindow_OrTakeTheNearestOtherPointWhenItIsEmpty()
    {
        using var data = KernelRegressionData.Generate(trainCount: 20, testCount: 3, noise: 0.5, seed: 3);
        var x = data.TrainX.data<float>().ToArray(); var y = data.TrainY.data<float>().ToArray();
        var halfWidths = new[] { 0.02, 0.3, 1.0 };   // 0.02: narrow enough that some points have no other point in their window
        var expected = halfWidths.Select(h => Enumerable.Range(0, x.Length).Average(i =>
        {
            var inside = Enumerable.Range(0, x.Length).Where(j => j != i && Math.Abs(x[i] - x[j]) <= h).ToList();
            int nearest = Enumerable.Range(0, x.Length).Where(j => j != i).MinBy(j => Math.Abs(x[i] - x[j]));
            double prediction = inside.Count == 0 ? y[nearest] : inside.Average(j => (double)y[j]);
            return (prediction - y[i]) * (prediction - y[i]);
        })).ToArray();
        bool someEmpty = Enumerable.Range(0, x.Length).Any(i => Enumerable.Range(0, x.Length).All(j => j == i || Math.Abs(x[i] - x[j]) > 0.02));
        Assert.True(someEmpty);

        var actual = Lesson01.BoxcarLeaveOneOutErrors(data, halfWidths).data<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        for (int g = 0; g < expected.Length; g++) Assert.Equal(expected[g], actual[g], 1e-5);
    }

    [Fact]
    public void BoxcarLeaveOneOutErrors_RejectANonPositiveWidth()
    {
        using var data = KernelRegressionData.Generate(trainCount: 5, testCount: 3, noise: 0.5, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => Lesson01.BoxcarLeaveOneOutErrors(data, new[] { 0.5, 0 }));
        Assert.Equal("halfWidths", error.ParamName);
    }

    [Fact]
    public void SelfTopShare_CountsRowsWhoseLargestProjectedScoreIsOnTheTokenItself()
    {
        using var tokenGenerator = new Generator(11);
        var distinct = randn(new long[] { 3, 3 }, generator: tokenGenerator);
        var tokens = cat(new[] { distinct, distinct[0].unsqueeze(0) });           // (4, 3): row 3 is row 0's twin, as "the" in the lesson
        var same = new bool[4, 4];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) same[i, j] = i == j || (i % 3 == 0 && j % 3 == 0);
        var sameToken = tensor(Enumerable.Range(0, 16).Select(n => same[n / 4, n % 4]).ToArray()).reshape(4, 4);
        int draws = 50;
        using var generator = new Generator(7);
        var wq = randn(new long[] { draws, 3, 3 }, generator: generator).to_type(ScalarType.Float64);
        var wk = randn(new long[] { draws, 3, 3 }, generator: generator).to_type(ScalarType.Float64);
        var x = tokens.to_type(ScalarType.Float64);
        int hits = 0;
        for (int n = 0; n < draws; n++)
            for (int i = 0; i < 4; i++)
            {
                double Score(int j)
                {
                    double total = 0;
                    for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) for (int c = 0; c < 3; c++)
                        total += x[i, a].item<double>() * wq[n, a, c].item<double>() * x[j, b].item<double>() * wk[n, b, c].item<double>();
                    return total;
                }
                int best = Enumerable.Range(0, 4).MaxBy(Score);
                if (same[i, best]) hits++;
            }

        double actual = Lesson01.SelfTopShare(tokens, sameToken, draws, 7);

        Assert.Equal(hits / (4.0 * draws), actual, 1e-12);
    }

    [Fact]
    public void SelfTopShare_RejectsNoDraws()
    {
        using var tokens = randn(3, 2);
        var error = Assert.Throws<ArgumentException>(() => Lesson01.SelfTopShare(tokens, eye(3, dtype: ScalarType.Bool), 0, 1));
        Assert.Equal("draws", error.ParamName);
    }
}
