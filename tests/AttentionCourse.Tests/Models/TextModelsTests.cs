using AttentionCourse.Layers;
using AttentionCourse.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Models;

public class BiLstmEncoderTests
{
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>One LSTM direction by its equations (PyTorch's gate order i, f, g, o), float64, over x[0..length).</summary>
    private static double[][] Direction(double[][] x, double[,] wih, double[,] whh, double[] bih, double[] bhh, bool reverse)
    {
        int H = bih.Length / 4, n = x.Length;
        var h = new double[H]; var c = new double[H];
        var outputs = new double[n][];
        for (int step = 0; step < n; step++)
        {
            int t = reverse ? n - 1 - step : step;
            var gates = new double[4 * H];
            for (int g = 0; g < 4 * H; g++)
            {
                double s = bih[g] + bhh[g];
                for (int j = 0; j < x[t].Length; j++) s += wih[g, j] * x[t][j];
                for (int j = 0; j < H; j++) s += whh[g, j] * h[j];
                gates[g] = s;
            }
            for (int k = 0; k < H; k++)
            {
                double i = Sigmoid(gates[k]), f = Sigmoid(gates[H + k]), gg = Math.Tanh(gates[2 * H + k]), o = Sigmoid(gates[3 * H + k]);
                c[k] = f * c[k] + i * gg;
                h[k] = o * Math.Tanh(c[k]);
            }
            outputs[t] = (double[])h.Clone();
        }
        return outputs;
    }

    private static double[,] Matrix(Tensor t)
    {
        var d = t.to_type(ScalarType.Float64).data<double>().ToArray();
        int rows = (int)t.shape[0], cols = (int)t.shape[1];
        var m = new double[rows, cols];
        for (int r = 0; r < rows; r++) for (int k = 0; k < cols; k++) m[r, k] = d[r * cols + k];
        return m;
    }

    [Fact]
    public void EachSequence_IsReadOnlyToItsLength_InBothDirections_AsTheLstmEquationsSay()
    {
        manual_seed(11);
        var encoder = new BiLstmEncoder(3, 4);
        var p = encoder.named_parameters().ToDictionary(x => x.name, x => x.parameter.detach());
        var input = randn(2, 5, 3);
        var padding = Masks.PaddingFromLengths(new long[] { 5, 3 }, 5);
        var output = encoder.call(input, padding);                                          // (2, 5, 8)
        Assert.Equal(new long[] { 2, 5, 8 }, output.shape);
        foreach (var (b, length) in new[] { (0, 5), (1, 3) })
        {
            var x = Enumerable.Range(0, length).Select(t => input[b, t].to_type(ScalarType.Float64).data<double>().ToArray()).ToArray();
            double[] V(string n) => p[n].to_type(ScalarType.Float64).data<double>().ToArray();
            var forward = Direction(x, Matrix(p["forwardLstm.weight_ih_l0"]), Matrix(p["forwardLstm.weight_hh_l0"]), V("forwardLstm.bias_ih_l0"), V("forwardLstm.bias_hh_l0"), reverse: false);
            var backward = Direction(x, Matrix(p["backwardLstm.weight_ih_l0"]), Matrix(p["backwardLstm.weight_hh_l0"]), V("backwardLstm.bias_ih_l0"), V("backwardLstm.bias_hh_l0"), reverse: true);
            for (int t = 0; t < length; t++)
            {
                var expected = tensor(forward[t].Concat(backward[t]).ToArray());
                TestSupport.AssertClose(expected, output[b, t].to_type(ScalarType.Float64), 1e-5, $"row {b}, position {t}");
            }
        }
        Assert.Equal(0.0, output[1].narrow(0, 3, 2).abs().sum().item<float>());            // zeros at padding
    }

    [Fact]
    public void ARowOfPaddingOnly_IsAnArgumentError()
    {
        var encoder = new BiLstmEncoder(3, 4);
        TestSupport.AssertArgumentError(() => encoder.call(randn(2, 4, 3), Masks.PaddingFromLengths(new long[] { 4, 0 }, 4)), "keyPadding", "at least one token");
    }
}

public class SequenceTaggerTests
{
    private static (Tensor ids, Tensor padding) Batch()
    {
        var ids = tensor(new long[] { 5, 6, 7, 8, 9, 3, 4, 0, 0, 0 }).view(2, 5);
        return (ids, ids.eq(0));
    }

