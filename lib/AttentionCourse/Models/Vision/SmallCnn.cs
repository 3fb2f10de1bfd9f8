using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>Which attention module <see cref="SmallCnn"/> applies to its last feature map.</summary>
public enum BlockAttention
{
    /// <summary>None: the plain CNN.</summary>
    None,
    /// <summary>Squeeze-and-excitation channel attention (<see cref="Layers.SqueezeExcitation"/>).</summary>
    SqueezeExcitation,
    /// <summary>CBAM: channel, then spatial attention (<see cref="Layers.Cbam"/>).</summary>
    Cbam,
}

/// <summary>How <see cref="SmallCnn"/> turns its last feature map into one vector.</summary>
public enum MapPooling
{
    /// <summary>Global average pooling: every position weighs 1/(H·W).</summary>
    GlobalAverage,
    /// <summary>Attention pooling over the H·W positions (<see cref="FeatureMapAttentionPooling"/>).</summary>
    Attention,
}

/// <summary>What one forward pass of <see cref="SmallCnn"/> produced.</summary>
/// <param name="Logits"><c>(B, classes)</c>.</param>
/// <param name="FeatureMap">The last feature map after the attention module, <c>(B, C, h, w)</c>.</param>
/// <param name="ChannelWeights">SE or CBAM channel weights <c>(B, C)</c>, or null.</param>
/// <param name="SpatialMap">CBAM's spatial map <c>(B, h, w)</c> (sigmoid per position), or null.</param>
/// <param name="PoolingMap">Attention pooling's weights <c>(B, h, w)</c> (softmax over positions), or null.</param>
public sealed record CnnOutput(Tensor Logits, Tensor FeatureMap, Tensor? ChannelWeights, Tensor? SpatialMap, Tensor? PoolingMap);

/// <summary>
/// The course's small image classifier: three convolutions (each with batch norm and ReLU; a max-pool after the
/// second), an optional attention module on the last feature map (none, SE or CBAM), then global average pooling or
/// attention pooling over positions, and a linear layer to class logits.
/// </summary>
/// <remarks>
/// <para>Widths C/4, C/2, C with C = <c>width</c>. The last map's side is the input side divided by
/// <see cref="Downsampling"/> = 2·<c>stemStride</c> (the max-pool halves once more).</para>
/// <para>The stem (first convolution) depends on <c>stemStride</c>:
/// <list type="bullet">
/// <item><c>stemStride</c> 1 or 2: a 3×3 kernel with padding 1. With stride 2 neighbouring windows overlap, so every
/// pixel is read; e.g. a 28×28 image becomes a 14×14 stem map and a 7×7 last map.</item>
/// <item><c>stemStride</c> s ≥ 3: an s×s kernel with stride s and no padding, a "patchify" stem of non-overlapping
/// s×s cells (as in ViT's patch embedding). A 3×3 kernel would be wrong here: with stride s ≥ 4 it skips s − 3 of
/// every s rows and columns (46 % of a 56×56 canvas with s = 4). With s = 4 a 56×56 canvas becomes a 14×14 stem
/// map and a 7×7 last map, each stem cell reading exactly its own 4×4 pixels.</item>
/// </list></para>
/// <para>Sizes are chosen for a 2-core CPU: with C = 32 the network has 6,330 parameters (stride ≤ 2) or 6,386
/// (stride 4: the stem's kernel has 16 weights per channel instead of 9).</para>
/// </remarks>
public sealed class SmallCnn : Module<Tensor, Tensor>
{
    private readonly Sequential stem;
    private readonly Sequential middle;
    private readonly Sequential last;
    private readonly SqueezeExcitation? se;
    private readonly Cbam? cbam;
    private readonly FeatureMapAttentionPooling? attentionPooling;
    private readonly Linear head;

