using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace AttentionCourse.Tests.Notebooks;

/// <summary>
/// Executes every notebook in notebooks/ with the course runner, in quick mode, in a child process (as the README's
/// main command does), and fails on any failed cell. New lessons are picked up from the folder automatically.
/// </summary>
public class NotebookExecutionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static TheoryData<string> Notebooks() => NotebookFiles.Names();

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_RunsInQuickMode_WithNoFailedCell_AndAnOfflinePage(string name)
    {
        var outputDirectory = Directory.CreateTempSubdirectory("attention-course-").FullName;
        var (exitCode, log) = RunRunner(Path.Combine(NotebookFiles.Folder, name), outputDirectory);
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

    private static (int exitCode, string log) RunRunner(string notebook, string outputDirectory)
    {
        var testDirectory = AppContext.BaseDirectory;                               // artifacts/bin/AttentionCourse.Tests/<pivot>/
        var runner = Path.GetFullPath(Path.Combine(testDirectory, "..", "..", "AttentionCourse.Runner",
            new DirectoryInfo(testDirectory).Name, "AttentionCourse.Runner.dll"));
        Assert.True(File.Exists(runner), $"the runner is built with the tests; not found at {runner}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { runner, notebook, "--quick", "--out", outputDirectory }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {Limit.TotalMinutes} min\n{stdout.Result}\n{stderr.Result}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
