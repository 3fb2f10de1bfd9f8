using System.Diagnostics;

namespace AttentionCourse.Tests;

/// <summary>Runs the built course runner (artifacts/bin/AttentionCourse.Runner/&lt;pivot&gt;/) in a child process.</summary>
public static class CourseRunner
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static (int exitCode, string log) Run(params string[] arguments)
    {
        var testDirectory = AppContext.BaseDirectory;                               // artifacts/bin/AttentionCourse.Tests/<pivot>/
        var runner = Path.GetFullPath(Path.Combine(testDirectory, "..", "..", "AttentionCourse.Runner",
            new DirectoryInfo(testDirectory).Name, "AttentionCourse.Runner.dll"));
        Assert.True(File.Exists(runner), $"the runner is built with the tests; not found at {runner}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(runner);
        foreach (var a in arguments) start.ArgumentList.Add(a);
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
