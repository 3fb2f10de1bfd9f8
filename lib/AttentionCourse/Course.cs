using System.Reflection;
using System.Runtime.CompilerServices;
using TorchSharp;

namespace AttentionCourse;

/// <summary>
/// Course-wide settings: the one seed, quick mode, and the set-up every notebook's first cell runs.
/// </summary>
public static class Course
{
    /// <summary>Environment variable that turns on quick mode when set to <c>1</c>.</summary>
    public const string QuickModeVariable = "ATTENTION_COURSE_QUICK";

    /// <summary>Environment variable that sets the course seed (a non-negative integer); unset = <see cref="DefaultSeed"/>.</summary>
    public const string SeedVariable = "ATTENTION_COURSE_SEED";

    /// <summary>
    /// Environment variable that sets TorchSharp's number of CPU threads (a positive integer); unset = LibTorch's default
    /// (one per core). Useful when several notebooks share a machine: oversubscribed threads spin and slow everyone down.
    /// </summary>
    public const string ThreadsVariable = "ATTENTION_COURSE_THREADS";

    /// <summary>The seed every lesson starts from unless <see cref="SeedVariable"/> says otherwise.</summary>
    public const int DefaultSeed = 2017;

    /// <summary>
    /// Quick mode (<c>ATTENTION_COURSE_QUICK=1</c>): smaller data and fewer epochs so the whole course runs
    /// in CI in minutes. It never skips a cell or a check.
    /// </summary>
    public static bool Quick => Environment.GetEnvironmentVariable(QuickModeVariable) == "1";

    /// <summary>The full-mode value, or the quick-mode value in quick mode.</summary>
    public static T Pick<T>(T full, T quick) => Quick ? quick : full;

