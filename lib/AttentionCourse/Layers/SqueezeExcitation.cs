using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// Squeeze-and-excitation (Hu et al. 2018, "Squeeze-and-Excitation Networks", Eq. 2–4): channel attention for a
/// feature map <c>u (B, C, H, W)</c>. Squeeze: global average pooling, <c>z = GAP(u) (B, C)</c>. Excite:
/// <c>s = σ(W₂ ReLU(W₁ z))</c> with <c>W₁: C → C/r</c>, <c>W₂: C/r → C</c>. Scale: <c>out = s ⊙ u</c>, one weight in
/// (0, 1) per channel, the same at every position.
/// </summary>
/// <remarks>
/// The weights are sigmoids, not a softmax: channels do not compete for a fixed budget, and a weight says how much a
/// channel is kept, not a share. The paper's reduction is r = 16 for its 64–2048-channel blocks; a small network uses a
/// smaller r so that C/r stays at least a few units. W₁ and W₂ have biases, as the paper's fully connected layers do.
/// </remarks>
public sealed class SqueezeExcitation : Module<Tensor, Tensor>
{
    private readonly Linear reduce;
    private readonly Linear expand;

    /// <param name="channels">C.</param>
    /// <param name="reduction">r: the hidden width is max(1, C / r).</param>
    public SqueezeExcitation(long channels, long reduction = 16) : base(nameof(SqueezeExcitation))
    {
        Check.AtLeast(channels, 1, nameof(channels));
        Check.AtLeast(reduction, 1, nameof(reduction));
        Channels = channels;
        Hidden = Math.Max(1, channels / reduction);
        reduce = Linear(channels, Hidden);
        expand = Linear(Hidden, channels);
        RegisterComponents();
    }

    public long Channels { get; }
    /// <summary>C / r.</summary>
    public long Hidden { get; }
    /// <summary>W₁ (C/r × C) and its bias.</summary>
    public Linear Reduce => reduce;
    /// <summary>W₂ (C × C/r) and its bias.</summary>
    public Linear Expand => expand;

    /// <param name="input"><c>(B, C, H, W)</c>.</param>
    /// <returns><c>(B, C, H, W)</c>, each channel scaled by its weight.</returns>
    public override Tensor forward(Tensor input) => Apply(input).output;

    /// <summary>The scaled map and the channel weights <c>s (B, C)</c>.</summary>
    public (Tensor output, Tensor weights) Apply(Tensor input)
    {
        Check.Rank(input, 4, nameof(input), "(batch, channels, height, width)");
        Check.Size(input, 1, Channels, nameof(input), "channels");
        using var scope = NewDisposeScope();
        var squeezed = input.mean([2, 3]);                                                  // (B, C)
        var weights = expand.call(functional.relu(reduce.call(squeezed))).sigmoid();        // (B, C)
        var output = input * weights.unsqueeze(-1).unsqueeze(-1);                           // (B, C, H, W)
        return scope.MoveToOuter(output, weights);
    }
}
