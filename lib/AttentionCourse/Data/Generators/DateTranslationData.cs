using System.Globalization;
using AttentionCourse.Training;
using static TorchSharp.torch;

namespace AttentionCourse.Data;

/// <summary>One human-written date and its ISO translation.</summary>
/// <param name="Source">The date as a person writes it, e.g. <c>Mittwoch, 3. März 2021</c>.</param>
/// <param name="Target">ISO 8601, e.g. <c>2021-03-03</c>.</param>
/// <param name="Date">The date.</param>
/// <param name="Culture">The culture whose names and pattern wrote <see cref="Source"/>.</param>
/// <param name="Pattern">The .NET pattern used.</param>
/// <param name="Parts">Where day, month, year and weekday sit in <see cref="Source"/>.</param>
public sealed record DatePair(string Source, string Target, DateOnly Date, string Culture, string Pattern, DateParts Parts);

/// <summary>
/// The date-translation task of lesson 10: dates written in the formats of twelve cultures (names and patterns from the
/// shipped <see cref="DateNames"/> snapshot) → ISO <c>yyyy-MM-dd</c>. Dates run from 1950-01-01 to 2049-12-31; a seeded
/// share of them is held out, so test dates never occur in training in any format (held-out dates, not only held-out
/// strings). Numeric formats are day-first or year-first; the US month-first form (<c>3/4/2021</c>) is left out because
/// beside the day-first ones it makes the same string mean two dates. A two-digit year <c>yy</c> means 19yy for yy ≥ 50
/// and 20yy otherwise (the range of the data), and occurs only in day-first numeric formats.
/// </summary>
public sealed class DateTranslationTask
{
    public static readonly DateOnly FirstDate = new(1950, 1, 1);
    public static readonly DateOnly LastDate = new(2049, 12, 31);

    /// <summary>The ISO target format.</summary>
    public const string IsoPattern = "yyyy-MM-dd";

    private DateTranslationTask(IReadOnlyList<DateNames> languages, IReadOnlyList<DatePair> train, IReadOnlyList<DatePair> validation,
        IReadOnlyList<DatePair> test, Vocabulary source, Vocabulary target, int heldOutDates)
    {
        Languages = languages;
        Train = train;
        Validation = validation;
        Test = test;
        SourceVocabulary = source;
        TargetVocabulary = target;
        HeldOutDateCount = heldOutDates;
    }

    public IReadOnlyList<DateNames> Languages { get; }
    public IReadOnlyList<DatePair> Train { get; }
    public IReadOnlyList<DatePair> Validation { get; }
    public IReadOnlyList<DatePair> Test { get; }

    /// <summary>Characters of the training sources (built on the training split only), no sequence markers.</summary>
    public Vocabulary SourceVocabulary { get; }

    /// <summary>The eleven ISO characters <c>0…9</c> and <c>-</c>, with <c>&lt;bos&gt;</c> and <c>&lt;eos&gt;</c>.</summary>
    public Vocabulary TargetVocabulary { get; }

    /// <summary>How many calendar dates are held out (validation and test dates together).</summary>
    public int HeldOutDateCount { get; }

    /// <summary>
    /// Generates the task. The dates are split once by <paramref name="seed"/>: <paramref name="heldOutShare"/> of all
    /// dates are held out and split again in halves for validation and test; pairs then draw a date, a culture and a
    /// pattern uniformly.
    /// </summary>
    public static DateTranslationTask Create(int trainCount, int validationCount, int testCount, int seed,
        double heldOutShare = 0.2, IReadOnlyList<DateNames>? languages = null)
    {
        Layers.Check.AtLeast(trainCount, 1, nameof(trainCount));
        Layers.Check.AtLeast(validationCount, 1, nameof(validationCount));
        Layers.Check.AtLeast(testCount, 1, nameof(testCount));
        if (!(heldOutShare > 0 && heldOutShare < 1))
            throw new ArgumentException($"heldOutShare must lie in (0, 1); got {heldOutShare}.", nameof(heldOutShare));
        languages ??= DateNames.LoadShipped();
        var random = new Random(seed);
        var all = new List<DateOnly>();
        for (var d = FirstDate; d <= LastDate; d = d.AddDays(1)) all.Add(d);
        var shuffled = all.OrderBy(_ => random.Next()).ToArray();
        int heldOut = (int)(all.Count * heldOutShare);
        var validationDates = shuffled[..(heldOut / 2)];
        var testDates = shuffled[(heldOut / 2)..heldOut];
        var trainDates = shuffled[heldOut..];
        var train = Pairs(trainCount, trainDates, languages, random);
        var validation = Pairs(validationCount, validationDates, languages, random);
        var test = Pairs(testCount, testDates, languages, random);
        var sourceVocabulary = Vocabulary.Build(train.Select(p => Characters(p.Source)));
        var targetVocabulary = Vocabulary.FromTokens("0123456789-".Select(c => c.ToString()), withSequenceMarkers: true);
        return new DateTranslationTask(languages, train, validation, test, sourceVocabulary, targetVocabulary, heldOut);
    }

