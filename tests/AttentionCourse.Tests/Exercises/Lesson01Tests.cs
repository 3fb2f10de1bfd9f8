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

    [Fact]
    public void BatchedMaskedAttention_MatchesLoopsOverBatchHeadsAndQueries_WithPaddingAndABottomRightCausalMask()
    {
        using var generator = new Generator(5);
        long B = 2, H = 2, T = 2, S = 4, D = 3;
        var q = randn(new long[] { B, H, T, D }, generator: generator);
        var k = randn(new long[] { B, H, S, D }, generator: generator);
        var v = randn(new long[] { B, H, S, 2 }, generator: generator);
        var padded = new[] { new[] { false, false, false, true }, new[] { true, true, true, true } };   // batch 1: every key padded
        var keyPadding = tensor(padded.SelectMany(r => r).ToArray()).reshape(B, S);
        var actual = Lesson01.BatchedMaskedAttention(q, k, v, keyPadding, causal: true).to_type(ScalarType.Float64);
        var (qd, kd, vd) = (q.to_type(ScalarType.Float64), k.to_type(ScalarType.Float64), v.to_type(ScalarType.Float64));
        for (int b = 0; b < B; b++) for (int h = 0; h < H; h++) for (int i = 0; i < T; i++)
        {
            var keys = Enumerable.Range(0, (int)S).Where(j => !padded[b][j] && j <= i + (S - T)).ToList();
            var scores = keys.Select(j => Enumerable.Range(0, (int)D).Sum(c => qd[b, h, i, c].item<double>() * kd[b, h, j, c].item<double>()) / Math.Sqrt(D)).ToArray();
            double max = scores.Length == 0 ? 0 : scores.Max();
            var w = scores.Select(x => Math.Exp(x - max)).ToArray(); double sum = w.Sum();
            for (int c = 0; c < 2; c++)
            {
                double expected = keys.Count == 0 ? 0 : keys.Select((j, n) => w[n] / sum * vd[b, h, j, c].item<double>()).Sum();
                Assert.Equal(expected, actual[b, h, i, c].item<double>(), 1e-5);
            }
        }
    }
}
