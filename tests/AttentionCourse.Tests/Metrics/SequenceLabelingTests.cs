using AttentionCourse.Metrics;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Metrics;

public class SequenceLabelingTests
{
    private static string[] L(string labels) => labels.Split(' ');

    [Fact]
    public void SeqevalsDocumentedExample_GivesItsPublishedScores()
    {
        // seqeval's README and docstrings (chakki-works/seqeval, seqeval/metrics/sequence_labeling.py): precision, recall
        // and F1 0.50; MISC 0.00 / 0.00 / 0.00 with support 1, PER 1.00 / 1.00 / 1.00 with support 1; accuracy 0.80.
        var gold = new[] { L("O O O B-MISC I-MISC I-MISC O"), L("B-PER I-PER O") };
        var predicted = new[] { L("O O B-MISC I-MISC I-MISC I-MISC O"), L("B-PER I-PER O") };
        var all = SequenceLabeling.EntityScores(gold, predicted);
        Assert.Equal((2L, 2L, 1L), (all.Gold, all.Predicted, all.Correct));
        Assert.Equal(0.5, all.Precision, 12);
        Assert.Equal(0.5, all.Recall, 12);
        Assert.Equal(0.5, all.F1, 12);
        Assert.Equal(0.0, SequenceLabeling.EntityScores(gold, predicted, "MISC").F1);
        Assert.Equal(1.0, SequenceLabeling.EntityScores(gold, predicted, "PER").F1);
        Assert.Equal(0.8, SequenceLabeling.TokenAccuracy(gold, predicted), 12);
    }

    [Fact]
    public void AnEntityAtTheEndOfASentence_IsClosedThere()
    {
        Assert.Equal(new[] { new Entity("PER", 1, 3) }, SequenceLabeling.Entities(L("O B-PER I-PER")));
        Assert.Equal(new[] { new Entity("LOC", 2, 3) }, SequenceLabeling.Entities(L("O O B-LOC")));
    }

    [Fact]
    public void AnITagWithoutAB_OpensAnEntity_AsInConlleval()
    {
        // conlleval / seqeval default mode: I- after O (or at the start) starts a chunk.
        Assert.Equal(new[] { new Entity("PER", 0, 2) }, SequenceLabeling.Entities(L("I-PER I-PER O")));
        Assert.Equal(new[] { new Entity("ORG", 1, 2), new Entity("ORG", 3, 5) }, SequenceLabeling.Entities(L("O I-ORG O I-ORG I-ORG")));
        // …so it matches a gold B-/I- entity with the same span and type.
        var scores = SequenceLabeling.EntityScores(new[] { L("B-PER I-PER O") }, new[] { L("I-PER I-PER O") });
        Assert.Equal(1.0, scores.F1);
    }

    [Fact]
    public void ATypeChange_OrABTag_EndsTheOpenEntity()
    {
        Assert.Equal(new[] { new Entity("PER", 0, 1), new Entity("LOC", 1, 3) }, SequenceLabeling.Entities(L("B-PER I-LOC I-LOC")));
        Assert.Equal(new[] { new Entity("PER", 0, 1), new Entity("PER", 1, 2) }, SequenceLabeling.Entities(L("B-PER B-PER")));
        Assert.Equal(new[] { new Entity("A", 0, 2), new Entity("B", 2, 3), new Entity("A", 4, 5) }, SequenceLabeling.Entities(L("B-A I-A B-B O I-A")));
        Assert.Empty(SequenceLabeling.Entities(L("O O")));
        Assert.Empty(SequenceLabeling.Entities(Array.Empty<string>()));
    }

    [Fact]
    public void OnlyExactSpanAndType_Count()
    {
        var gold = new[] { L("B-PER I-PER O B-LOC") };
        Assert.Equal(0, SequenceLabeling.EntityScores(gold, new[] { L("B-PER O O B-LOC") }, "PER").Correct);     // too short
        Assert.Equal(0, SequenceLabeling.EntityScores(gold, new[] { L("B-PER I-PER I-PER B-LOC") }, "PER").Correct); // too long
        Assert.Equal(1, SequenceLabeling.EntityScores(gold, new[] { L("B-ORG I-ORG O B-LOC") }).Correct);        // right span, wrong type: only LOC counts
        var hand = SequenceLabeling.EntityScores(gold, new[] { L("B-PER I-PER B-LOC B-LOC") });
        // gold {PER 0-2, LOC 3-4}; predicted {PER 0-2, LOC 2-3, LOC 3-4}: P = 2/3, R = 1, F1 = 0.8.
        Assert.Equal((2L, 3L, 2L), (hand.Gold, hand.Predicted, hand.Correct));
        Assert.Equal(0.8, hand.F1, 12);
    }

