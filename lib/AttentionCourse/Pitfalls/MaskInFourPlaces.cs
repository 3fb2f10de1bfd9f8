using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Pitfalls;

/// <summary>
/// The same additive causal mask <c>(T, T)</c> (0 on and below the diagonal, −∞ above) held four ways, beside one
/// <see cref="Linear"/> (lesson 21): what <c>parameters()</c>, <c>named_buffers()</c>, <c>state_dict()</c> and
/// <c>.to(dtype)</c> see depends on where a tensor lives, and TorchSharp 0.107 differs from PyTorch on two of the four.
/// <list type="bullet">
/// <item><see cref="Registered"/>: <c>register_buffer("causal_mask", mask)</c> — a persistent buffer in both frameworks.</item>
/// <item><see cref="NonPersistent"/>: <c>register_buffer("scratch", mask, persistent: false)</c>.</item>
/// <item><see cref="PlainField"/>: a plain <c>Tensor</c> field. TorchSharp's <c>RegisterComponents()</c> registers it as a
/// persistent buffer by its field name; PyTorch's <c>self.plain = tensor</c> registers nothing.</item>
/// <item><see cref="InAList"/>: a tensor inside a <c>List&lt;Tensor&gt;</c>, which registration does not look into.</item>
/// </list>
/// </summary>
public sealed class MaskInFourPlaces : Module<Tensor, Tensor>
{
    private readonly Linear projection;
    private readonly Tensor causal_mask;
    private readonly Tensor scratch;
    private readonly Tensor plain;
    private readonly List<Tensor> inAList;

    /// <param name="length">T, the mask's size.</param>
    public MaskInFourPlaces(long length) : base(nameof(MaskInFourPlaces))
    {
        Layers.Check.AtLeast(length, 1, nameof(length));
        Tensor Mask() => zeros(length, length).masked_fill(Layers.Masks.Causal(length, length).logical_not(), double.NegativeInfinity);
        projection = Linear(length, length);
        causal_mask = Mask();
        register_buffer(nameof(causal_mask), causal_mask);
        scratch = Mask();
        register_buffer(nameof(scratch), scratch, persistent: false);
        plain = Mask();
        inAList = new List<Tensor> { Mask() };
        RegisterComponents();
    }

    /// <summary>The buffer registered with <c>register_buffer</c> (persistent), as the module now holds it.</summary>
    public Tensor Registered => causal_mask;
    /// <summary>The buffer registered with <c>persistent: false</c>, as the module now holds it.</summary>
    public Tensor NonPersistent => scratch;
    /// <summary>The plain <c>Tensor</c> field.</summary>
    public Tensor PlainField => plain;
    /// <summary>The tensor kept in a <c>List&lt;Tensor&gt;</c>.</summary>
    public Tensor InAList => inAList[0];
    /// <summary>The one sub-module, whose weight and bias are the parameters.</summary>
    public Linear Projection => projection;

    /// <param name="scores"><c>(B, T, T)</c> raw scores → <c>(B, T, T)</c>: causal softmax weights (the registered mask added
    /// before the softmax, so each query's weights on later keys are 0), then the projection over the key axis.</param>
    public override Tensor forward(Tensor scores) => projection.call((scores + causal_mask).softmax(-1));
}
