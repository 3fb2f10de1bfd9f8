using AttentionCourse.Metrics;

namespace AttentionCourse.Tests.Metrics;

public class EditDistanceTests
{
    [Theory]
    [InlineData("kitten", "sitting", 3)]      // two substitutions, one insertion
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("abc", "abc", 0)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("2021-03-03", "2021-03-30", 2)]
    public void Distance_HandCases(string hypothesis, string reference, int expected)
    {
        Assert.Equal(expected, EditDistance.Distance(hypothesis.ToCharArray(), reference.ToCharArray()));
        Assert.Equal(expected, EditDistance.Distance(reference.ToCharArray(), hypothesis.ToCharArray()));  // symmetric
    }

    /// <summary>Brute force: the distance equals the shortest path found by breadth-first search over single edits.</summary>
    [Fact]
    public void Distance_EqualsBreadthFirstSearch_OnSmallStrings()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 30; trial++)
        {
            string Make() => new string(Enumerable.Range(0, random.Next(0, 5)).Select(_ => "ab"[random.Next(2)]).ToArray());
            string a = Make(), b = Make();
            var seen = new HashSet<string> { a };
            var frontier = new List<string> { a };
            int depth = 0;
            while (!seen.Contains(b))
            {
                depth++;
                var next = new List<string>();
                foreach (var s in frontier)
                {
                    for (int i = 0; i <= s.Length; i++)
                        foreach (var c in "ab")
                        {
                            next.Add(s.Insert(i, c.ToString()));
                            if (i < s.Length) next.Add(s.Remove(i, 1).Insert(i, c.ToString()));
                        }
                    for (int i = 0; i < s.Length; i++) next.Add(s.Remove(i, 1));
                }
                frontier = next.Where(seen.Add).ToList();
            }
            Assert.Equal(depth, EditDistance.Distance(a.ToCharArray(), b.ToCharArray()));
        }
    }

    [Fact]
    public void ErrorRates_AreCorpusTotals()
    {
        // 1 deletion over 4 reference words, 0 over 2: (1 + 0) / (4 + 2).
        Assert.Equal(1.0 / 6, EditDistance.WordErrorRate(new[] { "the cat sat", "hello there" }, new[] { "the cat sat down", "hello there" }), 12);
        Assert.Equal(2.0 / 10, EditDistance.CharacterErrorRate(new[] { "2021-03-30" }, new[] { "2021-03-03" }), 12);
        Assert.Equal(3.0, EditDistance.WordErrorRate(new[] { "a b c" }, new[] { "x" }), 12);          // insertions push it above 1
    }

    [Fact]
    public void EmptyReferences_GiveNumbers()
    {
        Assert.Equal(0.0, EditDistance.WordErrorRate(new[] { "" }, new[] { "" }));
        Assert.Equal(3.0, EditDistance.WordErrorRate(new[] { "a b c" }, new[] { "" }));
        Assert.Equal(1.0, EditDistance.WordErrorRate(new[] { "" }, new[] { "a b" }));               // all deleted
        Assert.Equal(0.0, EditDistance.WordErrorRate(Array.Empty<string>(), Array.Empty<string>()));
        TestSupport.AssertArgumentError(() => EditDistance.WordErrorRate(new[] { "a" }, Array.Empty<string>()), "references", "1", "0");
    }
}
