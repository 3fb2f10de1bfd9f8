using System.Diagnostics;
using System.Globalization;
using System.Text;
using AttentionCourse;
using AttentionCourse.Benchmarking;
using AttentionCourse.Plotting;
using TorchSharp;
using static TorchSharp.torch;

// The benchmark suite (README, "Benchmarks"). Not part of the test run.
//   dotnet run -c Release --project tests/AttentionCourse.Benchmarks -- [all|mha|scaling|gradients|errors|gpt-step] [--max-length N] [--quadratic-limit-gib G] [--out DIR] [--threads N]
// Internal: --memory VARIANT T runs one configuration in this (fresh) process and prints its peak memory.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length == 3 && args[0] == "--memory") return MemoryProbe.Run(args[1], long.Parse(args[2]));

string mode = "all", outputDirectory = Path.Combine("out", "benchmarks");
long maxLength = 65_536;
double quadraticLimitGib = 12;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--max-length" when i + 1 < args.Length: maxLength = long.Parse(args[++i]); break;
        case "--out" when i + 1 < args.Length: outputDirectory = args[++i]; break;
        case "--quadratic-limit-gib" when i + 1 < args.Length: quadraticLimitGib = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--threads" when i + 1 < args.Length: torch.set_num_threads(int.Parse(args[++i])); break;
        case "all" or "mha" or "scaling" or "gradients" or "errors" or "gpt-step": mode = args[i]; break;
        default: Console.WriteLine($"unknown argument '{args[i]}'; usage: [all|mha|scaling|gradients|errors|gpt-step] [--max-length N] [--quadratic-limit-gib G] [--out DIR] [--threads N]"); return 2;
    }
}
Directory.CreateDirectory(outputDirectory);
var malloc = Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is { Length: > 0 } t ? $"GLIBC_TUNABLES={t}" : "glibc default malloc";
Console.WriteLine($"AttentionCourse benchmarks: {Environment.ProcessorCount} cores, {torch.get_num_threads()} torch threads, TorchSharp {typeof(torch).Assembly.GetName().Version}, {malloc}");
if (mode is "all" or "mha") Suites.MultiHeadAttention(outputDirectory);
if (mode is "all" or "gradients") Suites.ChunkedGradients();
if (mode is "all" or "errors") Suites.Errors();
if (mode is "all" or "scaling") Suites.Scaling(outputDirectory, maxLength, malloc, (long)(quadraticLimitGib * (1L << 30)));
if (mode is "all" or "gpt-step") Suites.GptStep(outputDirectory);
return 0;

static class Suites
{
    const long B = 1, H = 8, D = 64;

    public static void MultiHeadAttention(string outputDirectory)
    {
        Console.WriteLine("\n## Self-attention forward, B=8, T=512, E=512, 8 heads (medians of 10 interleaved runs)");
        var result = MultiHeadAttentionBenchmark.Run(8, 512, 512, 8, repetitions: 10, warmup: 3);
        var csv = new StringBuilder("implementation,median_ms,min_ms,max_ms,ratio_to_library_fused\n");
        Console.WriteLine("| implementation | median ms | min–max ms | ratio to library fused |\n|---|---|---|---|");
        foreach (var timing in result.Timings)
        {
            double ratio = result.Ratio(timing.Name, MultiHeadAttentionBenchmark.LibraryFused);
            Console.WriteLine($"| {timing.Name} | {timing.MedianMilliseconds:F1} | {timing.MinMilliseconds:F1}–{timing.MaxMilliseconds:F1} | {ratio:F2} |");
            csv.AppendLine($"\"{timing.Name}\",{timing.MedianMilliseconds:F3},{timing.MinMilliseconds:F3},{timing.MaxMilliseconds:F3},{ratio:F3}");
        }
        File.WriteAllText(Path.Combine(outputDirectory, "mha.csv"), csv.ToString());
    }

