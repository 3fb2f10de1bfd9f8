using System.Text.RegularExpressions;

namespace AttentionCourse.Metrics;

/// <summary>Smoothing of zero n-gram precisions (Chen &amp; Cherry 2014, as named in sacrebleu).</summary>
public enum BleuSmoothing
{
    /// <summary>No smoothing: a zero precision makes BLEU 0.</summary>
    None,
    /// <summary>Method 1: a zero count becomes <c>SmoothValue</c> (default 0.1) matches.</summary>
    Floor,
    /// <summary>Method 2: add <c>SmoothValue</c> (default 1) to the matches and the totals of orders 2 and up.</summary>
    AddK,
    /// <summary>Method 3 (NIST, mteval-v13a; sacrebleu's default): the k-th zero precision becomes 1 / (2ᵏ · total).</summary>
    Exp,
}

/// <summary>How text is split into tokens before n-grams are counted.</summary>
public enum BleuTokenizer
{
    /// <summary>mteval-v13a (WMT's standard; sacrebleu's default): punctuation split off, numbers kept whole.</summary>
    Mteval13a,
    /// <summary>Split on whitespace only (the text is already tokenised).</summary>
    None,
}

/// <summary>Settings of a BLEU computation; the defaults are sacrebleu 2's corpus defaults.</summary>
public sealed record BleuOptions
{
    /// <summary>Largest n-gram order (sacrebleu: 4).</summary>
    public int MaxOrder { get; init; } = 4;
    public BleuSmoothing Smoothing { get; init; } = BleuSmoothing.Exp;
    /// <summary>The value of floor (default 0.1) and add-k (default 1) smoothing; null = that default.</summary>
    public double? SmoothValue { get; init; }
    public BleuTokenizer Tokenizer { get; init; } = BleuTokenizer.Mteval13a;
    public bool Lowercase { get; init; }
    /// <summary>Average only over the orders the hypothesis has n-grams of (for sentence-level BLEU of short sentences).</summary>
    public bool EffectiveOrder { get; init; }

    /// <summary>sacrebleu's corpus defaults: 13a, exp smoothing, order 4.</summary>
    public static BleuOptions Corpus => new();

    /// <summary>What sacrebleu recommends for one sentence: the corpus defaults with effective order.</summary>
    public static BleuOptions Sentence => new() { EffectiveOrder = true };
}

/// <summary>A BLEU score with its sufficient statistics (as sacrebleu's <c>BLEUScore</c>).</summary>
/// <param name="Score">BLEU on the 0–100 scale.</param>
/// <param name="Correct">Clipped n-gram matches per order 1…N.</param>
/// <param name="Total">Hypothesis n-grams per order.</param>
/// <param name="Precisions">Smoothed precisions per order, in percent.</param>
/// <param name="BrevityPenalty">exp(1 − r/c) when the hypotheses are shorter than the references (c &lt; r), else 1; 0 when c = 0.</param>
/// <param name="HypothesisLength">c: hypothesis tokens.</param>
/// <param name="ReferenceLength">r: for each sentence, the reference length closest to the hypothesis' (the shorter on a tie), summed.</param>
public sealed record BleuScore(double Score, int[] Correct, int[] Total, double[] Precisions, double BrevityPenalty, int HypothesisLength, int ReferenceLength);

/// <summary>
/// BLEU (Papineni et al. 2002) computed as sacrebleu 2 does (mjpost/sacrebleu, <c>sacrebleu/metrics/bleu.py</c>): per
/// sentence, n-gram counts of the hypothesis clipped by the maximum count in any one reference; statistics summed over
/// the corpus; the geometric mean of the modified precisions of orders 1…N, times the brevity penalty. Empty hypotheses,
/// empty references and zero matches give 0, never NaN or an exception.
/// </summary>
public static class Bleu
{
    /// <summary>log with sacrebleu's floor for 0 (its <c>my_log</c>): a zero precision sends the score to 0 without −∞.</summary>
    private const double LogOfZero = -9999999999;

