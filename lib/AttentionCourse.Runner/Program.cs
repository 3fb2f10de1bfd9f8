using System.Diagnostics;
using AttentionCourse.Runner;
using AttentionCourse.Runner.Lessons;

// Executes lessons headless and writes the offline handout (see README).
//   dotnet run --project lib/AttentionCourse.Runner -- [notebooks | path.ipynb ...] [--out DIR] [--quick] [--seed N]
//   ... --seeds 1-10   runs each lesson under each course seed and writes a robustness report instead of the handout
//   ... --student      writes the student edition (Solutions removed) to OUT/student/ instead of running anything
//   ... --export-apps  writes each lesson as a .NET file-based app to OUT/apps/ instead of running anything
// Exit code: 0 all cells passed; 1 a cell failed; 2 bad arguments or an unreadable notebook (the others still run).
var log = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };   // the kernel redirects Console.Out
var paths = new List<string>();
string outputDirectory = "out";
IReadOnlyList<int>? sweepSeeds = null;
bool student = false, exportApps = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length: outputDirectory = args[++i]; break;
        case "--out": log.WriteLine("--out needs a folder, e.g. --out out"); return 2;
        case "--quick": Environment.SetEnvironmentVariable("ATTENTION_COURSE_QUICK", "1"); break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], System.Globalization.NumberStyles.None, null, out _):
            Environment.SetEnvironmentVariable("ATTENTION_COURSE_SEED", args[++i]); break;
        case "--seed": log.WriteLine("--seed needs a non-negative integer, e.g. --seed 7"); return 2;
        case "--seeds" when i + 1 < args.Length:
            try { sweepSeeds = RobustnessReport.ParseSeeds(args[++i]); }
            catch (FormatException e) { log.WriteLine(e.Message); return 2; }
            break;
        case "--seeds": log.WriteLine("--seeds needs seeds, e.g. --seeds 1-10"); return 2;
        case "--student": student = true; break;
        case "--export-apps": exportApps = true; break;
        case "-h" or "--help":
            log.WriteLine("usage: AttentionCourse.Runner [notebooks-folder | notebook.ipynb | notebook.dib ...] [--out DIR] [--quick] [--seed N | --seeds 1-10] [--student] [--export-apps]");
            log.WriteLine("  --seed N      run under course seed N (sets ATTENTION_COURSE_SEED)");
            log.WriteLine("  --seeds LIST  run each lesson under each seed (e.g. 1-10 or 1,4,9) and write a robustness report per lesson");
            log.WriteLine("                to OUT/robustness/ instead of the handout: per check, its threshold, the min/median/max of");
            log.WriteLine("                the measured value and how many seeds pass (failed checks are recorded, not fatal)");
            log.WriteLine("  --student     write the student edition (each lesson without its Solutions section) to OUT/student/;");
            log.WriteLine("                run it afterwards like any folder of lessons: ... -- OUT/student");
            log.WriteLine("  --export-apps write each lesson as a .NET file-based app to OUT/apps/ (run one with: dotnet run NN-name.cs)");
            return 0;
        default:
            if (args[i].StartsWith("--")) { log.WriteLine($"unknown option {args[i]}; try --help"); return 2; }
            paths.Add(args[i]);
            break;
    }
}
if (paths.Count == 0) paths.Add("notebooks");

var notebooks = new List<string>();
foreach (var path in paths)
{
    if (Directory.Exists(path))
        notebooks.AddRange(Directory.GetFiles(path).Where(f => f.EndsWith(".ipynb") || f.EndsWith(".dib"))
            .Order(StringComparer.Ordinal));
    else if (File.Exists(path)) notebooks.Add(path);
    else { log.WriteLine($"no notebook or folder at '{path}' (working directory: {Environment.CurrentDirectory})"); return 2; }
}
if (notebooks.Count == 0) { log.WriteLine($"no .ipynb or .dib files in {string.Join(", ", paths)}"); return 2; }

if (sweepSeeds is not null) return await Sweep.RunAsync(notebooks, sweepSeeds, outputDirectory, log);
if (student || exportApps) return Export.Run(notebooks, outputDirectory, student, exportApps, log);

log.WriteLine($"Running {notebooks.Count} lesson(s){(Environment.GetEnvironmentVariable("ATTENTION_COURSE_QUICK") == "1" ? " in quick mode" : "")}; handout → {Path.GetFullPath(outputDirectory)}");
var failures = new List<string>();
bool unreadable = false;
int index = 0;
var mode = Environment.GetEnvironmentVariable("ATTENTION_COURSE_QUICK") == "1" ? "quick" : "full";
var lastTimes = HandoutWriter.ReadResults(outputDirectory).Where(r => r.Mode == mode).ToDictionary(r => r.Name, r => r.Seconds);
var clock = Stopwatch.StartNew();
foreach (var notebook in notebooks)
{
    index++;
    var name = Path.GetFileNameWithoutExtension(notebook);
    log.WriteLine($"[{index}/{notebooks.Count}] {name} · {Progress.Line(clock.Elapsed, notebooks.Skip(index - 1).Select(Path.GetFileNameWithoutExtension).ToList()!, lastTimes)}");
    NotebookRun run;
    try
    {
        run = await NotebookExecutor.RunAsync(notebook, (cell, n, count) =>
            log.WriteLine($"  cell {cell.Number,3} ({n}/{count}) {cell.Seconds,7:F1} s  {(cell.Succeeded ? "ok" : "FAILED")}"));
    }
    catch (InvalidDataException e)
    {
        var message = $"UNREADABLE {name}: {e.Message}";
        log.WriteLine("  " + message);
        failures.Add(message);
        unreadable = true;
        continue;
    }
    HandoutWriter.Write(run, outputDirectory);
    if (run.FirstFailure is { } failed)
    {
        // The error without the kernel's stack frames, which say nothing about the notebook.
        var error = string.Join("\n    ", (failed.Error ?? "").Split('\n').Select(l => l.TrimEnd())
            .TakeWhile(l => !l.TrimStart().StartsWith("at ") && !l.TrimStart().StartsWith("--->")).Take(12));
        var message = $"FAILED {name}, cell {failed.Number}: {HandoutWriter.FirstLine(failed.Code)}\n    {error}";
        failures.Add(message);
        log.WriteLine("  " + message);
    }
    else log.WriteLine($"  ok: {run.Cells.Count} code cells in {run.Seconds:F1} s → {Path.Combine(outputDirectory, name + ".html")}");
}
log.WriteLine($"Handout index: {Path.GetFullPath(Path.Combine(outputDirectory, "index.html"))}");
if (failures.Count == 0) { log.WriteLine($"All {notebooks.Count} lesson(s) passed."); return 0; }
log.WriteLine($"{failures.Count} of {notebooks.Count} lesson(s) failed:");
foreach (var f in failures) log.WriteLine(HandoutWriter.FirstLine(f));
return unreadable ? 2 : 1;
