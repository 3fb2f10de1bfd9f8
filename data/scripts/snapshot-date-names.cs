// Writes data/dates/date-names.tsv: the month and weekday names and the date patterns of twelve cultures, as this
// machine's .NET (CultureInfo, backed by ICU) gives them. Run once from the repository root:
//     dotnet run data/scripts/snapshot-date-names.cs
// The course reads the written file and never the machine's ICU, whose names differ between versions and machines.
// Before writing, the script checks that the course's DateFormatter, fed with the snapshot, reproduces
// DateTime.ToString(pattern, culture) exactly for every date from 1950 to 2049 in every pattern the generator uses.
#:project ../../lib/AttentionCourse/AttentionCourse.csproj
using System.Globalization;
using AttentionCourse.Data;

string[] cultures = { "en-US", "en-GB", "fr-FR", "de-DE", "es-ES", "it-IT", "pt-BR", "nl-NL", "sv-SE", "pl-PL", "tr-TR", "hu-HU" };
var snapshot = new List<DateNames>();
foreach (var name in cultures)
{
    var f = CultureInfo.GetCultureInfo(name).DateTimeFormat;
    string[] Twelve(string[] a) => a.Take(12).ToArray();   // .NET appends a 13th (empty) month
    snapshot.Add(new DateNames(name, Twelve(f.MonthNames), Twelve(f.MonthGenitiveNames), Twelve(f.AbbreviatedMonthNames),
        Twelve(f.AbbreviatedMonthGenitiveNames), f.DayNames, f.AbbreviatedDayNames, f.GetAllDateTimePatterns('D'), f.ShortDatePattern));
}

long checkedCount = 0;
foreach (var names in snapshot)
{
    var culture = CultureInfo.GetCultureInfo(names.Culture);
    foreach (var pattern in DateTranslationTask.PatternsFor(names))
        for (var date = DateTranslationTask.FirstDate; date <= DateTranslationTask.LastDate; date = date.AddDays(1))
        {
            var expected = date.ToDateTime(TimeOnly.MinValue).ToString(pattern, culture);
            var (actual, _) = DateFormatter.Format(date, pattern, names);
            if (actual != expected)
                throw new InvalidOperationException($"{names.Culture} '{pattern}' {date:yyyy-MM-dd}: DateFormatter gives '{actual}', .NET gives '{expected}'.");
            checkedCount++;
        }
}

var path = Path.Combine("data", "dates", "date-names.tsv");
Directory.CreateDirectory(Path.GetDirectoryName(path)!);
DateNames.Save(path, snapshot,
    $"Month and weekday names and date patterns of {cultures.Length} cultures, from .NET {Environment.Version} CultureInfo (ICU) on {Environment.OSVersion}.\n" +
    "Written by data/scripts/snapshot-date-names.cs; see data/README.md. Columns: culture, field, values separated by '|'.\n" +
    "Locale data from ICU (CLDR): Copyright © 1991-2022 Unicode, Inc., MIT licence (quoted in data/README.md).\n" +
    $"DateFormatter reproduced DateTime.ToString for all {checkedCount} (culture, pattern, date) combinations the generator uses.");
Console.WriteLine($"wrote {path}: {snapshot.Count} cultures; DateFormatter = DateTime.ToString on {checkedCount} formatted dates");
