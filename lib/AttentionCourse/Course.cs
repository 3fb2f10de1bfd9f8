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

    /// <summary>The seed every lesson starts from.</summary>
    public const int DefaultSeed = 2017;

    /// <summary>
    /// Quick mode (<c>ATTENTION_COURSE_QUICK=1</c>): smaller data and fewer epochs so the whole course runs
    /// in CI in minutes. It never skips a cell or a check.
    /// </summary>
    public static bool Quick => Environment.GetEnvironmentVariable(QuickModeVariable) == "1";

    /// <summary>The full-mode value, or the quick-mode value in quick mode.</summary>
    public static T Pick<T>(T full, T quick) => Quick ? quick : full;

    /// <summary>Seeds TorchSharp's generator (model initialisation, dropout, shuffling). Data generators take their own seed argument.</summary>
    public static void SetSeed(int seed = DefaultSeed) => torch.manual_seed(seed);

    /// <summary>
    /// The first cell of every notebook: seeds everything, makes Plotly.NET load inside notebook hosts that ship an
    /// older FSharp.Core, registers the offline chart display, and prints what is running.
    /// </summary>
    public static void Setup(int seed = DefaultSeed)
    {
        UseLoadedFSharpCore();
        SetSeed(seed);
        RegisterDisplay();
        Console.WriteLine(
            $"AttentionCourse: TorchSharp {typeof(torch).Assembly.GetName().Version}, {torch.get_num_threads()} threads, " +
            $"seed {seed}, quick mode {(Quick ? "ON" : "off")} ({QuickModeVariable}).");
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
