using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Layers;

public class KeyValueCacheTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CachedSelfAttention_EqualsFullCausalAttention_ChunkByChunk(bool rotary)
    {
        manual_seed(21);
        var attention = new MultiHeadAttention(16, 4, rotary: rotary ? new RotaryPositionalEncoding(4, 32) : null);
        var x = randn(2, 10, 16);
        using var noGrad = no_grad();
        var full = attention.SelfAttention(x, causal: true, weights: AttentionWeights.Averaged).output;   // manual path, explicit mask
        using var cache = new KeyValueCache(2, 4, 16, 4);
        var pieces = new List<Tensor>();
        foreach (var (start, length) in new (long, long)[] { (0, 3), (3, 1), (4, 4), (8, 1), (9, 1) })
            pieces.Add(attention.SelfAttention(x.narrow(1, start, length), cache));
        TestSupport.AssertClose(full, cat(pieces, 1), 1e-5, "cached chunks vs full causal attention");
        Assert.Equal(10, cache.Length);
    }

    [Fact]
    public void KernelCausalPath_EqualsTheExplicitMask()
    {
        manual_seed(22);
        var attention = new MultiHeadAttention(16, 4);
        var x = randn(3, 7, 16);
        using var noGrad = no_grad();
        var kernel = attention.SelfAttention(x, causal: true).output;                       // is_causal in the fused kernel
        var masked = attention.SelfAttention(x, keyPadding: zeros(3, 7, dtype: ScalarType.Bool), causal: true).output; // explicit mask
        var manual = attention.SelfAttention(x, causal: true, weights: AttentionWeights.PerHead).output;
        TestSupport.AssertClose(masked, kernel, 1e-6, "is_causal vs explicit causal mask");
        TestSupport.AssertClose(manual, kernel, 1e-5, "is_causal vs manual path");
    }

    [Fact]
    public void Cache_ChecksShapesAndCapacity()
    {
        using var cache = new KeyValueCache(1, 2, 3, 4);
        cache.Append(ones(1, 2, 2, 4), ones(1, 2, 2, 4) * 2);
        TestSupport.AssertClose(ones(1, 2, 2, 4) * 2, cache.Values, 0, "stored values");
        TestSupport.AssertArgumentError(() => cache.Append(ones(1, 2, 2, 4), ones(1, 2, 2, 4)), "newKeys", "holds 2 of 3", "appending 2");
        TestSupport.AssertArgumentError(() => cache.Append(ones(1, 3, 1, 4), ones(1, 3, 1, 4)), "newKeys", "(1, 2, T, 4)", "(1, 3, 1, 4)");
        cache.Reset();
        Assert.Equal(0, cache.Length);
        cache.Append(zeros(1, 2, 3, 4), zeros(1, 2, 3, 4));
        Assert.Equal(3, cache.Length);
    }

    [Fact]
    public void LearnedPositions_WithAnOffset_AddTheRowsOfThosePositions()
    {
        manual_seed(23);
        var positions = new LearnedPositionalEncoding(4, 6);
        var x = zeros(1, 6, 4);
        using var noGrad = no_grad();
        var all = positions.call(x);                                                         // rows 0…5
        TestSupport.AssertClose(all.narrow(1, 2, 3), positions.Add(zeros(1, 3, 4), 2), 0, "rows 2…4");
        TestSupport.AssertArgumentError(() => positions.Add(zeros(1, 3, 4), 4), "input", "[0, 6)", "4…6");
    }
}
