using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Pitfalls;

/// <summary>
/// A module that does call <c>RegisterComponents()</c> but keeps its hidden layers in a plain <c>List&lt;Linear&gt;</c>
/// (lesson 21): registration sees fields that are modules, parameters or buffers (and <c>ModuleList</c>), not the contents
/// of an ordinary list, so only <see cref="Head"/> is registered. An optimiser built from <c>parameters()</c> then trains
/// the head alone — no error anywhere. PyTorch's twin is a Python list of layers instead of <c>nn.ModuleList</c>.
/// </summary>
public sealed class LayersInAPlainList : Module<Tensor, Tensor>
{
    private readonly List<Linear> hidden;
    private readonly Linear head;

    /// <param name="width">Width of every layer.</param>
    /// <param name="depth">Number of hidden layers kept in the plain list.</param>
    public LayersInAPlainList(long width, int depth) : base(nameof(LayersInAPlainList))
    {
        Layers.Check.AtLeast(depth, 1, nameof(depth));
        hidden = Enumerable.Range(0, depth).Select(_ => Linear(width, width)).ToList();
        head = Linear(width, width);
        RegisterComponents();                                                              // registers head; the list is invisible to it
    }

    /// <summary>The hidden layers, as built (the ones registration misses).</summary>
    public IReadOnlyList<Linear> Hidden => hidden;

    /// <summary>The output layer (registered).</summary>
    public Linear Head => head;

    /// <param name="input"><c>(B, width)</c> → <c>(B, width)</c>.</param>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var layer in hidden) x = functional.relu(layer.call(x));                 // (B, width)
        return head.call(x).MoveToOuterDisposeScope();                                     // (B, width)
    }
}
