using AttentionCourse.Metrics;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 29's exercises, computed independently of the learner's code (plain loops).</summary>
public static class Lesson29
{
    /// <summary>The mean, over dialogues, of the weight the turn attention puts on the turn that states the fact.</summary>
    /// <param name="turnWeights"><c>(B, H)</c> weights over the history turns.</param>
    /// <param name="factTurns"><c>(B)</c> index of the fact's turn in each dialogue.</param>
    public static double ShareOnFactTurn(Tensor turnWeights, Tensor factTurns)
    {
        var (w, H) = Rows(turnWeights);
        var turns = Classification.Longs(factTurns, nameof(factTurns));
        if (turns.Length * H != w.Length) throw new ArgumentException($"factTurns must hold one index per dialogue ({w.Length / H}); got {turns.Length}.", nameof(factTurns));
        double sum = 0;
        for (int b = 0; b < turns.Length; b++) sum += w[b * H + turns[b]];
        return sum / turns.Length;
    }

    /// <summary>The share of dialogues whose most-attended history turn is the fact's turn (ties: the earliest turn).</summary>
    public static double ArgmaxHitRate(Tensor turnWeights, Tensor factTurns)
    {
        var (w, H) = Rows(turnWeights);
        var turns = Classification.Longs(factTurns, nameof(factTurns));
        int hits = 0;
        for (int b = 0; b < turns.Length; b++)
        {
            int best = 0;
            for (int j = 1; j < H; j++) if (w[b * H + j] > w[b * H + best]) best = j;
            if (best == turns[b]) hits++;
        }
        return hits / (double)turns.Length;
    }

    /// <summary>Accuracy among the dialogues whose fact sits k turns back, for k = 1 … <paramref name="historyTurns"/>
    /// (NaN for a k with no dialogue), as a <c>(historyTurns)</c> Float64 tensor (entry k − 1 is k turns back).</summary>
    /// <param name="predicted"><c>(B)</c> predicted answer ids.</param>
    /// <param name="answers"><c>(B)</c> true answer ids.</param>
    /// <param name="turnsBack"><c>(B)</c> turns between each fact and its question.</param>
    /// <param name="historyTurns">Turns before the question.</param>
    public static Tensor AccuracyByTurnsBack(Tensor predicted, Tensor answers, Tensor turnsBack, int historyTurns)
    {
        var p = Classification.Longs(predicted, nameof(predicted)); var a = Classification.Longs(answers, nameof(answers)); var k = Classification.Longs(turnsBack, nameof(turnsBack));
        if (p.Length != a.Length || k.Length != a.Length) throw new ArgumentException($"predicted, answers and turnsBack must have one entry per dialogue; got {p.Length}, {a.Length}, {k.Length}.");
        var right = new double[historyTurns];
        var count = new double[historyTurns];
        for (int b = 0; b < a.Length; b++)
        {
            count[k[b] - 1]++;
            if (p[b] == a[b]) right[k[b] - 1]++;
        }
        return tensor(Enumerable.Range(0, historyTurns).Select(i => count[i] == 0 ? double.NaN : right[i] / count[i]).ToArray());
    }

    private static (double[] values, long H) Rows(Tensor weights)
    {
        if (weights.dim() != 2) throw new ArgumentException($"turnWeights must be (dialogues, history turns); got rank {weights.dim()}.", nameof(weights));
        using var w = weights.detach().cpu().to_type(ScalarType.Float64).contiguous();
        return (w.data<double>().ToArray(), weights.shape[1]);
    }
}
