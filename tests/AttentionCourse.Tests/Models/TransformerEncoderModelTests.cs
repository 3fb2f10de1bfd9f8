using AttentionCourse.Layers;
using AttentionCourse.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Models;

public class TransformerEncoderModelTests
{
    static TransformerEncoderModel Model(PositionalEncodingKind positions, OutputHead head = OutputHead.PerToken, long depth = 2, long heads = 4, SelfAttentionKernel? kernel = null, long maxLength = 16)
    {
        manual_seed(120);
        var model = new TransformerEncoderModel(new TransformerEncoderConfig(VocabSize: 11, OutputDim: 5, MaxLength: maxLength, Width: 16, Heads: heads, Depth: depth,
            Positions: positions, Head: head, Kernel: kernel));
        model.eval();
        return model;
    }

    static Tensor Tokens(long batch, long length, int seed)
    {
        using var generator = new Generator((ulong)seed);
        return randint(0, 11, new[] { batch, length }, generator: generator);
    }

    [Theory]
    [InlineData(1L, 1L)]
    [InlineData(3L, 4L)]
    public void WithoutPositions_PermutingTheInputPermutesTheOutput(long depth, long heads)
    {
        var model = Model(PositionalEncodingKind.None, depth: depth, heads: heads);
        var tokens = Tokens(3, 9, 1);
        var permutation = tensor(new long[] { 4, 0, 8, 2, 7, 1, 3, 6, 5 });
        using var noGrad = no_grad();
        var output = model.call(tokens, null);                                                  // (B, T, C)
        var outputOfPermuted = model.call(tokens.index_select(1, permutation), null);
        TestSupport.AssertClose(output.index_select(1, permutation), outputOfPermuted, 1e-5, "f(Px) = P f(x)");
    }

    [Fact]
    public void WithoutPositions_APooledHeadIsPermutationInvariant()
    {
        var model = Model(PositionalEncodingKind.None, OutputHead.MeanPooled);
        var tokens = Tokens(4, 9, 2);
        using var noGrad = no_grad();
        TestSupport.AssertClose(model.call(tokens, null), model.call(tokens.flip(1), null), 1e-5, "f(Px) = f(x)");
    }

    [Theory]
    [InlineData(PositionalEncodingKind.Sinusoidal)]
    [InlineData(PositionalEncodingKind.Learned)]
    [InlineData(PositionalEncodingKind.Rotary)]
    public void WithPositions_PermutingTheInputChangesTheOutputsBeyondAPermutation(PositionalEncodingKind positions)
    {
        var model = Model(positions);
        var tokens = Tokens(3, 9, 3);
        var permutation = tensor(new long[] { 4, 0, 8, 2, 7, 1, 3, 6, 5 });
        using var noGrad = no_grad();
        double gap = Checks.MaxAbsDifference(model.call(tokens, null).index_select(1, permutation), model.call(tokens.index_select(1, permutation), null));
        Assert.True(gap > 0.05, $"{positions}: max |P f(x) − f(Px)| = {gap:E2} should be far from 0");
    }

    [Fact]
    public void Forward_EqualsItsCompositionFromIndependentPieces()
    {
        // Embedding by one-hot matmul, the sin/cos table written from its formula, the blocks (tested on their own),
        // LayerNorm through functional.layer_norm with the model's parameters, and the head as a matmul.
        var model = Model(PositionalEncodingKind.Sinusoidal, depth: 2);
        var tokens = Tokens(2, 7, 4);
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        using var noGrad = no_grad();
        var x = functional.one_hot(tokens, 11).to_type(ScalarType.Float32).matmul(p["embedding.weight"]); // (B, T, E)
        var table = zeros(7, 16);
        for (int pos = 0; pos < 7; pos++)
            for (int i = 0; i < 8; i++)
            {
                double angle = pos / Math.Pow(10000, 2.0 * i / 16);
                table[pos, 2 * i] = Math.Sin(angle);
                table[pos, 2 * i + 1] = Math.Cos(angle);
            }
        x = x + table;
        foreach (var block in model.Blocks) x = block.call(x, null, false);
        x = functional.layer_norm(x, new long[] { 16 }, p["finalNorm.weight"], p["finalNorm.bias"]);
        var expected = x.matmul(p["head.weight"].t()) + p["head.bias"];                         // (B, T, C)
        TestSupport.AssertClose(expected, model.call(tokens, null), 1e-5);
    }

    [Theory]
    [InlineData(OutputHead.PerToken)]
    [InlineData(OutputHead.MeanPooled)]
    [InlineData(OutputHead.FirstToken)]
    [InlineData(OutputHead.LastToken)]
    public void Shapes_AndPaddedTokensChangeNothingAtRealPositions(OutputHead head)
    {
        var model = Model(PositionalEncodingKind.Learned, head);
        var tokens = Tokens(3, 8, 5);
        var padding = Masks.PaddingFromLengths(new long[] { 8, 5, 2 }, 8);
        using var noGrad = no_grad();
        var output = model.call(tokens, padding);
        Assert.Equal(head == OutputHead.PerToken ? new long[] { 3, 8, 5 } : new long[] { 3, 5 }, output.shape);
        var otherPadding = tokens.masked_fill(padding, 10);                                      // other ids where padded
        var output2 = model.call(otherPadding, padding);
        if (head == OutputHead.PerToken) output2 = output2.masked_fill(padding.unsqueeze(-1), 0.0);
        var reference = head == OutputHead.PerToken ? output.masked_fill(padding.unsqueeze(-1), 0.0) : output;
        TestSupport.AssertClose(reference, output2, 1e-5, "padded content is invisible");
        if (head == OutputHead.LastToken)
        {
            // The second sequence, cut to its 5 real tokens, gives the same prediction.
            TestSupport.AssertClose(output[1], model.call(tokens.narrow(0, 1, 1).narrow(1, 0, 5), null)[0], 1e-5, "reads the last real position");
        }
    }

