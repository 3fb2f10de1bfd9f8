using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Layers;

/// <summary>Each approximate layer against plain attention in the setting where it must be exact.</summary>
public class ApproximateAttentionTests
{
    private static Tensor Plain(Tensor q, Tensor k, Tensor v, Tensor? allowed) => Attention.ScaledDotProduct(q, k, v, allowed).output;

    [Theory]
    [InlineData(1, false, false)]
    [InlineData(3, true, false)]
    [InlineData(5, false, true)]
    [InlineData(4, true, true)]
    public void SlidingWindow_EqualsPlainAttentionUnderTheBandMask(long window, bool padding, bool causal)
    {
        manual_seed(70);
        long B = 2, H = 2, T = 29, D = 8;
        var q = randn(B, H, T, D); var k = randn(B, H, T, D); var v = randn(B, H, T, D);
        var keyPadding = padding ? Masks.PaddingFromLengths(new long[] { 29, 17 }, T) : null;
        var i = arange(T).unsqueeze(1); var j = arange(T).unsqueeze(0);
        var band = (i - j).abs().le(window).view(1, 1, T, T);
        var allowed = Masks.Allowed(B, T, T, keyPadding, causal);
        allowed = allowed is null ? band : allowed.logical_and(band);
        TestSupport.AssertClose(Plain(q, k, v, allowed), SlidingWindowAttention.Forward(q, k, v, window, keyPadding, causal: causal, block: 8), 1e-5);
    }

    [Fact]
    public void SlidingWindow_WithGlobalTokens_EqualsPlainAttentionUnderTheLongformerMask()
    {
        manual_seed(71);
        long B = 1, H = 2, T = 30, D = 8, w = 2;
        var q = randn(B, H, T, D); var k = randn(B, H, T, D); var v = randn(B, H, T, D);
        var globals = new long[] { 0, 17 };
        var i = arange(T).unsqueeze(1); var j = arange(T).unsqueeze(0);
        var allowed = (i - j).abs().le(w);
        foreach (var g in globals) { allowed[g] = tensor(true); allowed[TensorIndex.Colon, g] = tensor(true); }
        var expected = Plain(q, k, v, allowed.view(1, 1, T, T));
        TestSupport.AssertClose(expected, SlidingWindowAttention.Forward(q, k, v, w, globalPositions: globals, block: 7), 1e-5);
    }

    [Fact]
    public void SlidingWindow_WiderThanTheSequence_IsPlainAttention()
    {
        manual_seed(72);
        var x = randn(1, 2, 12, 8);
        TestSupport.AssertClose(Plain(x, x, x, null), SlidingWindowAttention.Forward(x, x, x, window: 12), 1e-5);
    }

    [Fact]
    public void TopK_WithKEqualToTheLength_IsPlainAttention_AndKeepsKWeights()
    {
        manual_seed(73);
        var q = randn(2, 2, 9, 8); var k = randn(2, 2, 11, 8); var v = randn(2, 2, 11, 8);
        TestSupport.AssertClose(Plain(q, k, v, null), TopKAttention.Forward(q, k, v, topK: 11).output, 1e-6);
        var (output, weights) = TopKAttention.Forward(q, k, v, topK: 3);
        // The kept keys are exactly the 3 highest-scoring ones, weighted by a softmax over those 3 alone.
        var scores = Attention.ScaledDotScores(q, k);
        var top = scores.topk(3, dim: -1).indexes;
        var kept = zeros_like(scores, dtype: ScalarType.Bool).scatter(-1, top, ones_like(top, dtype: ScalarType.Bool));
        Assert.True(weights.gt(0).eq(kept).all().item<bool>(), "weights are non-zero exactly on the top 3 keys");
        TestSupport.AssertClose(Plain(q, k, v, kept), output, 1e-5, "softmax over the kept keys");
    }