    [Theory]
    [InlineData(TaggerContext.BiLstmOnly)]
    [InlineData(TaggerContext.SelfAttention)]
    [InlineData(TaggerContext.SelfOnlyAttention)]
    [InlineData(TaggerContext.LayerNormOnly)]
    public void OneLabelPerToken_PerLabelSet_AndPaddedTokensChangeNothing(TaggerContext context)
    {
        manual_seed(3);
        var model = new SequenceTagger(12, new long[] { 12, 5 }, context, embeddingDim: 8, hiddenDim: 8, numHeads: 2);
        model.eval();
        var (ids, padding) = Batch();
        var (logits, weights) = model.TagWithAttention(ids, padding);
        Assert.Equal(new long[] { 2, 5, 12 }, logits[0].shape);
        Assert.Equal(new long[] { 2, 5, 5 }, logits[1].shape);
        // Other ids at padded positions: real positions' logits are unchanged (masked in the LSTM and in attention).
        var other = model.call(ids.masked_fill(padding, 11), padding);
        TestSupport.AssertClose(logits[0][1].narrow(0, 0, 2), other[0][1].narrow(0, 0, 2), 1e-5, "padding ignored");
        TestSupport.AssertClose(logits[0][0], other[0][0], 1e-5, "other rows untouched");
        if (context is TaggerContext.BiLstmOnly or TaggerContext.LayerNormOnly) { Assert.Null(weights); return; }
        Assert.Equal(new long[] { 2, 5, 5 }, weights!.shape);
        Assert.Equal(0f, weights[1].narrow(1, 2, 3).abs().sum().item<float>());             // no weight on padded keys
        TestSupport.AssertClose(ones(7), weights.sum(-1).masked_select(padding.logical_not()), 1e-5, "real tokens' rows sum to 1");
        if (context == TaggerContext.SelfOnlyAttention)
            TestSupport.AssertClose(eye(5).unsqueeze(0).expand(2, 5, 5) * padding.logical_not().unsqueeze(1), weights, 0, "each token on itself");
    }

    [Theory]
    [InlineData(TaggerContext.SelfAttention)]
    [InlineData(TaggerContext.SelfOnlyAttention)]
    public void Logits_EqualTheLayersComposedByHand(TaggerContext context)
    {
        // Embedding → BiLSTM → softmax(QKᵀ/√d) over real keys (only itself, for SelfOnly) → residual + LayerNorm → linear,
        // written out with the model's own sub-modules and the manual attention path.
        manual_seed(4);
        var model = new SequenceTagger(12, new long[] { 3 }, context, embeddingDim: 8, hiddenDim: 8, numHeads: 2);
        model.eval();
        var (ids, padding) = Batch();
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var h = ((BiLstmEncoder)modules["encoder"]).call(((TorchSharp.Modules.Embedding)modules["embedding"]).call(ids), padding);   // (2, 5, 16)
        var mha = (MultiHeadAttention)modules["attention"];
        var qkv = functional.linear(h, mha.InputProjectionWeight, mha.InputProjectionBias).view(2, 5, 3, 2, 8).permute(2, 0, 3, 1, 4);
        var allowed = padding.logical_not().view(2, 1, 1, 5).expand(2, 1, 5, 5);
        if (context == TaggerContext.SelfOnlyAttention) allowed = allowed.logical_and(eye(5, dtype: ScalarType.Bool));
        var (context4, _) = Attention.ScaledDotProduct(qkv[0], qkv[1], qkv[2], allowed);     // (2, 2, 5, 8)
        var attended = mha.OutputProjection.call(context4.transpose(1, 2).reshape(2, 5, 16));
        var z = ((TorchSharp.Modules.LayerNorm)modules["norm"]).call(h + attended);
        var expected = ((TorchSharp.Modules.Linear)modules["classifiers.0"]).call(z);
        TestSupport.AssertClose(expected, model.call(ids, padding)[0], 1e-5, "composed by hand");
    }

