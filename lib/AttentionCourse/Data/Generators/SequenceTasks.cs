using static TorchSharp.torch;

namespace AttentionCourse.Data;

/// <summary>
/// A generated sequence task: token ids, targets (one per position or one per sequence), and for the long-range
/// tasks the distance each example's answer sits from where it is asked.
/// </summary>
public sealed class SequenceTask : IDisposable
{
    internal SequenceTask(string name, Tensor inputs, Tensor targets, long vocabSize, long classCount, Tensor? distances = null)
    {
        Name = name; Inputs = inputs; Targets = targets; VocabSize = vocabSize; ClassCount = classCount; Distances = distances;
    }

    /// <summary>What the task is, for tables and legends.</summary>
    public string Name { get; }
    /// <summary><c>(N, T)</c> Int64 token ids in [0, <see cref="VocabSize"/>).</summary>
    public Tensor Inputs { get; }
    /// <summary><c>(N, T)</c> Int64 for per-token tasks, <c>(N)</c> for per-sequence tasks; values in [0, <see cref="ClassCount"/>).</summary>
    public Tensor Targets { get; }
    /// <summary>Number of distinct token ids.</summary>
    public long VocabSize { get; }
    /// <summary>Number of target classes.</summary>
    public long ClassCount { get; }
    /// <summary><c>(N)</c> Int64 distance between the cue and the query (long-range tasks), else null.</summary>
    public Tensor? Distances { get; }

    public long Count => Inputs.shape[0];
    public long Length => Inputs.shape[1];
    /// <summary>Whether there is one target per position.</summary>
    public bool PerToken => Targets.dim() == 2;

    public void Dispose()
    {
        Inputs.Dispose(); Targets.Dispose(); Distances?.Dispose();
    }
}

/// <summary>
/// Seeded generators of small sequence tasks. Some need the order of the tokens (sort, reverse), one does not
/// (rank: its answer depends only on the token and the bag of tokens), and three are long-range: a cue/query recall task
/// and a look-back task whose distances are controlled, and a two-symbol majority vote over a long sequence read from a
/// class token.
/// </summary>
public static class SequenceTasks
{
    /// <summary>
    /// Sort: each position must output the token that belongs there once the sequence is sorted ascending.
    /// Tokens are uniform in [0, <paramref name="vocabSize"/>) (repeats allowed). Needs positions: the output at
    /// position i is the i-th smallest token, and only the position says which i.
    /// </summary>
    public static SequenceTask Sort(int count, int length, int vocabSize, int seed)
    {
        var inputs = UniformTokens(count, length, vocabSize, seed);
        var targets = new long[inputs.Length];
        for (int n = 0; n < count; n++)
        {
            var row = inputs.AsSpan(n * length, length).ToArray();
            Array.Sort(row);
            row.CopyTo(targets, n * length);
        }
        return new SequenceTask("sort", tensor(inputs).view(count, length), tensor(targets).view(count, length), vocabSize, vocabSize);
    }

    /// <summary>Reverse: position i must output the token at position T − 1 − i. Needs positions.</summary>
    public static SequenceTask Reverse(int count, int length, int vocabSize, int seed)
    {
        var inputs = UniformTokens(count, length, vocabSize, seed);
        var targets = new long[inputs.Length];
        for (int n = 0; n < count; n++)
            for (int t = 0; t < length; t++)
                targets[n * length + t] = inputs[n * length + length - 1 - t];
        return new SequenceTask("reverse", tensor(inputs).view(count, length), tensor(targets).view(count, length), vocabSize, vocabSize);
    }

    /// <summary>
    /// Rank: position i must output how many tokens of the whole sequence are smaller than its own (0…T−1). Sorting's
    /// mirror image, but a count over the bag: the answer moves with the token when the sequence is permuted, so a model
    /// without positions can solve it exactly. Classes 0…T−1.
    /// </summary>
    public static SequenceTask Rank(int count, int length, int vocabSize, int seed)
    {
        var inputs = UniformTokens(count, length, vocabSize, seed);
        var targets = new long[inputs.Length];
        var below = new long[vocabSize];
        for (int n = 0; n < count; n++)
        {
            Array.Clear(below);
            for (int t = 0; t < length; t++) below[inputs[n * length + t]]++;                 // histogram …
            long running = 0;
            for (int v = 0; v < vocabSize; v++) (below[v], running) = (running, running + below[v]); // … then how many are smaller
            for (int t = 0; t < length; t++) targets[n * length + t] = below[inputs[n * length + t]];
        }
        return new SequenceTask("rank", tensor(inputs).view(count, length), tensor(targets).view(count, length), vocabSize, length);
    }

