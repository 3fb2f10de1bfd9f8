using AttentionCourse.Data;
using AttentionCourse.Layers;
using AttentionCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Models.Text;

/// <summary>
/// The BiGRU classifiers against TorchSharp's own bidirectional GRU (packed and unpacked) with copied weights, and
/// against a per-review computation written out by hand; the bag-of-words model against hand-counted features.
/// </summary>
public class TextClassifierTests
{
    private const long Vocab = 12, E = 5, H = 4;

    private static (Tensor ids, Tensor padding, long[] lengths) Batch()
    {
        long[] lengths = { 6, 2, 4 };
        manual_seed(11);
        var ids = randint(2, Vocab, new long[] { 3, 6 });                                    // real words: ids 2…11
        var padding = Masks.PaddingFromLengths(lengths, 6);
        return (ids.masked_fill(padding, Vocabulary.PaddingId), padding, lengths);
    }

    private static Dictionary<string, Tensor> Parameters(nn.Module module) => module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);

    // TorchSharp's bidirectional GRU with the model's two directions copied in.
    private static TorchSharp.Modules.GRU ReferenceGru(BiGruClassifier model)
    {
        var reference = nn.GRU(E, H, batchFirst: true, bidirectional: true);
        var mine = Parameters(model);
        var theirs = Parameters(reference);
        using (no_grad())
        {
            foreach (var name in new[] { "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0" })
            {
                theirs[name].copy_(mine["forwardGru." + name]);
                theirs[name + "_reverse"].copy_(mine["backwardGru." + name]);
            }
        }
        return reference;
    }

    private static BiGruClassifier Model(Pooling pooling, bool readPadding = false)
    {
        manual_seed(5);
        var model = new BiGruClassifier(Vocab, 2, pooling, E, H, attentionDim: 3, dropout: 0.3, readPadding: readPadding);
        model.eval();
        return model;
    }

    [Fact]
    public void WordStates_EqualTorchSharpsBidirectionalGru_OnPackedSequences()
    {
        var model = Model(Pooling.Attention);
        var (ids, padding, lengths) = Batch();
        var embedded = Parameters(model)["embedding.weight"].index_select(0, ids.flatten()).view(3, 6, E);
        var packed = nn.utils.rnn.pack_padded_sequence(embedded, tensor(lengths), batch_first: true, enforce_sorted: false);
        var (output, _) = ReferenceGru(model).call(packed);
        var (expected, _) = nn.utils.rnn.pad_packed_sequence(output, batch_first: true, total_length: 6);
        TestSupport.AssertClose(expected, model.Encode(ids, padding), 1e-5, "states = packed bidirectional GRU");
        // The padding's content is never read: other ids in the padded slots change nothing.
        TestSupport.AssertClose(model.Encode(ids, padding), model.Encode(ids.masked_fill(padding, 7), padding), 0, "padding ids ignored");
    }

    [Fact]
    public void ReadingPadding_EqualsTheUnpackedBidirectionalGru_AndDependsOnThePadding()
    {
        var model = Model(Pooling.Attention, readPadding: true);
        var (ids, padding, _) = Batch();
        var embedded = Parameters(model)["embedding.weight"].index_select(0, ids.flatten()).view(3, 6, E);
        var (expected, _) = ReferenceGru(model).call(embedded);
        TestSupport.AssertClose(expected.masked_fill(padding.unsqueeze(-1), 0), model.Encode(ids, padding), 1e-5, "states = unpacked bidirectional GRU");
        // Row 1 (2 words) padded to 6 vs to 3: its backward states differ, because the backward GRU starts in the padding.
        var shorter = model.Encode(ids.narrow(1, 0, 3), padding.narrow(1, 0, 3));
        var gap = (shorter[1].narrow(0, 0, 2) - model.Encode(ids, padding)[1].narrow(0, 0, 2)).abs().max().item<float>();
        Assert.True(gap > 1e-3, $"reading the padding should make the states depend on it; max change {gap}");
        var correct = Model(Pooling.Attention);
        TestSupport.AssertClose(correct.Encode(ids.narrow(1, 0, 3), padding.narrow(1, 0, 3))[1].narrow(0, 0, 2),
            correct.Encode(ids, padding)[1].narrow(0, 0, 2), 1e-6, "the correct model does not depend on the padding");
    }

    [Theory]
    [InlineData(Pooling.Attention)]
    [InlineData(Pooling.Mean)]
    public void Logits_AndWeights_EqualAPerReviewComputationByHand(Pooling pooling)
    {
        var model = Model(pooling);
        var (ids, padding, lengths) = Batch();
        var (logits, weights) = model.Classify(ids, padding);
        Assert.Equal(new long[] { 3, 2 }, logits.shape);
        Assert.Equal(new long[] { 3, 6 }, weights.shape);
        Assert.Equal(0f, weights.masked_select(padding).abs().sum().item<float>());        // padding: exactly zero weight
        var p = Parameters(model);
        var reference = ReferenceGru(model);
        for (int row = 0; row < 3; row++)
        {
            // One review alone, unpadded: TorchSharp's bidirectional GRU needs no packing.
            var words = ids[row].narrow(0, 0, lengths[row]);
            var (states, _) = reference.call(p["embedding.weight"].index_select(0, words).unsqueeze(0));   // (1, L, 2H)
            var h = states.squeeze(0);                                                                     // (L, 2H)
            Tensor alpha;
            if (pooling == Pooling.Attention)
            {
                var u = (h.matmul(p["attention.hidden.weight"].t()) + p["attention.hidden.bias"]).tanh(); // (L, A)
                var scores = u.matmul(p["attention.score.weight"].t()).squeeze(1) + p["attention.score.bias"];
                alpha = scores.softmax(0);                                                                  // (L)
            }
            else alpha = full(lengths[row], 1.0f / lengths[row]);
            var pooled = (alpha.unsqueeze(1) * h).sum(dim: 0);                                                // (2H)
            var expected = pooled.matmul(p["classifier.weight"].t()) + p["classifier.bias"];               // (2)
            TestSupport.AssertClose(expected, logits[row], 1e-5, $"row {row} logits");
            TestSupport.AssertClose(alpha, weights[row].narrow(0, 0, lengths[row]), 1e-6, $"row {row} weights");
        }
    }

    [Fact]
    public void BadInput_IsAnArgumentErrorNamingTheArgument()
    {
        var model = Model(Pooling.Attention);
        var (ids, padding, _) = Batch();
        TestSupport.AssertArgumentError(() => model.Classify(ids, padding.narrow(1, 0, 5)), "keyPadding", "(3, 6)", "(3, 5)");
        var holes = padding.clone();
        holes[0, 2] = tensor(true);
        TestSupport.AssertArgumentError(() => model.Classify(ids, holes), "keyPadding", "suffix");
        TestSupport.AssertArgumentError(() => model.Classify(ids, ones(3, 6, dtype: ScalarType.Bool)), "keyPadding", "at least one real word", "row 0");
        TestSupport.AssertArgumentError(() => model.Classify(ids.to_type(ScalarType.Int32), padding), "ids", "Int64");
        TestSupport.AssertArgumentError(() => new BiGruClassifier(Vocab, 2, Pooling.Mean, dropout: 1.0), "dropout", "[0, 1)", "1");
    }

    [Fact]
    public void ReverseWithinLength_ReversesTheRealPositions_AndIsItsOwnInverse()
    {
        var order = BiGruClassifier.ReverseWithinLength(tensor(new long[] { 3, 1, 5 }), 5);
        Assert.Equal(new long[] { 2, 1, 0, 3, 4, 0, 1, 2, 3, 4, 4, 3, 2, 1, 0 }, order.data<long>().ToArray());
        TestSupport.AssertClose(arange(5).expand(3, 5), order.gather(1, order), 0, "applying it twice is the identity");
    }

    [Fact]
    public void BagOfWords_FeaturesAreWordPresence_AndLogitsAreAffine_ByHand()
    {
        manual_seed(3);
        var model = new BagOfWordsClassifier(6, 2);
        // Row 0: words 2, 3, 2 (2 twice → still 1), unknown (1) ignored; row 1: word 5 then padding (0).
        var ids = tensor(new long[] { 2, 3, 2, 1, 5, 0, 0, 0 }).view(2, 4);
        var padding = Masks.PaddingFromLengths(new long[] { 4, 1 }, 4);
        var features = model.Features(ids, padding);
        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1 }, features.data<float>().ToArray());
        var w = model.WordWeights.detach().to_type(ScalarType.Float64);
        var b = Parameters(model)["linear.bias"].detach().to_type(ScalarType.Float64);
        var logits = model.call(ids, padding).to_type(ScalarType.Float64);
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(w[c, 2].item<double>() + w[c, 3].item<double>() + b[c].item<double>(), logits[0, c].item<double>(), 5);
            Assert.Equal(w[c, 5].item<double>() + b[c].item<double>(), logits[1, c].item<double>(), 5);
        }
        TestSupport.AssertArgumentError(() => model.Features(ids.add(3), padding), "ids", "[0, 5]", "8");
    }
}