    /// <summary>
    /// The patterns a culture writes dates in: its long patterns (with and without the weekday), the same with abbreviated
    /// names, and its short numeric pattern (left out when it puts the month first), also with a two-digit year when it
    /// puts the day first.
    /// </summary>
    public static IReadOnlyList<string> PatternsFor(DateNames names)
    {
        var patterns = new List<string>();
        foreach (var pattern in names.LongPatterns)
        {
            patterns.Add(pattern);
            patterns.Add(pattern.Replace("MMMM", "MMM").Replace("dddd", "ddd"));
        }
        var numeric = names.ShortPattern;
        int dayAt = numeric.IndexOf('d'), monthAt = numeric.IndexOf('M'), yearAt = numeric.IndexOf('y');
        bool monthFirst = monthAt < dayAt && yearAt > monthAt;
        if (!monthFirst) patterns.Add(numeric);
        // A two-digit year only where the day comes first: "30-11-33" (Dutch dd-MM-yy) and "33-11-30" (Swedish yy-MM-dd)
        // would otherwise both occur, and "10-11-12" would mean two dates.
        if (dayAt < yearAt && dayAt < monthAt) patterns.Add(numeric.Replace("yyyy", "yy"));
        return patterns.Distinct().ToArray();
    }

    /// <summary>The characters of a string, one token each (the tokens of this task).</summary>
    public static string[] Characters(string text) => text.Select(c => c.ToString()).ToArray();

    /// <summary>
    /// Tensors for training: source ids <c>(N, S)</c> and their padding <c>(N, S)</c>; decoder inputs <c>(N, T)</c> =
    /// <c>&lt;bos&gt;</c> + target and decoder outputs <c>(N, T)</c> = target + <c>&lt;eos&gt;</c>, T = 11.
    /// A source character never seen in training is an error naming it (<see cref="UnknownTokens.Throw"/>).
    /// </summary>
    public TensorDataset ToTensors(IReadOnlyList<DatePair> pairs)
        => Seq2SeqTensors.Encode(pairs.Select(p => Characters(p.Source)).ToArray(), pairs.Select(p => Characters(p.Target)).ToArray(),
            SourceVocabulary, TargetVocabulary);

    /// <summary>The ISO string of some target ids (markers and padding dropped; decoding stops at <c>&lt;eos&gt;</c>).</summary>
    public string TargetText(IEnumerable<long> ids) => Seq2SeqTensors.DecodeText(ids, TargetVocabulary);

    private static DatePair[] Pairs(int count, DateOnly[] dates, IReadOnlyList<DateNames> languages, Random random)
    {
        var patterns = languages.Select(PatternsFor).ToArray();
        var pairs = new DatePair[count];
        for (int i = 0; i < count; i++)
        {
            var date = dates[random.Next(dates.Length)];
            int language = random.Next(languages.Count);
            var pattern = patterns[language][random.Next(patterns[language].Count)];
            var (text, parts) = DateFormatter.Format(date, pattern, languages[language]);
            pairs[i] = new DatePair(text, date.ToString(IsoPattern, CultureInfo.InvariantCulture), date, languages[language].Culture, pattern, parts);
        }
        return pairs;
    }
}
