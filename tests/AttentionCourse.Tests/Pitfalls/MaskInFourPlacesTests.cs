using AttentionCourse.Pitfalls;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Pitfalls;

/// <summary>
/// Lesson 21's buffer demonstration: the same causal mask held four ways, and what TorchSharp 0.107's registration,
/// <c>state_dict()</c> and <c>.to(dtype)</c> do with each. The reference mask and the forward are written out here
/// element by element, independently of <c>Masks.Causal</c> and <c>masked_fill</c>.
/// </summary>
public class MaskInFourPlacesTests
{
    private const int T = 4;

    /// <summary>0 where key j ≤ query i, −∞ above the diagonal, built entry by entry.</summary>
    private static double[] ReferenceMask()
    {
        var values = new double[T * T];
        for (int i = 0; i < T; i++)
            for (int j = 0; j < T; j++)
                values[i * T + j] = j <= i ? 0 : double.NegativeInfinity;
        return values;
    }

    private static double[] Values(Tensor t) => t.to(float64).data<double>().ToArray();

    [Fact]
    public void AllFourTensors_AreTheAdditiveCausalMask()
    {
        var module = new MaskInFourPlaces(T);
        foreach (var held in new[] { module.Registered, module.NonPersistent, module.PlainField, module.InAList })
        {
            Assert.Equal(new long[] { T, T }, held.shape);
            Assert.Equal(ReferenceMask(), Values(held));
        }
    }

    [Fact]
    public void Forward_IsTheProjectionOfTheCausalSoftmax_WrittenOut()
    {
        manual_seed(21);
        var module = new MaskInFourPlaces(T);
        var scores = randn(2, T, T);
        var weight = module.Projection.weight!.detach();
        var bias = module.Projection.bias!.detach();
        var s = scores.data<float>().ToArray();
        var w = weight.data<float>().ToArray();
        var b = bias.data<float>().ToArray();
        var expected = new float[2 * T * T];
        for (int n = 0; n < 2; n++)
            for (int i = 0; i < T; i++)
            {
                var softmax = new double[T];
                double total = 0;
                for (int j = 0; j <= i; j++) { softmax[j] = Math.Exp(s[(n * T + i) * T + j]); total += softmax[j]; }
                for (int j = 0; j <= i; j++) softmax[j] /= total;                             // keys after i keep weight 0
                for (int o = 0; o < T; o++)
                {
                    double y = b[o];
                    for (int j = 0; j < T; j++) y += w[o * T + j] * softmax[j];
                    expected[(n * T + i) * T + o] = (float)y;
                }
            }
        Assert.True(Checks.MaxAbsDifference(module.call(scores), tensor(expected).view(2, T, T)) < 1e-6);
    }

    [Fact]
    public void Registration_ListsOnlyTheLinearAsParameters_AndThePersistentBuffersInStateDict()
    {
        var module = new MaskInFourPlaces(T);
        Assert.Equal(new[] { "projection.weight", "projection.bias" }, module.named_parameters().Select(p => p.name).ToArray());
        Assert.Equal(new[] { "causal_mask", "plain" }, module.named_buffers().Select(b => b.name).OrderBy(n => n).ToArray());
        Assert.Equal(new[] { "causal_mask", "plain", "projection.bias", "projection.weight" }, module.state_dict().Keys.OrderBy(k => k).ToArray());
    }

    [Fact]
    public void ToFloat64_MovesParametersAndPersistentBuffers_NotTheNonPersistentOne_NorTheListedTensor()
    {
        var module = new MaskInFourPlaces(T);
        module.to(float64);
        Assert.Equal(ScalarType.Float64, module.Projection.weight!.dtype);
        Assert.Equal(ScalarType.Float64, module.Registered.dtype);
        Assert.Equal(ScalarType.Float64, module.PlainField.dtype);
        Assert.Equal(ScalarType.Float32, module.NonPersistent.dtype);
        Assert.Equal(ScalarType.Float32, module.InAList.dtype);
        Assert.Equal(ReferenceMask(), Values(module.Registered));                        // moved, values unchanged
    }
}
