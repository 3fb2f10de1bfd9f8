using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace AttentionCourse.Tests.Notebooks;

/// <summary>
/// Executes every notebook in notebooks/ with the course runner, in quick mode, in a child process (as the README's
/// main command does), and fails on any failed cell. New lessons are picked up from the folder automatically.
/// </summary>
public class NotebookExecutionTests(ITestOutputHelper output)
{
    public static TheoryData<string> Notebooks() => NotebookFiles.Names();

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_RunsInQuickMode_WithNoFailedCell_AndAnOfflinePage(string name)
    {
        var outputDirectory = Directory.CreateTempSubdirectory("attention-course-").FullName;
        var (exitCode, log) = CourseRunner.Run(Path.Combine(NotebookFiles.Folder, name), "--quick", "--out", outputDirectory);
        output.WriteLine(log);
        Assert.True(exitCode == 0, $"runner exited with {exitCode} for {name}:\n{log}");

        var stem = Path.GetFileNameWithoutExtension(name);
        var page = File.ReadAllText(Path.Combine(outputDirectory, stem + ".html"));
        Assert.True(File.Exists(Path.Combine(outputDirectory, stem + ".ipynb")), "executed notebook written");
        Assert.Contains(stem, File.ReadAllText(Path.Combine(outputDirectory, "index.html")));
        // Offline: no script is fetched from the network, and a page with charts carries plotly.js itself.
        Assert.DoesNotMatch(new Regex(@"<script[^>]*\bsrc\s*=\s*[""']?\s*(https?:)?//", RegexOptions.IgnoreCase), page);
        if (page.Contains("class=\"ac-chart\""))
            Assert.Contains("class=\"ac-plotly-js\"", page);
    }

    /// <summary>
    /// Seeds are set in one place, so a lesson that trains gives the same numbers when run twice (timings aside).
    /// </summary>
    [Theory]
    [InlineData("01-what-is-attention.ipynb")]
    [InlineData("06-a-simple-attention-model.ipynb")]
    public void Notebook_RunTwice_PrintsTheSameNumbers(string name)
    {
        string[] Printed()
        {
            var outputDirectory = Directory.CreateTempSubdirectory("attention-course-repeat-").FullName;
            var (exitCode, log) = CourseRunner.Run(Path.Combine(NotebookFiles.Folder, name), "--quick", "--out", outputDirectory);
            Assert.True(exitCode == 0, log);
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outputDirectory, name)));
            return json.RootElement.GetProperty("cells").EnumerateArray()
                .Where(c => c.TryGetProperty("outputs", out _))
                .SelectMany(c => c.GetProperty("outputs").EnumerateArray())
                .Where(o => o.GetProperty("output_type").GetString() == "stream")
                .SelectMany(o => string.Concat(o.GetProperty("text").EnumerateArray().Select(t => t.GetString())).Split('\n'))
                .Where(line => !Regex.IsMatch(line, @"\d\s*(ms|s)\b"))                       // wall-clock times differ
                .ToArray();
        }
        var first = Printed();
        Assert.Contains(first, line => line.Contains("MSE") || line.Contains("accuracy"));
        Assert.Equal(first, Printed());
    }
}
