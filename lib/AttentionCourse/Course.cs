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

    /// <summary>
    /// Seeds TorchSharp's generator (model initialisation, dropout) with <paramref name="seed"/>, or with the course seed.
    /// Data generators take their own seed argument (see <see cref="SeedFor"/>).
    /// </summary>
    public static void SetSeed(int? seed = null) => torch.manual_seed(seed ?? Seed);

    /// <summary>
    /// The first cell of every notebook: seeds everything, makes Plotly.NET load inside notebook hosts that ship an
    /// older FSharp.Core, registers the offline chart display, and prints what is running.
    /// </summary>
    public static void Setup()
    {
        UseLoadedFSharpCore();
        RestoreThreads();
        int seed = Seed;
        SetSeed(seed);
        RegisterDisplay();
        Console.WriteLine(
            $"AttentionCourse: TorchSharp {typeof(torch).Assembly.GetName().Version}, {torch.get_num_threads()} threads, " +
            $"seed {seed}{(seed == DefaultSeed ? "" : $" (from {SeedVariable})")}, quick mode {(Quick ? "ON" : "off")} ({QuickModeVariable}).");
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
