using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// Attention pooling over the positions of a CNN feature map: the map <c>(B, C, H, W)</c> is read as a sequence of
/// H·W positions, each a C-vector; one learned query scores every position (<see cref="AttentionPooling"/>), a softmax
/// over the H·W positions turns the scores into weights that sum to 1, and the output is the weighted sum of the
/// position vectors. Global average pooling is the special case of equal weights 1/(H·W).
/// </summary>
/// <remarks>
/// This is where attention has something to choose between in a CNN classifier: the positions of the last feature map
/// before pooling. After global pooling (ResNet's 2048-vector) there is one position left, and a softmax over one
/// position is 1 whatever the score (lesson 09's pitfall).
/// </remarks>
public sealed class FeatureMapAttentionPooling : Module<Tensor, (Tensor pooled, Tensor map)>
{
    private readonly AttentionPooling pooling;

    /// <param name="channels">C, the width of each position.</param>
    /// <param name="hiddenDim">0 for a linear scorer <c>w·x + b</c>; else the additive scorer <c>vᵀ tanh(W x + b)</c>'s width.</param>
    public FeatureMapAttentionPooling(long channels, long hiddenDim = 0) : base(nameof(FeatureMapAttentionPooling))
    {
        pooling = new AttentionPooling(channels, hiddenDim);
        RegisterComponents();
    }

    public long Channels => pooling.InputDim;

    /// <summary>The sequence attention pooling that scores the positions.</summary>
    public AttentionPooling Pooling => pooling;

    /// <param name="input"><c>(B, C, H, W)</c>.</param>
    /// <returns>pooled <c>(B, C)</c> and the attention map <c>(B, H, W)</c> (sums to 1 over H·W for each image).</returns>
    public override (Tensor pooled, Tensor map) forward(Tensor input)
    {
        Check.Rank(input, 4, nameof(input), "(batch, channels, height, width)");
        Check.Size(input, 1, Channels, nameof(input), "channels");
        using var scope = NewDisposeScope();
        long B = input.shape[0], H = input.shape[2], W = input.shape[3];
        var positions = input.flatten(2).transpose(1, 2);                                   // (B, H·W, C)
        var (pooled, weights) = pooling.call(positions, null);                              // (B, C), (B, H·W)
        return scope.MoveToOuter(pooled, weights.view(B, H, W));
    }
}