    public static void GptStep(string outputDirectory)
    {
        var r = GptStepBenchmark.Run();
        var c = r.Config;
        var report = new StringBuilder();
        report.AppendLine($"## gpt-step: one training step (forward, backward, AdamW), {c.Layers} layers, {c.Heads} heads, width {c.Width}, block {c.BlockSize}, batch {r.Batch}, {c.VocabularySize} tokens, tied output layer");
        report.AppendLine($"{r.Parameters:N0} parameters; 6·N·tokens = {r.FlopsPerStep / 1e9:F2} GFLOP per step; matrix-multiply roof (torch.mm 2048², same process): {r.RoofGflops:F0} GFLOP/s, so a step at the roof takes {r.RoofMilliseconds:F1} ms; {torch.get_num_threads()} torch threads; medians of {r.Library.Repetitions} interleaved steps");
        report.AppendLine();
        report.AppendLine("| model | median ms / step | min–max ms | fraction of the roof |");
        report.AppendLine("|---|---|---|---|");
        foreach (var t in new[] { r.Library, r.Bare })
            report.AppendLine($"| {t.Name} | {t.MedianMilliseconds:F1} | {t.MinMilliseconds:F1}–{t.MaxMilliseconds:F1} | {r.RoofFraction(t):P0} |");
        report.AppendLine();
        report.AppendLine($"library / bare: **{r.Ratio:F2}×** (target ≤ 1.10×)");
        report.AppendLine();
        report.AppendLine($"Generation, greedy, batch 1, {r.GeneratedTokens} tokens after a 4-token prompt (within the block): with the KV cache {r.CachedToken.MedianMilliseconds:F2} ms per token, without {r.UncachedToken.MedianMilliseconds:F2} ms per token: **{r.CacheSpeedUp:F1}× faster with the cache**.");
        Console.WriteLine();
        Console.Write(report);
        File.WriteAllText(Path.Combine(outputDirectory, "gpt-step.md"), report.ToString());
    }

    public static void ChunkedGradients()
    {
        const long T = 2048;
        Console.WriteLine($"\n## Chunked attention forward + backward vs built-in SDPA, B={B}, H={H}, T={T}, D={D}");
        Course.SetSeed();
        var inputs = new[] { randn(B, H, T, D), randn(B, H, T, D), randn(B, H, T, D) };
        var probe = randn(B, H, T, D);
        (Tensor[] gradients, double milliseconds) Run(Func<Tensor, Tensor, Tensor, Tensor> attention)
        {
            var leaves = inputs.Select(x => x.clone().requires_grad_()).ToArray();
            var clock = Stopwatch.StartNew();
            using (var scope = NewDisposeScope()) (attention(leaves[0], leaves[1], leaves[2]) * probe).sum().backward();
            return (leaves.Select(x => x.grad!).ToArray(), clock.Elapsed.TotalMilliseconds);
        }
        (Tensor[] gradients, double medianMs) Median(Func<Tensor, Tensor, Tensor, Tensor> attention)
        {
            Run(attention);                                                                     // warm-up
            var runs = Enumerable.Range(0, 5).Select(_ => Run(attention)).OrderBy(r => r.milliseconds).ToArray();
            return (runs[2].gradients, runs[2].milliseconds);
        }
        var (expected, builtInMs) = Median((q, k, v) => torch.nn.functional.scaled_dot_product_attention(q, k, v));
        var (actual, chunkedMs) = Median((q, k, v) => AttentionCourse.Layers.ChunkedAttention.Forward(q, k, v));
        double gap = expected.Zip(actual, (e, a) => (e - a).abs().max().item<float>()).Max();
        Console.WriteLine($"max |gradient difference| = {gap:E2}; forward+backward, median of 5: built-in {builtInMs:F0} ms, chunked {chunkedMs:F0} ms ({chunkedMs / builtInMs:F2}×)");
    }

