using AttentionCourse.Data;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers and hints for lesson 19's exercises (attention on long sequences).</summary>
public static class Lesson19
{
    /// <summary>
    /// Exercise 1: the expected accuracy on a long-range task of a reader that remembers the last <paramref name="memory"/>
    /// positions perfectly and nothing older — right whenever the answer lies at most <paramref name="memory"/> positions back,
    /// a uniform guess over the task's classes otherwise — averaged over the task's examples, one by one.
    /// </summary>
    public static double RecentMemoryAccuracy(SequenceTask task, int memory)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.Distances is null) throw new ArgumentException($"task must carry distances (a long-range task); '{task.Name}' has none.", nameof(task));
        Layers.Check.AtLeast(memory, 0, nameof(memory));
        var distances = task.Distances.data<long>().ToArray();
        double total = 0;
        foreach (var d in distances) total += d <= memory ? 1.0 : 1.0 / task.ClassCount;
        return total / distances.Length;
    }

    /// <summary>
    /// Exercise 2: how many (query, key) pairs sliding-window attention of ±<paramref name="window"/> with the given global
    /// positions scores over <paramref name="length"/> positions: pair (i, j) counts when |i − j| ≤ w, or when i or j is global —
    /// counted pair by pair, each pair once.
    /// </summary>
    public static long WindowWithGlobalPairs(long length, long window, IReadOnlyCollection<long> globalPositions)
    {
        Layers.Check.AtLeast(length, 1, nameof(length));
        Layers.Check.AtLeast(window, 0, nameof(window));
        ArgumentNullException.ThrowIfNull(globalPositions);
        var global = new HashSet<long>(globalPositions);
        long pairs = 0;
        for (long i = 0; i < length; i++)
            for (long j = 0; j < length; j++)
                if (Math.Abs(i - j) <= window || global.Contains(i) || global.Contains(j)) pairs++;
        return pairs;
    }

    /// <summary>Hints shown by the exercise checks after a wrong answer (kept here so the check cells do not spell them out).</summary>
    public static string Hint(int exercise) => exercise switch
    {
        1 => "for each test example: 1 if its distance (task.Distances) is at most k, else 1 / number of classes; then average",
        2 => "pair (i, j) is scored if |i − j| ≤ w, or if i is a global position (it sees every key), or if j is one (every query sees it); count each pair once",
        _ => throw new ArgumentOutOfRangeException(nameof(exercise)),
    };
}
