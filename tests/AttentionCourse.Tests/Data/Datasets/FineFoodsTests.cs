using System.Text;
using AttentionCourse.Data;
using AttentionCourse.Models;

namespace AttentionCourse.Tests.Data.Datasets;

/// <summary>The Fine Food loader on small files in the package's format and on the shipped data; the tokenizer's rules.</summary>
public class FineFoodsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("fine-foods-tests").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string content)
    {
        var path = Path.Combine(folder, "reviews.csv");
        File.WriteAllText(path, content, Encoding.UTF8);
        return path;
    }

    [Fact]
    public void Read_ParsesThePackageFormat()
    {
        var reviews = FineFoods.Read(Write("\"product\",\"review\",\"score\"\n\"B1\",\"Loved it<br />so good\",\"great\"\n\"B2\",\"meh\",\"other\"\n"));
        Assert.Equal(new[] { new Review("B1", "Loved it<br />so good", true), new Review("B2", "meh", false) }, reviews);
        Assert.Equal(new long[] { 1, 0 }, reviews.Select(r => r.Label));
    }

    [Theory]
    [InlineData("\"product\",\"review\",\"score\"\n\"B1\",\"fine\",\"5 stars\"\n", "line 2", "'great' or 'other'", "'5 stars'")]
    [InlineData("\"product\",\"review\",\"score\"\n\"B1\",\"fine\",\"great\"\n\"B2\",\"  \",\"great\"\n", "line 3", "review text is empty")]
    [InlineData("\"product\",\"text\",\"score\"\n\"B1\",\"fine\",\"great\"\n", "line 1", "no column 'review'")]
    [InlineData("\"product\",\"review\",\"score\"\n", "line 2", "no reviews")]
    public void Read_RejectsMalformedFiles_NamingTheLine(string content, params string[] fragments)
    {
        var path = Write(content);
        var error = Assert.Throws<InvalidDataException>(() => FineFoods.Read(path));
        Assert.StartsWith(path + ":", error.Message);
        foreach (var fragment in fragments) Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void TheShippedData_HaveThePackagesCountsAndClassShares()
    {
        var train = FineFoods.Train();
        var test = FineFoods.Test();
        Assert.Equal(4000, train.Count);
        Assert.Equal(1000, test.Count);
        Assert.Equal(2600, train.Count(r => r.Great));      // 65 % great, as the package documents
        Assert.Equal(658, test.Count(r => r.Great));
        Assert.Equal("B000J0LSBG", train[0].Product);
    }

    [Fact]
    public void SplitValidation_IsStratified_Disjoint_AndSeeded()
    {
        var train = FineFoods.Train();
        var (rest, validation) = FineFoods.SplitValidation(train, 500, seed: 1);
        Assert.Equal(500, validation.Count);
        Assert.Equal(3500, rest.Count);
        Assert.Equal(325, validation.Count(r => r.Great));  // 65 % of 500
        Assert.Empty(rest.Intersect(validation, ReferenceEqualityComparer.Instance));
        Assert.Equal(validation, FineFoods.SplitValidation(train, 500, seed: 1).validation);
        Assert.NotEqual(validation, FineFoods.SplitValidation(train, 500, seed: 2).validation);
        TestSupport.AssertArgumentError(() => FineFoods.SplitValidation(train, 4000, 1), "validationCount", "[1, 3999]", "4000");
    }

    [Theory]
    [InlineData("I don't like it.", "i do n't like it .")]
    [InlineData("Can't, won't, CANNOT!", "can n't , will n't , can not !")]
    [InlineData("It wasnt good<br /><br />it's NOT bad", "it was n't good it 's not bad")]
    [InlineData("$29.95 &quot;best&quot; — 1,000 times!!", "$ 29.95 \" best \" — 1,000 times ! !")]
    [InlineData("I\u2019m sure they\u2019re fine", "i 'm sure they 're fine")]
    [InlineData("o'clock rock'n'roll", "o'clock rock'n'roll")]
    public void Tokenize_FollowsTheDocumentedRules(string text, string expected)
        => Assert.Equal(expected.Split(' '), WordTokenizer.Tokenize(text));

    [Fact]
    public void Negations_AreTokensOfTheirOwn()
    {
        var tokens = WordTokenizer.Tokenize("Not good, and I didn't like it; no, never again.");
        Assert.Equal(new[] { "not", "n't", "no", "never" }, tokens.Where(WordTokenizer.IsNegation));
    }

    [Fact]
    public void TheExperiment_BuildsItsVocabularyOnTheTrainingPartOnly()
    {
        using var experiment = SentimentExperiment.Prepare(SentimentSettings.Quick with { TrainCount = 600, ValidationCount = 100, TestCount = 200 });
        var trainWords = experiment.TrainReviews.SelectMany(r => WordTokenizer.Tokenize(r.Text)).ToHashSet();
        Assert.All(experiment.Vocabulary.Tokens.Skip(2), t => Assert.Contains(t, trainWords));
        // A word seen only in validation or test is unknown to the model.
        var heldOutOnly = experiment.ValidationReviews.Concat(experiment.TestReviews)
            .SelectMany(r => WordTokenizer.Tokenize(r.Text)).First(t => !trainWords.Contains(t));
        Assert.False(experiment.Vocabulary.Contains(heldOutOnly));
        Assert.Equal((500, 100, 200), (experiment.Train.Count, experiment.Validation.Count, experiment.Test.Count));
        Assert.All(experiment.Test.Tokens, t => Assert.InRange(t.Length, 1, experiment.Settings.MaxTokens));   // the length cap
        Assert.Equal(experiment.Settings.MaxTokens, experiment.Test.Ids.shape[1]);                                // some review reaches it
    }
}