    /// <summary>
    /// Cue/query recall over a controlled distance. Token ids: <c>0 … values−1</c> are cues (a cue token <i>is</i> its
    /// value), <c>values … values+noise−1</c> are filler, and <c>values+noise</c> is the query, always at the last position
    /// T − 1. Exactly one cue sits at position T − 1 − d, with the distance d uniform in
    /// [<paramref name="minDistance"/>, <paramref name="maxDistance"/>]; every other position is uniform filler. The target is
    /// the cue's value. An RNN must carry it through d steps; attention reads it in one.
    /// </summary>
    public static SequenceTask CueRecall(int count, int length, int values, int noise, int minDistance, int maxDistance, int seed)
    {
        Layers.Check.AtLeast(values, 2, nameof(values));
        Layers.Check.AtLeast(noise, 1, nameof(noise));
        Layers.Check.AtLeast(minDistance, 1, nameof(minDistance));
        if (maxDistance < minDistance || maxDistance > length - 1)
            throw new ArgumentException($"maxDistance must lie in [{minDistance}, {length - 1}] (minDistance, length − 1); got {maxDistance}.", nameof(maxDistance));
        CheckSizes(count, length, 2);
        var random = new Random(seed);
        var inputs = new long[count * length];
        var targets = new long[count];
        var distances = new long[count];
        long query = values + noise;
        for (int n = 0; n < count; n++)
        {
            for (int t = 0; t < length - 1; t++) inputs[n * length + t] = values + random.Next(noise);
            inputs[n * length + length - 1] = query;
            int d = random.Next(minDistance, maxDistance + 1);
            int value = random.Next(values);
            inputs[n * length + length - 1 - d] = value;
            targets[n] = value;
            distances[n] = d;
        }
        return new SequenceTask("cue recall", tensor(inputs).view(count, length), tensor(targets), values + noise + 1, values, tensor(distances));
    }

    /// <summary>
    /// Look-back recall: the query names a distance and the answer is the token that far back. Token ids
    /// <c>0 … vocab−1</c> are content, uniform at positions 0 … T−2; <c>vocab + d − 1</c> at the last position T − 1 asks
    /// "which token was d steps before me?", with d uniform in [1, <paramref name="maxDistance"/>]. The target is the token
    /// at position T − 1 − d. A recurrent model does not know which token will be asked, so its fixed-size state must
    /// hold the last <paramref name="maxDistance"/> tokens; attention looks the one asked for up.
    /// </summary>
    public static SequenceTask Lookback(int count, int length, int vocabSize, int maxDistance, int seed)
    {
        CheckSizes(count, length, 2);
        Layers.Check.AtLeast(vocabSize, 2, nameof(vocabSize));
        if (maxDistance < 1 || maxDistance > length - 1)
            throw new ArgumentException($"maxDistance must lie in [1, {length - 1}] (length − 1); got {maxDistance}.", nameof(maxDistance));
        var random = new Random(seed);
        var inputs = new long[count * length];
        var targets = new long[count];
        var distances = new long[count];
        for (int n = 0; n < count; n++)
        {
            for (int t = 0; t < length - 1; t++) inputs[n * length + t] = random.Next(vocabSize);
            int d = random.Next(1, maxDistance + 1);
            inputs[n * length + length - 1] = vocabSize + d - 1;
            targets[n] = inputs[n * length + length - 1 - d];
            distances[n] = d;
        }
        return new SequenceTask("look-back", tensor(inputs).view(count, length), tensor(targets), vocabSize + maxDistance, vocabSize, tensor(distances));
    }

    /// <summary>Token id of the query in <see cref="CueRecall"/>.</summary>
    public static long CueRecallQueryToken(int values, int noise) => values + noise;