    [Fact]
    public void Linformer_WithIdentityProjections_IsPlainAttention()
    {
        manual_seed(74);
        long T = 10;
        var layer = new LinformerAttention(maxLength: T, projectedLength: T);
        using (no_grad()) { layer.KeyProjection.copy_(eye(T)); layer.ValueProjection.copy_(eye(T)); }
        var q = randn(2, 2, T, 8); var k = randn(2, 2, T, 8); var v = randn(2, 2, T, 8);
        TestSupport.AssertClose(Plain(q, k, v, null), layer.call(q, k, v, null), 1e-5);
    }

    [Fact]
    public void Linformer_ProjectsKeysAndValuesAlongTheSequence()
    {
        manual_seed(75);
        var layer = new LinformerAttention(maxLength: 16, projectedLength: 4);
        var q = randn(1, 2, 12, 8); var k = randn(1, 2, 12, 8); var v = randn(1, 2, 12, 8);
        var e = layer.KeyProjection.narrow(1, 0, 12); var f = layer.ValueProjection.narrow(1, 0, 12);
        TestSupport.AssertClose(Plain(q, e.matmul(k), f.matmul(v), null), layer.call(q, k, v, null), 1e-5);
    }

    [Fact]
    public void Lsh_WithOneBucketAndOneChunk_IsPlainSharedQkAttention()
    {
        manual_seed(76);
        long B = 2, H = 2, T = 13, D = 8;
        var qk = randn(B, H, T, D); var v = randn(B, H, T, D);
        var padding = Masks.PaddingFromLengths(new long[] { 13, 6 }, T);
        foreach (var causal in new[] { false, true })
        {
            var layer = new LshAttention(D, bucketCount: 1, hashRounds: 3, chunkLength: 64, causal: causal);
            // Plain shared-QK attention: unit keys, no attending to oneself unless nothing else is visible.
            var allowed = Masks.Allowed(B, T, T, padding, causal)!.expand(B, H, T, T);
            var self = eye(T, dtype: ScalarType.Bool).view(1, 1, T, T);
            var others = allowed.logical_and(self.logical_not());
            allowed = others.logical_or(self.logical_and(allowed).logical_and(others.any(-1, keepdim: true).logical_not()));
            var expected = Plain(qk, functional.normalize(qk, dim: -1), v, allowed);
            TestSupport.AssertClose(expected, layer.call(qk, v, padding), 1e-5, causal ? "causal" : "non-causal");
        }
    }

    [Fact]
    public void Lsh_HashesOppositeVectorsIntoPairedBuckets()
    {
        // argmax([xR; −xR]): negating x moves it from bucket b to bucket b ± n/2.
        manual_seed(79);
        var layer = new LshAttention(8, bucketCount: 8, hashRounds: 1);
        var x = randn(1, 1, 50, 8);
        var b = layer.Buckets(x, 0);
        TestSupport.AssertClose((b + 4).remainder(8), layer.Buckets(-x, 0), 0);
        Assert.True(b.unique().Item1.shape[0] > 1, "50 random vectors use more than one bucket");
    }

