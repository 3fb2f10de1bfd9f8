using AttentionCourse.Training;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Training;

public class GradientNormsTests
{
    [Fact]
    public void Norms_AreThoseOfTheHandComputedGradient_AndGradientsAreCleared()
    {
        // loss = sum(W x + b) for one x: dL/dW = 1 xᵀ (each of the 2 rows equals x), dL/db = 1.
        var layer = nn.Linear(3, 2);
        var x = tensor(new float[] { 1, 2, 2 });                                             // ‖x‖ = 3
        var norms = GradientNorms.Of(layer, () => layer.call(x).sum());
        Assert.Equal(new[] { "weight", "bias" }, norms.Select(n => n.name));
        Assert.Equal(3 * Math.Sqrt(2), norms[0].norm, 5);
        Assert.Equal(Math.Sqrt(2), norms[1].norm, 5);
        Assert.True(layer.weight!.grad is null || layer.weight.grad.abs().sum().item<float>() == 0, "gradients cleared");
    }
}
