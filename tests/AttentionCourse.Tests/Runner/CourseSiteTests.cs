using System.Text.Json;
using System.Text.RegularExpressions;
using AttentionCourse.Runner.Lessons;
using AttentionCourse.Tests.Notebooks;

namespace AttentionCourse.Tests.Runner;

/// <summary>
/// The course as its users meet it: the front page, the interview sheet and the flashcards are generated from the notebooks,
/// the student edition drops the solutions and still runs, a lesson exports as a file-based app, and the dev container parses.
/// </summary>
public class CourseSiteTests
{
    private static List<NotebookCell> Cells(string name) =>
        NotebookFiles.Cells(name).Select(c => new NotebookCell(c.Kind, c.Source)).ToList();

    private static IReadOnlyList<PathStep> Path() => ReadingPath.Parse(Cells("00-index.ipynb"));

    private static Dictionary<int, LessonInfo> Lessons() => NotebookFiles.All().Select(System.IO.Path.GetFileName).Where(n => !NotebookFiles.IsIndex(n!)).Select(n => n!)
        .Select(n => LessonInfo.Parse(System.IO.Path.GetFileNameWithoutExtension(n), Cells(n))).ToDictionary(l => l.Number);

    [Fact]
    public void TheIndex_IsAReadingPathThroughAllThirtyQuestions()
    {
        var path = Path();
        Assert.Equal(Enumerable.Range(1, 30), path.Select(s => s.Step));
        Assert.Equal(Enumerable.Range(1, 30), path.Select(s => s.Lesson).Order());
        Assert.All(path, s => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", s.ChineseQuestion));
        Assert.All(path, s => Assert.False(string.IsNullOrWhiteSpace(s.Question)));
        Assert.Equal(new[] { 1, 8, 6, 21 }, path.Take(4).Select(s => s.Lesson));   // 06 needs the masks 08 explains
    }

    [Fact]
    public void EveryWrittenLesson_IsLinkedFromTheIndex_WithTheLessonsOwnPrerequisites()
    {
        var path = Path().ToDictionary(s => s.Lesson);
        foreach (var lesson in Lessons().Values)
        {
            Assert.Equal(lesson.Stem, path[lesson.Number].Stem);
            var indexed = Regex.Matches(path[lesson.Number].Prerequisites, @"\d\d").Select(m => int.Parse(m.Value)).Order();
            Assert.Equal(lesson.PrerequisiteLessons.Order(), indexed);
            // A lesson's prerequisites come before it on the path.
            Assert.All(lesson.PrerequisiteLessons, p => Assert.True(path[p].Step < path[lesson.Number].Step, $"{lesson.Stem} needs {p:00}, which comes later"));
        }
    }

    [Fact]
    public void LessonInfo_EndsTheTimeAtTheOutcomes_InEitherWording()
    {
        var header = "# 10 · Translation\n\n> 原题：**如何？**\n\n**Prerequisites:** 08, 06.\n**Time:** full ≈ 2 min, quick ≈ 30 s. " +
                     "**What you will be able to do:** build a translator.";
        var lesson = LessonInfo.Parse("10-translation", new[] { new NotebookCell("markdown", header) });
        Assert.Equal("full ≈ 2 min, quick ≈ 30 s", lesson.Time);                     // the final full stop is dropped
        Assert.Equal("build a translator", lesson.Outcomes);
        Assert.Equal(new[] { 8, 6 }, lesson.PrerequisiteLessons);
    }

    [Fact]
    public void LessonInfo_ReadsTheTemplate()
    {
        var lesson = LessonInfo.Parse("08-implementing-attention", Cells("08-implementing-attention.ipynb"));
        Assert.Equal(8, lesson.Number);
        Assert.Equal("Implement attention, step by step", lesson.Title);
        Assert.Equal("如何实现注意力机制？", lesson.ChineseQuestion);
        Assert.Equal(new[] { 1 }, lesson.PrerequisiteLessons);
        Assert.Contains("s in full mode", lesson.Time);
        Assert.StartsWith("- **What it is.**", lesson.Answer);
        Assert.True(lesson.FollowUps.Count >= 5, $"{lesson.FollowUps.Count} follow-ups");
        Assert.All(lesson.FollowUps, f => { Assert.EndsWith("?", f.Question); Assert.True(f.Answer.Length > 40); });
        Assert.DoesNotContain("\n", lesson.Pitfall);
        Assert.Contains("transpose(1, 2)", lesson.Pitfall);   // the head-merge bug is the pitfall (the seed's broadcasting bug comes second)
    }

    [Fact]
    public void FrontPage_ListsThePathWithStatusAnswersAndRunDetails_AndNeedsNoNetwork()
    {
        var path = Path();
        var lessons = Lessons();
        var first = lessons.Values.First();
        var results = new Dictionary<string, LessonSummary>
        {
            [first.Stem] = new(first.Stem, first.Title, false, 9, 3.2, "cell 7: boom", DateTime.UtcNow, "quick"),
        };
        var page = CoursePages.FrontPage(path, lessons, results, new RunDetails("test machine", "quick", "7", new[] { ("TorchSharp-cpu", "0.107.0") }, DateTime.UtcNow));
        int at = 0;
        foreach (var step in path)          // in reading-path order
        {
            var shown = lessons.TryGetValue(step.Lesson, out var l) ? l.Title : step.Question;
            int found = page.IndexOf(System.Net.WebUtility.HtmlEncode(shown), at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"step {step.Step} ({shown}) missing or out of order");
            at = found;
        }
        Assert.Contains("failed at cell 7", page);
        if (lessons.Count < 30) Assert.Contains("not yet written", page);
        Assert.Contains("<summary>60-second answer</summary>", page);
        Assert.Contains("Noto Sans CJK SC", page);
        Assert.Contains("TorchSharp-cpu 0.107.0", page);
        Assert.Contains("seed: 7", page);
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*[""']?\s*(https?:)?//", RegexOptions.IgnoreCase), page);
    }

    [Fact]
    public void InterviewSheet_HasOnePrintablePagePerLesson()
    {
        var lessons = Lessons();
        var sheet = CoursePages.InterviewSheet(Path(), lessons);
        Assert.Equal(lessons.Count, Regex.Matches(sheet, "<section>").Count);
        Assert.Contains("page-break-after: always", sheet);
        Assert.Contains("Pitfall:", sheet);
        foreach (var lesson in lessons.Values)
            foreach (var f in lesson.FollowUps) Assert.Contains(CoursePages.Html(f.Question).Replace("<p>", "").Replace("</p>", ""), sheet);
    }

    [Fact]
    public void Flashcards_AreAnkiPlainText_TwoFieldsAndTags_NoTabsOrLineBreaksInsideFields()
    {
        var lessons = Lessons();
        var deck = CoursePages.Flashcards(Path(), lessons);
        var lines = deck.Split('\n');
        Assert.Equal(new[] { "#separator:tab", "#html:true", "#tags column:3" }, lines.Take(3));
        Assert.Equal("", lines[^1]);                                  // the file ends with a newline
        var cards = lines.Skip(3).SkipLast(1).ToList();
        Assert.Equal(lessons.Values.Sum(l => 1 + l.FollowUps.Count), cards.Count);
        Assert.All(cards, card =>
        {
            var fields = card.Split('\t');
            Assert.Equal(3, fields.Length);
            Assert.All(fields, f => Assert.False(string.IsNullOrWhiteSpace(f)));
            Assert.DoesNotContain('\r', card);
            Assert.Matches(@"^AttentionCourse lesson-\d\d$", fields[2]);
        });
        // The first card of each lesson asks its question in English and in Chinese.
        Assert.All(lessons.Values, l => Assert.Contains(cards, c => c.StartsWith($"<b>{System.Net.WebUtility.HtmlEncode(l.Title)}</b><br>") && Regex.IsMatch(c.Split('\t')[0], @"\p{IsCJKUnifiedIdeographs}")));
        Assert.Equal("a b <br> c", CoursePages.Field("a\tb <br>\r\n\n c"));
    }

    [Fact]
    public void StudentEdition_DropsEverySolution_KeepsTheExercises_AndPointsAtTheLibrary()
    {
        var studentFolder = System.IO.Path.Combine(TestSupport.RepoRoot, "out", "student");
        foreach (var name in NotebookFiles.All().Select(System.IO.Path.GetFileName).Select(n => n!).Where(n => !NotebookFiles.IsIndex(n)))
        {
            var original = File.ReadAllText(System.IO.Path.Combine(NotebookFiles.Folder, name));
            var edition = Editions.StudentEdition(original, NotebookFiles.Folder, studentFolder);
            Assert.NotNull(edition);
            var cells = JsonDocument.Parse(edition!).RootElement.GetProperty("cells").EnumerateArray()
                .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(s => s.GetString()))).ToList();
            Assert.DoesNotContain(cells, c => Regex.IsMatch(c, @"^##\s+Solutions", RegexOptions.Multiline));
            Assert.Contains(cells, c => c.Contains("Checks.Exercise("));
            Assert.Contains("#r \"../../artifacts/bin/AttentionCourse/notebook/AttentionCourse.dll\"", cells.First(c => c.Contains("#r")));
            // No code cell of the solutions survives.
            var all = NotebookFiles.Cells(name);
            int solutions = all.ToList().FindIndex(c => c.Kind == "markdown" && Regex.IsMatch(c.Source, @"^##\s+Solutions", RegexOptions.Multiline));
            foreach (var solution in all.Skip(solutions).Where(c => c.Kind == "code"))
                Assert.DoesNotContain(solution.Source.Trim(), cells);
        }
    }

