using AttentionCourse.Layers;
using AttentionCourse.Models;
using AttentionCourse.Pitfalls;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Models;

public class RecurrentClassifierTests
{
    static Tensor Tokens(long batch, long length)
    {
        using var generator = new Generator(140);
        return randint(0, 7, new[] { batch, length }, generator: generator);
    }

    /// <summary>The LSTM (or tanh RNN) recurrence written out step by step from the module's own weights (PyTorch's gate order i, f, g, o).</summary>
    static List<Tensor> StatesByHand(RecurrentClassifier model, Tensor embedded, long steps)
    {
        var p = model.Recurrent.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        long B = embedded.shape[0], Hd = p["weight_hh_l0"].shape[1];
        var h = zeros(B, Hd); var c = zeros(B, Hd);
        var states = new List<Tensor>();
        for (long t = 0; t < steps; t++)
        {
            var pre = embedded.select(1, t).matmul(p["weight_ih_l0"].t()) + p["bias_ih_l0"] + h.matmul(p["weight_hh_l0"].t()) + p["bias_hh_l0"];
            if (model.Kind == RecurrentKind.Rnn) h = pre.tanh();
            else
            {
                var gates = pre.chunk(4, 1);
                var (i, f, g, o) = (gates[0].sigmoid(), gates[1].sigmoid(), gates[2].tanh(), gates[3].sigmoid());
                c = f * c + i * g;
                h = o * c.tanh();
            }
            states.Add(h);
        }
        return states;
    }

    [Theory]
    [InlineData(RecurrentKind.Lstm)]
    [InlineData(RecurrentKind.Rnn)]
    public void Forward_EqualsTheRecurrenceWrittenOut(RecurrentKind kind)
    {
        manual_seed(141);
        var model = new RecurrentClassifier(7, 3, embedDim: 5, hiddenDim: 6, kind: kind);
        var tokens = Tokens(2, 8);
        using var noGrad = no_grad();
        var embedded = model.Embed(tokens);
        var head = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        var expected = StatesByHand(model, embedded, 8)[^1].matmul(head["head.weight"].t()) + head["head.bias"];
        TestSupport.AssertClose(expected, model.call(tokens, null), 1e-5);
    }

    [Fact]
    public void MeanReadout_AveragesEveryState()
    {
        manual_seed(144);
        var model = new RecurrentClassifier(7, 3, embedDim: 5, hiddenDim: 6, kind: RecurrentKind.Lstm, readout: RecurrentReadout.MeanOfStates);
        var tokens = Tokens(2, 8);
        using var noGrad = no_grad();
        var head = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        var mean = stack(StatesByHand(model, model.Embed(tokens), 8), 1).mean(new long[] { 1 });      // (B, Hd)
        TestSupport.AssertClose(mean.matmul(head["head.weight"].t()) + head["head.bias"], model.call(tokens, null), 1e-5);
        var padding = Masks.PaddingFromLengths(new long[] { 8, 5 }, 8);
        var meanOfFive = stack(StatesByHand(model, model.Embed(tokens.narrow(0, 1, 1)), 5), 1).mean(new long[] { 1 });
        TestSupport.AssertClose(meanOfFive.matmul(head["head.weight"].t()) + head["head.bias"], model.call(tokens, padding).narrow(0, 1, 1), 1e-5, "padded states are left out");
    }

    [Fact]
    public void WithPadding_ItReadsEachSequencesLastRealState()
    {
        manual_seed(142);
        var model = new RecurrentClassifier(7, 3, kind: RecurrentKind.Gru);
        var tokens = Tokens(3, 8);
        var padding = Masks.PaddingFromLengths(new long[] { 8, 3, 6 }, 8);
        using var noGrad = no_grad();
        var logits = model.call(tokens, padding);
        Assert.Equal(new long[] { 3, 3 }, logits.shape);
        TestSupport.AssertClose(model.call(tokens.narrow(0, 1, 1).narrow(1, 0, 3), null)[0], logits[1], 1e-5, "length 3");
        TestSupport.AssertClose(model.call(tokens.narrow(0, 2, 1).narrow(1, 0, 6), null)[0], logits[2], 1e-5, "length 6");
    }

    [Fact]
    public void BadInput_NamesArgumentExpectedAndActual()
    {
        var model = new RecurrentClassifier(7, 3);
        TestSupport.AssertArgumentError(() => model.call(tensor(new long[,] { { 0, 7 } }), null), "tokens", "[0, 7)", "7");
        TestSupport.AssertArgumentError(() => model.call(zeros(2, 4, dtype: ScalarType.Int64), ones(2, 3, dtype: ScalarType.Bool)), "keyPadding", "(2, 4)", "(2, 3)");
        TestSupport.AssertArgumentError(() => new RecurrentClassifier(7, 3, hiddenDim: 0), "hiddenDim", "at least 1", "0");
    }

    [Fact]
    public void SeedModel_PoolsEveryDecoderOutput_AsItsCodeSays()
    {
        manual_seed(143);
        var model = new SeedLongSequenceModel(7, 5, 6, 3);
        var tokens = Tokens(2, 8);
        var modules = model.named_children().ToDictionary(c => c.name, c => c.module);
        using var noGrad = no_grad();
        var encoded = ((TorchSharp.Modules.LSTM)modules["encoder"]).call(((TorchSharp.Modules.Embedding)modules["embedding"]).call(tokens), null).Item1;
        var decoded = ((TorchSharp.Modules.LSTM)modules["decoder"]).call(encoded, null).Item1;                  // (B, T, H)
        var score = (TorchSharp.Modules.Linear)modules["attention"].named_children().Single(c => c.name == "score").module;
        var weights = functional.softmax(score.call(decoded).squeeze(-1), 1);                                   // (B, T), the seed's softmax(dim=1)
        var pooled = (weights.unsqueeze(-1) * decoded).sum(1);                                                  // the seed's sum, with its broadcast fixed
        var expected = ((TorchSharp.Modules.Linear)modules["fc"]).call(pooled);
        TestSupport.AssertClose(expected, model.call(tokens), 1e-5);
    }
}
