using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace AttentionCourse.Plotting;

/// <summary>
/// A line chart that redraws in place while a loop runs (a notebook display handle that is updated).
/// Outside a notebook it only records the points, so library code can use it unconditionally.
/// </summary>
public sealed class LiveChart
{
    private readonly Dictionary<string, (List<double> x, List<double> y)> series = new();
    private readonly List<string> order = new();
    private DisplayedValue? handle;
    private readonly System.Diagnostics.Stopwatch sinceRedraw = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Minimum time between two redraws: building a chart costs tens of milliseconds.</summary>
    public static TimeSpan RedrawInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public LiveChart(string title, string xAxis, string yAxis, bool logY = false)
    {
        Title = title;
        XAxis = xAxis;
        YAxis = yAxis;
        LogY = logY;
    }

    public string Title { get; }

    /// <summary>Title of the right y-axis, if series are drawn against one (see <see cref="WithRightAxis"/>).</summary>
    public string? RightAxis { get; private set; }

    private readonly HashSet<string> rightSeries = new();

    /// <summary>
    /// Draws the named series against a second y-axis on the right, e.g. a validation accuracy beside a training loss:
    /// <c>new LiveChart("Training", "epoch", "loss").WithRightAxis("accuracy", "validation accuracy").Show()</c>.
    /// </summary>
    public LiveChart WithRightAxis(string title, params string[] seriesNames)
    {
        if (seriesNames.Length == 0) throw new ArgumentException("name at least one series to draw against the right axis.", nameof(seriesNames));
        RightAxis = title;
        rightSeries.UnionWith(seriesNames);
        return this;
    }
    public string XAxis { get; }
    public string YAxis { get; }
    public bool LogY { get; }

    /// <summary>Points recorded so far, by series.</summary>
    public IReadOnlyList<Series> Series => order.Select(n => new Series(n, series[n].x, series[n].y)).ToArray();

    /// <summary>Shows the (possibly empty) chart in the current cell; returns this for chaining.</summary>
    public LiveChart Show()
    {
        handle = NotebookDisplay.Show(ToChart());
        return this;
    }

    /// <summary>Adds a point to a series (created on first use); redraws at most every <see cref="RedrawInterval"/>.</summary>
    public void Add(string seriesName, double x, double y)
    {
        Record(seriesName, x, y);
        if (sinceRedraw.Elapsed >= RedrawInterval) Redraw();
    }

    /// <summary>Adds one point per series at the report's epoch; always redraws after the last epoch.</summary>
    public void Track(Training.EpochReport report, params (string series, double value)[] points)
    {
        foreach (var (name, value) in points) Record(name, report.Epoch, value);
        if (report.IsLast || sinceRedraw.Elapsed >= RedrawInterval) Redraw();
        // Outside a notebook (an exported app) the finished chart is kept as a page, if a chart folder is set.
        if (report.IsLast && handle is null) NotebookDisplay.Save(ToChart());
    }

    /// <summary>Redraws now.</summary>
    public void Redraw()
    {
        NotebookDisplay.Update(handle, ToChart());
        sinceRedraw.Restart();
    }

    private void Record(string seriesName, double x, double y)
    {
        if (!series.TryGetValue(seriesName, out var points))
        {
            points = (new List<double>(), new List<double>());
            series[seriesName] = points;
            order.Add(seriesName);
        }
        points.x.Add(x);
        points.y.Add(y);
    }

    /// <summary>The chart as it stands.</summary>
    public GenericChart ToChart()
    {
        var all = Series.ToArray();
        if (all.Length == 0) all = new[] { new Series("(no data yet)", Array.Empty<double>(), Array.Empty<double>()) };
        if (RightAxis is null) return Charts.LogLines(Title, XAxis, YAxis, logX: false, logY: LogY, all);
        return Charts.LinesTwoAxes(Title, XAxis, YAxis, RightAxis,
            all.Where(s => !rightSeries.Contains(s.Name)).ToArray(), all.Where(s => rightSeries.Contains(s.Name)).ToArray(), LogY);
    }
}
