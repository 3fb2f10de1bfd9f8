using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// CBAM, the Convolutional Block Attention Module (Woo et al. 2018, Eq. 1–3): channel attention, then spatial attention.
/// Channel: <c>M_c = σ(MLP(AvgPool(F)) + MLP(MaxPool(F)))</c> with one MLP (C → C/r → C, ReLU) shared by both pooled
/// vectors; <c>F′ = M_c ⊙ F</c>. Spatial: <c>M_s = σ(conv7×7([Max_c(F′); Mean_c(F′)]))</c>, the two one-channel maps
/// pooled across channels at each position; <c>F″ = M_s ⊙ F′</c>.
/// </summary>
/// <remarks>
/// The paper writes the spatial input as [AvgPool; MaxPool]; its official code concatenates max first, as here (the
/// order only permutes the convolution's two input channels). The official code has a batch norm after the 7×7
/// convolution; the formula has none (<c>spatialBatchNorm</c> chooses). The spatial map <c>M_s (B, H, W)</c> is a sigmoid per
/// position: positions do not compete, so it can be high everywhere — unlike a softmax over positions (lesson 09).
/// </remarks>
public sealed class Cbam : Module<Tensor, Tensor>
{
    private readonly Linear reduce;
    private readonly Linear expand;
    private readonly Conv2d spatial;
    private readonly BatchNorm2d? spatialNorm;

    /// <param name="channels">C.</param>
    /// <param name="reduction">r of the shared MLP: hidden width max(1, C / r).</param>
    /// <param name="kernelSize">Side of the spatial convolution (7 in the paper; odd).</param>
    /// <param name="spatialBatchNorm">Batch-normalise the spatial convolution's output before the sigmoid, as the official
    /// code does (the paper's formula has no normalisation; without it the map's logits can drift far from 0 and the
    /// sigmoid saturates to a flat map).</param>
    public Cbam(long channels, long reduction = 16, long kernelSize = 7, bool spatialBatchNorm = false) : base(nameof(Cbam))
    {
        Check.AtLeast(channels, 1, nameof(channels));
        Check.AtLeast(reduction, 1, nameof(reduction));
        if (kernelSize < 1 || kernelSize % 2 == 0)
            throw new ArgumentException($"kernelSize must be odd and positive (so the map keeps its size); got {kernelSize}.", nameof(kernelSize));
        Channels = channels;
        long hidden = Math.Max(1, channels / reduction);
        reduce = Linear(channels, hidden);
        expand = Linear(hidden, channels);
        spatial = Conv2d(2, 1, kernelSize, padding: kernelSize / 2);
        spatialNorm = spatialBatchNorm ? BatchNorm2d(1) : null;
        RegisterComponents();
    }

    public long Channels { get; }
    /// <summary>The shared MLP's first layer (C → C/r).</summary>
    public Linear Reduce => reduce;
    /// <summary>The shared MLP's second layer (C/r → C).</summary>
    public Linear Expand => expand;
    /// <summary>The spatial convolution: 2 input channels (max, mean over channels) → 1.</summary>
    public Conv2d Spatial => spatial;

    /// <param name="input"><c>(B, C, H, W)</c>.</param>
    /// <returns>F″ <c>(B, C, H, W)</c>.</returns>
    public override Tensor forward(Tensor input) => Apply(input).output;

    /// <summary>F″, the channel weights <c>M_c (B, C)</c> and the spatial map <c>M_s (B, H, W)</c>.</summary>
    public (Tensor output, Tensor channelWeights, Tensor spatialMap) Apply(Tensor input)
    {
        Check.Rank(input, 4, nameof(input), "(batch, channels, height, width)");
        Check.Size(input, 1, Channels, nameof(input), "channels");
        using var scope = NewDisposeScope();
        var average = input.mean([2, 3]);                                                   // (B, C)
        var maximum = input.amax([2, 3]);                                                   // (B, C)
        var channelWeights = (Mlp(average) + Mlp(maximum)).sigmoid();                       // (B, C)
        var refined = input * channelWeights.unsqueeze(-1).unsqueeze(-1);                   // (B, C, H, W)
        var pooled = cat([refined.amax([1], keepdim: true), refined.mean([1], keepdim: true)], 1); // (B, 2, H, W)
        var logits = spatial.call(pooled);                                                  // (B, 1, H, W)
        if (spatialNorm is not null) logits = spatialNorm.call(logits);
        var spatialMap = logits.sigmoid().squeeze(1);                                       // (B, H, W)
        var output = refined * spatialMap.unsqueeze(1);                                     // (B, C, H, W)
        return scope.MoveToOuter(output, channelWeights, spatialMap);
    }

    private Tensor Mlp(Tensor pooled) => expand.call(functional.relu(reduce.call(pooled)));  // (B, C)
}
