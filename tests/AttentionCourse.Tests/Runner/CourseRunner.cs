namespace AttentionCourse.Tests;

/// <summary>Runs the built course runner (artifacts/bin/AttentionCourse.Runner/&lt;pivot&gt;/) in a child process.</summary>
public static class CourseRunner
{
    public static (int exitCode, string log) Run(params string[] arguments)
    {
        var testDirectory = AppContext.BaseDirectory;                               // artifacts/bin/AttentionCourse.Tests/<pivot>/
        var runner = Path.GetFullPath(Path.Combine(testDirectory, "..", "..", "AttentionCourse.Runner",
            new DirectoryInfo(testDirectory).Name, "AttentionCourse.Runner.dll"));
        Assert.True(File.Exists(runner), $"the runner is built with the tests; not found at {runner}");
        return ChildProcess.Run("dotnet", new[] { runner }.Concat(arguments), TimeSpan.FromMinutes(5));
    }
}
