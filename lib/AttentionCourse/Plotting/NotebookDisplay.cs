using System.Text;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace AttentionCourse.Plotting;

/// <summary>
/// Shows Plotly.NET charts in a .NET Interactive notebook without any network: plotly.js (embedded in
/// Plotly.NET) is written into the notebook once, and each chart is a <c>div</c> plus its figure as JSON.
/// Outside a notebook every method here does nothing.
/// </summary>
/// <remarks>
/// The HTML this writes is a small contract with the course runner's page exporter, which replaces the
/// plotly.js output with one copy in the page head: the plotly.js block carries the class
/// <see cref="PlotlyScriptClass"/>; each chart is <c>&lt;div class="ac-chart"&gt;</c>.
/// </remarks>
public static class NotebookDisplay
{
    /// <summary>Class of the one <c>script</c> element that carries plotly.js.</summary>
    public const string PlotlyScriptClass = "ac-plotly-js";

    private static int chartCounter;
    private static bool registered;

    /// <summary>
    /// Raw HTML for display. The course's own type (with its own formatter) rather than ASP.NET Core's HtmlString, whose
    /// assembly version differs between notebook hosts.
    /// </summary>
    public sealed record Html(string Content);

    /// <summary>True when running inside a notebook cell.</summary>
    public static bool InNotebook => KernelInvocationContext.Current is not null;

    /// <summary>Registers the chart formatter and writes plotly.js into the notebook (once per kernel).</summary>
    public static void Register()
    {
        if (!registered)
        {
            Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml(chart)), HtmlFormatter.MimeType);
            Formatter.Register<Html>((html, writer) => writer.Write(html.Content), HtmlFormatter.MimeType);
            registered = true;
        }
        if (InNotebook)
            KernelInvocationContext.Current!.Display(new Html(PlotlyScriptHtml()), HtmlFormatter.MimeType);
    }

    private static string? chartFolder;
    private static int savedCharts;

    /// <summary>
    /// Outside a notebook (a lesson exported as a file-based app), charts are written as standalone HTML pages into this folder
    /// instead of being displayed; null (the default) = charts are not kept outside a notebook.
    /// </summary>
    public static void SaveChartsTo(string folder)
    {
        Directory.CreateDirectory(folder);
        chartFolder = folder;
    }

    /// <summary>
    /// What a notebook does with a cell's final value: displays it in a notebook; outside one, writes a chart to the chart folder
    /// (see <see cref="SaveChartsTo"/>) and prints anything else.
    /// </summary>
    public static void ShowOrSave(object? value)
    {
        if (InNotebook) { KernelInvocationContext.Current!.Display(value); return; }
        if (value is GenericChart chart) Save(chart);
        else if (value is not null) Console.WriteLine(value);
    }

    /// <summary>Writes a chart as a standalone page (plotly.js inlined, no network) into the chart folder; null when no folder is set.</summary>
    public static string? Save(GenericChart chart)
    {
        if (chartFolder is null) return null;
        var path = Path.Combine(chartFolder, $"chart-{Interlocked.Increment(ref savedCharts):00}.html");
        File.WriteAllText(path, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\">{PlotlyScriptHtml()}</head><body>{ChartHtml(chart)}</body></html>");
        Console.WriteLine($"chart written to {path}");
        return path;
    }

    /// <summary>Displays a chart and returns a handle whose <c>Update</c> redraws it; null outside a notebook.</summary>
    public static DisplayedValue? Show(GenericChart chart)
        => InNotebook ? KernelInvocationContext.Current!.Display(new Html(ChartHtml(chart)), HtmlFormatter.MimeType) : null;

    /// <summary>Redraws a displayed chart in place.</summary>
    public static void Update(DisplayedValue? handle, GenericChart chart) => handle?.Update(new Html(ChartHtml(chart)));

    /// <summary>plotly.js, inlined, as one script element.</summary>
    public static string PlotlyScriptHtml() => $"<script type=\"text/javascript\" class=\"{PlotlyScriptClass}\">{PlotlyJs()}</script>";

    /// <summary>The plotly.js source that Plotly.NET embeds (no network).</summary>
    public static string PlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-") && n.EndsWith(".min.js"));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The HTML of one chart: a div, its figure JSON and a script that draws it with the page's plotly.js.
    /// If plotly.js is not on the page, the div says so instead of staying blank.
    /// </summary>
    public static string ChartHtml(GenericChart chart)
    {
        var id = "ac-chart-" + Environment.ProcessId + "-" + Interlocked.Increment(ref chartCounter);
        // "</" inside a script element would end it early; JSON allows the escaped form.
        var figure = GenericChart.toFigureJson(chart).Replace("</", "<\\/");
        return $$"""
            <div id="{{id}}" class="ac-chart" style="width:100%;min-height:420px"></div>
            <script type="text/javascript">
            (function () {
              var el = document.getElementById("{{id}}");
              if (typeof Plotly === "undefined") { el.textContent = "plotly.js is not loaded: run the notebook's first cell (Course.Setup())."; return; }
              var fig = {{figure}};
              Plotly.newPlot(el, fig.data, fig.layout, Object.assign({responsive: true}, fig.config || {}));
            })();
            </script>
            """;
    }
}
