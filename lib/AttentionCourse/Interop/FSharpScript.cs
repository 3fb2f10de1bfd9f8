using System.Diagnostics;

namespace AttentionCourse.Interop;

/// <summary>
/// Runs an F# script with <c>dotnet fsi</c> (part of every .NET SDK) and returns what it printed. Lesson 21 uses it to call
/// the course library from F#: the in-process runner executes C# cells only (the F# kernel package is not on this
/// feed), so an F# cell could not run everywhere the lessons run; a script run by the SDK does.
/// </summary>
public static class FSharpScript
{
    /// <summary>
    /// Runs <paramref name="scriptPath"/> with <paramref name="arguments"/> (the script reads them from <c>fsi.CommandLineArgs</c>);
    /// throws with its output when it exits with an error or runs longer than three minutes.
    /// </summary>
    public static string Run(string scriptPath, params string[] arguments)
    {
        if (!File.Exists(scriptPath))
            throw new FileNotFoundException($"no F# script at '{Path.GetFullPath(scriptPath)}' (working directory {Environment.CurrentDirectory}).", scriptPath);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("fsi");
        start.ArgumentList.Add("--quiet");
        start.ArgumentList.Add("--exec");
        start.ArgumentList.Add(Path.GetFullPath(scriptPath));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start `dotnet fsi`.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        var wait = TimeSpan.FromMinutes(3);
        if (!process.WaitForExit(wait))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`dotnet fsi {scriptPath}` ran longer than {wait.TotalSeconds:F0} s.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`dotnet fsi {scriptPath}` exited with {process.ExitCode}:\n{output.Result}\n{errors.Result}");
        return output.Result;
    }
}
