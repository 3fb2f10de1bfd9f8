using AttentionCourse.Metrics;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Metrics;

public class LanguageModelingTests
{
    [Fact]
    public void UniformGuess_HasPerplexityV_AndLog2VBits()
    {
        var logits = zeros(3, 4, 77);                                                         // uniform over 77 tokens
        var targets = randint(77, new long[] { 3, 4 });
        double ce = LanguageModeling.MeanCrossEntropy(logits, targets);
        Assert.Equal(Math.Log(77), ce, 6);
        Assert.Equal(77, LanguageModeling.Perplexity(ce), 4);
        Assert.Equal(Math.Log2(77), LanguageModeling.BitsPerToken(ce), 6);
    }

    [Fact]
    public void MeanCrossEntropy_IsTheMeanNegativeLogProbability_HandComputed()
    {
        // Two predictions: p(target) = 0.5 and 0.25 → H = (ln 2 + ln 4) / 2 = 1.5 ln 2, perplexity 2^1.5.
        var logits = tensor(new double[,] { { Math.Log(0.5), Math.Log(0.5) }, { Math.Log(0.25), Math.Log(0.75) } }).unsqueeze(0);  // (1, 2, 2)
        double ce = LanguageModeling.MeanCrossEntropy(logits, tensor(new long[,] { { 0, 0 } }));
        Assert.Equal(1.5 * Math.Log(2), ce, 9);
        Assert.Equal(Math.Pow(2, 1.5), LanguageModeling.Perplexity(ce), 9);
        TestSupport.AssertArgumentError(() => LanguageModeling.Perplexity(-0.1), "meanCrossEntropyNats", "≥ 0", "-0.1");
        TestSupport.AssertArgumentError(() => LanguageModeling.MeanCrossEntropy(logits, tensor(new long[] { 0, 0 })), "logits", "(1, 2, 2)", "(2)");
    }
}
