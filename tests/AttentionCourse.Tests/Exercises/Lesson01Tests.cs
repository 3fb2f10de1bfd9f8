using AttentionCourse.Data;
using AttentionCourse.Exercises;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

/// <summary>Lesson 01's exercise references against plain loops in float64.</summary>
public class Lesson01Tests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.02)]   // narrow enough that some test points have no training point in their window
    public void BoxcarPredictions_AreTheMeanOfTheValuesInsideTheWindow_OrZeroWhenItIsEmpty(double halfWidth)
    {
        using var data = KernelRegressionData.Generate(trainCount: 20, testCount: 30, noise: 0.5, seed: 3);
        var x = data.TrainX.data<float>().ToArray(); var y = data.TrainY.data<float>().ToArray();
        var queries = data.TestX.data<float>().ToArray();
        var expected = queries.Select(q =>
        {
            var inside = Enumerable.Range(0, x.Length).Where(i => Math.Abs(q - x[i]) <= halfWidth).ToList();
            return inside.Count == 0 ? 0.0 : inside.Average(i => (double)y[i]);
        }).ToArray();
        if (halfWidth < 0.1) Assert.Contains(0.0, expected);

        var actual = Lesson01.BoxcarPredictions(data, halfWidth).data<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5);
    }

    [Fact]
    public void BoxcarPredictions_RejectANonPositiveWidth()
    {
        using var data = KernelRegressionData.Generate(trainCount: 5, testCount: 3, noise: 0.5, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => Lesson01.BoxcarPredictions(data, 0));
        Assert.Equal("halfWidth", error.ParamName);
    }

    [Fact]
    public void GaussianSelfAttention_UsesScoresMinusSquaredDistanceOverTwoRootD()
    {
        using var generator = new Generator(5);
        var tokens = randn(new long[] { 4, 9 }, generator: generator);
        var rows = Enumerable.Range(0, 4).Select(i => tokens[i].data<float>().Select(v => (double)v).ToArray()).ToArray();
        var expected = new double[4, 9];
        for (int i = 0; i < 4; i++)
        {
            var scores = rows.Select(r => -r.Zip(rows[i], (a, b) => (a - b) * (a - b)).Sum() / (2 * Math.Sqrt(9))).ToArray();
            var weights = scores.Select(s => Math.Exp(s - scores.Max())).ToArray();
            double total = weights.Sum();
            for (int c = 0; c < 9; c++) expected[i, c] = Enumerable.Range(0, 4).Sum(j => weights[j] / total * rows[j][c]);
        }

        var actual = Lesson01.GaussianSelfAttention(tokens);

        for (int i = 0; i < 4; i++)
            for (int c = 0; c < 9; c++) Assert.Equal(expected[i, c], actual[i, c].item<float>(), 1e-5);
    }
}
