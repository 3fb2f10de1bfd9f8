using AttentionCourse.Data;

namespace AttentionCourse.Tests.Data.Datasets;

public class DateTranslationTests
{
    private static readonly IReadOnlyList<DateNames> Shipped = DateNames.LoadShipped();
    private static DateNames Culture(string name) => Shipped.Single(c => c.Culture == name);

    [Fact]
    public void ShippedSnapshot_HasTwelveCultures_WithFullNameTables()
    {
        Assert.Equal(12, Shipped.Count);
        Assert.All(Shipped, c =>
        {
            Assert.Equal(12, c.Months.Length);
            Assert.Equal(7, c.Days.Length);
            Assert.NotEmpty(c.LongPatterns);
        });
        Assert.Equal("marca", Culture("pl-PL").MonthsGenitive[2]);
        Assert.Equal("marzec", Culture("pl-PL").Months[2]);
    }

    /// <summary>Hand-written expectations (what .NET prints for these cultures), and the spans of the parts.</summary>
    [Theory]
    [InlineData("de-DE", "dddd, d. MMMM yyyy", "Mittwoch, 3. März 2021", "3", "März", "2021")]
    [InlineData("pl-PL", "d MMMM yyyy", "3 marca 2021", "3", "marca", "2021")]          // genitive after a day number
    [InlineData("pl-PL", "MMMM yyyy", "marzec 2021", null, "marzec", "2021")]             // nominative without one
    [InlineData("en-US", "dddd, MMMM d, yyyy", "Wednesday, March 3, 2021", "3", "March", "2021")]
    [InlineData("hu-HU", "yyyy. MMMM d., dddd", "2021. március 3., szerda", "3", "március", "2021")]
    [InlineData("es-ES", "d 'de' MMMM 'de' yyyy", "3 de marzo de 2021", "3", "marzo", "2021")]
    [InlineData("de-DE", "dd.MM.yy", "03.03.21", "03", "03", "21")]
    public void Formatter_WritesDates_AndRecordsTheParts(string culture, string pattern, string expected, string? day, string month, string year)
    {
        var (text, parts) = DateFormatter.Format(new DateOnly(2021, 3, 3), pattern, Culture(culture));
        Assert.Equal(expected, text);
        Assert.Equal(day, parts.Day is TextSpan d ? text.Substring(d.Start, d.Length) : null);
        Assert.Equal(month, text.Substring(parts.Month!.Value.Start, parts.Month.Value.Length));
        Assert.Equal(year, text.Substring(parts.Year!.Value.Start, parts.Year.Value.Length));
    }

    [Fact]
    public void Patterns_LeaveOutAmbiguousNumericForms()
    {
        var us = DateTranslationTask.PatternsFor(Culture("en-US"));
        Assert.DoesNotContain("M/d/yyyy", us);
        Assert.DoesNotContain("yy-MM-dd", DateTranslationTask.PatternsFor(Culture("sv-SE")));
        Assert.Contains("yyyy-MM-dd", DateTranslationTask.PatternsFor(Culture("sv-SE")));
        Assert.Contains("dd.MM.yy", DateTranslationTask.PatternsFor(Culture("de-DE")));
        // No string of the whole pattern set means two different dates.
        var meanings = new Dictionary<string, DateOnly>();
        for (var date = new DateOnly(1950, 1, 1); date <= new DateOnly(2049, 12, 31); date = date.AddDays(7))
            foreach (var names in Shipped)
                foreach (var pattern in DateTranslationTask.PatternsFor(names))
                {
                    var (text, _) = DateFormatter.Format(date, pattern, names);
                    Assert.True(meanings.TryAdd(text, date) || meanings[text] == date, $"'{text}' means {meanings.GetValueOrDefault(text)} and {date}");
                }
    }

    [Fact]
    public void Task_HoldsOutDates_NotJustStrings()
    {
        var task = DateTranslationTask.Create(3000, 300, 300, seed: 5, languages: Shipped);
        var trainDates = task.Train.Select(p => p.Date).ToHashSet();
        Assert.DoesNotContain(task.Test, p => trainDates.Contains(p.Date));
        Assert.DoesNotContain(task.Validation, p => trainDates.Contains(p.Date));
        Assert.DoesNotContain(task.Test, p => task.Validation.Any(v => v.Date == p.Date));
        Assert.All(task.Test, p => Assert.Equal(p.Date.ToString("yyyy-MM-dd"), p.Target));
        Assert.True(task.Train.Select(p => p.Culture).Distinct().Count() == 12);
        var again = DateTranslationTask.Create(3000, 300, 300, seed: 5, languages: Shipped);
        Assert.Equal(task.Test.Select(p => p.Source), again.Test.Select(p => p.Source));         // seeded
        using var tensors = task.ToTensors(task.Test);
        Assert.Equal(new long[] { 300, 11 }, tensors[2].shape);                                  // <bos> + 10 characters
        Assert.Equal(task.TargetVocabulary.BeginId, tensors[2][0, 0].item<long>());
        Assert.Equal(task.Test[0].Target, task.TargetText(tensors[3][0].data<long>().ToArray()));
    }

    [Fact]
    public void UnseenCharacter_IsAClearError()
    {
        var task = DateTranslationTask.Create(200, 10, 10, seed: 5, languages: new[] { Culture("de-DE") });
        var alien = new DatePair("3 марта 2021", "2021-03-03", new DateOnly(2021, 3, 3), "ru-RU", "d MMMM yyyy", new DateParts(null, null, null, null));
        var error = TestSupport.AssertArgumentError(() => task.ToTensors(new[] { alien }), "sequence", "'м'", "position 2");
        Assert.Contains("not in the vocabulary", error.Message);
    }

    [Fact]
    public void MalformedSnapshot_NamesFileAndLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"date-names-{Guid.NewGuid():N}.tsv");
        try
        {
            var de = Culture("de-DE");
            DateNames.Save(path, new[] { de }, "test");
            Assert.Equal(de.Months, DateNames.Load(path)[0].Months);                        // round trip
            var lines = File.ReadAllLines(path).ToList();
            File.WriteAllLines(path, lines.Take(lines.Count - 1));                           // truncated
            Assert.Contains("ends inside culture 'de-DE'", Assert.Throws<InvalidDataException>(() => DateNames.Load(path)).Message);
            var broken = lines.ToList();
            int monthsLine = broken.FindIndex(l => l.Contains("\tmonths\t"));
            broken[monthsLine] = "de-DE\tmonths\tJanuar|Februar";
            File.WriteAllLines(path, broken);
            var error = Assert.Throws<InvalidDataException>(() => DateNames.Load(path));
            Assert.Contains($"line {monthsLine + 1}", error.Message);
            Assert.Contains("needs 12", error.Message);
            broken[monthsLine] = "de-DE months only-two-columns";
            File.WriteAllLines(path, broken);
            Assert.Contains("3 tab-separated columns", Assert.Throws<InvalidDataException>(() => DateNames.Load(path)).Message);
            File.WriteAllText(path, "");
            Assert.Contains("no culture", Assert.Throws<InvalidDataException>(() => DateNames.Load(path)).Message);
        }
        finally { File.Delete(path); }
    }
}
