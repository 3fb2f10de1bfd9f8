using System.Globalization;
using System.Text;

namespace AttentionCourse.Data;

/// <summary>
/// The month and weekday names and the date patterns of one culture, as .NET's <c>CultureInfo</c> gave them when
/// <c>data/scripts/snapshot-date-names.cs</c> ran (ICU's output differs between machines and versions, so the course
/// reads this shipped snapshot, never the machine's ICU). Arrays run January…December and Sunday…Saturday.
/// </summary>
/// <param name="Culture">The culture's name, e.g. <c>de-DE</c>.</param>
/// <param name="Months">Month names in the nominative ("März").</param>
/// <param name="MonthsGenitive">Month names as they follow a day number ("3 marca" in Polish); equal to <paramref name="Months"/> where a language has no such form.</param>
/// <param name="MonthsAbbreviated">Abbreviated month names.</param>
/// <param name="MonthsAbbreviatedGenitive">Abbreviated month names after a day number.</param>
/// <param name="Days">Weekday names.</param>
/// <param name="DaysAbbreviated">Abbreviated weekday names.</param>
/// <param name="LongPatterns">.NET long date patterns (<c>GetAllDateTimePatterns('D')</c>), e.g. <c>dddd, d. MMMM yyyy</c>.</param>
/// <param name="ShortPattern">.NET's short date pattern (<c>d</c>), e.g. <c>dd.MM.yyyy</c>.</param>
public sealed record DateNames(string Culture, string[] Months, string[] MonthsGenitive, string[] MonthsAbbreviated,
    string[] MonthsAbbreviatedGenitive, string[] Days, string[] DaysAbbreviated, string[] LongPatterns, string ShortPattern)
{
    /// <summary>The shipped snapshot, relative to <c>data/</c>.</summary>
    public const string ShippedFile = "dates/date-names.tsv";

    /// <summary>The fields of the file, in the order every culture lists them.</summary>
    public static readonly string[] Fields =
        { "months", "monthsGenitive", "monthsAbbreviated", "monthsAbbreviatedGenitive", "days", "daysAbbreviated", "longPatterns", "shortPattern" };

    /// <summary>Reads the shipped snapshot (<see cref="ShippedFile"/>).</summary>
    public static IReadOnlyList<DateNames> LoadShipped() => Load(DataFiles.Find(ShippedFile));

    /// <summary>
    /// Reads a snapshot: UTF-8 lines <c>culture TAB field TAB value|value|…</c>, eight lines per culture in the order of
    /// <see cref="Fields"/>; lines starting with <c>#</c> and blank lines are skipped. A malformed file is an error naming
    /// the file and the line.
    /// </summary>
    public static IReadOnlyList<DateNames> Load(string path)
    {
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        var result = new List<DateNames>();
        var current = new List<(string[] values, int line)>();
        string? culture = null;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split('\t');
            string Where() => $"{path}, line {i + 1}";
            if (parts.Length != 3)
                throw new InvalidDataException($"{Where()}: expected 3 tab-separated columns (culture, field, values); got {parts.Length}.");
            if (culture is not null && parts[0] != culture)
                throw new InvalidDataException($"{Where()}: culture '{parts[0]}' starts before '{culture}' has all {Fields.Length} fields (it has {current.Count}).");
            culture = parts[0];
            string expectedField = Fields[current.Count];
            if (parts[1] != expectedField)
                throw new InvalidDataException($"{Where()}: expected field '{expectedField}' for {culture}; got '{parts[1]}'.");
            var values = parts[2].Split('|');
            int expectedCount = expectedField switch { "longPatterns" => -1, "shortPattern" => 1, _ when expectedField.StartsWith("month") => 12, _ => 7 };
            if (expectedCount > 0 && values.Length != expectedCount || values.Any(string.IsNullOrWhiteSpace))
                throw new InvalidDataException($"{Where()}: field '{expectedField}' needs {(expectedCount > 0 ? expectedCount.ToString(CultureInfo.InvariantCulture) : "at least one")} non-empty values separated by '|'; got {values.Length}: '{parts[2]}'.");
            current.Add((values, i + 1));
            if (current.Count == Fields.Length)
            {
                var v = current.Select(c => c.values).ToArray();
                result.Add(new DateNames(culture, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7][0]));
                current.Clear();
                culture = null;
            }
        }
        if (current.Count > 0)
            throw new InvalidDataException($"{path}: the file ends inside culture '{culture}' after {current.Count} of {Fields.Length} fields (truncated?).");
        if (result.Count == 0) throw new InvalidDataException($"{path}: no culture in the file (empty?).");
        return result;
    }

    /// <summary>Writes the snapshot format that <see cref="Load"/> reads.</summary>
    public static void Save(string path, IEnumerable<DateNames> cultures, string header)
    {
        var text = new StringBuilder();
        foreach (var line in header.Split('\n')) text.Append("# ").Append(line).Append('\n');
        foreach (var c in cultures)
        {
            var values = new[] { c.Months, c.MonthsGenitive, c.MonthsAbbreviated, c.MonthsAbbreviatedGenitive, c.Days, c.DaysAbbreviated, c.LongPatterns, new[] { c.ShortPattern } };
            for (int f = 0; f < Fields.Length; f++)
            {
                if (values[f].Any(v => v.Contains('|') || v.Contains('\t') || v.Contains('\n')))
                    throw new ArgumentException($"{c.Culture} {Fields[f]}: a value contains '|', a tab or a newline.", nameof(cultures));
                text.Append(c.Culture).Append('\t').Append(Fields[f]).Append('\t').Append(string.Join('|', values[f])).Append('\n');
            }
        }
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
    }
}