    [Fact]
    public void FileBasedApp_MovesDirectivesAndUsings_AndShowsTrailingExpressions()
    {
        var cells = new List<NotebookCell>
        {
            new("markdown", "# 99 · A lesson\nText."),
            new("code", "#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"nuget: Some.Package, 1.2.3\"\n#r \"../artifacts/bin/AttentionCourse/notebook/AttentionCourse.dll\""),
            new("code", "using AttentionCourse;\nusing static TorchSharp.torch;\nvar x = 1;\nusing var scope = NewDisposeScope();"),
            new("code", "var y = x + 1;\nCharts.Lines(\"t\", \"x\", \"y\",\n    new Series(\"a\", new[] { 1.0 }, new[] { 2.0 }))"),
        };
        var app = CoursePagesHelpers.Lines(Editions.FileBasedApp(cells, "99-a-lesson", "../../lib/AttentionCourse/AttentionCourse.csproj"));
        Assert.Equal("#:project ../../lib/AttentionCourse/AttentionCourse.csproj", app[0]);
        Assert.Equal("#:package Some.Package@1.2.3", app[1]);
        Assert.DoesNotContain(app, l => l.Contains("TorchSharp-cpu") || l.StartsWith("#r"));
        int firstUsing = app.FindIndex(l => l.StartsWith("using AttentionCourse;"));
        int firstStatement = app.FindIndex(l => l.StartsWith("var x"));
        Assert.True(firstUsing >= 0 && firstUsing < firstStatement);
        Assert.Contains("using var scope = NewDisposeScope();", app);           // a using *statement* stays where it is
        Assert.Contains("// # 99 · A lesson", app);
        Assert.Contains("AttentionCourse.Plotting.NotebookDisplay.ShowOrSave(Charts.Lines(\"t\", \"x\", \"y\",", app);
        Assert.Contains("    new Series(\"a\", new[] { 1.0 }, new[] { 2.0 })));", app);
        Assert.Contains("var y = x + 1;", app);
    }

