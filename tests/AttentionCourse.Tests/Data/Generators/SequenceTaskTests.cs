using AttentionCourse.Data;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Data;

public class SequenceTaskTests
{
    static long[][] Rows(Tensor t) => Enumerable.Range(0, (int)t.shape[0]).Select(i => t[i].data<long>().ToArray()).ToArray();

    [Fact]
    public void SortReverseAndRank_MatchBruteForce_AndAreSeeded()
    {
        using var sort = SequenceTasks.Sort(300, 9, 6, seed: 1);
        using var reverse = SequenceTasks.Reverse(300, 9, 6, seed: 1);
        using var rank = SequenceTasks.Rank(300, 9, 6, seed: 1);
        TestSupport.AssertClose(sort.Inputs, reverse.Inputs, 0, "same seed, same tokens");
        TestSupport.AssertClose(sort.Inputs, rank.Inputs, 0, "same seed, same tokens");
        var inputs = Rows(sort.Inputs);
        var sorted = Rows(sort.Targets); var reversed = Rows(reverse.Targets); var ranked = Rows(rank.Targets);
        for (int n = 0; n < 300; n++)
        {
            Assert.Equal(inputs[n].OrderBy(x => x).ToArray(), sorted[n]);
            Assert.Equal(inputs[n].Reverse().ToArray(), reversed[n]);
            Assert.Equal(inputs[n].Select(x => (long)inputs[n].Count(y => y < x)).ToArray(), ranked[n]);
        }
        Assert.All(inputs.SelectMany(r => r), x => Assert.InRange(x, 0, 5));
        Assert.Equal(6, inputs.SelectMany(r => r).Distinct().Count());
        Assert.Equal((6L, 6L, 9L), (sort.ClassCount, reverse.ClassCount, rank.ClassCount));
        using var other = SequenceTasks.Sort(300, 9, 6, seed: 2);
        Assert.True(Checks.MaxAbsDifference(sort.Inputs, other.Inputs) > 0, "another seed, other tokens");
    }

    [Fact]
    public void BagModeAccuracy_IsTheShareOfTargetsEqualToTheMostCommonToken()
    {
        using var task = SequenceTasks.Reverse(200, 7, 4, seed: 3);
        var inputs = Rows(task.Inputs); var targets = Rows(task.Targets);
        double hits = 0;
        for (int n = 0; n < 200; n++)
        {
            long mode = inputs[n].GroupBy(x => x).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
            hits += targets[n].Count(t => t == mode);
        }
        Assert.Equal(hits / (200 * 7), SequenceTasks.BagModeAccuracy(task), 12);
        double othersHits = 0;
        for (int n = 0; n < 200; n++)
            for (int t = 0; t < 7; t++)
            {
                var others = inputs[n].Where((_, j) => j != t);
                long mode = others.GroupBy(x => x).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
                if (targets[n][t] == mode) othersHits++;
            }
        Assert.Equal(othersHits / (200 * 7), SequenceTasks.BagModeAccuracy(task, excludeOwnToken: true), 12);
        using var pooled = SequenceTasks.Majority(10, 20, 3, 1, 4, seed: 4);
        TestSupport.AssertArgumentError(() => SequenceTasks.BagModeAccuracy(pooled), "task", "one per sequence");
    }

    [Fact]
    public void CueRecall_HasOneCueAtTheStatedDistance_AndTheQueryLast()
    {
        using var task = SequenceTasks.CueRecall(400, 30, values: 5, noise: 7, minDistance: 3, maxDistance: 20, seed: 5);
        var inputs = Rows(task.Inputs);
        var targets = task.Targets.data<long>().ToArray(); var distances = task.Distances!.data<long>().ToArray();
        for (int n = 0; n < 400; n++)
        {
            Assert.Equal(12, inputs[n][29]);                                                     // the query token
            Assert.Equal(SequenceTasks.CueRecallQueryToken(5, 7), inputs[n][29]);
            var cues = inputs[n].Select((x, t) => (x, t)).Where(p => p.x < 5).ToArray();
            Assert.Single(cues);
            Assert.Equal(targets[n], cues[0].x);
            Assert.Equal(29 - cues[0].t, distances[n]);
            Assert.InRange(distances[n], 3, 20);
        }
        Assert.Equal(18, distances.Distinct().Count());                                          // every distance 3…20 occurs
        Assert.Equal(13, task.VocabSize);
        TestSupport.AssertArgumentError(() => SequenceTasks.CueRecall(4, 10, 5, 7, 1, 10, 1), "maxDistance", "[1, 9]", "10");
    }

    [Fact]
    public void Lookback_AsksForTheTokenDStepsBack()
    {
        using var task = SequenceTasks.Lookback(400, 16, vocabSize: 6, maxDistance: 12, seed: 6);
        var inputs = Rows(task.Inputs);
        var targets = task.Targets.data<long>().ToArray(); var distances = task.Distances!.data<long>().ToArray();
        for (int n = 0; n < 400; n++)
        {
            long d = inputs[n][15] - 6 + 1;
            Assert.Equal(distances[n], d);
            Assert.InRange(d, 1, 12);
            Assert.Equal(inputs[n][15 - d], targets[n]);
            Assert.All(inputs[n].Take(15), x => Assert.InRange(x, 0, 5));
        }
        Assert.Equal(12, distances.Distinct().Count());
        Assert.Equal((18L, 6L), (task.VocabSize, task.ClassCount));
        TestSupport.AssertArgumentError(() => SequenceTasks.Lookback(4, 10, 6, 10, 1), "maxDistance", "[1, 9]", "10");
    }

    [Fact]
    public void Majority_CountsTwoSymbols_NeverTied_WithTheClassTokenFirst()
    {
        using var task = SequenceTasks.Majority(400, 40, noise: 5, minOccurrences: 2, maxOccurrences: 9, seed: 7);
        var inputs = Rows(task.Inputs); var targets = task.Targets.data<long>().ToArray();
        for (int n = 0; n < 400; n++)
        {
            Assert.Equal(0, inputs[n][0]);
            Assert.DoesNotContain(0L, inputs[n].Skip(1));
            int a = inputs[n].Count(x => x == 1), b = inputs[n].Count(x => x == 2);
            Assert.NotEqual(a, b);
            Assert.InRange(a, 2, 9); Assert.InRange(b, 2, 9);
            Assert.Equal(a > b ? 1 : 0, targets[n]);
        }
        double positive = targets.Average();
        Assert.InRange(positive, 0.4, 0.6);
        TestSupport.AssertArgumentError(() => SequenceTasks.Majority(4, 10, 5, 2, 5, 1), "maxOccurrences", "4", "5");
        TestSupport.AssertArgumentError(() => SequenceTasks.Majority(4, 40, 5, 3, 3, 1), "maxOccurrences", "3");
    }
}
