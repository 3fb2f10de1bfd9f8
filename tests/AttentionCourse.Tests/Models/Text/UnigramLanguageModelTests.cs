using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Models.Text;

public class UnigramLanguageModelTests
{
    [Fact]
    public void Fit_CountsEveryTokenWithAddAlphaSmoothing_AsComputedByHand()
    {
        // Counts over both sequences: token 0 once, 1 twice, 2 once; α = 0.5, V = 3 → (1.5, 2.5, 1.5) / 5.5.
        using var model = UnigramLanguageModel.Fit(new[] { tensor(new long[] { 0, 1, 1 }), tensor(new long[] { 2 }) }, 3, smoothing: 0.5);
        var expected = new[] { Math.Log(1.5 / 5.5), Math.Log(2.5 / 5.5), Math.Log(1.5 / 5.5) };
        var actual = model.LogProbabilities.data<double>().ToArray();
        for (int c = 0; c < 3; c++) Assert.Equal(expected[c], actual[c], 12);
        Assert.Equal(-(Math.Log(2.5 / 5.5) + Math.Log(1.5 / 5.5)) / 2, model.CrossEntropy(tensor(new long[,] { { 1 }, { 0 } })), 12);
    }

    [Fact]
    public void Fit_RejectsANonPositiveSmoothing()
    {
        var error = Assert.Throws<ArgumentException>(() => UnigramLanguageModel.Fit(new[] { tensor(new long[] { 0 }) }, 2, smoothing: 0));
        Assert.Equal("smoothing", error.ParamName);
    }
}
