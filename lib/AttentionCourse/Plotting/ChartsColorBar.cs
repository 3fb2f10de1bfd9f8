using Plotly.NET;
using Plotly.NET.LayoutObjects;

namespace AttentionCourse.Plotting;

public static partial class Charts
{
    /// <summary>
    /// Titles the colour bar of every trace of <paramref name="chart"/> (a heatmap's), so the reader knows what the colour
    /// measures, e.g. <c>"weight (0–1)"</c>. Returns the same chart.
    /// </summary>
    public static GenericChart WithColorBarTitle(this GenericChart chart, string title)
    {
        var heading = new Title();
        heading.SetProperty("text", title);
        foreach (var trace in Traces(chart))
        {
            // Set through dynamic properties (see Style): F#-typed calls can fail in hosts with a second FSharp.Core.
            var bar = new ColorBar();
            bar.SetProperty("title", heading);
            trace.SetProperty("colorbar", bar);
        }
        return chart;
    }
}
