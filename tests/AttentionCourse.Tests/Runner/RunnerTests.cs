namespace AttentionCourse.Tests.Runner;

/// <summary>The runner's contract on failures: exit codes and what it prints.</summary>
public class RunnerTests
{
    private static string TempNotebook(string name, string text)
    {
        var folder = Directory.CreateTempSubdirectory("attention-course-runner-").FullName;
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void FailedCell_ExitsWithOne_AndNamesLessonCellCodeAndError()
    {
        var notebook = TempNotebook("07-broken.dib", """
            #!markdown
            # A lesson that breaks
            #!csharp
            var answer = 6 * 7;
            #!csharp
            throw new InvalidOperationException($"the answer was {answer}");
            #!csharp
            Console.WriteLine("never runs");
            """);
        var output = Path.Combine(Path.GetDirectoryName(notebook)!, "out");
        var (exitCode, log) = CourseRunner.Run(notebook, "--out", output);
        Assert.Equal(1, exitCode);
        Assert.Contains("FAILED 07-broken, cell 3: throw new InvalidOperationException", log);
        Assert.Contains("the answer was 42", log);
        Assert.DoesNotContain("never runs", log);
        Assert.Contains("FAILED", File.ReadAllText(Path.Combine(output, "index.html")));
        Assert.True(File.Exists(Path.Combine(output, "07-broken.html")));
    }

    [Fact]
    public void PassingNotebook_ExitsWithZero_AndReportsEachCell()
    {
        var notebook = TempNotebook("01-fine.dib", "#!csharp\nvar x = 1;\n#!csharp\nConsole.WriteLine(x + 1);\n");
        var (exitCode, log) = CourseRunner.Run(notebook, "--out", Path.Combine(Path.GetDirectoryName(notebook)!, "out"));
        Assert.Equal(0, exitCode);
        Assert.Contains("cell   1 (1/2)", log);
        Assert.Contains("cell   2 (2/2)", log);
        Assert.Contains("All 1 lesson(s) passed.", log);
    }

    [Theory]
    [InlineData("empty.ipynb", "", "is empty")]
    [InlineData("corrupt.ipynb", "{ \"cells\": [ {", "is not a valid notebook")]
    public void UnreadableNotebook_ExitsWithTwo_AndSaysWhy(string name, string text, string message)
    {
        var notebook = TempNotebook(name, text);
        var (exitCode, log) = CourseRunner.Run(notebook, "--out", Path.Combine(Path.GetDirectoryName(notebook)!, "out"));
        Assert.Equal(2, exitCode);
        Assert.Contains(message, log);
    }

    [Fact]
    public void MissingPath_ExitsWithTwo_AndNamesIt()
    {
        var (exitCode, log) = CourseRunner.Run("no/such/lesson.ipynb");
        Assert.Equal(2, exitCode);
        Assert.Contains("no notebook or folder at 'no/such/lesson.ipynb'", log);
    }

    [Fact]
    public void UnreadableNotebookInAFolder_DoesNotStopTheOthers_AndExitsWithTwo()
    {
        var first = TempNotebook("01-corrupt.ipynb", "{ not json");
        var folder = Path.GetDirectoryName(first)!;
        File.WriteAllText(Path.Combine(folder, "02-fine.dib"), "#!csharp\nConsole.WriteLine(\"second lesson ran\");\n");
        var (exitCode, log) = CourseRunner.Run(folder, "--out", Path.Combine(folder, "out"));
        Assert.Equal(2, exitCode);
        Assert.Contains("UNREADABLE 01-corrupt", log);
        Assert.Contains("ok: 1 code cells", log);
    }

    /// <summary>The README's main command runs every lesson in one process: lessons must not disturb each other.</summary>
    [Fact]
    public void SeveralLessonsInOneProcess_AllPass()
    {
        var output = Directory.CreateTempSubdirectory("attention-course-together-").FullName;
        var (exitCode, log) = CourseRunner.Run(
            Path.Combine(TestSupport.RepoRoot, "notebooks", "01-what-is-attention.ipynb"),
            Path.Combine(TestSupport.RepoRoot, "notebooks", "08-implementing-attention.ipynb"),
            "--quick", "--out", output);
        Assert.True(exitCode == 0, log);
        Assert.Contains("All 2 lesson(s) passed.", log);
        var index = File.ReadAllText(Path.Combine(output, "index.html"));
        Assert.Contains("08-implementing-attention.html", index);
        Assert.Contains("passed (quick mode)", index);
        Assert.Contains("not run yet", index);                       // the written lessons this run left out
        Assert.Contains("[2/2] 08-implementing-attention · elapsed", log);
        Assert.True(File.Exists(Path.Combine(output, "interview.html")));
        Assert.True(File.Exists(Path.Combine(output, "flashcards.tsv")));
    }

    /// <summary>
    /// <c>--seeds</c> runs a lesson under each course seed and writes a report: per check, the threshold, the spread of
    /// the measured value and the passes; a failed check is recorded (the lesson goes on) and makes the exit code 1.
    /// </summary>
    [Fact]
    public void SeedSweep_RunsEachSeed_AndReportsEveryCheck()
    {
        var library = Path.Combine(TestSupport.RepoRoot, "artifacts", "bin", "AttentionCourse", "notebook", "AttentionCourse.dll");
        var notebook = TempNotebook("05-seeded.dib", $$"""
            #!csharp
            #r "{{library}}"
            #!csharp
            AttentionCourse.Checks.AtLeast(AttentionCourse.Course.Seed, 2, "the seed is at least 2");
            #!csharp
            AttentionCourse.Checks.That(true, "this cell still runs when the check above failed");
            """);
        var output = Path.Combine(Path.GetDirectoryName(notebook)!, "out");
        var (exitCode, log) = CourseRunner.Run(notebook, "--seeds", "1-3", "--out", output);
        Assert.True(exitCode == 1, log);
        Assert.Contains("05-seeded seed    1: 1/2 checks passed", log);
        Assert.Contains("05-seeded seed    3: 2/2 checks passed", log);
        var report = File.ReadAllText(Path.Combine(output, "robustness", "05-seeded.full.md"));
        Assert.Contains("| 1 | the seed is at least 2 | ≥ 2 | 1 | 2 | 3 | 2/3 | 1 |", report);
        Assert.Contains("| 2 | this cell still runs when the check above failed | holds |  |  |  | 3/3 |  |", report);
        Assert.False(File.Exists(Path.Combine(output, "index.html")), "a sweep writes reports, not the handout");
    }

    [Theory]
    [InlineData("--seeds", "9-1")]
    [InlineData("--seed", "x")]
    public void BadSeedOptions_ExitWithTwo(string option, string value)
    {
        var (exitCode, log) = CourseRunner.Run("notebooks", option, value);
        Assert.Equal(2, exitCode);
        Assert.Contains(option, log);
    }
}
