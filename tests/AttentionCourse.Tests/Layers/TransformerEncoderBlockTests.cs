using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Layers;

public class TransformerEncoderBlockTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Block_ComputesTheResidualFormItSays(bool preNorm)
    {
        manual_seed(50);
        var block = new TransformerEncoderBlock(8, 2, 16, preNorm: preNorm);
        block.eval();
        var modules = block.named_children().ToDictionary(c => c.name, c => c.module);
        var attentionNorm = (TorchSharp.Modules.LayerNorm)modules["attentionNorm"];
        var feedForwardNorm = (TorchSharp.Modules.LayerNorm)modules["feedForwardNorm"];
        var feedForward = (TorchSharp.Modules.Sequential)modules["feedForward"];
        var x = randn(2, 5, 8);
        Tensor expected;
        if (preNorm)
        {
            var h = x + block.Attention.SelfAttention(attentionNorm.call(x)).output;
            expected = h + feedForward.call(feedForwardNorm.call(h));
        }
        else
        {
            var h = attentionNorm.call(x + block.Attention.SelfAttention(x).output);
            expected = feedForwardNorm.call(h + feedForward.call(h));
        }
        TestSupport.AssertClose(expected, block.call(x, null, false), 1e-5);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WithoutResiduals_EachSublayerReplacesItsInput(bool preNorm)
    {
        manual_seed(51);
        var block = new TransformerEncoderBlock(8, 2, 16, preNorm: preNorm, residual: false);
        block.eval();
        var modules = block.named_children().ToDictionary(c => c.name, c => c.module);
        var attentionNorm = (TorchSharp.Modules.LayerNorm)modules["attentionNorm"];
        var feedForwardNorm = (TorchSharp.Modules.LayerNorm)modules["feedForwardNorm"];
        var feedForward = (TorchSharp.Modules.Sequential)modules["feedForward"];
        var x = randn(2, 5, 8);
        var expected = preNorm
            ? feedForward.call(feedForwardNorm.call(block.Attention.SelfAttention(attentionNorm.call(x)).output))
            : feedForwardNorm.call(feedForward.call(attentionNorm.call(block.Attention.SelfAttention(x).output)));
        TestSupport.AssertClose(expected, block.call(x, null, false), 1e-5);
        Assert.False(block.Residual);
    }

    [Fact]
    public void WithAnEfficientKernel_TheBlockHasNoMultiHeadAttention_AndSaysSo()
    {
        var block = new TransformerEncoderBlock(8, 2, 16, kernel: SelfAttentionKernel.Linear);
        Assert.NotNull(block.EfficientAttention);
        var error = Assert.Throws<InvalidOperationException>(() => block.Attention);
        Assert.Contains("linear", error.Message);
        Assert.Equal(new long[] { 2, 5, 8 }, block.call(randn(2, 5, 8), null, false).shape);
    }
}
