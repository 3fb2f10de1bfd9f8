using AttentionCourse.Data;
using AttentionCourse.Models;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 04's exercises (the checks compare the learner's answer with these).</summary>
public static class Lesson04
{
    /// <summary>
    /// Exercise 1: accuracy of <paramref name="model"/> on the test reviews that contain a negation token
    /// (<see cref="WordTokenizer.Negations"/>) after deleting those tokens from them (nothing retrained).
    /// </summary>
    public static double AccuracyWithoutNegations(BiGruClassifier model, SentimentExperiment experiment)
    {
        var rows = Enumerable.Range(0, experiment.Test.Count).Where(i => experiment.Test.Tokens[i].Any(WordTokenizer.IsNegation)).ToArray();
        var stripped = rows.Select(i => experiment.Test.Tokens[i].Where(t => !WordTokenizer.IsNegation(t)).DefaultIfEmpty(Vocabulary.Unknown).ToArray()).ToArray();
        var labels = experiment.Test.LabelArray;
        using var texts = EncodedTexts.From(stripped, rows.Select(i => labels[i]).ToArray(), experiment.Vocabulary, experiment.Settings.MaxTokens);
        return SentimentExperiment.Accuracy(model, texts);
    }

    /// <summary>
    /// Exercise 2: the mean relative attention weight of negation tokens on the test reviews: for every occurrence of a
    /// negation token, its weight times the review's length (1 = the share a uniform average would give), averaged
    /// over all occurrences.
    /// </summary>
    public static double NegationRelativeWeight(BiGruClassifier model, SentimentExperiment experiment)
    {
        var weights = SentimentExperiment.Weights(model, experiment.Test);
        var ratios = new List<double>();
        for (int i = 0; i < experiment.Test.Count; i++)
        {
            var tokens = experiment.Test.Tokens[i];
            for (int t = 0; t < tokens.Length; t++)
                if (WordTokenizer.IsNegation(tokens[t])) ratios.Add(weights[i][t] * tokens.Length);
        }
        return ratios.Average();
    }
}