    /// <summary>
    /// Majority of two rare symbols over a long sequence, read from a class token: id 0 is the class token at position 0,
    /// ids 1 and 2 are the symbols A and B, ids 3 … 3+noise−1 filler. A and B occur between <paramref name="minOccurrences"/>
    /// and <paramref name="maxOccurrences"/> times each, never equally often, at uniformly random positions 1…T−1.
    /// Target 1 when A occurs more often than B. The answer is one global summary of the whole sequence.
    /// </summary>
    public static SequenceTask Majority(int count, int length, int noise, int minOccurrences, int maxOccurrences, int seed)
    {
        Layers.Check.AtLeast(noise, 1, nameof(noise));
        Layers.Check.AtLeast(minOccurrences, 0, nameof(minOccurrences));
        if (maxOccurrences <= minOccurrences)
            throw new ArgumentException($"maxOccurrences must exceed minOccurrences ({minOccurrences}) so A and B can differ; got {maxOccurrences}.", nameof(maxOccurrences));
        if (2 * maxOccurrences > length - 1)
            throw new ArgumentException($"maxOccurrences must be at most (length − 1) / 2 = {(length - 1) / 2} so both symbols fit; got {maxOccurrences}.", nameof(maxOccurrences));
        CheckSizes(count, length, 2);
        var random = new Random(seed);
        var inputs = new long[count * length];
        var targets = new long[count];
        var slots = Enumerable.Range(1, length - 1).ToArray();
        for (int n = 0; n < count; n++)
        {
            int a = random.Next(minOccurrences, maxOccurrences + 1), b;
            do b = random.Next(minOccurrences, maxOccurrences + 1); while (b == a);
            inputs[n * length] = 0;
            for (int t = 1; t < length; t++) inputs[n * length + t] = 3 + random.Next(noise);
            random.Shuffle(slots);
            for (int i = 0; i < a; i++) inputs[n * length + slots[i]] = 1;
            for (int i = a; i < a + b; i++) inputs[n * length + slots[i]] = 2;
            targets[n] = a > b ? 1 : 0;
        }
        return new SequenceTask("majority", tensor(inputs).view(count, length), tensor(targets), 3 + noise, 2);
    }

    /// <summary>
    /// The accuracy of a rule that knows the bag of tokens but not their order: at every position, predict the most common
    /// token of the sequence (ties to the smallest) — or, with <paramref name="excludeOwnToken"/>, the most common token among
    /// the <i>other</i> positions. Tokens are i.i.d., so given its bag every order of a sequence is equally likely; a model
    /// without positions sees only its own token and the bag, and for sort (whose target at a position is the token of a
    /// rank only the position tells) the first rule is the best such prediction, for reverse (whose target is the token at
    /// another position) the second.
    /// </summary>
    public static double BagModeAccuracy(SequenceTask task, bool excludeOwnToken = false)
    {
        if (!task.PerToken) throw new ArgumentException($"task must have one target per position; '{task.Name}' has one per sequence.", nameof(task));
        long N = task.Count, T = task.Length;
        var inputs = task.Inputs.data<long>().ToArray();
        var targets = task.Targets.data<long>().ToArray();
        var histogram = new long[task.VocabSize];
        long correct = 0;
        for (long n = 0; n < N; n++)
        {
            Array.Clear(histogram);
            for (long t = 0; t < T; t++) histogram[inputs[n * T + t]]++;
            long mode = Array.IndexOf(histogram, histogram.Max());
            for (long t = 0; t < T; t++)
            {
                long guess = mode;
                if (excludeOwnToken)
                {
                    histogram[inputs[n * T + t]]--;
                    guess = Array.IndexOf(histogram, histogram.Max());
                    histogram[inputs[n * T + t]]++;
                }
                if (targets[n * T + t] == guess) correct++;
            }
        }
        return (double)correct / (N * T);
    }

    private static long[] UniformTokens(int count, int length, int vocabSize, int seed)
    {
        CheckSizes(count, length, 1);
        Layers.Check.AtLeast(vocabSize, 2, nameof(vocabSize));
        var random = new Random(seed);
        var tokens = new long[count * length];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = random.Next(vocabSize);
        return tokens;
    }

    private static void CheckSizes(int count, int length, int minLength)
    {
        Layers.Check.AtLeast(count, 1, nameof(count));
        Layers.Check.AtLeast(length, minLength, nameof(length));
    }
}