    /// <param name="numClasses">Classes.</param>
    /// <param name="attention">Attention module on the last feature map.</param>
    /// <param name="pooling">Global average or attention pooling.</param>
    /// <param name="width">Channels C of the last feature map (a multiple of 4).</param>
    /// <param name="stemStride">Stride of the first convolution (2 halves the resolution at once; ≥ 3 makes the stem a non-overlapping stride×stride patchify convolution).</param>
    /// <param name="reduction">r of SE's and CBAM's channel MLP.</param>
    /// <param name="inputChannels">1 for grey images.</param>
    /// <param name="spatialBatchNorm">CBAM only: batch-normalise the spatial map's logits (the official code; see <see cref="Layers.Cbam"/>).</param>
    public SmallCnn(long numClasses = 10, BlockAttention attention = BlockAttention.None, MapPooling pooling = MapPooling.GlobalAverage,
        long width = 32, long stemStride = 2, long reduction = 4, long inputChannels = 1, bool spatialBatchNorm = true) : base(nameof(SmallCnn))
    {
        Check.AtLeast(numClasses, 2, nameof(numClasses));
        Check.AtLeast(width, 4, nameof(width));
        Check.Divisible(width, 4, nameof(width), "4");
        Check.AtLeast(stemStride, 1, nameof(stemStride));
        Attention = attention;
        Pooling = pooling;
        Width = width;
        StemStride = stemStride;
        stem = Sequential(StemConvolution(inputChannels, width / 4, stemStride), BatchNorm2d(width / 4), ReLU());
        middle = Sequential(Conv2d(width / 4, width / 2, 3, padding: 1), BatchNorm2d(width / 2), ReLU(), MaxPool2d(2));
        last = Sequential(Conv2d(width / 2, width, 3, padding: 1), BatchNorm2d(width), ReLU());
        se = attention == BlockAttention.SqueezeExcitation ? new SqueezeExcitation(width, reduction) : null;
        cbam = attention == BlockAttention.Cbam ? new Cbam(width, reduction, spatialBatchNorm: spatialBatchNorm) : null;
        attentionPooling = pooling == MapPooling.Attention ? new FeatureMapAttentionPooling(width) : null;
        head = Linear(width, numClasses);
        RegisterComponents();
    }

    /// <summary>The kernel side of the stem: 3 for <c>stemStride</c> 1–2 (padding 1), <c>stemStride</c> itself for ≥ 3 (padding 0).</summary>
    public static long StemKernel(long stemStride) => stemStride >= 3 ? stemStride : 3;

    private static Conv2d StemConvolution(long inputChannels, long outputChannels, long stemStride)
    {
        var kernel = StemKernel(stemStride);
        return Conv2d(inputChannels, outputChannels, kernel, stride: stemStride, padding: kernel == 3 ? 1 : 0);
    }

    /// <summary>The first convolution (before its batch norm and ReLU).</summary>
    public Conv2d StemConv => (Conv2d)stem.children().First();

    public BlockAttention Attention { get; }
    public MapPooling Pooling { get; }
    /// <summary>Channels C of the last feature map.</summary>
    public long Width { get; }
    public long StemStride { get; }

    /// <summary>The input side divided by this is the side of the last feature map.</summary>
    public long Downsampling => StemStride * 2;

    /// <param name="input"><c>(B, 1, S, S)</c>.</param>
    /// <returns>logits <c>(B, classes)</c>.</returns>
    public override Tensor forward(Tensor input) => Run(input).Logits;

    /// <summary>The three convolutions: the last feature map before the attention module, <c>(B, C, S / Downsampling, S / Downsampling)</c>.</summary>
    public Tensor Backbone(Tensor input)
    {
        using var scope = NewDisposeScope();
        return last.call(middle.call(stem.call(input))).MoveToOuterDisposeScope();          // (B, C, h, w)
    }

    /// <summary>The SE module, if any.</summary>
    public SqueezeExcitation? SqueezeExcitation => se;
    /// <summary>The CBAM module, if any.</summary>
    public Cbam? Cbam => cbam;
    /// <summary>The linear layer from the pooled vector to class logits.</summary>
    public Linear Head => head;
    /// <summary>The attention pooling, if any.</summary>
    public FeatureMapAttentionPooling? AttentionPooling => attentionPooling;

    /// <summary>Logits and every map the model computed (see <see cref="CnnOutput"/>).</summary>
    public CnnOutput Run(Tensor input)
    {
        Check.Rank(input, 4, nameof(input), "(batch, channels, height, width)");
        using var scope = NewDisposeScope();
        var map = Backbone(input);                                                          // (B, C, h, w)
        Tensor? channelWeights = null, spatialMap = null, poolingMap = null;
        if (se is not null) (map, channelWeights) = se.Apply(map);                         // (B, C, h, w), (B, C)
        if (cbam is not null) (map, channelWeights, spatialMap) = cbam.Apply(map);         // …, (B, C), (B, h, w)
        Tensor pooled;                                                                      // (B, C)
        if (attentionPooling is not null) (pooled, poolingMap) = attentionPooling.call(map);
        else pooled = map.mean([2, 3]);
        var logits = head.call(pooled);                                                     // (B, classes)
        var kept = new List<Tensor> { logits, map };
        foreach (var t in new[] { channelWeights, spatialMap, poolingMap }) if (t is not null) kept.Add(t);
        scope.MoveToOuter(kept);
        return new CnnOutput(logits, map, channelWeights, spatialMap, poolingMap);
    }
}