    /// <summary>
    /// Corpus BLEU. <paramref name="references"/> is a list of reference <i>streams</i>, each holding one reference per
    /// hypothesis (sacrebleu's layout: <c>references[k][i]</c> is the k-th reference of sentence i).
    /// </summary>
    public static BleuScore Corpus(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references, BleuOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(references);
        options ??= BleuOptions.Corpus;
        CheckOptions(options);
        if (references.Count == 0) throw new ArgumentException("references must hold at least one reference stream; got none.", nameof(references));
        for (int k = 0; k < references.Count; k++)
            if (references[k].Count != hypotheses.Count)
                throw new ArgumentException($"reference stream {k} must have one reference per hypothesis ({hypotheses.Count}); got {references[k].Count}.", nameof(references));
        var correct = new int[options.MaxOrder];
        var total = new int[options.MaxOrder];
        int hypothesisLength = 0, referenceLength = 0;
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var (c, t, h, r) = SentenceStatistics(hypotheses[i], references.Select(stream => stream[i]).ToArray(), options);
            for (int n = 0; n < options.MaxOrder; n++) { correct[n] += c[n]; total[n] += t[n]; }
            hypothesisLength += h;
            referenceLength += r;
        }
        return FromStatistics(correct, total, hypothesisLength, referenceLength, options);
    }

    /// <summary>Sentence BLEU of one hypothesis against its references (default: <see cref="BleuOptions.Sentence"/>).</summary>
    public static BleuScore Sentence(string hypothesis, IReadOnlyList<string> references, BleuOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0) throw new ArgumentException("references must hold at least one reference; got none.", nameof(references));
        options ??= BleuOptions.Sentence;
        return Corpus(new[] { hypothesis }, references.Select(r => (IReadOnlyList<string>)new[] { r }).ToArray(), options);
    }

    /// <summary>
    /// BLEU from sufficient statistics (sacrebleu's <c>compute_bleu</c>): matches and totals per order, hypothesis length c and
    /// reference length r.
    /// </summary>
    public static BleuScore FromStatistics(int[] correct, int[] total, int hypothesisLength, int referenceLength, BleuOptions? options = null)
    {
        options ??= BleuOptions.Corpus;
        CheckOptions(options);
        int N = options.MaxOrder;
        if (correct.Length != N || total.Length != N)
            throw new ArgumentException($"correct and total must have MaxOrder ({N}) entries; got {correct.Length} and {total.Length}.", nameof(correct));
        double brevity = hypothesisLength < referenceLength
            ? (hypothesisLength > 0 ? Math.Exp(1 - (double)referenceLength / hypothesisLength) : 0.0)
            : 1.0;
        var precisions = new double[N];
        if (correct.All(c => c == 0))
            return new BleuScore(0.0, correct, total, precisions, brevity, hypothesisLength, referenceLength);
        double smoothValue = options.SmoothValue ?? (options.Smoothing == BleuSmoothing.AddK ? 1.0 : 0.1);
        double exponent = 1.0;
        int effectiveOrder = N;
        for (int n = 1; n <= N; n++)
        {
            double matches = correct[n - 1], count = total[n - 1];
            if (options.Smoothing == BleuSmoothing.AddK && n > 1) { matches += smoothValue; count += smoothValue; }
            if (count == 0) break;
            if (options.EffectiveOrder) effectiveOrder = n;
            if (matches == 0)
            {
                if (options.Smoothing == BleuSmoothing.Exp)
                {
                    exponent *= 2;
                    precisions[n - 1] = 100.0 / (exponent * count);
                }
                else if (options.Smoothing == BleuSmoothing.Floor)
                    precisions[n - 1] = 100.0 * smoothValue / count;
            }
            else precisions[n - 1] = 100.0 * matches / count;
        }
        double logSum = precisions.Take(effectiveOrder).Sum(p => p == 0 ? LogOfZero : Math.Log(p));
        double score = brevity * Math.Exp(logSum / effectiveOrder);
        return new BleuScore(score, correct, total, precisions, brevity, hypothesisLength, referenceLength);
    }

    /// <summary>
    /// The mteval-v13a tokenizer as sacrebleu writes it (<c>tokenizer_13a.py</c> + <c>tokenizer_re.py</c>): unescape a few
    /// HTML entities, split off punctuation and symbols, split '.' and ',' unless between digits, split '-' after a digit,
    /// collapse whitespace.
    /// </summary>
    public static string Tokenize13a(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line = line.Replace("<skipped>", "").Replace("-\n", "").Replace("\n", " ")
            .Replace("&quot;", "\"").Replace("&amp;", "&").Replace("&lt;", "<").Replace("&gt;", ">");
        line = " " + line + " ";
        line = Symbols.Replace(line, " $1 ");
        line = PeriodCommaAfterNonDigit.Replace(line, "$1 $2 ");
        line = PeriodCommaBeforeNonDigit.Replace(line, " $1 $2");
        line = DashAfterDigit.Replace(line, "$1 $2 ");
        return string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static readonly Regex Symbols = new(@"([\{-\~\[-\` -\&\(-\+\:-\@\/])", RegexOptions.CultureInvariant);
    private static readonly Regex PeriodCommaAfterNonDigit = new(@"([^0-9])([\.,])", RegexOptions.CultureInvariant);
    private static readonly Regex PeriodCommaBeforeNonDigit = new(@"([\.,])([^0-9])", RegexOptions.CultureInvariant);
    private static readonly Regex DashAfterDigit = new(@"([0-9])(-)", RegexOptions.CultureInvariant);

    /// <summary>The tokens BLEU counts for one segment under <paramref name="options"/> (trailing whitespace removed first, as sacrebleu does).</summary>
    public static string[] Tokens(string segment, BleuOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(segment);
        options ??= BleuOptions.Corpus;
        var text = options.Lowercase ? segment.ToLowerInvariant() : segment;
        text = text.TrimEnd();
        if (options.Tokenizer == BleuTokenizer.Mteval13a) text = Tokenize13a(text);
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>One sentence's statistics: clipped matches and totals per order, hypothesis length, closest reference length.</summary>
    public static (int[] correct, int[] total, int hypothesisLength, int referenceLength) SentenceStatistics(string hypothesis, IReadOnlyList<string> references, BleuOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        options ??= BleuOptions.Corpus;
        var hypothesisTokens = Tokens(hypothesis, options);
        var maxReferenceCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var referenceLengths = new List<int>();
        foreach (var reference in references)
        {
            ArgumentNullException.ThrowIfNull(reference, nameof(references));
            var tokens = Tokens(reference, options);
            referenceLengths.Add(tokens.Length);
            foreach (var (ngram, count) in NGramCounts(tokens, options.MaxOrder))
                maxReferenceCounts[ngram] = Math.Max(maxReferenceCounts.GetValueOrDefault(ngram), count);
        }
        var correct = new int[options.MaxOrder];
        var total = new int[options.MaxOrder];
        foreach (var (ngram, count) in NGramCounts(hypothesisTokens, options.MaxOrder))
        {
            int n = ngram.Count(ch => ch == Separator);                                  // order − 1
            total[n] += count;
            if (maxReferenceCounts.TryGetValue(ngram, out var referenceCount)) correct[n] += Math.Min(count, referenceCount);
        }
        int closest = -1, closestGap = -1;
        foreach (var length in referenceLengths)
        {
            int gap = Math.Abs(hypothesisTokens.Length - length);
            if (closestGap == -1 || gap < closestGap || (gap == closestGap && length < closest)) { closestGap = gap; closest = length; }
        }
        return (correct, total, hypothesisTokens.Length, closest);
    }

    // Tokens never contain whitespace, so a space-free separator cannot occur inside one.
    private const char Separator = '\u0001';

    private static Dictionary<string, int> NGramCounts(string[] tokens, int maxOrder)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int n = 1; n <= maxOrder; n++)
            for (int i = 0; i + n <= tokens.Length; i++)
            {
                var key = string.Join(Separator, tokens, i, n);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        return counts;
    }

    private static void CheckOptions(BleuOptions options)
    {
        if (options.MaxOrder < 1) throw new ArgumentException($"MaxOrder must be at least 1; got {options.MaxOrder}.", nameof(options));
        if (options.SmoothValue is double v && !(v >= 0)) throw new ArgumentException($"SmoothValue must be ≥ 0; got {v}.", nameof(options));
    }
}
