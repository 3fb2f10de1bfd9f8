using AttentionCourse.Data;
using AttentionCourse.Exercises;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

/// <summary>Lesson 01's exercise references against plain loops in float64.</summary>
public class Lesson01Tests
{
    [Fact]
    public void BoxcarLeaveOneOutErrors_AverageTheOtherPointsInsideTheWindow_OrPredictZeroWhenItIsEmpty()
    {
        using var data = KernelRegressionData.Generate(trainCount: 20, testCount: 3, noise: 0.5, seed: 3);
        var x = data.TrainX.data<float>().ToArray(); var y = data.TrainY.data<float>().ToArray();
        var halfWidths = new[] { 0.02, 0.3, 1.0 };   // 0.02: narrow enough that some points have no other point in their window
        var expected = halfWidths.Select(h => Enumerable.Range(0, x.Length).Average(i =>
        {
            var inside = Enumerable.Range(0, x.Length).Where(j => j != i && Math.Abs(x[i] - x[j]) <= h).ToList();
            double prediction = inside.Count == 0 ? 0.0 : inside.Average(j => (double)y[j]);
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
    public void ProjectedSelfAttention_IsSoftmaxOfProjectedScoresOverRootDkTimesProjectedValues()
    {
        using var generator = new Generator(5);
        var tokens = randn(new long[] { 4, 6 }, generator: generator);
        var wq = randn(new long[] { 6, 3 }, generator: generator);
        var wk = randn(new long[] { 6, 3 }, generator: generator);
        var wv = randn(new long[] { 6, 2 }, generator: generator);
        double[,] M(Tensor t) { var r = new double[t.shape[0], t.shape[1]]; for (int i = 0; i < t.shape[0]; i++) for (int j = 0; j < t.shape[1]; j++) r[i, j] = t[i, j].item<float>(); return r; }
        double[,] Mul(double[,] a, double[,] b)
        {
            var r = new double[a.GetLength(0), b.GetLength(1)];
            for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < b.GetLength(1); j++) for (int k = 0; k < a.GetLength(1); k++) r[i, j] += a[i, k] * b[k, j];
            return r;
        }
        var x = M(tokens); var q = Mul(x, M(wq)); var k = Mul(x, M(wk)); var v = Mul(x, M(wv));
        var expected = new double[4, 2];
        for (int i = 0; i < 4; i++)
        {
            var scores = Enumerable.Range(0, 4).Select(j => Enumerable.Range(0, 3).Sum(c => q[i, c] * k[j, c]) / Math.Sqrt(3)).ToArray();
            var weights = scores.Select(s => Math.Exp(s - scores.Max())).ToArray();
            double total = weights.Sum();
            for (int c = 0; c < 2; c++) expected[i, c] = Enumerable.Range(0, 4).Sum(j => weights[j] / total * v[j, c]);
        }

        var actual = Lesson01.ProjectedSelfAttention(tokens, wq, wk, wv);

        Assert.Equal(new long[] { 4, 2 }, actual.shape);
        for (int i = 0; i < 4; i++)
            for (int c = 0; c < 2; c++) Assert.Equal(expected[i, c], actual[i, c].item<float>(), 1e-5);
    }
}