    /// <param name="quadraticLimitBytes">Quadratic variants whose (T, T) matrices would exceed this run in a child process instead
    /// (with a non-trimming allocator, memory they free stays with this process).</param>
    /// <summary>Each approximate variant's speed-up over sdpa and its error, on diffuse (random) and local inputs.</summary>
    public static void Errors()
    {
        const long T = 8192;
        Console.WriteLine($"\n## Approximations at T = {T}, B={B}, H={H}, D={D}: speed-up over sdpa (same process) and relative error ‖out − exact‖ / ‖exact‖");
        Console.WriteLine("| variant | speed-up | error, random inputs | error, local inputs |\n|---|---|---|---|");
        var families = new[] { AttentionInputs.Random(B, H, T, D), AttentionInputs.Local(B, H, T, D) };
        var exact = families.Select(f => { using (no_grad()) return torch.nn.functional.scaled_dot_product_attention(f.query, f.key, f.value); }).ToArray();
        var sdpa = AttentionCourse.Benchmarking.Timer.Measure("sdpa", () => torch.nn.functional.scaled_dot_product_attention(families[0].query, families[0].key, families[0].value), 3, 1);
        foreach (var variant in AttentionVariants.All.Where(v => !v.Exact))
        {
            var run = variant.Create(T, D);
            var timing = AttentionCourse.Benchmarking.Timer.Measure(variant.Name, () => run(families[0].query, families[0].key, families[0].value), 3, 1);
            var errors = families.Select((f, i) =>
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                // LSH computes shared-QK attention: compare it with that exact function, not with softmax(QKᵀ/√d)V.
                var target = variant.SharedQueryKey ? AttentionVariants.SharedQueryKeyReference(f.query, f.value) : exact[i];
                return (run(f.query, f.key, f.value) - target).norm().item<float>() / target.norm().item<float>();
            }).ToArray();
            Console.WriteLine($"| {variant.Name} ({variant.Description}) | {sdpa.MedianMilliseconds / timing.MedianMilliseconds:F1}× | {errors[0]:F3} | {errors[1]:F3} |");
        }
    }

    public static void Scaling(string outputDirectory, long maxLength, string malloc, long quadraticLimitBytes)
    {
        var lengths = new long[] { 512, 1024, 2048, 4096, 8192, 16_384, 32_768, 65_536 }.Where(l => l <= maxLength).ToArray();
        double roof = MatmulRoof();
        Console.WriteLine($"\n## Scaling, B={B}, H={H}, D={D}, float32; matrix-multiply roof (torch.mm 4096²): {roof:F0} GFLOP/s; {malloc}");
        var rows = new List<Row>();
        foreach (var T in lengths)
        {
            Course.SetSeed();
            var q = randn(B, H, T, D); var k = randn(B, H, T, D); var v = randn(B, H, T, D);
            Tensor? reference = null;
            double sdpaMs = double.NaN;
            // The built-in kernel first: it is the reference for every ratio and error at this length.
            foreach (var variant in AttentionVariants.All.OrderBy(x => x == AttentionVariants.BuiltIn ? 0 : 1))
            {
                double quadraticBytes = 3.0 * B * H * T * T * 4;
                if (variant.Quadratic && quadraticBytes > quadraticLimitBytes)
                {
                    // Too big to risk in this process: one run in a fresh process, if the machine can hold it at all.
                    // Scores and weights are the two (T, T) matrices alive at once; ≤ 20 GiB fits this 24 GiB machine.
                    var alone = 2.0 / 3 * quadraticBytes < 20.0 * (1L << 30) ? MemoryProbe.Measure(variant.Name, T) : null;
                    rows.Add(alone is { } a
                        ? new Row(variant.Name, T, a.Milliseconds, a.Milliseconds / sdpaMs, variant.Exact ? 4.0 * B * H * T * T * D / (a.Milliseconds / 1000) / 1e9 : double.NaN, a.PeakMib, a.ExtraMib, double.NaN, "one run in its own process")
                        : new Row(variant.Name, T, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, $"skipped: needs ≈ {quadraticBytes / (1L << 30):F0} GiB"));
                    Console.WriteLine($"  T={T,6} {variant.Name,-10} {rows[^1].Note} {(alone is { } b ? $"{b.Milliseconds:F0} ms, peak {b.PeakMib:F0} MiB (+{b.ExtraMib:F0})" : "")}");
                    continue;
                }
                var run = variant.Create(T, D);
                var (ms, output) = Time(() => run(q, k, v));
                if (variant == AttentionVariants.BuiltIn) { sdpaMs = ms; reference = output; }
                double error = double.NaN;
                if (!variant.Exact && !variant.SharedQueryKey && reference is not null && T <= 16_384)
                    error = (output - reference).norm().item<float>() / reference.norm().item<float>();
                else if (variant.Exact && reference is not null && variant != AttentionVariants.BuiltIn)
                    error = (output - reference).abs().max().item<float>();
                if (!ReferenceEquals(output, reference)) output.Dispose();
                double gflops = variant.Exact ? 4.0 * B * H * T * T * D / (ms / 1000) / 1e9 : double.NaN;
                var memory = MemoryProbe.Measure(variant.Name, T);
                rows.Add(new Row(variant.Name, T, ms, ms / sdpaMs, gflops, memory?.PeakMib ?? double.NaN, memory?.ExtraMib ?? double.NaN, error, ""));
                Console.WriteLine($"  T={T,6} {variant.Name,-10} {ms,10:F1} ms  ×{ms / sdpaMs,5:F2} vs sdpa  peak {memory?.PeakMib,6:F0} MiB (+{memory?.ExtraMib,5:F0})  {(double.IsNaN(gflops) ? "" : $"{gflops:F0} GFLOP/s ({gflops / roof:P0} of roof)")}  {(double.IsNaN(error) ? "" : variant.Exact ? $"max |Δ| {error:E1}" : $"rel. error {error:F3}")}");
            }
            reference?.Dispose();
        }
        Report.Write(outputDirectory, rows, roof, malloc);
    }

    static double MatmulRoof()
    {
        var a = randn(4096, 4096); var b = randn(4096, 4096);
        var timing = AttentionCourse.Benchmarking.Timer.Measure("mm", () => a.mm(b), repetitions: 5, warmup: 1);
        return 2.0 * 4096 * 4096 * 4096 / (timing.MedianMilliseconds / 1000) / 1e9;
    }

    /// <summary>Median of repeated runs (at least 1, until 2 s or 7 runs), after one warm-up unless a run takes over 5 s.</summary>
    static (double ms, Tensor output) Time(Func<Tensor> run)
    {
        Tensor output;
        var samples = new List<double>();
        using (no_grad())
        {
            var clock = Stopwatch.StartNew();
            output = run();
            double first = clock.Elapsed.TotalMilliseconds;
            if (first > 5000) return (first, output);
            double total = 0;
            while (samples.Count < 7 && (samples.Count < 1 || total < 2000))
            {
                using var scope = NewDisposeScope();
                clock.Restart();
                run();
                double ms = clock.Elapsed.TotalMilliseconds;
                samples.Add(ms);
                total += ms;
            }
        }
        samples.Sort();
        return (samples[samples.Count / 2], output);
    }
}

