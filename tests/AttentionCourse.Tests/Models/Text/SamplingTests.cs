using AttentionCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Models.Text;

public class SamplingTests
{
    // A hand-made distribution over 5 tokens, deliberately not in sorted order: p = [0.1, 0.4, 0.05, 0.3, 0.15].
    static readonly double[] P = { 0.1, 0.4, 0.05, 0.3, 0.15 };
    static Tensor Logits => tensor(P.Select(p => Math.Log(p)).ToArray(), dtype: ScalarType.Float32).unsqueeze(0);   // (1, 5)

    static double[] Probabilities(SamplingSettings settings) => Sampling.Probabilities(Logits, settings).squeeze(0).to_type(ScalarType.Float64).data<double>().ToArray();

    [Fact]
    public void Temperature1_KeepsTheModelsDistribution()
        => Assert.Equal(P, Probabilities(new SamplingSettings(1.0)), (a, b) => Math.Abs(a - b) < 1e-6);

    [Theory]
    // sorted: 0.4 (token 1), 0.3 (3), 0.15 (4), 0.1 (0), 0.05 (2)
    [InlineData(0.39, new[] { 1 })]              // 0.4 alone reaches 0.39
    [InlineData(0.5, new[] { 1, 3 })]            // 0.4 < 0.5, 0.7 ≥ 0.5
    [InlineData(0.69, new[] { 1, 3 })]           // two tokens reach it: the third is not needed
    [InlineData(0.8, new[] { 1, 3, 4 })]         // 0.7 < 0.8, 0.85 ≥ 0.8
    [InlineData(0.96, new[] { 0, 1, 3, 4, 2 })]  // 0.95 < 0.96: all five
    public void TopP_KeepsTheSmallestPrefixWhoseMassReachesP(double p, int[] kept)
    {
        var probabilities = Probabilities(new SamplingSettings(1.0, TopP: p));
        double mass = kept.Sum(i => P[i]);
        for (int i = 0; i < P.Length; i++)
            Assert.Equal(kept.Contains(i) ? P[i] / mass : 0.0, probabilities[i], 6);
    }

    [Fact]
    public void TopK_KeepsTheKMostLikely_Renormalised()
    {
        var probabilities = Probabilities(new SamplingSettings(1.0, TopK: 2));
        Assert.Equal(new[] { 0, 0.4 / 0.7, 0, 0.3 / 0.7, 0 }, probabilities, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Temperature_SharpensOrFlattens_AsPToThePowerOneOverT()
    {
        foreach (var t in new[] { 0.5, 2.0 })
        {
            var expected = P.Select(p => Math.Pow(p, 1 / t)).ToArray();
            double z = expected.Sum();
            Assert.Equal(expected.Select(e => e / z).ToArray(), Probabilities(new SamplingSettings(t)), (a, b) => Math.Abs(a - b) < 1e-6);
        }
    }

    [Fact]
    public void TemperatureTowardZero_EqualsGreedy()
    {
        var logits = randn(64, 20, generator: new Generator(5));
        var greedy = Sampling.Sample(logits, SamplingSettings.Greedy);
        Assert.Equal(logits.argmax(-1).data<long>().ToArray(), greedy.data<long>().ToArray());
        var cold = Sampling.Sample(logits, new SamplingSettings(1e-4), new Generator(6));
        Assert.Equal(greedy.data<long>().ToArray(), cold.data<long>().ToArray());
        Assert.Equal(new[] { 0, 1.0, 0, 0, 0 }, Probabilities(SamplingSettings.Greedy), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Sampling_FollowsTheFilteredDistribution_AndIsSeeded()
    {
        var settings = new SamplingSettings(1.0, TopP: 0.8);                               // tokens 1, 3, 4 with 0.4, 0.3, 0.15 (/0.85)
        var many = Logits.expand(20000, 5);
        var draws = Sampling.Sample(many, settings, new Generator(11)).data<long>().ToArray();
        var again = Sampling.Sample(many, settings, new Generator(11)).data<long>().ToArray();
        Assert.Equal(draws, again);
        var frequency = Enumerable.Range(0, 5).Select(i => draws.Count(d => d == i) / 20000.0).ToArray();
        var expected = new[] { 0, 0.4 / 0.85, 0, 0.3 / 0.85, 0.15 / 0.85 };
        for (int i = 0; i < 5; i++) Assert.InRange(frequency[i], expected[i] - 0.015, expected[i] + 0.015);   // ≈ 4.5 standard errors
    }

    [Fact]
    public void BadSettings_AreClearErrors()
    {
        TestSupport.AssertArgumentError(() => Sampling.Sample(Logits, new SamplingSettings(-1)), "settings", "Temperature", "-1");
        TestSupport.AssertArgumentError(() => Sampling.Sample(Logits, new SamplingSettings(1, TopK: 0)), "settings", "TopK", "0");
        TestSupport.AssertArgumentError(() => Sampling.Sample(Logits, new SamplingSettings(1, TopP: 0)), "settings", "TopP", "(0, 1]");
        TestSupport.AssertArgumentError(() => Sampling.Sample(randn(5), SamplingSettings.Greedy), "logits", "(batch, vocabulary)");
    }
}