    [Fact]
    public void LayerNormOnly_IsTheBiLstmWithANormBeforeTheClassifier_FromTheSameDraw()
    {
        // Embedding → BiLSTM → LayerNorm over the feature axis, written out in float64 with mean and biased variance → linear.
        manual_seed(6);
        var plain = new SequenceTagger(12, new long[] { 3 }, TaggerContext.BiLstmOnly, embeddingDim: 8, hiddenDim: 8, numHeads: 2);
        manual_seed(6);
        var model = new SequenceTagger(12, new long[] { 3 }, TaggerContext.LayerNormOnly, embeddingDim: 8, hiddenDim: 8, numHeads: 2);
        model.eval(); plain.eval();
        var own = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in plain.named_parameters())                       // a LayerNorm draws no random numbers
            TestSupport.AssertClose(parameter, own[name], 0, $"same initial {name}");
        Assert.Equal(new[] { "norm.bias", "norm.weight" }, own.Keys.Except(plain.named_parameters().Select(p => p.name)).OrderBy(k => k, StringComparer.Ordinal));
        var (ids, padding) = Batch();
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var h = model.Encode(ids, padding).to_type(ScalarType.Float64);                  // (2, 5, 16)
        var mean = h.mean(new long[] { -1 }, keepdim: true);
        var variance = (h - mean).pow(2).mean(new long[] { -1 }, keepdim: true);
        var z = (h - mean) / (variance + 1e-5).sqrt() * own["norm.weight"].to_type(ScalarType.Float64) + own["norm.bias"].to_type(ScalarType.Float64);
        var linear = (TorchSharp.Modules.Linear)modules["classifiers.0"];
        var expected = z.matmul(linear.weight!.to_type(ScalarType.Float64).t()) + linear.bias!.to_type(ScalarType.Float64);
        TestSupport.AssertClose(expected.to_type(ScalarType.Float32), model.call(ids, padding)[0], 1e-5, "LayerNorm(h) then the classifier");
        Assert.Null(model.SelfAttentionLayer);
    }

    [Fact]
    public void TokenLoss_IsTheMeanCrossEntropyOverRealTokens()
    {
        manual_seed(5);
        var logits = randn(2, 3, 4, dtype: ScalarType.Float64);
        var labels = tensor(new long[] { 1, 0, 3, 2, 7, 7 }).view(2, 3);      // 7 at padding: never read
        var padding = Masks.PaddingFromLengths(new long[] { 3, 1 }, 3);
        var logp = functional.log_softmax(logits, -1);
        double expected = -(logp[0, 0, 1].item<double>() + logp[0, 1, 0].item<double>() + logp[0, 2, 3].item<double>() + logp[1, 0, 2].item<double>()) / 4;
        Assert.Equal(expected, SequenceTagger.TokenLoss(logits, labels, padding).item<double>(), 12);
    }

    [Fact]
    public void BadSettings_AreArgumentErrors()
    {
        TestSupport.AssertArgumentError(() => new SequenceTagger(10, new long[] { 1 }, TaggerContext.BiLstmOnly), "labelCounts", "[1]");
        TestSupport.AssertArgumentError(() => new SequenceTagger(10, new long[] { 3 }, TaggerContext.SelfAttention, hiddenDim: 5, numHeads: 4), "embedDim", "(10)", "numHeads (4)");
    }
}

