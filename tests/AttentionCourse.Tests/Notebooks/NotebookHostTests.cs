using System.Text.Json;
using Xunit.Abstractions;

namespace AttentionCourse.Tests.Notebooks;

/// <summary>
/// Executes every notebook in a real .NET Interactive host, as VS Code would: dotnet-repl (the local tool pinned in
/// dotnet-tools.json; `dotnet tool restore` installs it, build/test.sh does so), started in the notebook's folder.
/// Unlike the course runner, this host ships its own .NET Interactive and FSharp.Core 10.0, which is what catches
/// host-specific failures (Plotly.NET's FSharp.Core, assembly versions, relative #r paths).
/// </summary>
public class NotebookHostTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static TheoryData<string> Notebooks() => NotebookFiles.Names();

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_RunsInTheDotnetInteractiveHost_InQuickMode(string name)
    {
        var outputDirectory = Directory.CreateTempSubdirectory("attention-course-host-").FullName;   // must exist beforehand
        var executed = Path.Combine(outputDirectory, name);
        var (exitCode, log) = ChildProcess.Run("dotnet", new[] { "dotnet-repl", "--run", name, "--exit-after-run", "--output-path", executed },
            Limit, NotebookFiles.Folder, new Dictionary<string, string> { [Course.QuickModeVariable] = "1" });
        Assert.False(log.Contains("dotnet tool restore"), $"dotnet-repl is not installed: run `dotnet tool restore` in the repository.\n{log}");
        Assert.True(File.Exists(executed), $"dotnet-repl wrote no notebook (exit {exitCode}):\n{log}");
        var errors = Errors(executed).ToList();
        foreach (var e in errors) output.WriteLine(e);
        Assert.True(exitCode == 0 && errors.Count == 0, $"{name} failed in dotnet-repl (exit {exitCode}):\n{string.Join("\n", errors)}\n{log}");
    }

    /// <summary>The error outputs of an executed notebook: "cell N: message".</summary>
    private static IEnumerable<string> Errors(string executedNotebook)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(executedNotebook));
        int cell = 0;
        foreach (var c in json.RootElement.GetProperty("cells").EnumerateArray())
        {
            cell++;
            if (!c.TryGetProperty("outputs", out var outputs)) continue;
            foreach (var o in outputs.EnumerateArray())
                if (o.GetProperty("output_type").GetString() == "error")
                    yield return $"cell {cell}: {o.GetProperty("evalue").GetString()?.Split('\n')[0]}";
        }
    }
}