    [Fact]
    public void ForwardEmbedded_ReturnsEveryLayerInput_AndGradientsReachThem()
    {
        var model = Model(PositionalEncodingKind.Rotary, OutputHead.MeanPooled, depth: 3);
        var tokens = Tokens(2, 6, 6);
        var embedded = model.Embed(tokens).detach().requires_grad_();
        var layers = new List<Tensor>();
        var logits = model.ForwardEmbedded(embedded, null, layers);
        Assert.Equal(4, layers.Count);                                                           // 3 block inputs + the final state
        TestSupport.AssertClose(model.call(tokens, null), logits, 1e-6, "same logits as forward");
        var gradients = autograd.grad(new[] { logits.sum() }, layers.Prepend(embedded).ToArray());
        Assert.All(gradients, g => Assert.True(g.abs().sum().item<float>() > 0));
        TestSupport.AssertClose(gradients[0], gradients[1], 1e-6, "rotary adds nothing to the embeddings, so layer 0's input is the embedding");
    }

    [Fact]
    public void AChunkedModelEqualsTheSoftmaxModelWithTheSameWeights()
    {
        var softmax = Model(PositionalEncodingKind.Sinusoidal, depth: 2);
        var chunked = Model(PositionalEncodingKind.Sinusoidal, depth: 2, kernel: SelfAttentionKernel.Chunked(block: 3));
        foreach (var (a, b) in softmax.Blocks.Zip(chunked.Blocks)) b.EfficientAttention!.CopyProjectionsFrom(a.Attention);
        var source = softmax.named_parameters().Where(p => !p.name.Contains(".attention.")).ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
            foreach (var (name, parameter) in chunked.named_parameters().Where(p => !p.name.Contains(".efficientAttention.")))
                parameter.copy_(source[name]);
        var tokens = Tokens(2, 10, 7);
        var padding = Masks.PaddingFromLengths(new long[] { 10, 6 }, 10);
        using var noGrad = no_grad();
        TestSupport.AssertClose(softmax.call(tokens, padding).masked_fill(padding.unsqueeze(-1), 0), chunked.call(tokens, padding).masked_fill(padding.unsqueeze(-1), 0), 1e-5);
    }

    [Fact]
    public void AttentionWeights_AreRowStochastic_AndZeroOnPadding()
    {
        var model = Model(PositionalEncodingKind.Sinusoidal, depth: 2);
        var tokens = Tokens(2, 6, 8);
        var padding = Masks.PaddingFromLengths(new long[] { 6, 4 }, 6);
        var weights = model.AttentionWeights(tokens, 1, padding, perHead: true);                // (B, H, T, T)
        Assert.Equal(new long[] { 2, 4, 6, 6 }, weights.shape);
        TestSupport.AssertClose(ones(2, 4, 6), weights.sum(-1), 1e-5, "rows sum to 1");
        Assert.Equal(0f, weights[1].narrow(-1, 4, 2).abs().sum().item<float>());
    }

    [Fact]
    public void Predict_GivesClasses_AndRestoresTrainingMode()
    {
        var model = Model(PositionalEncodingKind.None);
        model.train();
        var tokens = Tokens(2, 5, 9);
        var predicted = model.Predict(tokens);
        Assert.Equal(new long[] { 2, 5 }, predicted.shape);
        Assert.True(model.training);
        model.eval();
        TestSupport.AssertClose(model.call(tokens, null).argmax(-1), predicted, 0);
    }

    [Fact]
    public void BadInput_NamesArgumentExpectedAndActual()
    {
        var model = Model(PositionalEncodingKind.Sinusoidal, maxLength: 8);
        TestSupport.AssertArgumentError(() => model.call(tensor(new long[,] { { 1, 11 } }), null), "tokens", "[0, 11)", "11");
        TestSupport.AssertArgumentError(() => model.call(zeros(1, 9, dtype: ScalarType.Int64), null), "tokens", "8", "9");
        TestSupport.AssertArgumentError(() => model.call(zeros(1, 4), null), "tokens", "Int64", "Float32");
        TestSupport.AssertArgumentError(() => model.call(zeros(2, 4, dtype: ScalarType.Int64), ones(2, 5, dtype: ScalarType.Bool)), "keyPadding", "(2, 4)", "(2, 5)");
        TestSupport.AssertArgumentError(() => new TransformerEncoderModel(new TransformerEncoderConfig(11, 5, 8, Width: 18, Heads: 4)), "config.Width", "18", "4");
        TestSupport.AssertArgumentError(() => new TransformerEncoderModel(new TransformerEncoderConfig(11, 5, 8, Depth: 0)), "config.Depth", "at least 1", "0");
        TestSupport.AssertArgumentError(() => model.AttentionWeights(zeros(1, 4, dtype: ScalarType.Int64), 2), "layer", "[0, 2)", "2");
    }
}
