using AttentionCourse.Layers;
using AttentionCourse.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Models;

public class Seq2SeqTests
{
    private const long Vocabulary = 7;   // pad, unk, bos, eos + three symbols
    private const long Bos = 2, Eos = 3;

    private static Seq2SeqModel SmallModel(DecoderAttention attention, int seed = 1)
    {
        manual_seed(seed);
        var model = new Seq2SeqModel(new Seq2SeqSizes(9, Vocabulary, attention, EmbeddingDim: 5, EncoderHidden: 4, AttentionDim: 6));
        model.to(ScalarType.Float64).eval();
        return model;
    }

    private static (Tensor ids, Tensor padding) Sources()
    {
        var ids = tensor(new long[] { 4, 5, 6, 7, 8, 5, 7, 0, 0, 0, 6, 0, 0, 0, 0 }, new long[] { 3, 5 });
        return (ids, Masks.PaddingFromLengths(new long[] { 5, 2, 1 }, 5));
    }

    /// <summary>The encoder equals TorchSharp's own bidirectional GRU with the same weights, run on each sequence unpadded.</summary>
    [Fact]
    public void Encoder_EqualsBuiltInBidirectionalGru_PerUnpaddedSequence()
    {
        manual_seed(3);
        var encoder = new BiGruEncoder(inputDim: 3, hiddenDim: 4);
        encoder.to(ScalarType.Float64);
        var reference = GRU(3, 4, batchFirst: true, bidirectional: true);
        reference.to(ScalarType.Float64);
        var ours = encoder.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
            foreach (var (name, parameter) in reference.named_parameters())
            {
                var source = name.EndsWith("_reverse") ? "backwardGru." + name[..^"_reverse".Length] : "forwardGru." + name;
                parameter.copy_(ours[source]);
            }
        var input = randn(3, 5, 3, dtype: ScalarType.Float64);
        long[] lengths = { 5, 2, 3 };
        var memory = encoder.call(input, Masks.PaddingFromLengths(lengths, 5));
        for (int b = 0; b < 3; b++)
        {
            var alone = input[b].narrow(0, 0, lengths[b]).unsqueeze(0);                       // (1, L, 3)
            var (expected, hidden) = reference.call(alone, null);                             // (1, L, 8), (2, 1, 4)
            TestSupport.AssertClose(expected[0], memory.Outputs[b].narrow(0, 0, lengths[b]), 1e-12, $"outputs of row {b}");
            TestSupport.AssertClose(cat(new[] { hidden[0, 0], hidden[1, 0] }, 0), memory.Final[b], 1e-12, $"summary of row {b}");
            Assert.Equal(0.0, memory.Outputs[b].narrow(0, lengths[b], 5 - lengths[b]).abs().sum().item<double>());
        }
    }

    [Fact]
    public void Encoder_RejectsRowsWithoutRealPositions()
    {
        var encoder = new BiGruEncoder(3, 4);
        TestSupport.AssertArgumentError(() => encoder.call(randn(2, 3, 3), Masks.PaddingFromLengths(new long[] { 3, 0 }, 3)), "keyPadding", "row 1");
        TestSupport.AssertArgumentError(() => encoder.call(randn(2, 3, 5), null), "input", "inputDim", "3", "5");
    }