public class StructuredSelfAttentionTests
{
    [Fact]
    public void Penalty_MatchesHandComputations()
    {
        // Identical one-hot rows: A Aᵀ = all ones, minus I leaves r² − r ones.
        var same = tensor(new double[] { 1, 0, 0, 1, 0, 0 }).view(1, 2, 3);
        Assert.Equal(2.0, StructuredSelfAttention.RedundancyPenalty(same).item<double>(), 12);
        // Rows (½, ½, 0) and (0, ½, ½): A Aᵀ = [[½, ¼], [¼, ½]]; (A Aᵀ − I)² sums to ¼ + ¼ + 1/16 + 1/16 = 0.625.
        var overlapping = tensor(new double[] { 0.5, 0.5, 0, 0, 0.5, 0.5 }).view(1, 2, 3);
        Assert.Equal(0.625, StructuredSelfAttention.RedundancyPenalty(overlapping).item<double>(), 12);
        // One-hot rows on distinct positions: 0. The batch mean of the three: (2 + 0.625 + 0) / 3.
        var distinct = tensor(new double[] { 1, 0, 0, 0, 0, 1 }).view(1, 2, 3);
        Assert.Equal(0.0, StructuredSelfAttention.RedundancyPenalty(distinct).item<double>(), 12);
        Assert.Equal(2.625 / 3, StructuredSelfAttention.RedundancyPenalty(cat(new[] { same, overlapping, distinct }, 0)).item<double>(), 12);
    }

    [Fact]
    public void HopOverlap_IsTheSharedMass_BetweenDistinctRows()
    {
        var overlapping = tensor(new double[] { 0.5, 0.5, 0, 0, 0.5, 0.5 }).view(1, 2, 3);
        Assert.Equal(0.5, StructuredSelfAttention.HopOverlap(overlapping), 12);
        // Three rows: pairs (1,2) share 1, (1,3) and (2,3) share 0 → mean over the 6 ordered pairs = 2/6.
        var three = tensor(new double[] { 1, 0, 0, 1, 0, 0, 0, 0, 1 }).view(1, 3, 3);
        Assert.Equal(1.0 / 3, StructuredSelfAttention.HopOverlap(three), 12);
        TestSupport.AssertArgumentError(() => StructuredSelfAttention.HopOverlap(ones(1, 1, 3)), "weights.shape[1] (hops)", "at least 2");
    }

    [Fact]
    public void Forward_EqualsTheEquations_WithPaddingMasked()
    {
        manual_seed(8);
        var layer = new StructuredSelfAttention(4, 5, 3);
        var h = randn(2, 4, 4);
        var padding = Masks.PaddingFromLengths(new long[] { 4, 2 }, 4);
        var (m, a) = layer.call(h, padding);
        Assert.Equal(new long[] { 2, 3, 4 }, m.shape);
        Assert.Equal(new long[] { 2, 3, 4 }, a.shape);
        var w1 = layer.ScorerWeight.detach().to_type(ScalarType.Float64);
        var w2 = layer.HopWeight.detach().to_type(ScalarType.Float64);
        foreach (var (b, length) in new[] { (0, 4), (1, 2) })
        {
            var hb = h[b].narrow(0, 0, length).to_type(ScalarType.Float64);                 // (n, D)
            for (int i = 0; i < 3; i++)
            {
                var scores = Enumerable.Range(0, length).Select(t => w2[i].dot(w1.matmul(hb[t]).tanh()).item<double>()).ToArray();
                double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
                var expected = scores.Select(s => Math.Exp(s - max) / sum).Concat(Enumerable.Repeat(0.0, 4 - length)).ToArray();
                TestSupport.AssertClose(tensor(expected), a[b, i].to_type(ScalarType.Float64), 1e-6, $"A[{b}, {i}]");
                TestSupport.AssertClose(tensor(expected).narrow(0, 0, length).matmul(hb), m[b, i].to_type(ScalarType.Float64), 1e-5, $"M[{b}, {i}]");
            }
        }
    }

    [Fact]
    public void PenaltyGradient_MatchesFiniteDifferences()
    {
        manual_seed(9);
        var a = functional.softmax(randn(2, 3, 4, dtype: ScalarType.Float64), -1).requires_grad_();
        TestSupport.AssertGradientsMatchFiniteDifferences(() => StructuredSelfAttention.RedundancyPenalty(a), new[] { a });
    }
}

