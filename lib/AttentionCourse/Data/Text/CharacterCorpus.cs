using static TorchSharp.torch;

namespace AttentionCourse.Data;

/// <summary>Which part of a <see cref="CharacterCorpus"/>.</summary>
public enum CorpusPart { Training, Validation }

/// <summary>
/// A text for a character-level language model: its character vocabulary, the whole text as ids, and a split into
/// training and validation by <b>contiguous blocks</b>. The text is cut into <c>blocks</c> equal blocks and every
/// <c>validationEvery</c>-th block is held out, so validation covers the whole book (beginning, middle and end) while no
/// training window overlaps a validation block. Splitting by random characters instead would put each validation
/// character's neighbours in the training set: the model would be scored on text it has read.
/// </summary>
/// <remarks>
/// The vocabulary is built from the training blocks only (<see cref="Vocabulary"/>: id 0 padding, id 1 unknown, then
/// characters by training frequency). A validation character never seen in training is stored as the unknown id and
/// counted in <see cref="ValidationUnknownCount"/>; <see cref="Encode"/> (for prompts) throws for it instead.
/// </remarks>
public sealed class CharacterCorpus : IDisposable
{
    private readonly Tensor ids;                     // (N) Int64, the whole text

    private CharacterCorpus(string text, Vocabulary vocabulary, Tensor ids, TextSpan[] training, TextSpan[] validation, long unknown)
    {
        Text = text;
        Vocabulary = vocabulary;
        this.ids = ids.DetachFromDisposeScope();
        TrainingSpans = training;
        ValidationSpans = validation;
        ValidationUnknownCount = unknown;
    }

    /// <summary>Splits <paramref name="text"/> into <paramref name="blocks"/> equal contiguous blocks and holds out blocks
    /// <c>validationEvery − 1, 2·validationEvery − 1, …</c> (with the defaults: 10 blocks of 1 % each, 10 % in all).</summary>
    public static CharacterCorpus Split(string text, int blocks = 100, int validationEvery = 10)
    {
        ArgumentNullException.ThrowIfNull(text);
        Layers.Check.AtLeast(validationEvery, 2, nameof(validationEvery));
        Layers.Check.AtLeast(blocks, validationEvery, nameof(blocks));
        if (text.Length < 2 * blocks)
            throw new ArgumentException($"text must hold at least 2 characters per block ({2 * blocks} for {blocks} blocks); got {text.Length}.", nameof(text));
        var training = new List<TextSpan>();
        var validation = new List<TextSpan>();
        for (int b = 0; b < blocks; b++)
        {
            int start = (int)((long)text.Length * b / blocks), end = (int)((long)text.Length * (b + 1) / blocks);
            var target = b % validationEvery == validationEvery - 1 ? validation : training;
            if (target.Count > 0 && target[^1].End == start) target[^1] = new TextSpan(target[^1].Start, end - target[^1].Start); // merge neighbours
            else target.Add(new TextSpan(start, end - start));
        }
        var vocabulary = Vocabulary.Build(training.Select(s => Characters(text, s)));
        var encoded = vocabulary.Encode(Characters(text, new TextSpan(0, text.Length)));
        long unknown = validation.Sum(s => Enumerable.Range(s.Start, s.Length).LongCount(i => encoded[i] == Vocabulary.UnknownId));
        return new CharacterCorpus(text, vocabulary, tensor(encoded), training.ToArray(), validation.ToArray(), unknown);
    }

    /// <summary>
    /// The same text, vocabulary and validation blocks, with only the first <paramref name="characters"/> training
    /// characters (in text order) left for training: a small-data corpus on which a model can memorise its training text
    /// (lesson 25's regularisation experiment). The result owns its own copy of the ids.
    /// </summary>
    public CharacterCorpus WithTrainingLimit(long characters)
    {
        if (characters < 2 || characters > TrainingCharacters)
            throw new ArgumentException($"characters must lie in [2, {TrainingCharacters}] (the training characters); got {characters}.", nameof(characters));
        var kept = new List<TextSpan>();
        long left = characters;
        foreach (var span in TrainingSpans)
        {
            if (left == 0) break;
            int take = (int)Math.Min(left, span.Length);
            kept.Add(new TextSpan(span.Start, take));
            left -= take;
        }
        return new CharacterCorpus(Text, Vocabulary, ids.clone(), kept.ToArray(), ValidationSpans.ToArray(), ValidationUnknownCount);
    }

    /// <summary>The text.</summary>
    public string Text { get; }

    /// <summary>Character vocabulary built from the training blocks.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The whole text as ids, <c>(N)</c> Int64 (owned by the corpus; do not dispose).</summary>
    public Tensor Ids => ids;

    /// <summary>Training runs (adjacent training blocks merged).</summary>
    public IReadOnlyList<TextSpan> TrainingSpans { get; }

    /// <summary>Held-out blocks.</summary>
    public IReadOnlyList<TextSpan> ValidationSpans { get; }