    [Theory]
    [InlineData(DecoderAttention.None)]
    [InlineData(DecoderAttention.Bahdanau)]
    [InlineData(DecoderAttention.LuongDot)]
    [InlineData(DecoderAttention.LuongGeneral)]
    public void TeacherForcedLoss_EqualsAManualStepLoop(DecoderAttention attention)
    {
        var model = SmallModel(attention);
        var (ids, padding) = Sources();
        var inputs = tensor(new long[] { Bos, 4, 5, 6, Bos, 6, 0, 0, Bos, 4, 4, 0 }, new long[] { 3, 4 });
        var outputs = tensor(new long[] { 4, 5, 6, Eos, 6, Eos, 0, 0, 4, 4, Eos, 0 }, new long[] { 3, 4 });
        var (logits, weights) = model.call(ids, padding, inputs);
        Assert.Equal(new long[] { 3, 4, Vocabulary }, logits.shape);
        Assert.Equal(new long[] { 3, 4, 5 }, weights.shape);
        // The manual loop: Step by Step, feeding the true previous token, summing −log p of every real target token.
        var memory = model.Encode(ids, padding);
        var state = model.Decoder.InitialState(memory);
        double total = 0; int count = 0;
        for (int t = 0; t < 4; t++)
        {
            var step = model.Decoder.Step(inputs.select(1, t), state, memory);
            TestSupport.AssertClose(step.Logits, logits.select(1, t), 1e-10, $"logits at step {t}");
            TestSupport.AssertClose(step.Weights, weights.select(1, t), 1e-10, $"weights at step {t}");
            var logProbabilities = functional.log_softmax(step.Logits, 1);
            for (int b = 0; b < 3; b++)
            {
                long target = outputs[b, t].item<long>();
                if (target == 0) continue;
                total -= logProbabilities[b, target].item<double>();
                count++;
            }
            state = step.State;
        }
        Assert.Equal(total / count, model.Loss(ids, padding, inputs, outputs).item<double>(), 10);
    }

    [Theory]
    [InlineData(DecoderAttention.Bahdanau)]
    [InlineData(DecoderAttention.LuongDot)]
    [InlineData(DecoderAttention.LuongGeneral)]
    public void PaddedSourcePositions_GetZeroAlignment_AndChangeNothing(DecoderAttention attention)
    {
        var model = SmallModel(attention);
        var (ids, padding) = Sources();
        var inputs = tensor(new long[] { Bos, 4, 5, Bos, 6, 4, Bos, 5, 5 }, new long[] { 3, 3 });
        var (logits, weights) = model.call(ids, padding, inputs);
        Assert.Equal(0.0, weights.masked_select(padding.unsqueeze(1).expand(3, 3, 5)).abs().sum().item<double>());
        TestSupport.AssertClose(ones(3, 3, dtype: ScalarType.Float64), weights.sum(2), 1e-12, "weights sum to 1");
        // More padding, filled with real-looking ids, changes nothing.
        var longer = cat(new[] { ids, full(new long[] { 3, 4 }, 5L, dtype: ScalarType.Int64) }, 1);
        var (logits2, weights2) = model.call(longer, Masks.PaddingFromLengths(new long[] { 5, 2, 1 }, 9), inputs);
        TestSupport.AssertClose(logits, logits2, 1e-12, "logits with more padding");
        TestSupport.AssertClose(weights, weights2.narrow(2, 0, 5), 1e-12, "weights with more padding");
    }

    /// <summary>One Bahdanau step recomputed from the layer's parameters: α = softmax over real positions of vᵀ tanh(W s₀ + U hⱼ + b).</summary>
    [Fact]
    public void BahdanauStep_MatchesTheFormula()
    {
        var model = SmallModel(DecoderAttention.Bahdanau);
        var (ids, padding) = Sources();
        var memory = model.Encode(ids, padding);
        var s0 = model.Decoder.InitialState(memory);
        var step = model.Decoder.Step(full(new long[] { 3 }, Bos, dtype: ScalarType.Int64), s0, memory);
        var p = model.Decoder.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        var scores = (s0.matmul(p["additive.queryProjection.weight"].t()).unsqueeze(1)
                      + memory.Outputs.matmul(p["additive.keyProjection.weight"].t()) + p["additive.keyProjection.bias"]).tanh()
                     .matmul(p["additive.scoreVector"]);                                    // (B, S)
        var expected = functional.softmax(scores.masked_fill(padding, double.NegativeInfinity), 1);
        TestSupport.AssertClose(expected, step.Weights, 1e-12, "Bahdanau weights");
    }

    /// <summary>Without attention the decoder sees only the summary: other encoder outputs do not matter.</summary>
    [Fact]
    public void NoAttention_ReadsOnlyTheSummary()
    {
        var model = SmallModel(DecoderAttention.None);
        var (ids, padding) = Sources();
        var memory = model.Encode(ids, padding);
        var inputs = tensor(new long[] { Bos, 4, Bos, 5, Bos, 6 }, new long[] { 3, 2 });
        var (logits, weights) = model.Decoder.call(memory, inputs);
        var scrambled = new EncoderMemory(randn_like(memory.Outputs), memory.Final, padding);
        TestSupport.AssertClose(logits, model.Decoder.call(scrambled, inputs).logits, 1e-12, "logits");
        Assert.Equal(0.0, weights.abs().sum().item<double>());
    }