public class SentenceClassifierTests
{
    [Theory]
    [InlineData(SentencePooling.Mean)]
    [InlineData(SentencePooling.SelfAttentive)]
    public void LogitsPerSentence_PaddingIgnored_AndPoolingWeightsOverRealTokens(SentencePooling pooling)
    {
        manual_seed(12);
        var model = new SentenceClassifier(10, 3, pooling, hops: 2, embeddingDim: 6, hiddenDim: 4, attentionDim: 5, mlpDim: 7);
        model.eval();
        var ids = tensor(new long[] { 2, 3, 4, 5, 6, 7, 0, 0 }).view(2, 4);
        var padding = ids.eq(0);
        var (logits, weights) = model.Classify(ids, padding);
        Assert.Equal(new long[] { 2, 3 }, logits.shape);
        Assert.Equal(new long[] { 2, pooling == SentencePooling.Mean ? 1 : 2, 4 }, weights.shape);
        Assert.Equal(0f, weights[1].narrow(1, 2, 2).abs().sum().item<float>());
        TestSupport.AssertClose(logits, model.call(ids.masked_fill(padding, 9), padding), 1e-5, "padding ignored");
        if (pooling == SentencePooling.Mean) TestSupport.AssertClose(tensor(new float[] { 0.5f, 0.5f, 0, 0 }), weights[1, 0], 1e-7, "uniform");
    }

    [Fact]
    public void EncodeAndHead_ComposeToClassify_WithLinsAttentionWrittenOut()
    {
        // A = softmax over real positions of W_s2 tanh(W_s1 Hᵀ), M = A H, logits = Head(M flattened), in float64.
        manual_seed(15);
        var model = new SentenceClassifier(10, 3, SentencePooling.SelfAttentive, hops: 2, embeddingDim: 6, hiddenDim: 4, attentionDim: 5, mlpDim: 7);
        model.eval();
        var ids = tensor(new long[] { 2, 3, 4, 5, 6, 7, 0, 0 }).view(2, 4);
        var padding = ids.eq(0);
        var (logits, weights) = model.Classify(ids, padding);
        var h = model.Encode(ids, padding).to_type(ScalarType.Float64);                        // (2, 4, 8)
        var ws1 = model.Attention!.ScorerWeight.detach().to_type(ScalarType.Float64);
        var ws2 = model.Attention!.HopWeight.detach().to_type(ScalarType.Float64);
        for (int b = 0; b < 2; b++)
        {
            long n = b == 0 ? 4 : 2;
            var hb = h[b].narrow(0, 0, n);                                                        // (n, 8)
            var a = ws2.matmul(ws1.matmul(hb.t()).tanh()).softmax(1);                             // (2, n)
            TestSupport.AssertClose(a, weights[b].narrow(1, 0, n).to_type(ScalarType.Float64), 1e-6, $"row {b} attention");
            var m = a.matmul(hb).flatten().unsqueeze(0);                                          // (1, 16)
            TestSupport.AssertClose(model.Head(m.to_type(ScalarType.Float32)), logits[b].unsqueeze(0), 1e-5, $"row {b} logits");
        }
    }
}

