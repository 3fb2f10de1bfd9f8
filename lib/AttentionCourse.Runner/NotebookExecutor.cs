using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace AttentionCourse.Runner;

/// <summary>What one code cell did.</summary>
public sealed record CellResult(int Number, string Code, bool Succeeded, string? Error, double Seconds);

/// <summary>An executed notebook: the document with outputs filled in, and a result per code cell.</summary>
public sealed record NotebookRun(string Path, InteractiveDocument Document, IReadOnlyList<CellResult> Cells, double Seconds)
{
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);
    public bool Succeeded => Cells.All(c => c.Succeeded);
    public CellResult? FirstFailure => Cells.FirstOrDefault(c => !c.Succeeded);
}

/// <summary>
/// Runs a .ipynb or .dib notebook in a fresh in-process C# kernel, cell by cell, in the notebook's folder
/// (as VS Code does, so relative <c>#r</c> paths resolve the same way). Stops a notebook at its first failed cell:
/// later cells depend on earlier ones, and their errors would only repeat the first.
/// </summary>
public static class NotebookExecutor
{
    private static readonly KernelInfoCollection Kernels = new()
    {
        new Microsoft.DotNet.Interactive.Documents.KernelInfo("csharp", "C#", new[] { "c#", "cs" }),
        new Microsoft.DotNet.Interactive.Documents.KernelInfo("markdown", "Markdown", new[] { "md" }),
    };

    public static InteractiveDocument Load(string path)
    {
        var text = File.ReadAllText(path);
        if (string.IsNullOrWhiteSpace(text)) throw new InvalidDataException($"{path} is empty.");
        try
        {
            return path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase) ? CodeSubmission.Parse(text, Kernels) : Notebook.Parse(text, Kernels);
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException($"{path} is not a valid notebook: {e.Message}", e);
        }
    }

    public static void WriteJupyter(InteractiveDocument document, string path)
    {
        using var stream = File.Create(path);
        Notebook.Write(document, stream, Kernels);
    }

    /// <param name="onCell">Called after each code cell with (cell, index among code cells, count of code cells).</param>
    public static async Task<NotebookRun> RunAsync(string path, Action<CellResult, int, int>? onCell = null)
    {
        var document = Load(path);
        var clock = Stopwatch.StartNew();
        var codeCells = document.Elements.Where(IsCode).ToList();
        var results = new List<CellResult>();
        using var kernel = CreateKernel();
        var previousDirectory = Environment.CurrentDirectory;
        Environment.CurrentDirectory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        try
        {
            int executionCount = 0;
            var displays = new Dictionary<string, (List<InteractiveDocumentOutputElement> outputs, int index)>(); // by display id, across cells
            foreach (var cell in codeCells)
            {
                cell.Outputs.Clear();
                var cellClock = Stopwatch.StartNew();
                var result = await kernel.SendAsync(new SubmitCode(cell.Contents, "csharp"));
                string? error = Collect(result.Events, cell.Outputs, displays);
                cell.ExecutionOrder = ++executionCount;
                var cellResult = new CellResult(document.Elements.IndexOf(cell) + 1, cell.Contents, error is null, error, cellClock.Elapsed.TotalSeconds);
                results.Add(cellResult);
                onCell?.Invoke(cellResult, results.Count, codeCells.Count);
                if (error is not null) break;
            }
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
        }
        return new NotebookRun(path, document, results, clock.Elapsed.TotalSeconds);
    }

    private static bool IsCode(InteractiveDocumentElement element) => element.KernelName is "csharp" or "C#" or "c#";

    private static CompositeKernel CreateKernel()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((kernel, references) =>
            {
                kernel.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            }, false)
            .UseKernelHelpers()
            .UseValueSharing();
        return new CompositeKernel { csharp };
    }

    /// <summary>
    /// Turns kernel events into notebook outputs; a display that is later updated (even from a later cell) keeps its
    /// slot and shows its last value. Returns the error, if any.
    /// </summary>
    private static string? Collect(IEnumerable<KernelEvent> events, List<InteractiveDocumentOutputElement> outputs,
        Dictionary<string, (List<InteractiveDocumentOutputElement> outputs, int index)> displays)
    {
        string? error = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case StandardOutputValueProduced o:
                    outputs.Add(new TextElement(Plain(o.FormattedValues), "stdout"));
                    break;
                case StandardErrorValueProduced o:
                    outputs.Add(new TextElement(Plain(o.FormattedValues), "stderr"));
                    break;
                case DisplayedValueUpdated u when u.ValueId is not null && displays.TryGetValue(u.ValueId, out var slot):
                    slot.outputs[slot.index] = Display(u.FormattedValues);
                    break;
                case DisplayEvent d:
                    if (d is DisplayedValueProduced p && p.ValueId is not null) displays[p.ValueId] = (outputs, outputs.Count);
                    outputs.Add(Display(d.FormattedValues));
                    break;
                case DiagnosticsProduced dp when dp.Diagnostics.Any(x => x.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error):
                    error ??= string.Join(Environment.NewLine, dp.Diagnostics.Where(x => x.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).Select(x => x.ToString()));
                    break;
                case CommandFailed f:
                    var message = f.Exception?.ToString() ?? f.Message;
                    error = error is null ? message : error + Environment.NewLine + message;
                    outputs.Add(new ErrorElement("Error", f.Message, f.Exception?.StackTrace?.Split('\n') ?? Array.Empty<string>()));
                    break;
            }
        }
        return error;
    }

    private static string Plain(IReadOnlyCollection<FormattedValue> values) => values.FirstOrDefault()?.Value ?? "";

    private static DisplayElement Display(IReadOnlyCollection<FormattedValue> values)
        => new(values.ToDictionary(v => v.MimeType, v => (object)v.Value));
}
