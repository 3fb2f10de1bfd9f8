using AttentionCourse.Benchmarking;
using AttentionCourse.Layers;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Benchmarking;

public class AttentionInputsTests
{
    [Fact]
    public void Random_IsDeterminedBySeed_AndStandardNormal()
    {
        var (q1, k1, v1) = AttentionInputs.Random(2, 3, 100, 16, seed: 5);
        var (q2, k2, v2) = AttentionInputs.Random(2, 3, 100, 16, seed: 5);
        var (q3, _, _) = AttentionInputs.Random(2, 3, 100, 16, seed: 6);
        foreach (var (a, b) in new[] { (q1, q2), (k1, k2), (v1, v2) }) TestSupport.AssertClose(a, b, 0, "same seed, same tensors");
        Assert.True(Checks.MaxAbsDifference(q1, q3) > 1, "another seed gives other tensors");
        Assert.True(Checks.MaxAbsDifference(q1, k1) > 1, "queries and keys are drawn independently");
        var all = cat(new[] { q1.flatten(), k1.flatten(), v1.flatten() });                     // 28,800 draws
        Assert.InRange(all.mean().item<float>(), -0.03f, 0.03f);                              // ±5 standard errors (1/√28800 ≈ 0.006)
        Assert.InRange(all.std().item<float>(), 0.97f, 1.03f);
    }

    [Fact]
    public void Local_IsDeterminedBySeed_SharesQueriesAndKeys_AndScoresDependOnlyOnTheOffset()
    {
        var (q, k, v) = AttentionInputs.Local(1, 2, 200, 16, span: 32, seed: 7);
        var (q2, _, v2) = AttentionInputs.Local(1, 2, 200, 16, span: 32, seed: 7);
        TestSupport.AssertClose(q, q2, 0, "same seed");
        TestSupport.AssertClose(v, v2, 0, "same seed");
        TestSupport.AssertClose(q, k, 0, "queries are the keys");
        var (q3, _, _) = AttentionInputs.Local(1, 2, 200, 16, span: 32, seed: 70);
        Assert.True(Checks.MaxAbsDifference(q, q3) > 0.5, "another seed draws other frequencies and phases");
        var scores = Attention.ScaledDotScores(q, k)[0, 0];                                   // (T, T)
        // A Toeplitz matrix: the score of (i, j) equals that of (i + s, j + s).
        TestSupport.AssertClose(scores.narrow(0, 0, 150).narrow(1, 0, 150), scores.narrow(0, 50, 150).narrow(1, 50, 150), 1e-3, "scores depend on i − j only");
    }

    [Fact]
    public void Local_ConcentratesAttentionWithinTheSpan_RandomIsDiffuse()
    {
        const long T = 512, span = 64;
        var (q, k, v) = AttentionInputs.Local(1, 4, T, 64, span: span, seed: 8);
        var (_, localWeights) = Attention.ScaledDotProduct(q, k, v);                           // (1, 4, T, T)
        var (rq, rk, rv) = AttentionInputs.Random(1, 4, T, 64, seed: 8);
        var (_, randomWeights) = Attention.ScaledDotProduct(rq, rk, rv);
        var offset = (arange(T).unsqueeze(1) - arange(T).unsqueeze(0)).abs();                   // (T, T) |i − j|
        var inside = offset.le(span / 2);                                                      // the span nearest positions of each query
        var interior = arange(T).ge(span).logical_and(arange(T).lt(T - span));                   // queries whose span is not cut by an edge
        double MassInside(Tensor w) => (w * inside).sum(-1).masked_select(interior).min().item<float>();
        double EffectiveKeys(Tensor w) => (-(w * w.clamp_min(1e-30).log()).sum(-1)).exp().masked_select(interior).mean().item<float>();
        // Measured (seeds 1, 2, 8): local inputs keep ≥ 0.9999 of every interior query's weight within ±32 and spread it
        // over ≈ 19 effective keys; random inputs put 7–13 % there (13 % = 65/512, no preference) over ≈ 313 keys.
        Assert.True(MassInside(localWeights) >= 0.99, $"local inputs: least mass within ±{span / 2} = {MassInside(localWeights):F4}");
        Assert.True(EffectiveKeys(localWeights) <= span / 2, $"local inputs: effective keys exp(entropy) = {EffectiveKeys(localWeights):F1}");
        Assert.True(MassInside(randomWeights) <= 0.2, $"random inputs: least mass within ±{span / 2} = {MassInside(randomWeights):F4}");
        Assert.True(EffectiveKeys(randomWeights) >= 4 * span, $"random inputs: effective keys = {EffectiveKeys(randomWeights):F1}");
    }

