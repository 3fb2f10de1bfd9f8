using System.Net;
using System.Text;
using System.Text.Json;
using Markdig;
using AttentionCourse.Runner.Lessons;
using Microsoft.DotNet.Interactive.Documents;

namespace AttentionCourse.Runner;

/// <summary>
/// Writes the offline handout: per lesson, the executed notebook and a standalone HTML page; and an index.
/// A page carries plotly.js once, inline in its head, taken from the notebook's own set-up output (the
/// <c>script</c> element of class <see cref="PlotlyScriptClass"/> that the course library writes), so it
/// opens with no network.
/// </summary>
public static class HandoutWriter
{
    /// <summary>Class of the script element carrying plotly.js (see AttentionCourse.Plotting.NotebookDisplay).</summary>
    public const string PlotlyScriptClass = "ac-plotly-js";

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public static LessonSummary Write(NotebookRun run, string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        NotebookExecutor.WriteJupyter(run.Document, Path.Combine(outputDirectory, run.Name + ".ipynb"));
        var title = Title(run.Document) ?? run.Name;
        File.WriteAllText(Path.Combine(outputDirectory, run.Name + ".html"), Page(run, title));
        var failure = run.FirstFailure is { } f ? $"cell {f.Number}: {FirstLine(f.Error)}" : null;
        var mode = Environment.GetEnvironmentVariable("ATTENTION_COURSE_QUICK") == "1" ? "quick" : "full";
        var summary = new LessonSummary(run.Name, title, run.Succeeded, run.Cells.Count, run.Seconds, failure, DateTime.UtcNow, mode);
        var results = UpdateResults(outputDirectory, summary);
        if (!CourseSite.Write(Path.GetDirectoryName(Path.GetFullPath(run.Path))!, outputDirectory, results, mode))
            WriteRunLog(outputDirectory, results);
        return summary;
    }

    public static string FirstLine(string? text) => (text ?? "").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";

    private static string? Title(InteractiveDocument document)
    {
        var heading = document.Elements.Where(e => e.KernelName == "markdown")
            .SelectMany(e => e.Contents.Split('\n')).FirstOrDefault(l => l.StartsWith("# "));
        return heading?[2..].Trim();
    }