    [Fact]
    public void UndefinedRatios_AreZero_NotNaN()
    {
        var none = SequenceLabeling.EntityScores(new[] { L("B-PER O") }, new[] { L("O O") });
        Assert.Equal((0.0, 0.0, 0.0), (none.Precision, none.Recall, none.F1));
        var nothingToFind = SequenceLabeling.EntityScores(new[] { L("O O") }, new[] { L("O O") });
        Assert.Equal(0.0, nothingToFind.F1);
    }

    [Fact]
    public void BadLabels_AndMismatchedSentences_AreArgumentErrors()
    {
        TestSupport.AssertArgumentError(() => SequenceLabeling.Entities(L("O PER")), "labels", "'PER'", "position 1");
        TestSupport.AssertArgumentError(() => SequenceLabeling.EntityScores(new[] { L("O O") }, new[] { L("O") }), "predicted", "sentence 0", "1 labels", "gold has 2");
        TestSupport.AssertArgumentError(() => SequenceLabeling.TokenAccuracy(new[] { L("O") }, new[] { L("O"), L("O") }), "predicted", "same number of sentences");
    }

    [Fact]
    public void TensorTokenAccuracy_CountsRealTokensOnly_AndAgreesWithTheLabelVersion()
    {
        // Two sentences of lengths 3 and 1, padded to 3; predictions right at 3 of the 4 real tokens, wrong at padding.
        var logits = zeros(2, 3, 2);
        logits[0, 0, 1] = 1; logits[0, 1, 0] = 1; logits[0, 2, 0] = 1;    // predict 1, 0, 0
        logits[1, 0, 1] = 1; logits[1, 1, 1] = 1; logits[1, 2, 1] = 1;    // predict 1, (1, 1 at padding)
        var labels = tensor(new long[] { 1, 0, 1, 1, 0, 0 }).view(2, 3);
        var padding = tensor(new[] { false, false, false, false, true, true }).view(2, 3);
        Assert.Equal(0.75, SequenceLabeling.TokenAccuracy(logits, labels, padding), 12);
        Assert.Equal(0.5, SequenceLabeling.TokenAccuracy(logits, labels, null), 12);
        var names = new[] { "O", "B-X" };
        var predicted = SequenceLabeling.Decode(logits.argmax(-1), new long[] { 3, 1 }, names);
        var gold = SequenceLabeling.Decode(labels, new long[] { 3, 1 }, names);
        Assert.Equal(new[] { "B-X", "O", "O" }, predicted[0]);
        Assert.Single(predicted[1]);
        Assert.Equal(0.75, SequenceLabeling.TokenAccuracy(gold, predicted), 12);
        TestSupport.AssertArgumentError(() => SequenceLabeling.TokenAccuracy(logits, labels, ones(2, 3, dtype: ScalarType.Bool)), "keyPadding", "every token");
    }
}

public class AttentionSharesTests
{
    [Fact]
    public void WithinSpan_MatchesAHandComputation()
    {
        // One sentence of 4 tokens, one entity over tokens 1–2. Token 1 puts 0.5 on token 2, token 2 puts 0.1 on token 1:
        // trained mean (0.5 + 0.1) / 2 = 0.3; uniform (2 − 1) / 4 = 0.25 for each token.
        var weights = zeros(1, 4, 4, dtype: ScalarType.Float64);
        weights[0, 1] = tensor(new double[] { 0.2, 0.3, 0.5, 0.0 });
        weights[0, 2] = tensor(new double[] { 0.4, 0.1, 0.3, 0.2 });
        var spans = new[] { new[] { new Entity("NAME", 1, 3), new Entity("NAME", 3, 4) } };   // the one-token entity is skipped
        var (trained, uniform, tokens) = AttentionShares.WithinSpan(weights, spans, new long[] { 4 });
        Assert.Equal(0.3, trained, 12);
        Assert.Equal(0.25, uniform, 12);
        Assert.Equal(2, tokens);
        TestSupport.AssertArgumentError(() => AttentionShares.WithinSpan(weights, new[] { new[] { new Entity("X", 0, 1) } }, new long[] { 4 }), "spans", "nothing to measure");
    }

    [Fact]
    public void MeanDistance_MatchesAHandComputation()
    {
        // Sentence of 3 real tokens (padded to 4). Identity attention: distance 0. Uniform over 3: rows give
        // (0+1+2)/3, (1+0+1)/3, (2+1+0)/3 → mean (1 + 2/3 + 1) / 3 = 8/9.
        var padding = tensor(new[] { false, false, false, true }).view(1, 4);
        var identity = eye(4, dtype: ScalarType.Float64).unsqueeze(0);
        var (trained, uniform) = AttentionShares.MeanDistance(identity, padding);
        Assert.Equal(0.0, trained, 12);
        Assert.Equal(8.0 / 9, uniform, 12);
        var flat = tensor(new double[] { 1, 1, 1, 0 }).div(3).expand(4, 4).unsqueeze(0);
        Assert.Equal(8.0 / 9, AttentionShares.MeanDistance(flat, padding).trained, 12);
    }
}
