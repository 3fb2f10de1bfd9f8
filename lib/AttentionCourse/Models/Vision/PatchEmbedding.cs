using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>
/// ViT's patch embedding (Dosovitskiy et al. 2021, Eq. 1): cut the image into non-overlapping P×P patches, flatten each
/// to a vector of C·P² pixels, and project it linearly to E. Written as a convolution with kernel = stride = P, which is
/// exactly that linear map applied to every patch (the tests check it against an explicit unfold + linear).
/// </summary>
public sealed class PatchEmbedding : Module<Tensor, Tensor>
{
    private readonly Conv2d projection;

    /// <param name="imageSize">Side of the (square) input.</param>
    /// <param name="patchSize">P; must divide <paramref name="imageSize"/>.</param>
    /// <param name="embedDim">E.</param>
    /// <param name="inputChannels">C.</param>
    public PatchEmbedding(long imageSize, long patchSize, long embedDim, long inputChannels = 1) : base(nameof(PatchEmbedding))
    {
        Check.AtLeast(patchSize, 1, nameof(patchSize));
        Check.Divisible(imageSize, patchSize, nameof(imageSize), "patchSize");
        ImageSize = imageSize;
        PatchSize = patchSize;
        InputChannels = inputChannels;
        projection = Conv2d(inputChannels, embedDim, patchSize, stride: patchSize);
        RegisterComponents();
    }

    public long ImageSize { get; }
    public long PatchSize { get; }
    public long InputChannels { get; }
    /// <summary>Patches per side.</summary>
    public long GridSize => ImageSize / PatchSize;
    /// <summary>N = (S / P)².</summary>
    public long PatchCount => GridSize * GridSize;
    /// <summary>The projection: weight <c>(E, C, P, P)</c>, bias <c>(E)</c>.</summary>
    public Conv2d Projection => projection;

    /// <param name="input"><c>(B, C, S, S)</c>.</param>
    /// <returns><c>(B, N, E)</c>, patches in row-major order (left to right, then top to bottom).</returns>
    public override Tensor forward(Tensor input)
    {
        Check.Rank(input, 4, nameof(input), "(batch, channels, height, width)");
        Check.Size(input, 1, InputChannels, nameof(input), "channels");
        Check.Size(input, 2, ImageSize, nameof(input), "height");
        Check.Size(input, 3, ImageSize, nameof(input), "width");
        using var scope = NewDisposeScope();
        return projection.call(input).flatten(2).transpose(1, 2).MoveToOuterDisposeScope(); // (B, N, E)
    }
}