/// <param name="PeakMib">Peak resident memory of a fresh process during the call (runtime, inputs and all).</param>
/// <param name="ExtraMib">The same peak minus the resident memory just before the call.</param>
record Row(string Variant, long Length, double Milliseconds, double RatioToBuiltIn, double GigaFlops, double PeakMib, double ExtraMib, double Error, string Note);

record ProbeResult(double PeakMib, double ExtraMib, double Milliseconds);

static class MemoryProbe
{
    /// <summary>Runs one configuration in a fresh process: its peak resident memory and the time of that one run; null off Linux or on failure.</summary>
    public static ProbeResult? Measure(string variant, long length)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { typeof(MemoryProbe).Assembly.Location, "--memory", variant, length.ToString() }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("probe "));
        if (process.ExitCode != 0 || line is null) return null;
        var parts = line.Split(' ');
        return new ProbeResult(long.Parse(parts[1]) / (double)(1 << 20), long.Parse(parts[2]) / (double)(1 << 20), double.Parse(parts[3]));
    }

    /// <summary>The child: inputs, a warm-up op, reset the peak (clear_refs 5), one timed run, read VmHWM.
    /// Prints "probe PEAK_BYTES EXTRA_BYTES MILLISECONDS".</summary>
    public static int Run(string variantName, long length)
    {
        var variant = AttentionVariants.Named(variantName);
        Course.SetSeed();
        var q = randn(1, 8, length, 64); var k = randn(1, 8, length, 64); var v = randn(1, 8, length, 64);
        var run = variant.Create(length, 64);
        randn(64, 64).mm(randn(64, 64)).Dispose();
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");                     // resets VmHWM to the current RSS
        long before = StatusKilobytes("VmRSS");
        var clock = Stopwatch.StartNew();
        using (no_grad()) run(q, k, v).Dispose();
        double ms = clock.Elapsed.TotalMilliseconds;
        long peak = StatusKilobytes("VmHWM");
        Console.WriteLine(FormattableString.Invariant($"probe {peak * 1024} {(peak - before) * 1024} {ms:F1}"));
        return 0;
    }

    static long StatusKilobytes(string field) =>
        long.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith(field + ":"))[(field.Length + 1)..].Trim().Split(' ')[0]);
}

