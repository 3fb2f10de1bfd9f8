using System.Runtime.CompilerServices;
using AttentionCourse.Interop;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Interop;

public class OneDnnTests
{
    /// <summary>
    /// The tests run without oneDNN, as the lessons do (<see cref="Course.Setup"/>): on a Zen 5 CPU its LSTM and
    /// convolution gradients are wrong (see <see cref="OneDnn"/>; the LSTM tests of RecurrentClassifierTests catch it).
    /// </summary>
#pragma warning disable CA2255 // must run before the first test of the assembly
    [ModuleInitializer]
    internal static void SwitchOffBeforeAnyTest() => OneDnn.Disable();
#pragma warning restore CA2255

    [Fact]
    public void Disable_SwitchesLibTorchsFlagOff()
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.True(OneDnn.Disable());
        Assert.False(OneDnn.Enabled);
        Assert.False(OneDnn.NnpackEnabled);
    }

    [Fact]
    public void WithoutOneDnn_AConvolutionsInputGradientMatchesFloat64()
    {
        // The shape of CBAM's spatial convolution in lesson 03, where oneDNN returned NaN on a Zen 5 CPU.
        manual_seed(3);
        var weight = randn(1, 2, 7, 7) * 0.3;
        var input = randn(64, 2, 7, 7).requires_grad_(true);
        var gradient = autograd.grad([nn.functional.conv2d(input, weight, padding: [3, 3]).sum()], [input])[0];
        var input64 = input.detach().to(ScalarType.Float64).requires_grad_(true);
        var gradient64 = autograd.grad([nn.functional.conv2d(input64, weight.to(ScalarType.Float64), padding: [3, 3]).sum()], [input64])[0];
        TestSupport.AssertClose(gradient64, gradient, 1e-5, "input gradient of a 7×7 convolution");
    }
}
