using AttentionCourse.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Models;

/// <summary>
/// SmallCnn's first convolution must read every input pixel. With all kernel weights set to 1 and the bias to 0, the
/// gradient of the summed stem output with respect to pixel (r, c) counts, over output channels, the stem windows that
/// contain (r, c): 0 means the pixel never reaches the network.
/// </summary>
public class SmallCnnStemTests
{
    /// <summary>∂(Σ conv(x))/∂x with unit weights and zero bias: per pixel, channels × windows covering it.</summary>
    private static Tensor Coverage(Conv2d conv, long side)
    {
        using (no_grad())
        {
            conv.weight!.fill_(1.0);
            conv.bias?.zero_();
        }
        var x = zeros(1, 1, side, side, requires_grad: true);
        conv.call(x).sum().backward();
        return x.grad!.squeeze();                                                               // (side, side)
    }

    /// <summary>Independent reference: how many windows of (kernel, stride, padding) cover index i of a side-n axis.</summary>
    private static int[] WindowsCovering(int n, int kernel, int stride, int padding)
    {
        var outputs = (n + 2 * padding - kernel) / stride + 1;
        var count = new int[n];
        for (int o = 0; o < outputs; o++)
            for (int k = 0; k < kernel; k++)
            {
                var i = o * stride - padding + k;
                if (i >= 0 && i < n) count[i]++;
            }
        return count;
    }

    [Fact]
    public void Stride4Stem_ReadsEveryPixelExactlyOnce_AndKeepsTheMapSizes()
    {
        torch.manual_seed(11);
        var cnn = new SmallCnn(10, width: 32, stemStride: 4);
        Assert.Equal(4, cnn.StemConv.weight!.shape[2]);                                       // 4×4 kernel
        Assert.Equal(4, cnn.StemConv.weight!.shape[3]);
        var coverage = Coverage(cnn.StemConv, 56);
        // Non-overlapping 4×4 cells tiling 56×56: every pixel sits in exactly one window, for each of the 8 channels.
        TestSupport.AssertClose(full(56, 56, 8f), coverage, 0, "every pixel read once per channel");
        // Map sizes unchanged: 56 → 14 (stem) → 7 (after the max-pool).
        cnn.eval();
        var images = randn(2, 1, 56, 56);
        Assert.Equal(new long[] { 2, 8, 14, 14 }, cnn.StemConv.call(images).shape);
        Assert.Equal(new long[] { 2, 32, 7, 7 }, cnn.Backbone(images).shape);
    }

    [Fact]
    public void Old3x3Stride4Stem_NeverReadsAboutHalfThePixels()
    {
        // The stem SmallCnn used to build for stride 4: the same coverage measurement must detect its holes.
        var old = nn.Conv2d(1, 8, 3, stride: 4, padding: 1);
        var coverage = Coverage(old, 56);
        var reference = WindowsCovering(56, kernel: 3, stride: 4, padding: 1);
        var readRows = reference.Count(c => c > 0);
        Assert.Equal(41, readRows);                                                           // rows ≡ 2 (mod 4) and row 55 are skipped
        var expected = new float[56, 56];
        for (int r = 0; r < 56; r++) for (int c = 0; c < 56; c++) expected[r, c] = 8f * reference[r] * reference[c];
        TestSupport.AssertClose(tensor(expected), coverage, 0, "3×3 stride-4 coverage vs window counting");
        var unread = (coverage == 0).to_type(ScalarType.Float32).mean().item<float>();
        Assert.Equal(1 - 41.0 * 41.0 / (56.0 * 56.0), unread, 5);                             // 46.4 % never read
        Assert.True(unread > 0.4);
    }

    [Fact]
    public void Stride2Stem_IsStill3x3Padding1_AndCoversEveryPixel()
    {
        torch.manual_seed(12);
        var cnn = new SmallCnn(10, width: 16, stemStride: 2);
        Assert.Equal(new long[] { 4, 1, 3, 3 }, cnn.StemConv.weight!.shape);
        var coverage = Coverage(cnn.StemConv, 28);
        var reference = WindowsCovering(28, kernel: 3, stride: 2, padding: 1);
        Assert.All(reference, c => Assert.True(c > 0));
        var expected = new float[28, 28];
        for (int r = 0; r < 28; r++) for (int c = 0; c < 28; c++) expected[r, c] = 4f * reference[r] * reference[c];
        TestSupport.AssertClose(tensor(expected), coverage, 0, "3×3 stride-2 coverage vs window counting");
    }

    [Fact]
    public void ParameterCount_ByHand()
    {
        // width C = 32: channels 8, 16, 32; 10 classes.
        long Conv(long cin, long cout, long k) => cin * cout * k * k + cout;                 // weights + bias
        long BatchNorm(long c) => 2 * c;                                                     // γ, β (running stats are buffers)
        long common = BatchNorm(8) + Conv(8, 16, 3) + BatchNorm(16) + Conv(16, 32, 3) + BatchNorm(32) + (32 * 10 + 10);
        long stride4 = Conv(1, 8, 4) + common;                                               // 136 + 6,250
        long stride2 = Conv(1, 8, 3) + common;                                               // 80 + 6,250
        Assert.Equal(6386, stride4);
        Assert.Equal(6330, stride2);
        long Count(SmallCnn m) => m.parameters().Sum(p => p.numel());
        Assert.Equal(stride4, Count(new SmallCnn(10, width: 32, stemStride: 4)));
        Assert.Equal(stride2, Count(new SmallCnn(10, width: 32, stemStride: 2)));
        // SE adds its two-layer channel MLP, C → C/4 → C with biases: 32·8 + 8 + 8·32 + 32 = 552.
        Assert.Equal(stride4 + 552, Count(new SmallCnn(10, BlockAttention.SqueezeExcitation, width: 32, stemStride: 4)));
    }
}
