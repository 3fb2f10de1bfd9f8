using AttentionCourse.Layers;
using AttentionCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Models;

public class VisionModelTests
{
    [Fact]
    public void PatchEmbedding_EqualsUnfoldThenLinear()
    {
        torch.manual_seed(4);
        var embed = new PatchEmbedding(imageSize: 12, patchSize: 4, embedDim: 5, inputChannels: 2);
        var images = randn(3, 2, 12, 12);
        var tokens = embed.call(images);                                                    // (3, 9, 5)
        Assert.Equal(new long[] { 3, 9, 5 }, tokens.shape);
        // Explicit: cut patches row-major, flatten each (channel, row, column), multiply by the flattened kernel.
        var patches = new List<Tensor>();
        for (int gy = 0; gy < 3; gy++)
            for (int gx = 0; gx < 3; gx++)
                patches.Add(images.narrow(2, gy * 4, 4).narrow(3, gx * 4, 4).reshape(3, 1, 2 * 16));
        var flat = cat(patches, 1);                                                         // (3, 9, 32)
        var weight = embed.Projection.weight!.reshape(5, 32);                               // (E, C·P·P)
        var expected = flat.matmul(weight.t()) + embed.Projection.bias!;                   // (3, 9, 5)
        TestSupport.AssertClose(expected, tokens, 1e-5, "patch embedding vs unfold + linear");
        // The same through TorchSharp's own unfold.
        var unfolded = nn.functional.unfold(images, 4, stride: 4).transpose(1, 2);          // (3, 9, 32)
        TestSupport.AssertClose(flat, unfolded, 0, "manual patches vs unfold");
        TestSupport.AssertArgumentError(() => new PatchEmbedding(10, 4, 5), "imageSize", "10", "4");
    }

    [Fact]
    public void VisionTransformer_IsItsComposition_WithPerHeadMapsOverAllTokens()
    {
        torch.manual_seed(5);
        var vit = new VisionTransformer(imageSize: 8, patchSize: 4, embedDim: 8, depth: 2, numHeads: 2, numClasses: 3);
        vit.eval();
        var images = randn(2, 1, 8, 8);
        var logits = vit.call(images);
        // Written out: tokens = [cls; patches] + positions; blocks; LayerNorm; head on token 0.
        var cls = vit.ClassToken.expand(2, 1, 8);
        var x = cat([cls, vit.Patches.call(images)], 1) + vit.Positions;                    // (2, 5, 8)
        foreach (var block in vit.Blocks) x = block.call(x, null, false);
        var expected = vit.Head.call(vit.Norm.call(x[.., 0]));
        TestSupport.AssertClose(expected, logits, 1e-5, "ViT = its composition");
        var maps = vit.AttentionMaps(images);
        Assert.Equal(2, maps.Count);
        Assert.All(maps, m => Assert.Equal(new long[] { 2, 2, 5, 5 }, m.shape));
        TestSupport.AssertClose(ones(2, 2, 5), maps[1].sum(-1), 1e-5, "rows are distributions");
        // Block 1's class-token row, by hand: softmax(q₀ kᵀ / √d) for head 0, from the block's own projections.
        var block0 = vit.Blocks[0];
        var tokens = vit.Tokens(images);
        var attention = block0.Attention;
        var w = attention.InputProjectionWeight; var b = attention.InputProjectionBias!;
        var qkv = nn.functional.linear(LayerNormOf(block0, tokens), w, b);                  // (2, 5, 24)
        var q = qkv[.., .., 0..4]; var k = qkv[.., .., 8..12];                               // head 0: columns 0…3 of q, of k
        var expectedRow = (q[.., 0..1].matmul(k.transpose(1, 2)) / Math.Sqrt(4)).softmax(-1).squeeze(1); // (2, 5)
        TestSupport.AssertClose(expectedRow, maps[0][.., 0, 0], 1e-5, "class token's attention, head 0, by hand");
    }

    private static Tensor LayerNormOf(TransformerEncoderBlock block, Tensor input)
    {
        // The block's pre-attention LayerNorm is its first registered module.
        var norm = (TorchSharp.Modules.LayerNorm)block.named_children().First().module;
        return norm.call(input);
    }

    [Fact]
    public void VisionTransformer_WithoutPositions_IgnoresWherePatchesAre()
    {
        torch.manual_seed(6);
        var vit = new VisionTransformer(imageSize: 8, patchSize: 4, embedDim: 8, depth: 1, numHeads: 2, numClasses: 3);
        vit.eval();
        using (no_grad()) vit.Positions.normal_();                                          // positions large enough to matter
        var images = randn(1, 1, 8, 8);
        // Swap the top-left and bottom-right patches.
        var swapped = images.clone();
        swapped[.., .., 0..4, 0..4] = images[.., .., 4..8, 4..8];
        swapped[.., .., 4..8, 4..8] = images[.., .., 0..4, 0..4];
        Assert.True(Checks.MaxAbsDifference(vit.call(images), vit.call(swapped)) > 1e-3, "with positions, the layout matters");
        using (no_grad()) vit.Positions.zero_();
        TestSupport.AssertClose(vit.call(images), vit.call(swapped), 1e-5, "without positions: a bag of patches");
    }

    [Theory]
    [InlineData(BlockAttention.None, MapPooling.GlobalAverage)]
    [InlineData(BlockAttention.SqueezeExcitation, MapPooling.GlobalAverage)]
    [InlineData(BlockAttention.Cbam, MapPooling.Attention)]
    public void SmallCnn_ReturnsItsMaps_AndPoolsAsDeclared(BlockAttention attention, MapPooling pooling)
    {
        torch.manual_seed(7);
        var cnn = new SmallCnn(10, attention, pooling, width: 16, stemStride: 2);
        cnn.eval();
        var images = rand(3, 1, 56, 56);
        var run = cnn.Run(images);
        Assert.Equal(new long[] { 3, 10 }, run.Logits.shape);
        Assert.Equal(new long[] { 3, 16, 14, 14 }, run.FeatureMap.shape);
        Assert.Equal(attention != BlockAttention.None, run.ChannelWeights is not null);
        Assert.Equal(attention == BlockAttention.Cbam, run.SpatialMap is not null);
        Assert.Equal(pooling == MapPooling.Attention, run.PoolingMap is not null);
        // The head reads the pooled feature map: the average, or the attention-weighted sum.
        var weights = run.PoolingMap ?? full(3, 14, 14, 1.0 / 196);
        var pooled = (run.FeatureMap * weights.unsqueeze(1)).sum([2, 3]);
        var head = (TorchSharp.Modules.Linear)cnn.named_children().Last().module;
        TestSupport.AssertClose(head.call(pooled), run.Logits, 1e-5, "logits = head(pooled map)");
        TestSupport.AssertClose(run.Logits, cnn.call(images), 0, "forward = Run().Logits");
    }
}