    private static string Page(NotebookRun run, string title)
    {
        var body = new StringBuilder();
        string? plotlyScript = null;
        var results = run.Cells.ToDictionary(c => c.Number);
        int number = 0;
        foreach (var element in run.Document.Elements)
        {
            number++;
            if (element.KernelName == "markdown")
            {
                body.AppendLine($"<section class=\"markdown\">{Markdig.Markdown.ToHtml(element.Contents, Markdown)}</section>");
                continue;
            }
            results.TryGetValue(number, out var result);
            string status = result is null ? "not run" : result.Succeeded ? $"{result.Seconds:F1} s" : "FAILED";
            body.AppendLine($"<section class=\"cell{(result is { Succeeded: false } ? " failed" : "")}\">");
            body.AppendLine($"<div class=\"cell-head\">cell {number} · {status}</div>");
            body.AppendLine($"<pre class=\"code\"><code>{WebUtility.HtmlEncode(element.Contents)}</code></pre>");
            foreach (var output in element.Outputs)
                body.AppendLine(Output(output, ref plotlyScript));
            body.AppendLine("</section>");
        }
        var banner = run.Succeeded
            ? $"<p class=\"ok\">Executed: {run.Cells.Count} code cells in {run.Seconds:F1} s, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(Environment.GetEnvironmentVariable("ATTENTION_COURSE_QUICK") == "1" ? ", quick mode" : "")}.</p>"
            : $"<p class=\"bad\">Failed at {WebUtility.HtmlEncode(run.FirstFailure!.Number.ToString())}: {WebUtility.HtmlEncode(FirstLine(run.FirstFailure.Error))}</p>";
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{WebUtility.HtmlEncode(title)}}</title>
            <style>
            body { font-family: {{CoursePages.FontStack}}; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
            pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; font-size: .85rem; }
            .cell { border-left: 3px solid #d0d7de; padding-left: .8rem; margin: 1rem 0; }
            .cell.failed { border-color: #cf222e; }
            .cell-head { color: #57606a; font-size: .75rem; }
            .stderr, .error { color: #cf222e; }
            .ok { color: #1a7f37; } .bad { color: #cf222e; font-weight: bold; }
            table { border-collapse: collapse; } td, th { border: 1px solid #d0d7de; padding: .2rem .5rem; }
            </style>
            {{plotlyScript ?? ""}}
            </head><body>
            <p><a href="index.html">← all lessons</a></p>
            {{banner}}
            {{body}}
            </body></html>
            """;
    }

    private static string Output(InteractiveDocumentOutputElement output, ref string? plotlyScript)
    {
        switch (output)
        {
            case DisplayElement display when display.Data.TryGetValue("text/html", out var html):
                var text = html?.ToString() ?? "";
                if (text.Contains($"class=\"{PlotlyScriptClass}\""))
                {
                    plotlyScript ??= text;   // moved to the page head, once
                    return "";
                }
                return $"<div class=\"output\">{text}</div>";
            case DisplayElement display when display.Data.TryGetValue("text/plain", out var plain):
                return $"<pre class=\"output\">{WebUtility.HtmlEncode(plain?.ToString() ?? "")}</pre>";
            case DisplayElement display:
                return $"<pre class=\"output\">({WebUtility.HtmlEncode(string.Join(", ", display.Data.Keys))})</pre>";
            case TextElement t:
                return $"<pre class=\"{(t.Name == "stderr" ? "stderr" : "stdout")}\">{WebUtility.HtmlEncode(t.Text)}</pre>";
            case ErrorElement e:
                return $"<pre class=\"error\">{WebUtility.HtmlEncode(e.ErrorName + ": " + e.ErrorValue)}</pre>";
            default:
                return "";
        }
    }

    /// <summary>The results of every lesson run into this folder so far (out/results.json), with <paramref name="latest"/> replacing its previous entry.</summary>
    public static List<LessonSummary> UpdateResults(string outputDirectory, LessonSummary latest)
    {
        var all = ReadResults(outputDirectory);
        all.RemoveAll(s => s.Name == latest.Name);
        all.Add(latest);
        all.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var resultsPath = Path.Combine(outputDirectory, "results.json");
        var temporary = resultsPath + ".tmp";                                   // write then rename: never a half-written file
        File.WriteAllText(temporary, JsonSerializer.Serialize(all, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, resultsPath, overwrite: true);
        return all;
    }

    /// <summary>The results recorded in <c>results.json</c> (none if it is missing or unreadable).</summary>
    public static List<LessonSummary> ReadResults(string outputDirectory)
    {
        var resultsPath = Path.Combine(outputDirectory, "results.json");
        try
        {
            if (File.Exists(resultsPath)) return JsonSerializer.Deserialize<List<LessonSummary>>(File.ReadAllText(resultsPath)) ?? new();
        }
        catch (JsonException)
        {
            // A results file from an interrupted run: start afresh rather than fail the lesson.
        }
        return new();
    }

    /// <summary>For notebooks outside the course (no 00-index beside them): the index is a plain log of the runs.</summary>
    private static void WriteRunLog(string outputDirectory, IReadOnlyList<LessonSummary> all)
    {
        var rows = string.Join("\n", all.Select(s =>
            $"<tr><td><a href=\"{s.Name}.html\">{WebUtility.HtmlEncode(s.Title)}</a></td>" +
            $"<td class=\"{(s.Succeeded ? "ok" : "bad")}\">{(s.Succeeded ? "ok" : "FAILED " + WebUtility.HtmlEncode(s.Failure ?? ""))}</td>" +
            $"<td>{s.Cells}</td><td>{s.Seconds:F1}</td><td>{s.Mode}</td><td><a href=\"{s.Name}.ipynb\">{s.Name}.ipynb</a></td><td>{s.RunAt:yyyy-MM-dd HH:mm}</td></tr>"));
        File.WriteAllText(Path.Combine(outputDirectory, "index.html"), $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>AttentionCourse handout</title>
            <style>body { font-family: {{CoursePages.FontStack}}; max-width: 60rem; margin: 2rem auto; } td, th { border: 1px solid #d0d7de; padding: .2rem .5rem; } table { border-collapse: collapse; } .ok { color: #1a7f37; } .bad { color: #cf222e; }</style>
            </head><body>
            <h1>AttentionCourse: executed lessons</h1>
            <table><tr><th>lesson</th><th>status</th><th>code cells</th><th>seconds</th><th>mode</th><th>executed notebook</th><th>run at (UTC)</th></tr>
            {{rows}}
            </table></body></html>
            """);
    }
}
