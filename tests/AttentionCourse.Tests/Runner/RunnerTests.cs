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
}