    /// <summary>
    /// LSH attention with several buckets, chunks and rounds against a dense re-implementation from its definition:
    /// in each round, position i sees position j if j's sorted chunk is i's or the one before it (cyclically); rounds are
    /// combined by the softmax of their log-sum-exps. No sorting, gathering or scattering in the reference.
    /// </summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Lsh_WithBucketsChunksAndRounds_EqualsItsDenseDefinition(bool causal, bool padding)
    {
        manual_seed(80);
        long B = 2, H = 2, T = 40, D = 8, c = 8, rounds = 2;
        var qk = randn(B, H, T, D); var v = randn(B, H, T, D);
        var keyPadding = padding ? Masks.PaddingFromLengths(new long[] { 40, 27 }, T) : null;
        var layer = new LshAttention(D, bucketCount: 4, hashRounds: rounds, chunkLength: c, causal: causal);
        var keys = functional.normalize(qk, dim: -1);
        var outputs = new List<Tensor>(); var logSumExps = new List<Tensor>();
        for (int r = 0; r < rounds; r++)
        {
            var rank = (layer.Buckets(qk, r) * T + arange(T)).argsort(-1).argsort(-1);   // (B, H, T): place in sorted order
            var chunk = rank.div(c, rounding_mode: RoundingMode.floor);                   // (B, H, T)
            long n = (T + c - 1) / c;
            var ci = chunk.unsqueeze(-1); var cj = chunk.unsqueeze(-2);                   // (B, H, T, 1), (B, H, 1, T)
            var visible = cj.eq(ci).logical_or(cj.eq((ci - 1 + n).remainder(n)));
            var allowed = visible;
            var extra = Masks.Allowed(B, T, T, keyPadding, causal);
            if (extra is not null) allowed = allowed.logical_and(extra);
            var self = eye(T, dtype: ScalarType.Bool).view(1, 1, T, T);
            var others = allowed.logical_and(self.logical_not());
            allowed = others.logical_or(self.logical_and(allowed).logical_and(others.any(-1, keepdim: true).logical_not()));
            outputs.Add(Plain(qk, keys, v, allowed));
            logSumExps.Add(Attention.ScaledDotScores(qk, keys).masked_fill(allowed.logical_not(), double.NegativeInfinity).logsumexp(-1));
        }
        var lse = stack(logSumExps, -1);
        var expected = (stack(outputs, -1) * Attention.MaskedSoftmax(lse, lse.isfinite()).unsqueeze(3)).sum(-1);
        TestSupport.AssertClose(expected, layer.call(qk, v, keyPadding), 1e-5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Linear_QueryWithNoVisibleKey_GivesZerosAndFiniteGradients(bool causal)
    {
        var q = randn(2, 1, 5, 4).requires_grad_(); var k = randn(2, 1, 5, 4).requires_grad_(); var v = randn(2, 1, 5, 4).requires_grad_();
        var padding = Masks.PaddingFromLengths(new long[] { 5, 0 }, 5);
        var output = LinearAttention.Forward(q, k, v, padding, causal, chunk: 2);
        Assert.Equal(0f, output[1].abs().sum().item<float>());
        output.sum().backward();
        foreach (var x in new[] { q, k, v }) Assert.False(x.grad!.isnan().any().item<bool>(), "NaN in a gradient");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Linear_EqualsItsQuadraticForm(bool causal)
    {
        manual_seed(77);
        var q = randn(2, 2, 23, 8); var k = randn(2, 2, 23, 8); var v = randn(2, 2, 23, 6);
        var padding = Masks.PaddingFromLengths(new long[] { 23, 15 }, 23);
        TestSupport.AssertClose(LinearAttention.Quadratic(q, k, v, padding, causal), LinearAttention.Forward(q, k, v, padding, causal, chunk: 5), 1e-5);
        // The quadratic form itself, by hand for one causal row: weights ∝ φ(q)·φ(k), j ≤ i.
        var phiQ = LinearAttention.FeatureMap(q[0, 0, 4]); var phiK = LinearAttention.FeatureMap(k[0, 0].narrow(0, 0, 5));
        var a = phiK.matmul(phiQ);                                                   // (5)
        var expectedRow = (a / a.sum()).matmul(v[0, 0].narrow(0, 0, 5));
        TestSupport.AssertClose(expectedRow, LinearAttention.Quadratic(q, k, v, null, causal: true)[0, 0, 4], 1e-5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Linear_WithoutAutograd_WorksInPieces_AndEqualsTheAutogradPath(bool padding)
    {
        // B·H·D = 16,384 makes the pieces 64 positions long, so 150 keys and queries span three pieces, the last one short.
        manual_seed(75);
        var q = randn(1, 64, 150, 256); var k = randn(1, 64, 150, 256); var v = randn(1, 64, 150, 256);
        var keyPadding = padding ? Masks.PaddingFromLengths(new long[] { 97 }, 150) : null;
        var inPieces = LinearAttention.Forward(q, k, v, keyPadding);                         // no autograd: the pieces path
        var whole = LinearAttention.Forward(q.requires_grad_(), k, v, keyPadding);          // autograd: the whole-tensor path
        TestSupport.AssertClose(whole, inPieces, 1e-5);
        TestSupport.AssertClose(LinearAttention.Quadratic(q.detach(), k, v, keyPadding), inPieces, 1e-4, "the quadratic form");
    }

    [Fact]
    public void Planner_ChoosesByLengthAndBudget_AndEachChoiceRuns()
    {
        var exact = AttentionPlanner.Choose(1, 8, 512, 64, memoryBudgetBytes: 64L << 20);
        Assert.Equal(AttentionKind.Exact, exact.Kind);
        var chunked = AttentionPlanner.Choose(1, 8, 8192, 64, memoryBudgetBytes: 256L << 20);
        Assert.Equal(AttentionKind.Chunked, chunked.Kind);
        Assert.Contains("MiB", chunked.Reason);
        var windowed = AttentionPlanner.Choose(1, 8, 65_536, 64, memoryBudgetBytes: 256L << 20);
        Assert.Equal(AttentionKind.SlidingWindow, windowed.Kind);
        Assert.Contains("65536", windowed.Reason);
        manual_seed(78);
        var x = randn(1, 2, 40, 8);
        var plain = Plain(x, x, x, null);
        TestSupport.AssertClose(plain, AttentionPlanner.Run(exact, x, x, x), 1e-5);
        TestSupport.AssertClose(plain, AttentionPlanner.Run(chunked with { Block = 16 }, x, x, x), 1e-5);
        TestSupport.AssertClose(plain, AttentionPlanner.Run(windowed with { Window = 40, Block = 16 }, x, x, x), 1e-5);
        TestSupport.AssertArgumentError(() => AttentionPlanner.Choose(1, 8, 65_536, 64, memoryBudgetBytes: 1024), "memoryBudgetBytes", "1024", "MiB");
    }

    [Fact]
    public void BadInput_NamesArgumentExpectedAndActual()
    {
        var x = randn(1, 2, 8, 4);
        TestSupport.AssertArgumentError(() => SlidingWindowAttention.Forward(x, x, x, window: 0), "window", "at least 1", "0");
        TestSupport.AssertArgumentError(() => SlidingWindowAttention.Forward(x, randn(1, 2, 9, 4), randn(1, 2, 9, 4), window: 2), "key", "8", "9");
        TestSupport.AssertArgumentError(() => SlidingWindowAttention.Forward(x, x, x, 2, globalPositions: new long[] { 8 }), "globalPositions", "[0, 8)", "8");
        TestSupport.AssertArgumentError(() => TopKAttention.Forward(x, x, x, topK: 9), "topK", "[1, 8]", "9");
        TestSupport.AssertArgumentError(() => TopKAttention.Forward(x, x, x, topK: 0), "topK", "[1, 8]", "0");
        TestSupport.AssertArgumentError(() => new LinformerAttention(maxLength: 8, projectedLength: 9), "projectedLength", "8", "9");
        TestSupport.AssertArgumentError(() => new LinformerAttention(16, 4).call(randn(1, 2, 17, 4), randn(1, 2, 17, 4), randn(1, 2, 17, 4), null), "key", "16", "17");
        TestSupport.AssertArgumentError(() => new LshAttention(4, bucketCount: 3), "bucketCount", "even", "3");
        TestSupport.AssertArgumentError(() => new LshAttention(4, bucketCount: 16).call(x, x, null), "queryKey", "16", "8");
        TestSupport.AssertArgumentError(() => new LshAttention(4, 2, chunkLength: 0), "chunkLength", "at least 1", "0");
        TestSupport.AssertArgumentError(() => LinearAttention.Forward(x, x, x, chunk: 0), "chunk", "at least 1", "0");
    }
}
