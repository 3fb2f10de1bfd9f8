using AttentionCourse.Metrics;
using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Models.Text;

public class BigramLanguageModelTests
{
    [Fact]
    public void Probabilities_AreSmoothedCounts_WithinSequencesOnly()
    {
        // Sequences 0 1 0 1 and 1 2 over V = 3: pairs (0,1)×2, (1,0)×1, (1,2)×1; nothing across the two sequences.
        using var bigram = BigramLanguageModel.Fit(new[] { tensor(new long[] { 0, 1, 0, 1 }), tensor(new long[] { 1, 2 }) }, 3, smoothing: 0.5);
        var p = bigram.LogProbabilities.exp().to_type(ScalarType.Float64);
        var expected = tensor(new double[,]
        {
            { 0.5 / 3.5, 2.5 / 3.5, 0.5 / 3.5 },                                             // after 0: (0,1) twice
            { 1.5 / 3.5, 0.5 / 3.5, 1.5 / 3.5 },                                             // after 1: (1,0), (1,2)
            { 1.0 / 3, 1.0 / 3, 1.0 / 3 },                                                   // after 2: never seen
        });
        TestSupport.AssertClose(expected, p, 1e-6, "p(b | a)");
        // Its cross-entropy is the mean −log p of the targets.
        double ce = bigram.CrossEntropy(tensor(new long[,] { { 0, 1 } }), tensor(new long[,] { { 1, 2 } }));
        Assert.Equal(-(Math.Log(2.5 / 3.5) + Math.Log(1.5 / 3.5)) / 2, ce, 6);
        Assert.Equal(ce, LanguageModeling.MeanCrossEntropy(bigram.Logits(tensor(new long[,] { { 0, 1 } })), tensor(new long[,] { { 1, 2 } })), 6);
    }
}
