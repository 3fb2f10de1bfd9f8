using AttentionCourse.Data;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>A decoded sequence.</summary>
/// <param name="Tokens">The generated ids, without &lt;bos&gt;, ending with &lt;eos&gt; unless the length limit cut it.</param>
/// <param name="LogProbability">Σ log p(token | previous tokens, source) over <see cref="Tokens"/>.</param>
/// <param name="Alignment">One row of attention weights over the source per generated token (<c>[T][S]</c>).</param>
public sealed record Hypothesis(long[] Tokens, double LogProbability, double[][] Alignment)
{
    /// <summary>Whether the sequence ended with &lt;eos&gt; (rather than at the length limit).</summary>
    public bool Finished(long endId) => Tokens.Length > 0 && Tokens[^1] == endId;
}

/// <summary>What decoding may generate and for how long.</summary>
/// <param name="BeginId">The &lt;bos&gt; id fed at the first step.</param>
/// <param name="EndId">The &lt;eos&gt; id that ends a sequence.</param>
/// <param name="MaxLength">At most this many generated tokens (&lt;eos&gt; included).</param>
public sealed record DecodingOptions(long BeginId, long EndId, int MaxLength)
{
    /// <summary>Ids never generated besides padding (0) and &lt;bos&gt;, which are always excluded.</summary>
    public IReadOnlyList<long> Forbidden { get; init; } = Array.Empty<long>();

    /// <summary>Options for a vocabulary with sequence markers.</summary>
    public static DecodingOptions For(Vocabulary target, int maxLength) => new(target.BeginId, target.EndId, maxLength);

    internal long[] Excluded => Forbidden.Append(Vocabulary.PaddingId).Append(BeginId).Distinct().ToArray();
}

/// <summary>
/// Generation with an <see cref="AttentionDecoder"/>: greedy (the most likely next token at every step, batched) and
/// beam search (the <c>width</c> best partial sequences by total log-probability are kept at every step). Beam search
/// with width 1 is greedy; with a width that never prunes it is exhaustive search.
/// </summary>
public static class SequenceDecoding
{
    /// <summary>Greedy decoding of a batch; every row stops at its own &lt;eos&gt;.</summary>
    public static Hypothesis[] Greedy(AttentionDecoder decoder, EncoderMemory memory, DecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Layers.Check.AtLeast(options.MaxLength, 1, nameof(options.MaxLength));
        int B = (int)memory.Batch;
        var tokens = Enumerable.Range(0, B).Select(_ => new List<long>()).ToArray();
        var alignments = Enumerable.Range(0, B).Select(_ => new List<double[]>()).ToArray();
        var scores = new double[B];
        var finished = new bool[B];
        using var outer = NewDisposeScope();
        using var noGrad = no_grad();
        var excluded = tensor(options.Excluded);
        memory = decoder.Prepare(memory);
        var state = decoder.InitialState(memory);                                             // (B, Hd)
        var previous = full(new long[] { B }, options.BeginId, dtype: ScalarType.Int64);      // (B)
        for (int t = 0; t < options.MaxLength && !finished.All(f => f); t++)
        {
            using var scope = NewDisposeScope();
            var step = decoder.Step(previous, state, memory);
            var logProbabilities = functional.log_softmax(step.Logits, 1).index_fill(1, excluded, double.NegativeInfinity); // (B, V)
            var (best, choice) = logProbabilities.max(1);                                    // (B), (B)
            var bestValues = best.to_type(ScalarType.Float64).data<double>().ToArray();
            var choices = choice.data<long>().ToArray();
            var weights = Plotting.Charts.ToRows(step.Weights);                              // [B][S]
            for (int b = 0; b < B; b++)
            {
                if (finished[b]) continue;
                tokens[b].Add(choices[b]);
                scores[b] += bestValues[b];
                alignments[b].Add(weights[b]);
                finished[b] = choices[b] == options.EndId;
            }
            (state, previous) = scope.MoveToOuter(step.State, choice);
        }
        return Enumerable.Range(0, B).Select(b => new Hypothesis(tokens[b].ToArray(), scores[b], alignments[b].ToArray())).ToArray();
    }

