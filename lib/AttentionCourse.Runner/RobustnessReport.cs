using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AttentionCourse.Runner;

/// <summary>One check as the course library logs it (AttentionCourse.CheckRecord, one JSON line each).</summary>
public sealed record LoggedCheck(string Kind, string Claim, double Value, double? Low, double? High, bool Passed);

/// <summary>What one run of a lesson under one seed logged.</summary>
public sealed record SeedRun(int Seed, IReadOnlyList<LoggedCheck> Checks, string? Failure, double Seconds);

/// <summary>
/// A lesson run under several course seeds: per check, the threshold, the spread of the measured value and how many
/// seeds passed. This is how a lesson's thresholds are set (lesson standard, point 4): every seed tried passes with margin.
/// </summary>
public sealed class RobustnessReport(string lesson, string mode, IReadOnlyList<SeedRun> runs)
{
    public string Lesson { get; } = lesson;
    public string Mode { get; } = mode;
    public IReadOnlyList<SeedRun> Runs { get; } = runs;

    /// <summary>One row per check position (the k-th check a run made; control flow is the same under every seed).</summary>
    public sealed record Row(int Index, string Kind, string Claim, string Threshold, double? Min, double? Median, double? Max,
        int Passed, int Reached, int Seeds, int? WorstSeed);

    public IReadOnlyList<Row> Rows()
    {
        int count = Runs.Count == 0 ? 0 : Runs.Max(r => r.Checks.Count);
        var rows = new List<Row>();
        for (int i = 0; i < count; i++)
        {
            var seen = Runs.Where(r => r.Checks.Count > i).Select(r => (r.Seed, check: r.Checks[i])).ToList();
            var first = seen[0].check;
            var values = seen.Select(s => s.check.Value).Where(double.IsFinite).Order().ToList();
            bool numeric = first.Kind != "That";
            // The seed whose value sits closest to (or furthest past) the threshold; none for a yes/no claim that always held.
            int? worst = !numeric && seen.All(s => s.check.Passed) ? null : seen.OrderBy(s => Margin(s.check)).First().Seed;
            rows.Add(new Row(i + 1, first.Kind, first.Claim, Threshold(first),
                numeric && values.Count > 0 ? values[0] : null,
                numeric && values.Count > 0 ? Median(values) : null,
                numeric && values.Count > 0 ? values[^1] : null,
                seen.Count(s => s.check.Passed), seen.Count, Runs.Count, worst));
        }
        return rows;
    }

    public bool AllPassed => Runs.All(r => r.Failure is null) && Rows().All(r => r.Passed == r.Seeds);

    /// <summary>How far a check's value sits inside its bounds (negative: outside). That-checks: 1 or −1.</summary>
    public static double Margin(LoggedCheck c)
    {
        if (c.Kind == "That") return c.Passed ? 1 : -1;
        double low = c.Low is double l ? c.Value - l : double.PositiveInfinity;
        double high = c.High is double h ? h - c.Value : double.PositiveInfinity;
        double margin = Math.Min(low, high);
        return double.IsNaN(margin) ? double.NegativeInfinity : margin;
    }

    private static string Threshold(LoggedCheck c) => c.Kind switch
    {
        "That" => "holds",
        "AtLeast" => "≥ " + Show(c.Low),
        "AtMost" => "≤ " + Show(c.High),
        "Between" => $"[{Show(c.Low)}, {Show(c.High)}]",
        "Close" => "|Δ| ≤ " + Show(c.High),
        _ => c.Kind,
    };

    private static double Median(List<double> sorted)
        => sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    public static string Show(double? v) => v is double d ? d.ToString("G4", CultureInfo.InvariantCulture) : "";

    /// <summary>The report as a Markdown table (also printed by the runner).</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var seeds = string.Join(", ", Runs.Select(r => r.Seed));
        text.AppendLine($"### {Lesson}: {Runs.Count} seeds ({seeds}), {Mode} mode");
        text.AppendLine();
        text.AppendLine("| # | check | threshold | min | median | max | passes | worst seed |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in Rows())
        {
            var passes = r.Reached == r.Seeds ? $"{r.Passed}/{r.Seeds}" : $"{r.Passed}/{r.Seeds} ({r.Seeds - r.Reached} not reached)";
            text.AppendLine($"| {r.Index} | {Escape(r.Claim)} | {Escape(r.Threshold)} | {Show(r.Min)} | {Show(r.Median)} | {Show(r.Max)} | {passes} | {r.WorstSeed} |");
        }
        var failed = Runs.Where(r => r.Failure is not null).ToList();
        if (failed.Count > 0)
        {
            text.AppendLine();
            foreach (var r in failed) text.AppendLine($"- seed {r.Seed}: stopped at {Escape(r.Failure!)}");
        }
        var seconds = Runs.Select(r => r.Seconds).Order().ToList();
        if (seconds.Count > 0)
            text.AppendLine().AppendLine($"Run time per seed: min {seconds[0]:F1} s, median {Median(seconds):F1} s, max {seconds[^1]:F1} s.");
        text.AppendLine().AppendLine(AllPassed ? "Every check passed under every seed." : "NOT every check passed under every seed.");
        return text.ToString();
    }

    private static string Escape(string s) => s.Replace("|", "\\|").Replace("\n", " ");

    /// <summary>Reads a check log written by the library (missing file = no checks).</summary>
    public static List<LoggedCheck> ReadLog(string path)
    {
        if (!File.Exists(path)) return new();
        var options = new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
        return File.ReadAllLines(path).Where(l => l.Trim().Length > 0)
            .Select(l => JsonSerializer.Deserialize<LoggedCheck>(l, options)!).ToList();
    }

    /// <summary>Parses "1-10", "3,7,11" or "1-5,9".</summary>
    public static IReadOnlyList<int> ParseSeeds(string text)
    {
        var seeds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-');
            if (bounds.Length == 1 && int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int one)) seeds.Add(one);
            else if (bounds.Length == 2 && int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int from)
                     && int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out int to) && from <= to)
                seeds.AddRange(Enumerable.Range(from, to - from + 1));
            else throw new FormatException($"--seeds takes non-negative integers and ranges such as 1-10 or 1,4,9; got '{part}' in '{text}'.");
        }
        if (seeds.Count == 0) throw new FormatException($"--seeds needs at least one seed; got '{text}'.");
        return seeds.Distinct().ToList();
    }
}
