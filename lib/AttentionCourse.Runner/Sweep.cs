using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AttentionCourse.Runner;

/// <summary>The runner's <c>--seeds</c> mode: each lesson under each seed, then one report per lesson.</summary>
public static class Sweep
{
    public static async Task<int> RunAsync(IReadOnlyList<string> notebooks, IReadOnlyList<int> seeds, string outputDirectory, TextWriter log)
    {
        var mode = Environment.GetEnvironmentVariable("ATTENTION_COURSE_QUICK") == "1" ? "quick" : "full";
        var folder = Path.Combine(outputDirectory, "robustness");
        Directory.CreateDirectory(folder);
        log.WriteLine($"Seed sweep: {notebooks.Count} lesson(s) × {seeds.Count} seeds, {mode} mode; reports → {Path.GetFullPath(folder)}");
        bool allPassed = true, unreadable = false;
        foreach (var notebook in notebooks)
        {
            var name = Path.GetFileNameWithoutExtension(notebook);
            var runs = new List<SeedRun>();
            foreach (int seed in seeds)
            {
                var checkLog = Path.Combine(Path.GetTempPath(), $"attention-course-checks-{Environment.ProcessId}-{name}-{seed}.jsonl");
                File.Delete(checkLog);
                Environment.SetEnvironmentVariable("ATTENTION_COURSE_SEED", seed.ToString(CultureInfo.InvariantCulture));
                Environment.SetEnvironmentVariable("ATTENTION_COURSE_SWEEP", "1");
                Environment.SetEnvironmentVariable("ATTENTION_COURSE_CHECK_LOG", checkLog);
                NotebookRun run;
                try { run = await NotebookExecutor.RunAsync(notebook); }
                catch (InvalidDataException e) { log.WriteLine($"  UNREADABLE {name}: {e.Message}"); unreadable = true; break; }
                finally
                {
                    foreach (var variable in new[] { "ATTENTION_COURSE_SEED", "ATTENTION_COURSE_SWEEP", "ATTENTION_COURSE_CHECK_LOG" })
                        Environment.SetEnvironmentVariable(variable, null);
                }
                var checks = RobustnessReport.ReadLog(checkLog);
                File.Delete(checkLog);
                string? failure = run.FirstFailure is { } f ? $"cell {f.Number}: {HandoutWriter.FirstLine(f.Error)}" : null;
                runs.Add(new SeedRun(seed, checks, failure, run.Seconds));
                log.WriteLine($"  {name} seed {seed,4}: {checks.Count(c => c.Passed)}/{checks.Count} checks passed, {run.Seconds,6:F1} s{(failure is null ? "" : "; stopped at " + failure)}");
            }
            if (runs.Count == 0) continue;
            var report = new RobustnessReport(name, mode, runs);
            var markdown = report.ToMarkdown();
            log.WriteLine();
            log.WriteLine(markdown);
            File.WriteAllText(Path.Combine(folder, $"{name}.{mode}.md"), markdown);
            File.WriteAllText(Path.Combine(folder, $"{name}.{mode}.json"),
                JsonSerializer.Serialize(new { lesson = name, mode, runs, rows = report.Rows() },
                    new JsonSerializerOptions { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }));
            allPassed &= report.AllPassed;
        }
        return unreadable ? 2 : allPassed ? 0 : 1;
    }
}
