using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Layers;

public class AdditiveAttentionProjectedKeysTests
{
    /// <summary>Attending with keys projected once (what a decoding loop does) equals the layer's forward.</summary>
    [Fact]
    public void AttendWithProjectedKeys_EqualsForward()
    {
        manual_seed(4);
        var layer = new AdditiveAttention(3, 5, 4);
        layer.to(ScalarType.Float64);
        var query = randn(2, 3, 3, dtype: ScalarType.Float64);
        var key = randn(2, 6, 5, dtype: ScalarType.Float64);
        var value = randn(2, 6, 2, dtype: ScalarType.Float64);
        var padding = Masks.PaddingFromLengths(new long[] { 6, 2 }, 6);
        var (context, weights) = layer.call(query, key, value, padding);
        var (context2, weights2) = layer.Attend(query, layer.ProjectKeys(key), value, padding);
        TestSupport.AssertClose(context, context2, 1e-14, "context");
        TestSupport.AssertClose(weights, weights2, 1e-14, "weights");
        TestSupport.AssertArgumentError(() => layer.Attend(query, randn(2, 6, 7, dtype: ScalarType.Float64), value), "projectedKeys", "attentionDim", "4", "7");
    }
}
