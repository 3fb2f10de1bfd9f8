namespace AttentionCourse.Data;

/// <summary>What the output of a <see cref="DigitSequenceTask"/> is.</summary>
public enum DigitTaskKind
{
    /// <summary>The input digits, in order.</summary>
    Copy,
    /// <summary>The input digits, reversed.</summary>
    Reverse,
}

/// <summary>
/// Random digit strings and their copies (or reversals): the sequence-to-sequence task of lesson 22. Every digit is drawn
/// uniformly and independently, so a string of n digits carries n·log₂10 ≈ 3.32·n bits and nothing about one digit can
/// be guessed from the others: a decoder must get every digit from the source, through whatever path the model gives it.
/// </summary>
public static class DigitSequenceTask
{
    /// <summary>The ten digit tokens.</summary>
    public static readonly string[] Digits = Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The vocabulary of sources and targets: padding, unknown, &lt;bos&gt;, &lt;eos&gt;, 0…9.</summary>
    public static Vocabulary Vocabulary() => Data.Vocabulary.FromTokens(Digits, withSequenceMarkers: true);

    /// <summary>
    /// <paramref name="count"/> strings whose lengths are uniform in [<paramref name="minLength"/>, <paramref name="maxLength"/>],
    /// with their targets.
    /// </summary>
    public static (string[][] sources, string[][] targets) Generate(int count, int minLength, int maxLength, DigitTaskKind kind, int seed)
    {
        Layers.Check.AtLeast(count, 1, nameof(count));
        Layers.Check.AtLeast(minLength, 1, nameof(minLength));
        if (maxLength < minLength) throw new ArgumentException($"maxLength must be at least minLength ({minLength}); got {maxLength}.", nameof(maxLength));
        var random = new Random(seed);
        var sources = new string[count][];
        var targets = new string[count][];
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(minLength, maxLength + 1);
            sources[i] = Enumerable.Range(0, length).Select(_ => Digits[random.Next(10)]).ToArray();
            targets[i] = kind == DigitTaskKind.Copy ? sources[i].ToArray() : sources[i].Reverse().ToArray();
        }
        return (sources, targets);
    }
}
