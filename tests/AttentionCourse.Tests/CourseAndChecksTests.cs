using AttentionCourse.Runner;
using static TorchSharp.torch;

namespace AttentionCourse.Tests;

/// <summary>The course seed (one place, overridable from outside) and the check helpers every lesson asserts with.</summary>
public class CourseAndChecksTests
{
    private static T WithEnvironment<T>(IReadOnlyDictionary<string, string?> variables, Func<T> body)
    {
        var previous = variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (k, v) in variables) Environment.SetEnvironmentVariable(k, v);
            return body();
        }
        finally
        {
            foreach (var (k, v) in previous) Environment.SetEnvironmentVariable(k, v);
        }
    }

    [Fact]
    public void Setup_RestoresTheThreadCountALessonChanged()
    {
        int initial = Course.InitialThreads;
        TorchSharp.torch.set_num_threads(initial == 1 ? 2 : 1);
        Course.Setup();
        Assert.Equal(initial, TorchSharp.torch.get_num_threads());
    }

    [Fact]
    public void Seed_ComesFromTheEnvironment_OrTheDefault_AndBadValuesAreNamed()
    {
        Assert.Equal(Course.DefaultSeed, WithEnvironment(new Dictionary<string, string?> { [Course.SeedVariable] = null }, () => Course.Seed));
        Assert.Equal(7, WithEnvironment(new Dictionary<string, string?> { [Course.SeedVariable] = "7" }, () => Course.Seed));
        var error = Assert.Throws<InvalidOperationException>(() =>
            WithEnvironment(new Dictionary<string, string?> { [Course.SeedVariable] = "-3" }, () => Course.Seed));
        Assert.Contains("ATTENTION_COURSE_SEED", error.Message);
        Assert.Contains("'-3'", error.Message);
    }

    [Fact]
    public void SeedFor_IsStable_DiffersByPurpose_AndFollowsTheCourseSeed()
    {
        int Under(string seed, string purpose) =>
            WithEnvironment(new Dictionary<string, string?> { [Course.SeedVariable] = seed }, () => Course.SeedFor(purpose));
        Assert.Equal(Under("1", "train data"), Under("1", "train data"));
        Assert.NotEqual(Under("1", "train data"), Under("1", "test data"));
        Assert.NotEqual(Under("1", "train data"), Under("2", "train data"));
        Assert.All(Enumerable.Range(0, 50), s => Assert.True(Under(s.ToString(), "model") >= 0));
        // A fixed value: the derivation must not change between versions, or every lesson's numbers would move.
        Assert.Equal(Under("2017", "train data"), Under("2017", "train data"));
    }

    [Fact]
    public void ThresholdChecks_PassOnTheBoundary_AndFailWithBothNumbers()
    {
        Checks.AtLeast(0.5, 0.5, "at the threshold");
        Checks.AtMost(0.5, 0.5, "at the threshold");
        Checks.Between(0.2, 0.2, 0.3, "at the low bound");
        Checks.Close(1.0, 1.0 + 1e-7, 1e-6, "close");
        var low = Assert.Throws<ClaimFailedException>(() => Checks.AtLeast(0.49, 0.5, "accuracy is high"));
        Assert.Contains("accuracy is high: 0.49 ≥ 0.5", low.Message);
        var high = Assert.Throws<ClaimFailedException>(() => Checks.AtMost(2, 1.5, "loss is low"));
        Assert.Contains("2 ≤ 1.5", high.Message);
        Assert.Throws<ClaimFailedException>(() => Checks.Between(0.31, 0.2, 0.3, "in range"));
        Assert.Throws<ClaimFailedException>(() => Checks.AtLeast(double.NaN, 0, "NaN never passes"));
        Assert.Throws<ClaimFailedException>(() => Checks.That(false, "false claims fail"));
        var far = Assert.Throws<ClaimFailedException>(() => Checks.Close(1.0, 1.1, 1e-3, "equal outputs"));
        Assert.Contains("|Δ| = 0.1", far.Message);
    }

    [Fact]
    public void TensorClose_ComparesElementwise_AndShapes()
    {
        Checks.Close(tensor(new[] { 1f, 2f }), tensor(new[] { 1f, 2.000001f }), 1e-5, "tensors agree");
        Assert.Throws<ClaimFailedException>(() => Checks.Close(tensor(new[] { 1f, 2f }), tensor(new[] { 1f, 2.1f }), 1e-5, "tensors agree"));
        var shapes = Assert.Throws<ClaimFailedException>(() => Checks.Close(zeros(2, 3), zeros(3, 2), 1, "same shape"));
        Assert.Contains("(2, 3) vs (3, 2)", shapes.Message);
    }

    [Fact]
    public void Checks_AreLogged_AndInSweepModeAFailureIsRecordedNotThrown()
    {
        var log = Path.GetTempFileName();
        WithEnvironment(new Dictionary<string, string?> { [Checks.LogVariable] = log, [Checks.SweepVariable] = "1" }, () =>
        {
            Checks.AtLeast(0.9, 0.8, "accuracy");
            Checks.AtLeast(0.7, 0.8, "accuracy again");          // fails, but only recorded
            Checks.That(true, "a fact");
            Checks.AtMost(double.NaN, 1, "a NaN");
            return 0;
        });
        var records = RobustnessReport.ReadLog(log);
        File.Delete(log);
        Assert.Equal(4, records.Count);
        Assert.Equal(new LoggedCheck("AtLeast", "accuracy", 0.9, 0.8, null, true), records[0]);
        Assert.False(records[1].Passed);
        Assert.Equal(("That", 1.0), (records[2].Kind, records[2].Value));
        Assert.True(double.IsNaN(records[3].Value));
    }

    [Fact]
    public void Exercise_NeverShowsTheReference_BeforeARightAnswer()
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try
        {
            Checks.Exercise("1", (double?)null, reference: 0.123456, tolerance: 1e-3, hint: "sweep w");
            Assert.Contains("not answered yet", output.ToString());
            Assert.DoesNotContain("0.123", output.ToString());
            var wrong = Assert.Throws<ClaimFailedException>(() => Checks.Exercise("1", 0.5, reference: 0.123456, tolerance: 1e-3, hint: "sweep w"));
            Assert.DoesNotContain("0.123", wrong.Message);
            Assert.Contains("Hint: sweep w", wrong.Message);
            Checks.Exercise("1", 0.1235, reference: 0.123456, tolerance: 1e-3, hint: "sweep w");
            int computed = 0;
            Checks.Exercise("4", null, () => { computed++; return 1.0; }, 1e-6, "costly");
            Assert.Equal(0, computed);
            Checks.Exercise("4", 1.0, () => { computed++; return 1.0; }, 1e-6, "costly");
            Assert.Equal(1, computed);
            Checks.Exercise("2", (Tensor?)null, ones(2), 1e-6, "a tensor");
            Assert.Throws<ClaimFailedException>(() => Checks.Exercise("2", ones(3), ones(2), 1e-6, "a tensor"));
            Checks.Exercise("2", ones(2), ones(2), 1e-6, "a tensor");
            Checks.Exercise<int>("3", null, n => n == 4, "the number of heads", "count them");
            Assert.Throws<ClaimFailedException>(() => Checks.Exercise<int>("3", 5, n => n == 4, "the number of heads", "count them"));
        }
        finally { Console.SetOut(previous); }
        Assert.Contains("✓ Exercise 1", output.ToString());
    }

    [Fact]
    public void RobustnessReport_GivesSpreadAndPassesPerCheck()
    {
        var runs = new[]
        {
            new SeedRun(1, new[] { new LoggedCheck("AtLeast", "accuracy", 0.90, 0.8, null, true), new LoggedCheck("That", "fact", 1, null, null, true) }, null, 3),
            new SeedRun(2, new[] { new LoggedCheck("AtLeast", "accuracy", 0.70, 0.8, null, false), new LoggedCheck("That", "fact", 1, null, null, true) }, null, 4),
            new SeedRun(3, new[] { new LoggedCheck("AtLeast", "accuracy", 0.95, 0.8, null, true) }, "cell 9: boom", 5),
        };
        var report = new RobustnessReport("07-x", "quick", runs);
        var rows = report.Rows();
        Assert.Equal(2, rows.Count);
        Assert.Equal((0.70, 0.90, 0.95, 2, 3, 2), (rows[0].Min!.Value, rows[0].Median!.Value, rows[0].Max!.Value, rows[0].Passed, rows[0].Seeds, rows[0].WorstSeed!.Value));
        Assert.Equal("≥ 0.8", rows[0].Threshold);
        Assert.Equal((2, 2), (rows[1].Passed, rows[1].Reached));
        Assert.False(report.AllPassed);
        var markdown = report.ToMarkdown();
        Assert.Contains("| 1 | accuracy | ≥ 0.8 | 0.7 | 0.9 | 0.95 | 2/3 | 2 |", markdown);
        Assert.Contains("2/3 (1 not reached)", markdown);
        Assert.Contains("seed 3: stopped at cell 9: boom", markdown);
    }

    [Theory]
    [InlineData("1-3", new[] { 1, 2, 3 })]
    [InlineData("4,9", new[] { 4, 9 })]
    [InlineData("1-2, 7", new[] { 1, 2, 7 })]
    public void ParseSeeds_ReadsRangesAndLists(string text, int[] expected) => Assert.Equal(expected, RobustnessReport.ParseSeeds(text));

    [Theory]
    [InlineData("3-1")]
    [InlineData("a")]
    [InlineData("")]
    public void ParseSeeds_RejectsNonsense(string text) => Assert.Throws<FormatException>(() => RobustnessReport.ParseSeeds(text));

    [Fact]
    public void RepositoryPath_FindsCourseFiles_FromAnyFolderBelowOrBesideTheRepository()
    {
        var previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = Path.Combine(TestSupport.RepoRoot, "notebooks");
            Assert.Equal(Path.Combine(TestSupport.RepoRoot, "notebooks", "scripts", "21-from-fsharp.fsx"),
                Path.GetFullPath(Course.RepositoryPath("notebooks/scripts/21-from-fsharp.fsx")));
            Environment.CurrentDirectory = Path.GetTempPath();          // outside the repository: found above the library's DLL
            Assert.True(File.Exists(Course.RepositoryPath("data/README.md")));
            var missing = Assert.Throws<FileNotFoundException>(() => Course.RepositoryPath("no/such/file.txt"));
            Assert.Contains("ATTENTION_COURSE_ROOT", missing.Message);
        }
        finally { Environment.CurrentDirectory = previous; }
    }

    [Fact]
    public void SourceExcerpt_PrintsTheLibrarysOwnCode_Dedented()
    {
        var excerpt = Course.SourceExcerpt("lib/AttentionCourse/Layers/MultiHeadAttention.cs", "public MultiHeadAttention(", "RegisterComponents();");
        var lines = excerpt.Split('\n');
        Assert.StartsWith("public MultiHeadAttention(long embedDim", lines[0]);
        Assert.Equal("RegisterComponents();", lines[^1].Trim());
        Assert.StartsWith("    ", lines[^1]);                                   // the body keeps its indentation relative to the signature
        Assert.Throws<ArgumentException>(() => Course.SourceExcerpt("lib/AttentionCourse/Course.cs", "no such line", "x"));
    }
}
