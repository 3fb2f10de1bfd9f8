namespace AttentionCourse.Runner;

/// <summary>The runner's overall progress line: time so far and an estimate of what is left, from the last run's times.</summary>
public static class Progress
{
    /// <param name="elapsed">Time since the run started.</param>
    /// <param name="remaining">The lessons still to run, this one included.</param>
    /// <param name="lastTimes">Seconds each lesson took in the last run in this mode (out/results.json).</param>
    public static string Line(TimeSpan elapsed, IReadOnlyList<string> remaining, IReadOnlyDictionary<string, double> lastTimes)
    {
        var known = remaining.Where(lastTimes.ContainsKey).ToList();
        string estimate;
        if (known.Count == 0) estimate = "no earlier run to estimate the rest from";
        else
        {
            // Lessons never run before count as the average of those that were.
            double seconds = known.Sum(n => lastTimes[n]) + (remaining.Count - known.Count) * lastTimes.Values.Average();
            estimate = $"about {Format(TimeSpan.FromSeconds(seconds))} left (from the last run's times)";
        }
        return $"elapsed {Format(elapsed)}, {estimate}";
    }

    public static string Format(TimeSpan time) => time.TotalHours >= 1 ? $"{(int)time.TotalHours}:{time:mm\\:ss}" : $"{(int)time.TotalMinutes}:{time:ss}";
}