    public long TrainingCharacters => TrainingSpans.Sum(s => s.Length);
    public long ValidationCharacters => ValidationSpans.Sum(s => s.Length);

    /// <summary>Validation characters that never occur in the training blocks (stored as the unknown id).</summary>
    public long ValidationUnknownCount { get; }

    /// <summary>The spans of one part.</summary>
    public IReadOnlyList<TextSpan> Spans(CorpusPart part) => part == CorpusPart.Training ? TrainingSpans : ValidationSpans;

    /// <summary>The text of one part, its spans joined by <paramref name="separator"/>.</summary>
    public string PartText(CorpusPart part, string separator = "\n") => string.Join(separator, Spans(part).Select(s => Text.Substring((int)s.Start, (int)s.Length)));

    /// <summary>Ids of a prompt; a character never seen in training is an <see cref="ArgumentException"/> naming it and its position.</summary>
    public long[] Encode(string text) => Vocabulary.Encode(Characters(text, new TextSpan(0, text.Length)), UnknownTokens.Throw);

    /// <summary>The text of some ids (padding skipped; the unknown id shows as <c>&lt;unk&gt;</c>).</summary>
    public string Decode(IEnumerable<long> sequence) => string.Concat(Vocabulary.Decode(sequence));

    /// <summary>
    /// A training batch as in nanoGPT's <c>get_batch</c>: <paramref name="batchSize"/> windows of
    /// <paramref name="blockSize"/> + 1 characters at uniformly random positions inside the training runs (never crossing
    /// into a validation block); input = the first <paramref name="blockSize"/>, target = the same shifted by one.
    /// </summary>
    /// <returns>input and target, <c>(B, T)</c> Int64 each.</returns>
    public (Tensor input, Tensor target) TrainingBatch(long batchSize, long blockSize, Generator generator)
    {
        Layers.Check.AtLeast(batchSize, 1, nameof(batchSize));
        CheckBlockSize(blockSize, CorpusPart.Training);
        var starts = TrainingSpans.Select(s => Math.Max(0, s.Length - blockSize)).ToArray(); // valid window starts per run (0 if too short)
        long total = starts.Sum();
        using var scope = NewDisposeScope();
        var draw = randint(total, new[] { batchSize }, generator: generator).data<long>().ToArray();
        var first = new long[batchSize];
        for (int b = 0; b < batchSize; b++)
        {
            long r = draw[b];
            int run = 0;
            while (r >= starts[run]) { r -= starts[run]; run++; }
            first[b] = TrainingSpans[run].Start + r;
        }
        return Gather(first, blockSize, scope);
    }

    /// <summary>
    /// Fixed, non-overlapping windows of <paramref name="blockSize"/> + 1 characters covering <paramref name="part"/>'s spans
    /// in order (each window predicts <paramref name="blockSize"/> characters); with <paramref name="maxWindows"/>, an evenly
    /// spaced subset of them. The same call gives the same windows, so losses are comparable across runs.
    /// </summary>
    /// <returns>input and target, <c>(W, T)</c> Int64 each.</returns>
    public (Tensor input, Tensor target) Windows(CorpusPart part, long blockSize, int? maxWindows = null)
    {
        CheckBlockSize(blockSize, part);
        var first = Spans(part).SelectMany(s => Enumerable.Range(0, (int)((s.Length - 1) / blockSize)).Select(i => s.Start + i * blockSize)).ToArray();
        if (maxWindows is int cap)
        {
            Layers.Check.AtLeast(cap, 1, nameof(maxWindows));
            if (cap < first.Length) first = Enumerable.Range(0, cap).Select(i => first[(long)i * first.Length / cap]).ToArray();
        }
        using var scope = NewDisposeScope();
        return Gather(first, blockSize, scope);
    }

    private (Tensor input, Tensor target) Gather(long[] first, long blockSize, TorchSharp.DisposeScope scope)
    {
        var index = tensor(first).unsqueeze(1) + arange(blockSize + 1).unsqueeze(0);  // (B, T+1)
        var windows = ids.index_select(0, index.flatten()).view(first.Length, blockSize + 1); // (B, T+1)
        var input = windows.narrow(1, 0, blockSize).contiguous();                    // (B, T)
        var target = windows.narrow(1, 1, blockSize).contiguous();                   // (B, T)
        return scope.MoveToOuter(input, target);
    }

    private void CheckBlockSize(long blockSize, CorpusPart part)
    {
        Layers.Check.AtLeast(blockSize, 1, nameof(blockSize));
        long longest = Spans(part).Max(s => s.Length);
        if (blockSize + 1 > longest)
            throw new ArgumentException($"blockSize + 1 must fit in the longest {part.ToString().ToLowerInvariant()} span ({longest} characters); got blockSize {blockSize}.", nameof(blockSize));
    }

    private static IEnumerable<string> Characters(string text, TextSpan span)
    {
        for (int i = span.Start; i < span.End; i++) yield return text[i].ToString();
    }

    public void Dispose() => ids.Dispose();
}
