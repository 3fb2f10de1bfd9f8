using AttentionCourse.Data;

namespace AttentionCourse.Tests.Data.Generators;

public class DigitSequenceTaskTests
{
    [Fact]
    public void Generate_CopiesOrReverses_WithinTheLengths_Seeded()
    {
        var (sources, targets) = DigitSequenceTask.Generate(500, 3, 7, DigitTaskKind.Copy, seed: 4);
        Assert.All(sources, s => Assert.InRange(s.Length, 3, 7));
        Assert.Equal(new[] { 3, 4, 5, 6, 7 }, sources.Select(s => s.Length).Distinct().OrderBy(n => n));
        Assert.All(sources.Zip(targets), p => Assert.Equal(p.First, p.Second));
        var (again, _) = DigitSequenceTask.Generate(500, 3, 7, DigitTaskKind.Copy, seed: 4);
        Assert.Equal(sources.Select(s => string.Concat(s)), again.Select(s => string.Concat(s)));
        var (reversedSources, reversedTargets) = DigitSequenceTask.Generate(50, 2, 9, DigitTaskKind.Reverse, seed: 4);
        Assert.All(reversedSources.Zip(reversedTargets), p => Assert.Equal(p.First.Reverse(), p.Second));
        // Digits are uniform: each of the ten within 20 % of its expected count over ~2,500 draws.
        var counts = sources.SelectMany(s => s).GroupBy(d => d).ToDictionary(g => g.Key, g => g.Count());
        double expected = sources.Sum(s => s.Length) / 10.0;
        Assert.All(DigitSequenceTask.Digits, d => Assert.InRange(counts[d], 0.8 * expected, 1.2 * expected));
        TestSupport.AssertArgumentError(() => DigitSequenceTask.Generate(5, 4, 3, DigitTaskKind.Copy, 1), "maxLength", "4", "3");
    }
}
