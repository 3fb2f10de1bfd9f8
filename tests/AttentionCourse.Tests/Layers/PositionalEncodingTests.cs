using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Layers;

public class PositionalEncodingTests
{
    [Fact]
    public void Sinusoidal_EqualsHandComputedSinCos()
    {
        var table = SinusoidalPositionalEncoding.Table(50, 8);
        foreach (int p in new[] { 0, 1, 7, 49 })
            for (int i = 0; i < 4; i++)
            {
                double angle = p / Math.Pow(10000, 2.0 * i / 8);
                Assert.Equal(Math.Sin(angle), table[p, 2 * i].item<float>(), 6);
                Assert.Equal(Math.Cos(angle), table[p, 2 * i + 1].item<float>(), 6);
            }
        var layer = new SinusoidalPositionalEncoding(8, 50);
        var x = randn(2, 10, 8);
        TestSupport.AssertClose(x + table.narrow(0, 0, 10), layer.call(x), 1e-6);
        TestSupport.AssertArgumentError(() => layer.call(randn(1, 51, 8)), "input", "50", "51");
        TestSupport.AssertArgumentError(() => new SinusoidalPositionalEncoding(7, 10), "dim", "7", "2");
    }

    [Fact]
    public void Rotary_DotProductDependsOnlyOnPositionOffset()
    {
        manual_seed(40);
        var rope = new RotaryPositionalEncoding(headDim: 8, maxLength: 64);
        var q = randn(1, 8, dtype: ScalarType.Float64).to_type(ScalarType.Float32);
        var k = randn(1, 8).to_type(ScalarType.Float32);
        double Score(long m, long n) => (rope.Rotate(q, m) * rope.Rotate(k, n)).sum().item<float>();
        Assert.Equal(Score(3, 1), Score(13, 11), 4);
        Assert.Equal(Score(3, 1), Score(40, 38), 4);
        Assert.NotEqual(Score(3, 1), Score(3, 2), 2);
        // A rotation preserves length.
        Assert.Equal(q.norm().item<float>(), rope.Rotate(q, 17).norm().item<float>(), 5);
        // Position 0 is the identity.
        TestSupport.AssertClose(q, rope.Rotate(q, 0), 1e-7);
        TestSupport.AssertArgumentError(() => rope.Rotate(randn(2, 8), 63), "offset", "64", "63…64");
    }

    [Fact]
    public void Rotary_FirstPairRotatesByPositionTimesUnitFrequency()
    {
        var rope = new RotaryPositionalEncoding(headDim: 2, maxLength: 10);
        var x = tensor(new float[] { 1, 0 }).view(1, 2);
        var rotated = rope.Rotate(x, 3);                     // pair 0 has frequency 1: angle 3 rad
        Assert.Equal(Math.Cos(3), rotated[0, 0].item<float>(), 6);
        Assert.Equal(Math.Sin(3), rotated[0, 1].item<float>(), 6);
    }

    [Fact]
    public void Learned_AddsOneRowPerPosition()
    {
        var layer = new LearnedPositionalEncoding(4, 6);
        var x = zeros(2, 3, 4);
        var table = layer.parameters().Single();
        TestSupport.AssertClose(table.narrow(0, 0, 3).expand(2, 3, 4), layer.call(x), 1e-7);
    }

    [Fact]
    public void LearnedPositions_StartAtTheStatedScale()
    {
        manual_seed(52);
        Assert.InRange(new LearnedPositionalEncoding(64, 100).Table.std().item<float>(), 0.019f, 0.021f);          // 6,400 draws: ±1 %
        Assert.InRange(new LearnedPositionalEncoding(64, 100, initStd: 1.0).Table.std().item<float>(), 0.97f, 1.03f);
        TestSupport.AssertArgumentError(() => new LearnedPositionalEncoding(4, 4, initStd: 0), "initStd", "positive", "0");
    }
}
