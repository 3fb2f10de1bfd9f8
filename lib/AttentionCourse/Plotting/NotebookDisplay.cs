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