    [Fact]
    public void Local_ANarrowerSpanConcentratesMore()
    {
        double EffectiveKeys(long span)
        {
            var (q, k, v) = AttentionInputs.Local(1, 4, 256, 64, span: span, seed: 9);
            var (_, w) = Attention.ScaledDotProduct(q, k, v);
            return (-(w * w.clamp_min(1e-30).log()).sum(-1)).exp().mean().item<float>();
        }
        double narrow = EffectiveKeys(16), wide = EffectiveKeys(64);                           // measured 4.6 and 18.1
        Assert.True(narrow < 0.5 * wide, $"effective keys: span 16 → {narrow:F1}, span 64 → {wide:F1}");
    }

    [Fact]
    public void Local_MatchesItsFormula_ScoresAreASumOfCosinesOfTheOffset()
    {
        // Independent reference from the documented formula x_t = α [cos(ω t + φ), sin(ω t + φ)]: every row has norm
        // α √(D/2) (cos² + sin² = 1), the frequencies read back from consecutive angles lie in (0, 2π / span), and the
        // score q_i · k_j equals α² Σ_m cos(ω_m (i − j)).
        const long T = 48, D = 16, span = 12;
        const double alpha = 1.5;
        var (q, _, _) = AttentionInputs.Local(1, 1, T, D, span: span, sharpness: alpha, seed: 21);
        var x = q[0, 0].to_type(ScalarType.Float64);                                          // (T, D)
        TestSupport.AssertClose(full(T, alpha * Math.Sqrt(D / 2.0), dtype: ScalarType.Float64), x.norm(1), 1e-5, "row norms");
        var (cos, sin) = (x.narrow(1, 0, D / 2) / alpha, x.narrow(1, D / 2, D / 2) / alpha);   // (T, D/2) each
        var angle = atan2(sin, cos);                                                          // ω t + φ, wrapped to (−π, π]
        var step = (angle[1] - angle[0] + 2 * Math.PI).remainder(2 * Math.PI);                // ω, since 0 < ω < 2π / span < π
        Assert.True(step.min().item<double>() > 0 && step.max().item<double>() < 2 * Math.PI / span + 1e-5, "frequencies in (0, 2π / span)");
        var offsets = arange(T, dtype: ScalarType.Float64).unsqueeze(1) - arange(T, dtype: ScalarType.Float64).unsqueeze(0); // (T, T): i − j
        var expected = (offsets.unsqueeze(-1) * step).cos().sum(-1) * (alpha * alpha);        // (T, T)
        TestSupport.AssertClose(expected, x.matmul(x.t()), 1e-4, "q_i · k_j = α² Σ cos(ω (i − j))");
    }

    [Fact]
    public void Random_HasTheRequestedShape_AndDefaultsToTheCourseSeed()
    {
        var (q, k, v) = AttentionInputs.Random(2, 3, 5, 4);
        foreach (var t in new[] { q, k, v }) Assert.Equal(new long[] { 2, 3, 5, 4 }, t.shape);
        var (q2, _, _) = AttentionInputs.Random(2, 3, 5, 4, seed: Course.Seed);
        TestSupport.AssertClose(q, q2, 0, "no seed = the course seed");
    }

    [Fact]
    public void Local_RejectsAnOddHeadDim()
        => TestSupport.AssertArgumentError(() => AttentionInputs.Local(1, 1, 8, 7), "headDim", "even", "7");
}