public class HierarchicalDialogueEncoderTests
{
    [Theory]
    [InlineData(TurnSummary.Attention)]
    [InlineData(TurnSummary.LastState)]
    [InlineData(TurnSummary.Mean)]
    public void OneAnswerPerDialogue_PaddedWordsAndTurnsChangeNothing(TurnSummary summary)
    {
        manual_seed(13);
        var model = new HierarchicalDialogueEncoder(10, 4, summary, embeddingDim: 6, hiddenDim: 8);
        // Two dialogues of 3 turns of up to 3 words; dialogue 1's first turn is empty (a padded turn).
        var ids = tensor(new long[] { 2, 3, 0, 4, 0, 0, 5, 6, 7, 0, 0, 0, 8, 9, 0, 2, 0, 0 }).view(2, 3, 3);
        var padding = ids.eq(0);
        var (logits, weights) = model.Answer(ids, padding);
        Assert.Equal(new long[] { 2, 4 }, logits.shape);
        TestSupport.AssertClose(logits, model.Answer(ids.masked_fill(padding, 9), padding).logits, 1e-5, "padded words ignored");
        if (summary == TurnSummary.LastState) { Assert.Null(weights); return; }
        Assert.Equal(new long[] { 2, 2 }, weights!.shape);
        Assert.Equal(0f, weights[1, 0].item<float>());                                     // the empty turn gets no weight
        TestSupport.AssertClose(ones(2), weights.sum(-1), 1e-6, "weights sum to 1");
    }

    [Fact]
    public void Answer_EqualsAnUnbatchedComputation_TurnByTurn()
    {
        // Each turn averaged over its real words, the GRU stepped turn by turn with its equations, additive attention of
        // the question's turn vector over the history's: one dialogue at a time, in float64.
        manual_seed(14);
        var model = new HierarchicalDialogueEncoder(10, 4, TurnSummary.Attention, embeddingDim: 6, hiddenDim: 8);
        var ids = tensor(new long[] { 2, 3, 0, 4, 0, 0, 5, 6, 7, 9, 8, 0, 8, 9, 0, 2, 0, 0 }).view(2, 3, 3);
        var padding = ids.eq(0);
        var (logits, weights) = model.Answer(ids, padding);
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter.detach().to_type(ScalarType.Float64));
        for (int b = 0; b < 2; b++)
        {
            var turnVectors = new List<Tensor>();
            for (int t = 0; t < 3; t++)
            {
                var real = Enumerable.Range(0, 3).Where(w => ids[b, t, w].item<long>() != 0).ToArray();
                var features = real.Select(w => (p["wordProjection.weight"].matmul(p["embedding.weight"][ids[b, t, w].item<long>()]) + p["wordProjection.bias"]).tanh()).ToArray();
                turnVectors.Add(features.Aggregate((x, y) => x + y) / features.Length);
            }
            var state = zeros(8, dtype: ScalarType.Float64);
            foreach (var x in turnVectors)
            {
                var gi = p["turnRnn.weight_ih_l0"].matmul(x) + p["turnRnn.bias_ih_l0"];
                var gh = p["turnRnn.weight_hh_l0"].matmul(state) + p["turnRnn.bias_hh_l0"];
                var r = (gi.narrow(0, 0, 8) + gh.narrow(0, 0, 8)).sigmoid();
                var z = (gi.narrow(0, 8, 8) + gh.narrow(0, 8, 8)).sigmoid();
                var n = (gi.narrow(0, 16, 8) + r * gh.narrow(0, 16, 8)).tanh();
                state = (1 - z) * n + z * state;
            }
            var q = turnVectors[2];
            var scores = turnVectors.Take(2).Select(u => p["turnAttention.scoreVector"].dot(
                (p["turnAttention.queryProjection.weight"].matmul(q) + p["turnAttention.keyProjection.weight"].matmul(u) + p["turnAttention.keyProjection.bias"]).tanh()).item<double>()).ToArray();
            double m = scores.Max(), total = scores.Sum(s => Math.Exp(s - m));
            var alpha = scores.Select(s => Math.Exp(s - m) / total).ToArray();
            var context = turnVectors[0] * alpha[0] + turnVectors[1] * alpha[1];
            var expected = p["output.weight"].matmul(cat(new[] { context, state })) + p["output.bias"];
            TestSupport.AssertClose(expected, logits[b].to_type(ScalarType.Float64), 1e-5, $"dialogue {b} logits");
            TestSupport.AssertClose(tensor(alpha), weights![b].to_type(ScalarType.Float64), 1e-6, $"dialogue {b} turn weights");
        }
    }
}