static class Report
{
    public static void Write(string outputDirectory, List<Row> rows, double roof, string malloc)
    {
        var csv = new StringBuilder("variant,length,median_ms,ratio_to_sdpa,gflops,fraction_of_roof,peak_rss_mib,peak_extra_mib,error,note\n");
        foreach (var r in rows)
            csv.AppendLine($"{r.Variant},{r.Length},{F(r.Milliseconds)},{F(r.RatioToBuiltIn)},{F(r.GigaFlops)},{F(r.GigaFlops / roof)},{F(r.PeakMib)},{F(r.ExtraMib)},{F(r.Error)},\"{r.Note}\"");
        File.WriteAllText(Path.Combine(outputDirectory, "scaling.csv"), csv.ToString());

        var variants = rows.Select(r => r.Variant).Distinct().ToArray();
        Series SeriesOf(string variant, Func<Row, double> value) => new(variant,
            rows.Where(r => r.Variant == variant && !double.IsNaN(value(r))).Select(r => (double)r.Length).ToArray(),
            rows.Where(r => r.Variant == variant && !double.IsNaN(value(r))).Select(value).ToArray());
        var time = Charts.LogLines($"Attention forward time vs length (B=1, H=8, D=64; {malloc})", "sequence length T (log)", "milliseconds (log)", true, true,
            variants.Select(v => SeriesOf(v, r => r.Milliseconds)).ToArray());
        var memory = Charts.LogLines("Peak resident memory during the call, one fresh process per point", "sequence length T (log)", "MiB (log)", true, true,
            variants.Select(v => SeriesOf(v, r => r.PeakMib)).ToArray());
        File.WriteAllText(Path.Combine(outputDirectory, "scaling.html"),
            $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>AttentionCourse scaling benchmark</title>{NotebookDisplay.PlotlyScriptHtml()}</head><body>" +
            $"<h1>Attention scaling</h1><p>{malloc}; matrix-multiply roof {roof:F0} GFLOP/s</p>{NotebookDisplay.ChartHtml(time)}{NotebookDisplay.ChartHtml(memory)}</body></html>");

        Console.WriteLine($"\n| T | {string.Join(" | ", variants)} |\n|---|{string.Join("", variants.Select(_ => "---|"))}");
        foreach (var T in rows.Select(r => r.Length).Distinct())
            Console.WriteLine($"| {T} | {string.Join(" | ", variants.Select(v => rows.Single(r => r.Variant == v && r.Length == T)).Select(r => double.IsNaN(r.Milliseconds) ? "—" : $"{r.Milliseconds:F0} ms ×{r.RatioToBuiltIn:F2}, {r.PeakMib:F0} MiB"))} |");
        Console.WriteLine("(each cell: median forward time, its ratio to sdpa measured in the same process, peak resident memory of a fresh process running it once)");
        foreach (var v in variants)
        {
            double Ms(long T) => rows.SingleOrDefault(r => r.Variant == v && r.Length == T)?.Milliseconds ?? double.NaN;
            double slope = Math.Log(Ms(16_384) / Ms(2048)) / Math.Log(8);
            var faster = rows.Where(r => r.Variant == v && r.RatioToBuiltIn < 1).Select(r => r.Length).DefaultIfEmpty(-1).Min();
            var at8192 = rows.SingleOrDefault(r => r.Variant == v && r.Length == 8192);
            Console.WriteLine($"{v,-10} log-log slope 2048→16384: {F(slope)}; faster than sdpa from T = {(faster < 0 ? "never (in range)" : faster)}; " +
                $"at 8192: speed-up over sdpa {F(1 / (at8192?.RatioToBuiltIn ?? double.NaN))}×, error {F(at8192?.Error ?? double.NaN)}");
        }
        Console.WriteLine($"\nwrote {Path.Combine(outputDirectory, "scaling.csv")} and scaling.html");
    }

    static string F(double x) => double.IsNaN(x) || double.IsInfinity(x) ? "" : x.ToString("G4", CultureInfo.InvariantCulture);
}
