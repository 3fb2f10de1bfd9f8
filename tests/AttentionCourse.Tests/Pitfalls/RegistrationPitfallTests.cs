using AttentionCourse.Layers;
using AttentionCourse.Pitfalls;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Pitfalls;

/// <summary>The registration traps lesson 21 shows: what a module exposes decides what an optimiser trains and what save writes.</summary>
public class RegistrationPitfallTests
{
    [Fact]
    public void LayersInAPlainList_RegisterOnlyTheHead_SoOneStepTrainsOnlyTheHead()
    {
        manual_seed(21);
        var model = new LayersInAPlainList(4, depth: 2);
        Assert.Equal(2, model.parameters().Count());                                      // head weight and bias only
        var hiddenBefore = model.Hidden[0].weight!.detach().clone();
        var headBefore = model.Head.weight!.detach().clone();
        using var optimizer = optim.SGD(model.parameters(), 0.5);
        optimizer.zero_grad();
        nn.functional.mse_loss(model.call(randn(8, 4)), randn(8, 4)).backward();
        Assert.NotNull(model.Hidden[0].weight!.grad);                                     // autograd reached it…
        optimizer.step();
        Assert.Equal(0, Checks.MaxAbsDifference(model.Hidden[0].weight!, hiddenBefore));   // …but nothing updated it
        Assert.True(Checks.MaxAbsDifference(model.Head.weight!, headBefore) > 0);
    }

    [Fact]
    public void Unregistered_ExposesNoParameters_AndTorchSharpAcceptsAnEmptyOptimizer()
    {
        var module = new UnregisteredAttentionPooling(4);
        Assert.Empty(module.parameters());
        using var optimizer = optim.SGD(module.parameters(), 0.1);                        // PyTorch raises "optimizer got an empty parameter list"
        optimizer.step();
        Assert.Equal(2, new AttentionPooling(4).parameters().Count());
    }
}