    [Fact]
    public void BeamOfWidthOne_IsGreedy()
    {
        foreach (var attention in new[] { DecoderAttention.Bahdanau, DecoderAttention.LuongGeneral, DecoderAttention.None })
        {
            var model = SmallModel(attention, seed: 7);
            var (ids, padding) = Sources();
            var options = new DecodingOptions(Bos, Eos, MaxLength: 6);
            var greedy = model.Greedy(ids, padding, options);
            var beam = model.Beam(ids, padding, options, width: 1);
            for (int b = 0; b < 3; b++)
            {
                Assert.Equal(greedy[b].Tokens, beam[b].Tokens);
                Assert.Equal(greedy[b].LogProbability, beam[b].LogProbability, 10);
                Assert.Equal(greedy[b].Tokens.Length, greedy[b].Alignment.Length);
            }
        }
    }

    /// <summary>
    /// Brute force: every sequence of at most 4 tokens (ending with &lt;eos&gt;, or cut at 4) scored by teacher forcing; a beam
    /// wide enough never to prune returns the best of them, and its log-probability is that sequence's.
    /// </summary>
    [Theory]
    [InlineData(DecoderAttention.Bahdanau, 11)]
    [InlineData(DecoderAttention.LuongDot, 12)]
    public void WideBeam_FindsTheBestSequence_ByBruteForce(DecoderAttention attention, int seed)
    {
        var model = SmallModel(attention, seed);
        var (ids, padding) = Sources();
        const int maxLength = 4;
        var options = new DecodingOptions(Bos, Eos, maxLength);
        long[] allowed = { 1, 3, 4, 5, 6 };                                                  // all ids but pad and bos
        var candidates = new List<long[]>();
        void Extend(List<long> prefix)
        {
            foreach (var token in allowed)
            {
                var next = prefix.Append(token).ToList();
                if (token == Eos || next.Count == maxLength) candidates.Add(next.ToArray());
                else Extend(next);
            }
        }
        Extend(new List<long>());
        for (int b = 0; b < 3; b++)
        {
            var row = tensor(new long[] { b });
            var memory = model.Encode(ids.index_select(0, row), padding.index_select(0, row));
            double Score(long[] sequence)
            {
                var inputs = tensor(sequence.Take(sequence.Length - 1).Prepend(Bos).ToArray()).unsqueeze(0);
                var logProbabilities = functional.log_softmax(model.Decoder.call(memory, inputs).logits[0], 1);   // (T, V)
                return sequence.Select((token, t) => logProbabilities[t, token].item<double>()).Sum();
            }
            var scored = candidates.Select(c => (c, score: Score(c))).OrderByDescending(x => x.score).ToArray();
            var best = model.Beam(ids.index_select(0, row), padding.index_select(0, row), options, width: 200)[0];
            Assert.Equal(scored[0].c, best.Tokens);
            Assert.Equal(scored[0].score, best.LogProbability, 9);
        }
    }

    [Fact]
    public void BadSettings_NameTheArgument()
    {
        TestSupport.AssertArgumentError(() => new AttentionDecoder(7, 4, hiddenDim: 6, memoryDim: 8, DecoderAttention.LuongDot), "hiddenDim", "8", "6");
        var model = SmallModel(DecoderAttention.Bahdanau);
        var (ids, padding) = Sources();
        TestSupport.AssertArgumentError(() => model.Beam(ids, padding, new DecodingOptions(Bos, Eos, 5), width: 0), "width", "1", "0");
        var memory = model.Encode(ids, padding);
        TestSupport.AssertArgumentError(() => SequenceDecoding.BeamSearch(model.Decoder, memory, new DecodingOptions(Bos, Eos, 5), 2), "memory", "3");
    }
}
