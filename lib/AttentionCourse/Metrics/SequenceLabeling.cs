using static TorchSharp.torch;

namespace AttentionCourse.Metrics;

/// <summary>An entity span: its type and the tokens <c>[Start, End)</c> of its sentence.</summary>
public sealed record Entity(string Type, int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>Entity counts and the scores they give. Undefined ratios (nothing predicted, nothing to find) are 0, as in conlleval and seqeval.</summary>
/// <param name="Gold">Entities in the gold labels.</param>
/// <param name="Predicted">Entities in the predicted labels.</param>
/// <param name="Correct">Predicted entities with exactly a gold entity's span and type.</param>
public sealed record EntityScores(long Gold, long Predicted, long Correct)
{
    public double Precision => Predicted == 0 ? 0 : (double)Correct / Predicted;
    public double Recall => Gold == 0 ? 0 : (double)Correct / Gold;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>
/// Metrics of sequence labelling: token accuracy, and entity-level precision, recall and F1 over BIO spans with
/// exact span and type match (a predicted entity counts only if its first token, last token and type all equal a gold
/// entity's).
/// </summary>
/// <remarks>
/// Spans are read with the convention of CoNLL's <c>conlleval</c> script, which <c>seqeval</c> follows in its default
/// mode: an entity starts at <c>B-X</c>, or at <c>I-X</c> when the previous label is <c>O</c> or of another type (an
/// I- without a B- still opens an entity), and ends before <c>O</c>, before <c>B-</c>, or where the type changes.
/// seqeval's strict IOB2 mode (<c>mode='strict'</c>) would instead drop an entity that does not start with B-; the
/// numbers here then differ. Entities never cross sentences.
/// </remarks>
public static class SequenceLabeling
{
    /// <summary>The entities of one sentence's BIO labels, in order.</summary>
    /// <exception cref="ArgumentException">A label that is not O, B-type or I-type.</exception>
    public static IReadOnlyList<Entity> Entities(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var entities = new List<Entity>();
        string? openType = null;
        int openStart = 0;
        for (int i = 0; i <= labels.Count; i++)
        {
            var (prefix, type) = i < labels.Count ? Parse(labels[i], i) : ('O', null);
            bool continues = prefix == 'I' && type == openType;
            if (openType is not null && !continues)
            {
                entities.Add(new Entity(openType, openStart, i));
                openType = null;
            }
            if (prefix != 'O' && !continues)
            {
                openType = type;
                openStart = i;
            }
        }
        return entities;
    }

    private static (char prefix, string? type) Parse(string label, int position)
    {
        if (label == "O") return ('O', null);
        if (label.Length > 2 && (label[0] == 'B' || label[0] == 'I') && label[1] == '-') return (label[0], label[2..]);
        throw new ArgumentException($"labels must be O, B-type or I-type; got '{label}' at position {position}.", "labels");
    }

    /// <summary>Entity counts over all sentences (micro-averaged: every entity counts once).</summary>
    /// <param name="gold">Gold BIO labels, one list per sentence.</param>
    /// <param name="predicted">Predicted BIO labels, one list per sentence, each as long as its gold sentence.</param>
    /// <param name="type">Only entities of this type; null = all types.</param>
    public static EntityScores EntityScores(IEnumerable<IReadOnlyList<string>> gold, IEnumerable<IReadOnlyList<string>> predicted, string? type = null)
    {
        long goldCount = 0, predictedCount = 0, correct = 0;
        foreach (var (g, p) in Pairs(gold, predicted))
        {
            var goldEntities = Entities(g).Where(e => type is null || e.Type == type).ToHashSet();
            var predictedEntities = Entities(p).Where(e => type is null || e.Type == type).ToList();
            goldCount += goldEntities.Count;
            predictedCount += predictedEntities.Count;
            correct += predictedEntities.Count(goldEntities.Contains);
        }
        return new EntityScores(goldCount, predictedCount, correct);
    }

    /// <summary>Fraction of tokens whose predicted label equals the gold one (all sentences pooled).</summary>
    public static double TokenAccuracy(IEnumerable<IReadOnlyList<string>> gold, IEnumerable<IReadOnlyList<string>> predicted)
    {
        long total = 0, right = 0;
        foreach (var (g, p) in Pairs(gold, predicted))
            for (int i = 0; i < g.Count; i++) { total++; if (g[i] == p[i]) right++; }
        if (total == 0) throw new ArgumentException("gold must hold at least one token; got none.", nameof(gold));
        return (double)right / total;
    }

    /// <summary>
    /// Token accuracy from tensors, over real tokens only: <paramref name="logits"/> <c>(B, T, C)</c> (arg-max is the
    /// prediction), <paramref name="labels"/> <c>(B, T)</c> Int64, <paramref name="keyPadding"/> <c>(B, T)</c> Bool, true = padded
    /// (not counted).
    /// </summary>
    public static double TokenAccuracy(Tensor logits, Tensor labels, Tensor? keyPadding)
    {
        Layers.Check.Rank(logits, 3, nameof(logits), "(batch, length, labels)");
        Layers.Check.Rank(labels, 2, nameof(labels), "(batch, length)");
        Layers.Check.Size(labels, 0, logits.shape[0], nameof(labels), "batch, must match logits");
        Layers.Check.Size(labels, 1, logits.shape[1], nameof(labels), "length, must match logits");
        Layers.Check.BoolMask(keyPadding, new[] { labels.shape[0], labels.shape[1] }, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        var real = keyPadding is null ? ones_like(labels, dtype: ScalarType.Bool) : keyPadding.logical_not();   // (B, T)
        long count = real.sum().item<long>();
        if (count == 0) throw new ArgumentException("keyPadding masks every token: nothing to score.", nameof(keyPadding));
        long right = logits.argmax(-1).eq(labels).logical_and(real).sum().item<long>();
        return (double)right / count;
    }

    /// <summary>Label names of each sentence's real tokens: row b of <paramref name="ids"/> <c>(B, T)</c>, cut to <c>lengths[b]</c>.</summary>
    public static string[][] Decode(Tensor ids, IReadOnlyList<long> lengths, IReadOnlyList<string> names)
    {
        Layers.Check.Rank(ids, 2, nameof(ids), "(batch, length)");
        if (lengths.Count != ids.shape[0])
            throw new ArgumentException($"lengths must have one entry per row ({ids.shape[0]}); got {lengths.Count}.", nameof(lengths));
        using var cpu = ids.detach().cpu().to_type(ScalarType.Int64).contiguous();
        var flat = cpu.data<long>().ToArray();
        long width = ids.shape[1];
        return lengths.Select((length, b) =>
        {
            if (length < 0 || length > width) throw new ArgumentException($"lengths[{b}] must lie in [0, {width}]; got {length}.", nameof(lengths));
            return Enumerable.Range(0, (int)length).Select(t => names[(int)flat[b * width + t]]).ToArray();
        }).ToArray();
    }

    private static IEnumerable<(IReadOnlyList<string> gold, IReadOnlyList<string> predicted)> Pairs(
        IEnumerable<IReadOnlyList<string>> gold, IEnumerable<IReadOnlyList<string>> predicted)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(predicted);
        using var g = gold.GetEnumerator();
        using var p = predicted.GetEnumerator();
        int sentence = 0;
        while (true)
        {
            bool moreGold = g.MoveNext(), morePredicted = p.MoveNext();
            if (moreGold != morePredicted)
                throw new ArgumentException($"gold and predicted must hold the same number of sentences; one ends after {sentence}.", nameof(predicted));
            if (!moreGold) yield break;
            if (g.Current.Count != p.Current.Count)
                throw new ArgumentException($"sentence {sentence}: predicted has {p.Current.Count} labels, gold has {g.Current.Count}.", nameof(predicted));
            yield return (g.Current, p.Current);
            sentence++;
        }
    }
}