    /// <summary>
    /// Beam search for one example (<paramref name="memory"/> holds one row). At every step each live hypothesis is
    /// extended by every allowed token, the <paramref name="width"/> best extensions by total log-probability are kept,
    /// and those ending in &lt;eos&gt; are set aside as finished; hypotheses still open at <see cref="DecodingOptions.MaxLength"/>
    /// count as finished there. Returns the finished hypothesis with the best score, where the score is the total
    /// log-probability divided by <c>length^lengthPenalty</c> (0 = no normalisation, the default; GNMT-style normalisation
    /// counters beam search's preference for short outputs).
    /// </summary>
    public static Hypothesis BeamSearch(AttentionDecoder decoder, EncoderMemory memory, DecodingOptions options, int width, double lengthPenalty = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        Layers.Check.AtLeast(width, 1, nameof(width));
        Layers.Check.AtLeast(options.MaxLength, 1, nameof(options.MaxLength));
        if (memory.Batch != 1)
            throw new ArgumentException($"memory must hold one example for beam search; got a batch of {memory.Batch} (call it per row, or use Seq2SeqModel.Beam).", nameof(memory));
        if (lengthPenalty < 0) throw new ArgumentException($"lengthPenalty must be ≥ 0; got {lengthPenalty}.", nameof(lengthPenalty));
        double Score(Hypothesis h) => h.LogProbability / Math.Pow(Math.Max(1, h.Tokens.Length), lengthPenalty);
        var finishedList = new List<Hypothesis>();
        var live = new List<Hypothesis> { new(Array.Empty<long>(), 0, Array.Empty<double[]>()) };
        using var outer = NewDisposeScope();
        using var noGrad = no_grad();
        var excluded = options.Excluded.ToHashSet();
        memory = decoder.Prepare(memory);
        var state = decoder.InitialState(memory);                                             // (K, Hd), K = live count
        for (int t = 0; t < options.MaxLength; t++)
        {
            using var scope = NewDisposeScope();
            int K = live.Count;
            var rows = memory.Select(zeros(K, dtype: ScalarType.Int64));
            var previous = tensor(live.Select(h => h.Tokens.Length == 0 ? options.BeginId : h.Tokens[^1]).ToArray());
            var step = decoder.Step(previous, state, rows);
            var logProbabilities = functional.log_softmax(step.Logits, 1).to_type(ScalarType.Float64); // (K, V)
            long V = logProbabilities.shape[1];
            var values = logProbabilities.data<double>().ToArray();
            var weights = Plotting.Charts.ToRows(step.Weights);                              // [K][S]
            var candidates = new List<(double total, int parent, long token)>();
            for (int k = 0; k < K; k++)
                for (long v = 0; v < V; v++)
                    if (!excluded.Contains(v)) candidates.Add((live[k].LogProbability + values[k * V + v], k, v));
            // Best first; ties keep the lower parent and token, as greedy's argmax does.
            var kept = candidates.OrderByDescending(c => c.total).ThenBy(c => c.parent).ThenBy(c => c.token).Take(width).ToArray();
            var next = new List<Hypothesis>();
            var parents = new List<long>();
            foreach (var (total, parent, token) in kept)
            {
                var h = new Hypothesis(live[parent].Tokens.Append(token).ToArray(), total, live[parent].Alignment.Append(weights[parent]).ToArray());
                if (token == options.EndId || t == options.MaxLength - 1) finishedList.Add(h);
                else { next.Add(h); parents.Add(parent); }
            }
            if (next.Count == 0) break;
            // Log-probabilities only fall as a sequence grows: without length normalisation nothing live can beat a finished one that is already better.
            if (lengthPenalty == 0 && finishedList.Count > 0 && finishedList.Max(h => h.LogProbability) >= next.Max(h => h.LogProbability)) break;
            live = next;
            state = scope.MoveToOuter(step.State.index_select(0, tensor(parents.ToArray())));
        }
        return finishedList.OrderByDescending(Score).First();
    }
}
