using AttentionCourse.Data;
using AttentionCourse.Exercises;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

public class Lesson19Tests
{
    [Theory]
    [InlineData(0), InlineData(2), InlineData(7), InlineData(30)]
    public void RecentMemoryAccuracyEqualsAReaderThatKeepsTheLastKTokens(int memory)
    {
        // Independent reference: replay each sequence through a buffer of its last k content tokens; the reader answers from
        // the buffer when the asked position is in it (and must then be right), else it guesses uniformly (expected 1/V).
        const int length = 32, vocab = 8;
        using var task = SequenceTasks.Lookback(500, length, vocab, length - 2, seed: 19);
        var inputs = task.Inputs.data<long>().ToArray();
        var targets = task.Targets.data<long>().ToArray();
        double expected = 0;
        for (int n = 0; n < 500; n++)
        {
            var buffer = new Queue<long>();
            for (int t = 0; t < length - 1; t++)
            {
                buffer.Enqueue(inputs[n * length + t]);
                if (buffer.Count > memory) buffer.Dequeue();
            }
            int d = (int)(inputs[n * length + length - 1] - vocab + 1);                     // the question token names d
            if (d <= buffer.Count)
            {
                Assert.Equal(targets[n], buffer.ElementAt(buffer.Count - d));
                expected += 1;
            }
            else expected += 1.0 / vocab;
        }
        Assert.Equal(expected / 500, Lesson19.RecentMemoryAccuracy(task, memory), 12);
    }

    [Fact]
    public void RecentMemoryAccuracyNeedsDistances()
    {
        using var task = SequenceTasks.Sort(4, 5, 3, seed: 1);
        TestSupport.AssertArgumentError(() => Lesson19.RecentMemoryAccuracy(task, 2), "task", "distances");
    }

    [Theory]
    [InlineData(64, 4), InlineData(128, 8), InlineData(1000, 16), InlineData(10, 0)]
    public void WindowWithOneGlobalTokenAtTheStartMatchesTheClosedForm(long length, long window)
    {
        // The band holds T(2w + 1) − w(w + 1) pairs; position 0's row and column each add the T − w − 1 pairs outside it.
        long expected = length * (2 * window + 1) - window * (window + 1) + 2 * (length - window - 1);
        Assert.Equal(expected, Lesson19.WindowWithGlobalPairs(length, window, new long[] { 0 }));
    }

    [Fact]
    public void WindowWithGlobalPairsEqualsTheTrueEntriesOfTheMask()
    {
        const long T = 300, w = 5;
        var globals = new long[] { 0, 150, 299 };
        var offset = (arange(T).unsqueeze(1) - arange(T).unsqueeze(0)).abs();
        var isGlobal = zeros(T, dtype: ScalarType.Bool).index_fill_(0, tensor(globals), true);
        var allowed = offset.le(w).logical_or(isGlobal.unsqueeze(1)).logical_or(isGlobal.unsqueeze(0));
        Assert.Equal(allowed.sum().item<long>(), Lesson19.WindowWithGlobalPairs(T, w, globals));
        Assert.Equal(T * T, Lesson19.WindowWithGlobalPairs(T, T, Array.Empty<long>()));
        Assert.Equal(Lesson12.WindowPairs(T, w), Lesson19.WindowWithGlobalPairs(T, w, Array.Empty<long>()));
    }

    [Fact]
    public void HintsExistForBothExercises()
    {
        Assert.False(string.IsNullOrWhiteSpace(Lesson19.Hint(1)));
        Assert.False(string.IsNullOrWhiteSpace(Lesson19.Hint(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Lesson19.Hint(3));
    }
}