    [Fact]
    public void DevContainer_IsValidJson_WithTheSdkTheNotebookExtensionAndTheSetUp()
    {
        var text = File.ReadAllText(System.IO.Path.Combine(TestSupport.RepoRoot, ".devcontainer", "devcontainer.json"));
        using var json = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var root = json.RootElement;
        Assert.Equal("10.0", root.GetProperty("features").GetProperty("ghcr.io/devcontainers/features/dotnet:2").GetProperty("version").GetString());
        var extensions = root.GetProperty("customizations").GetProperty("vscode").GetProperty("extensions").EnumerateArray().Select(e => e.GetString());
        Assert.Contains("ms-dotnettools.dotnet-interactive-vscode", extensions);
        var setUp = root.GetProperty("postCreateCommand").GetString()!;
        Assert.Contains("dotnet tool restore", setUp);
        Assert.Contains("dotnet build lib/AttentionCourse.Runner", setUp);
    }

    [Fact]
    public void ProgressLine_EstimatesTheRestFromTheLastRun()
    {
        var last = new Dictionary<string, double> { ["01-a"] = 10, ["02-b"] = 30 };
        Assert.Equal("elapsed 1:05, about 1:00 left (from the last run's times)",
            AttentionCourse.Runner.Progress.Line(TimeSpan.FromSeconds(65), new[] { "01-a", "02-b", "03-new" }, last));
        Assert.Equal("elapsed 0:00, no earlier run to estimate the rest from", AttentionCourse.Runner.Progress.Line(TimeSpan.Zero, new[] { "x" }, new Dictionary<string, double>()));
    }
}

internal static class CoursePagesHelpers
{
    public static List<string> Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
}
