using System.Text.Json;

namespace AttentionCourse.Tests.Runner;

/// <summary>The runner's other editions of a lesson, used as a teacher or a learner would use them.</summary>
public class EditionTests
{
    private static string Lesson(string name) => Path.Combine(TestSupport.RepoRoot, "notebooks", name);

    private static string Printed(string executedNotebook)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(executedNotebook));
        return string.Concat(json.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.TryGetProperty("outputs", out _))
            .SelectMany(c => c.GetProperty("outputs").EnumerateArray())
            .Where(o => o.GetProperty("output_type").GetString() == "stream")
            .SelectMany(o => o.GetProperty("text").EnumerateArray().Select(t => t.GetString())));
    }

    [Fact]
    public void StudentEdition_RunsTopToBottom_AndEveryExerciseSaysNotAnsweredYet()
    {
        var folder = Directory.CreateTempSubdirectory("attention-course-student-").FullName;
        var (exitCode, log) = CourseRunner.Run(Lesson("08-implementing-attention.ipynb"), "--student", "--out", folder);
        Assert.True(exitCode == 0, log);
        var student = Path.Combine(folder, "student", "08-implementing-attention.ipynb");
        Assert.True(File.Exists(student), log);

        var executed = Path.Combine(folder, "executed");
        (exitCode, log) = CourseRunner.Run(student, "--quick", "--out", executed);
        Assert.True(exitCode == 0, $"the student edition must run top to bottom:\n{log}");
        var printed = Printed(Path.Combine(executed, "08-implementing-attention.ipynb"));
        Assert.Contains("Exercise 1: not answered yet", printed);
        Assert.Contains("Exercise 2: not answered yet", printed);
        Assert.DoesNotContain("✓ Exercise", printed);
    }

    [Fact]
    public void ExportedApp_RunsWithDotnetRun_AndWritesItsCharts()
    {
        // Inside the repository, so the build settings (and the libstdc++ fix) of Directory.Build.* apply to the app.
        var folder = Path.Combine(TestSupport.RepoRoot, "artifacts", "test-apps", Guid.NewGuid().ToString("N")[..8]);
        var (exitCode, log) = CourseRunner.Run(Lesson("01-what-is-attention.ipynb"), Lesson("08-implementing-attention.ipynb"), "--export-apps", "--out", folder);
        Assert.True(exitCode == 0, log);
        var apps = Path.Combine(folder, "apps");
        Assert.True(File.Exists(Path.Combine(apps, "01-what-is-attention.cs")), log);
        Assert.True(File.Exists(Path.Combine(apps, "08-implementing-attention.cs")), log);

        (exitCode, log) = ChildProcess.Run("dotnet", new[] { "run", "08-implementing-attention.cs" }, TimeSpan.FromMinutes(10), apps,
            new Dictionary<string, string> { [Course.QuickModeVariable] = "1" });
        Assert.True(exitCode == 0, $"dotnet run 08-implementing-attention.cs failed:\n{log}");
        Assert.Contains("✓ the three lines of step 3 equal the library's Attention.ScaledDotProduct", log);
        Assert.Contains("✓ Exercise 2", log);
        var charts = Directory.GetFiles(Path.Combine(apps, "08-implementing-attention-charts"), "*.html");
        Assert.True(charts.Length >= 3, $"expected the lesson's charts as pages, found {charts.Length}");
        Assert.Contains("class=\"ac-plotly-js\"", File.ReadAllText(charts[0]));
    }
}
