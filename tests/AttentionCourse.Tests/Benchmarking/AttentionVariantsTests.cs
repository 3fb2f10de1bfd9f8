using AttentionCourse.Benchmarking;
using AttentionCourse.Layers;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Benchmarking;

public class AttentionVariantsTests
{
    [Fact]
    public void With_KeepsTheOrderOfAll_AndUsesItsSettings()
    {
        var small = AttentionVariants.With(new VariantSettings(Window: 3, LinformerLength: 5, LshBuckets: 4, LshChunk: 8, LshRounds: 1, TopK: 2));
        Assert.Equal(AttentionVariants.All.Select(v => v.Name), small.Select(v => v.Name));
        Assert.Contains("±3", small.Single(v => v.Name == "window").Description);
        Assert.Contains("k = 5", small.Single(v => v.Name == "linformer").Description);
        Assert.Contains("k = 2", small.Single(v => v.Name == "topk").Description);
        Assert.Contains("±256", AttentionVariants.SlidingWindow.Description);             // the benchmark's settings are unchanged
    }

    [Fact]
    public void WindowAndTopK_WithSettingsThatCoverTheSequence_AreExactAttention()
    {
        // A window of ±(T − 1) and k = T keep every key: both must then equal softmax(QKᵀ/√d)V.
        manual_seed(180);
        long T = 12;
        var q = randn(2, 3, T, 8); var k = randn(2, 3, T, 8); var v = randn(2, 3, T, 8);
        var (expected, _) = Attention.ScaledDotProduct(q, k, v);
        var covering = AttentionVariants.With(new VariantSettings(Window: T - 1, TopK: T));
        foreach (var name in new[] { "window", "topk" })
            TestSupport.AssertClose(expected, covering.Single(x => x.Name == name).Create(T, 8)(q, k, v), 1e-5, name);

        // …and a narrower window is a different function (the settings reach the kernel).
        var narrow = AttentionVariants.With(new VariantSettings(Window: 1)).Single(x => x.Name == "window").Create(T, 8)(q, k, v);
        TestSupport.AssertClose(SlidingWindowAttention.Forward(q, k, v, 1), narrow, 1e-6, "window ±1");
        Assert.True((narrow - expected).abs().max().item<float>() > 1e-2, "a ±1 window differs from full attention");
    }
}
