using AttentionCourse.Layers;
using AttentionCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Models.Text;

public class DecoderOnlyTransformerTests
{
    static DecoderOnlyTransformer Small(bool preNorm = true, bool tie = false, bool causal = true, long vocabulary = 11)
    {
        manual_seed(3);
        var model = new DecoderOnlyTransformer(new DecoderOnlyConfig(vocabulary, BlockSize: 12, Width: 16, Layers: 2, Heads: 4)
            { PreNorm = preNorm, TieWeights = tie, Causal = causal });
        model.eval();
        return model;
    }

    static Tensor Ids(long batch, long length, long vocabulary = 11, int seed = 4)
        => randint(vocabulary, new[] { batch, length }, generator: new Generator((ulong)seed));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FutureTokens_DoNotChangeEarlierLogits(bool preNorm)
    {
        var model = Small(preNorm);
        var ids = Ids(2, 10);
        var changed = ids.clone();
        changed[.., 6..] = (changed[.., 6..] + 1) % 11;                                    // change positions 6…9
        using var noGrad = no_grad();
        var a = model.call(ids);
        var b = model.call(changed);
        TestSupport.AssertClose(a[.., ..6], b[.., ..6], 1e-6, "logits before the change");
        Assert.True((a[.., 6..] - b[.., 6..]).abs().max().item<float>() > 1e-3, "later logits do change");
    }

    [Fact]
    public void WithoutTheCausalMask_FutureTokensLeakIntoEarlierLogits()
    {
        var model = Small(causal: false);
        var ids = Ids(2, 10);
        var changed = ids.clone();
        changed[.., 9] = (changed[.., 9] + 1) % 11;
        using var noGrad = no_grad();
        Assert.True((model.call(ids)[.., 0] - model.call(changed)[.., 0]).abs().max().item<float>() > 1e-4);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void CachedDecoding_EqualsUncached_AtEveryStep(bool preNorm, bool tie)
    {
        var model = Small(preNorm, tie);
        var ids = Ids(3, 12);
        using var noGrad = no_grad();
        using var cache = model.NewCache(3);
        var prefill = model.Decode(ids[.., ..4], cache);                                   // a 4-token prompt, then one at a time
        TestSupport.AssertClose(model.call(ids[.., ..4]), prefill, 1e-5, "prompt");
        for (int t = 4; t < 12; t++)
        {
            var cached = model.Decode(ids[.., t..(t + 1)], cache).select(1, 0);            // (B, V)
            var full = model.call(ids[.., ..(t + 1)]).select(1, -1);                        // (B, V)
            TestSupport.AssertClose(full, cached, 1e-5, $"step {t}");
        }
        Assert.Equal(12, cache.Length);
        TestSupport.AssertArgumentError(() => model.Decode(ids[.., ..1], cache), "ids", "block size (12)", "13 (12 cached + 1 new)");
    }

    [Fact]
    public void GreedyGeneration_WithAndWithoutCache_GivesTheSameTokens_AndIsSeeded()
    {
        var model = Small();
        var prompt = Ids(2, 3);
        var cached = model.Generate(prompt, 9, SamplingSettings.Greedy, useCache: true);   // 3 + 9 = block size
        var uncached = model.Generate(prompt, 9, SamplingSettings.Greedy, useCache: false);
        Assert.Equal(cached.data<long>().ToArray(), uncached.data<long>().ToArray());
        // Sampling with the same seed draws the same tokens; beyond the block size the cache is refilled and generation goes on.
        var settings = new SamplingSettings(1.0, TopK: 5);
        var first = model.Generate(prompt, 30, settings, new Generator(7));
        var second = model.Generate(prompt, 30, settings, new Generator(7));
        Assert.Equal(new long[] { 2, 30 }, first.shape);
        Assert.Equal(first.data<long>().ToArray(), second.data<long>().ToArray());
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void ParameterCount_EqualsTheHandCount(bool preNorm, bool tie)
    {
        var model = Small(preNorm, tie);
        long V = 11, T = 12, E = 16, L = 2, F = 4 * E;
        long perBlock = (3 * E * E + 3 * E) + (E * E + E)                                   // attention: packed q,k,v + output projection
                      + (E * F + F) + (F * E + E)                                           // feed-forward
                      + 2 * (2 * E);                                                        // two LayerNorms (gain, bias)
        long expected = V * E + T * E + L * perBlock + (preNorm ? 2 * E : 0) + (tie ? 0 : E * V);
        Assert.Equal(expected, model.ParameterCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LossAtInitialisation_IsCloseToLnV(bool preNorm)
    {
        manual_seed(8);
        long V = 77;
        var model = new DecoderOnlyTransformer(new DecoderOnlyConfig(V, 32, 64, 4, 4) { PreNorm = preNorm });
        model.eval();
        using var noGrad = no_grad();
        var ids = Ids(16, 33, V);
        double loss = model.Loss(ids[.., ..32], ids[.., 1..]).item<float>();
        Assert.InRange(loss, Math.Log(V) - 0.05, Math.Log(V) + 0.05);
    }

    [Fact]
    public void AttentionMaps_AreCausalDistributions_AndMatchEachBlocksWeights()
    {
        var model = Small();
        var ids = Ids(2, 7);
        using var noGrad = no_grad();
        var maps = model.AttentionMaps(ids);                                               // (L, B, H, T, T)
        Assert.Equal(new long[] { 2, 2, 4, 7, 7 }, maps.shape);
        TestSupport.AssertClose(ones(2, 2, 4, 7), maps.sum(-1), 1e-5, "rows sum to 1");
        Assert.Equal(0f, maps.triu(1).abs().max().item<float>());                          // nothing above the diagonal
        // Layer 0's maps are the first block's weights on the embedded input.
        var embedded = model.named_modules().Single(m => m.name == "tokenEmbedding").module;
        var x = ((TorchSharp.Modules.Embedding)embedded).call(ids) + model.named_parameters().Single(p => p.name == "positionEmbedding.positions.weight").parameter.narrow(0, 0, 7);
        TestSupport.AssertClose(model.Blocks[0].AttentionWeightsFor(x, null, true, perHead: true), maps[0], 1e-6, "layer 0");
    }

    [Fact]
    public void GradientFlowsToEveryParameter()
    {
        var model = Small(tie: true);
        model.train();
        var ids = Ids(2, 9);
        model.Loss(ids[.., ..8], ids[.., 1..]).backward();
        foreach (var (name, p) in model.named_parameters())
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"{name} gets a gradient");
    }

    [Fact]
    public void BadInput_IsAClearError()
    {
        var model = Small();
        TestSupport.AssertArgumentError(() => model.call(Ids(1, 13)), "ids", "block size (12)", "got 13");
        TestSupport.AssertArgumentError(() => model.call(randn(1, 4)), "ids", "Int64", "Float32");
        TestSupport.AssertArgumentError(() => new DecoderOnlyTransformer(new DecoderOnlyConfig(11, 8, 10, 1, 4)), "Width", "4");
        var open = Small(causal: false);
        using var cache = open.NewCache(1);
        Assert.Throws<InvalidOperationException>(() => open.Decode(Ids(1, 2), cache));
    }
}
