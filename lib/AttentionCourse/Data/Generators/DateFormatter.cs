using System.Globalization;
using System.Text;

namespace AttentionCourse.Data;

/// <summary>A span of characters in a string: <c>[Start, Start + Length)</c>.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>Where the parts of a date sit in its formatted text (null when the pattern has no such part).</summary>
public sealed record DateParts(TextSpan? Day, TextSpan? Month, TextSpan? Year, TextSpan? Weekday);

/// <summary>
/// Formats a date with a .NET custom date pattern (<c>d dd ddd dddd M MM MMM MMMM yy yyyy</c>, quoted literals, other
/// characters as they are) from a <see cref="DateNames"/> snapshot instead of the machine's culture data, and records
/// where day, month, year and weekday landed. It follows .NET's rule for genitive month names (used when a day number
/// <c>d</c>/<c>dd</c> is the nearest day token before the month, or else after it); the snapshot script checks that it
/// reproduces <c>DateTime.ToString(pattern, culture)</c> for every date it tries.
/// </summary>
public static class DateFormatter
{
    /// <summary>The formatted text and the spans of its parts.</summary>
    public static (string Text, DateParts Parts) Format(DateOnly date, string pattern, DateNames names)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(names);
        var text = new StringBuilder();
        TextSpan? day = null, month = null, year = null, weekday = null;
        for (int i = 0; i < pattern.Length;)
        {
            char c = pattern[i];
            if (c == '\'')
            {
                int close = pattern.IndexOf('\'', i + 1);
                if (close < 0) throw new ArgumentException($"pattern '{pattern}' has an unclosed quote at {i}.", nameof(pattern));
                text.Append(pattern, i + 1, close - i - 1);
                i = close + 1;
                continue;
            }
            int run = 1;
            while (i + run < pattern.Length && pattern[i + run] == c) run++;
            int start = text.Length;
            switch (c)
            {
                case 'd' when run <= 2:
                    text.Append(date.Day.ToString(run == 2 ? "00" : "0", CultureInfo.InvariantCulture));
                    day = new TextSpan(start, text.Length - start);
                    break;
                case 'd':
                    text.Append((run == 3 ? names.DaysAbbreviated : names.Days)[(int)date.DayOfWeek]);
                    weekday = new TextSpan(start, text.Length - start);
                    break;
                case 'M' when run <= 2:
                    text.Append(date.Month.ToString(run == 2 ? "00" : "0", CultureInfo.InvariantCulture));
                    month = new TextSpan(start, text.Length - start);
                    break;
                case 'M':
                    bool genitive = UsesGenitive(pattern, i, run);
                    var table = run == 3
                        ? (genitive ? names.MonthsAbbreviatedGenitive : names.MonthsAbbreviated)
                        : (genitive ? names.MonthsGenitive : names.Months);
                    text.Append(table[date.Month - 1]);
                    month = new TextSpan(start, text.Length - start);
                    break;
                case 'y':
                    text.Append(run <= 2
                        ? (date.Year % 100).ToString("00", CultureInfo.InvariantCulture)
                        : date.Year.ToString(new string('0', run), CultureInfo.InvariantCulture));
                    year = new TextSpan(start, text.Length - start);
                    break;
                default:
                    text.Append(pattern, i, run);
                    break;
            }
            i += run;
        }
        return (text.ToString(), new DateParts(day, month, year, weekday));
    }

    /// <summary>
    /// .NET's choice (DateTimeFormat.IsUseGenitiveForm): the nearest run of <c>d</c> before the month token, if it is
    /// one or two long, means genitive; otherwise the nearest run after it decides the same way.
    /// </summary>
    private static bool UsesGenitive(string pattern, int index, int tokenLength)
    {
        int i = index - 1;
        while (i >= 0 && pattern[i] != 'd') i--;
        if (i >= 0)
        {
            int repeat = 0;
            while (--i >= 0 && pattern[i] == 'd') repeat++;
            if (repeat <= 1) return true;
        }
        i = index + tokenLength;
        while (i < pattern.Length && pattern[i] != 'd') i++;
        if (i < pattern.Length)
        {
            int repeat = 0;
            while (++i < pattern.Length && pattern[i] == 'd') repeat++;
            if (repeat <= 1) return true;
        }
        return false;
    }
}