    /// <summary>
    /// The one course seed: <c>ATTENTION_COURSE_SEED</c> if set, else <see cref="DefaultSeed"/>. Every seed in a lesson
    /// (model initialisation, data, shuffling) derives from it, so a lesson runs under another seed without an edit
    /// (the runner's <c>--seeds 1-10</c> sweep does exactly that).
    /// </summary>
    public static int Seed
    {
        get
        {
            var text = Environment.GetEnvironmentVariable(SeedVariable);
            if (string.IsNullOrWhiteSpace(text)) return DefaultSeed;
            if (!int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int seed))
                throw new InvalidOperationException($"{SeedVariable} must be a non-negative integer (e.g. 7); got '{text}'.");
            return seed;
        }
    }

    /// <summary>
    /// A seed for one purpose ("train data", "test data", "model"), derived from <see cref="Seed"/>: different purposes
    /// get independent streams, and all of them change when the course seed changes. Stable across runs and platforms.
    /// </summary>
    public static int SeedFor(string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        // FNV-1a over the purpose's UTF-16 code units, then mixed with the course seed (splitmix64 finaliser).
        ulong hash = 14695981039346656037UL;
        foreach (char c in purpose) { hash ^= c; hash *= 1099511628211UL; }
        ulong z = hash ^ ((ulong)(uint)Seed * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }

    /// <summary>Environment variable naming the course repository's root folder (optional: it is normally found by itself).</summary>
    public const string RootVariable = "ATTENTION_COURSE_ROOT";

    /// <summary>
    /// The full path of a file or folder of the course repository, such as <c>data/brown/brown.conll.gz</c> or
    /// <c>notebooks/scripts/21-from-fsharp.fsx</c>, from wherever a lesson runs: the repository's notebooks folder (VS Code,
    /// the runner), a handout copy under <c>out/student</c>, a file-based app under <c>out/apps</c>, or a test. It looks in
    /// <c>ATTENTION_COURSE_ROOT</c> if set, then in the working directory and each folder above it, then above this library's
    /// DLL (built under the repository's <c>artifacts/</c>).
    /// </summary>
    public static string RepositoryPath(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        var starts = new List<string>();
        if (Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } root) starts.Add(root);
        starts.Add(Environment.CurrentDirectory);
        if (Path.GetDirectoryName(typeof(Course).Assembly.Location) is { Length: > 0 } library) starts.Add(library);
        foreach (var start in starts)
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, relativePath);
                if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException(
            $"'{relativePath}' was not found in the course repository: looked above {string.Join(" and above ", starts)}. " +
            $"Run the lesson from inside the repository, or set {RootVariable} to the repository's folder.", relativePath);
    }

    /// <summary>
    /// The lines of a source file of the course, from the first line containing <paramref name="from"/> to the next line containing
    /// <paramref name="to"/> (both included), so a lesson can print the library code it explains instead of a copy that could drift.
    /// </summary>
    public static string SourceExcerpt(string relativePath, string from, string to)
    {
        var lines = File.ReadAllLines(RepositoryPath(relativePath));
        int start = Array.FindIndex(lines, l => l.Contains(from, StringComparison.Ordinal));
        if (start < 0) throw new ArgumentException($"no line of {relativePath} contains '{from}'.", nameof(from));
        int end = Array.FindIndex(lines, start, l => l.Contains(to, StringComparison.Ordinal));
        if (end < 0) throw new ArgumentException($"no line of {relativePath} after line {start + 1} contains '{to}'.", nameof(to));
        int indent = lines.Skip(start).Take(end - start + 1).Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Skip(start).Take(end - start + 1).Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    /// <summary>
    /// Seeds TorchSharp's generator (model initialisation, dropout) with <paramref name="seed"/>, or with the course seed.
    /// Data generators take their own seed argument (see <see cref="SeedFor"/>).
    /// </summary>
    public static void SetSeed(int? seed = null) => torch.manual_seed(seed ?? Seed);

    /// <summary>
    /// The first cell of every notebook: seeds everything, makes Plotly.NET load inside notebook hosts that ship an
    /// older FSharp.Core, registers the offline chart display, switches off LibTorch's oneDNN kernels (wrong results on
    /// some CPUs, see <see cref="Interop.OneDnn"/>), and prints what is running.
    /// </summary>
    public static void Setup()
    {
        UseLoadedFSharpCore();
        var threads = Environment.GetEnvironmentVariable(ThreadsVariable);
        if (!string.IsNullOrWhiteSpace(threads))
        {
            if (!int.TryParse(threads.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count) || count < 1)
                throw new InvalidOperationException($"{ThreadsVariable} must be a positive integer (e.g. 1); got '{threads}'.");
            torch.set_num_threads(count);
        }
        else RestoreThreads();
        bool oneDnnOff = Interop.OneDnn.Disable();                                         // wrong results on some CPUs: see OneDnn
        int seed = Seed;
        SetSeed(seed);
        RegisterDisplay();
        Console.WriteLine(
            $"AttentionCourse: TorchSharp {typeof(torch).Assembly.GetName().Version}, {torch.get_num_threads()} threads, " +
            $"seed {seed}{(seed == DefaultSeed ? "" : $" (from {SeedVariable})")}, quick mode {(Quick ? "ON" : "off")} ({QuickModeVariable})" +
            (oneDnnOff ? "." : $", oneDNN kernels on ({Interop.OneDnn.KeepVariable})."));
    }

    private static int initialThreads;

    /// <summary>
    /// LibTorch's thread count as it was when the process first called <see cref="Setup"/>, restored by every later
    /// call: a lesson of small models may run on one thread (<c>torch.set_num_threads(1)</c>) without slowing the
    /// lessons that follow it in the same runner process.
    /// </summary>
    public static int InitialThreads
    {
        get
        {
            if (initialThreads == 0) Interlocked.CompareExchange(ref initialThreads, torch.get_num_threads(), 0);
            return initialThreads;
        }
    }

    private static void RestoreThreads()
    {
        if (torch.get_num_threads() != InitialThreads) torch.set_num_threads(InitialThreads);
    }

    /// <summary>
    /// Plotly.NET 6 is compiled against FSharp.Core 10.1; the Polyglot Notebooks and dotnet-repl hosts ship 10.0.
    /// Without this, the first chart fails with "Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'".
    /// Resolving the request to the FSharp.Core already loaded is safe: Plotly.NET uses nothing new in 10.1.
    /// </summary>
    private static int fsharpResolverInstalled;

    private static void UseLoadedFSharpCore()
    {
        // Once per process: the runner executes several lessons, each calling Setup.
        if (Interlocked.Exchange(ref fsharpResolverInstalled, 1) == 1) return;
        AppDomain.CurrentDomain.AssemblyResolve += (_, args) =>
            new AssemblyName(args.Name).Name == "FSharp.Core"
                ? AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
                : null;
    }

    // Kept out of Setup's body so that Plotly.NET (and so FSharp.Core) loads only after the resolver is installed.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterDisplay() => Plotting.NotebookDisplay.Register();
}
