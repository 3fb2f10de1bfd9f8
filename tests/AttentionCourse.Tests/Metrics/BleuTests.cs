using AttentionCourse.Metrics;

namespace AttentionCourse.Tests.Metrics;

/// <summary>BLEU against the values in sacrebleu's own tests (mjpost/sacrebleu test/test_bleu.py, test/test_sentence_bleu.py).</summary>
public class BleuTests
{
    private static readonly string[] Hypotheses = { "The dog bit the man.", "It wasn't surprising.", "The man had just bitten him." };
    private static readonly string[][] References =
    {
        new[] { "The dog bit the man.", "It was not unexpected.", "The man bit him first." },
        new[] { "The dog had bit the man.", "No one was surprised.", "The man had bitten the dog." },
    };

    /// <summary>sacrebleu's raw_corpus_bleu: no tokenization, floor smoothing with the given value, effective order.</summary>
    private static BleuOptions Raw(double floor) => new() { Tokenizer = BleuTokenizer.None, Smoothing = BleuSmoothing.Floor, SmoothValue = floor, EffectiveOrder = true };

    [Theory]
    [InlineData(BleuTokenizer.Mteval13a, BleuSmoothing.Exp, 48.530827)]
    [InlineData(BleuTokenizer.None, BleuSmoothing.Exp, 49.1919566)]
    [InlineData(BleuTokenizer.Mteval13a, BleuSmoothing.None, 48.530827)]
    public void Corpus_ReproducesSacrebleu(BleuTokenizer tokenizer, BleuSmoothing smoothing, double expected)
    {
        var score = Bleu.Corpus(Hypotheses, References, new BleuOptions { Tokenizer = tokenizer, Smoothing = smoothing });
        Assert.Equal(expected, score.Score, 1e-6);
    }

    /// <summary>sacrebleu's README table for max orders 1…6 (published to two decimals).</summary>
    [Theory]
    [InlineData(1, 77.65)]
    [InlineData(2, 60.50)]
    [InlineData(3, 53.93)]
    [InlineData(4, 48.53)]
    [InlineData(5, 46.14)]
    [InlineData(6, 43.28)]
    public void Corpus_MaxOrder_ReproducesSacrebleu(int order, double expected)
        => Assert.Equal(expected, Bleu.Corpus(Hypotheses, References, new BleuOptions { MaxOrder = order }).Score, 0.006);

    [Fact]
    public void EmptyHypotheses_ScoreZero_NotNaN()
    {
        var score = Bleu.Corpus(new[] { "", "", "" }, References);
        Assert.Equal(0.0, score.Score);
        Assert.Equal(0.0, score.BrevityPenalty);
        Assert.Equal(0.0, Bleu.Sentence("", new[] { "" }).Score);                           // both empty
        Assert.Equal(0.0, Bleu.Sentence("a b c", new[] { "" }).Score);                      // empty reference
    }

    [Fact]
    public void FromStatistics_ReproducesSacrebleu()
    {
        Assert.Equal(83.75922397, Bleu.FromStatistics(new[] { 9, 7, 5, 3 }, new[] { 10, 8, 6, 4 }, 11, 11, new BleuOptions { Smoothing = BleuSmoothing.None }).Score, 1e-6);
        // test_degenerate_statistics: floor smoothing, any value, zero matches → exactly 0.
        var floor = (double v) => new BleuOptions { Smoothing = BleuSmoothing.Floor, SmoothValue = v };
        Assert.Equal(0.0, Bleu.FromStatistics(new[] { 0, 0, 0, 0 }, new[] { 4, 4, 2, 1 }, 0, 1, floor(0)).Score);
        Assert.Equal(0.0, Bleu.FromStatistics(new[] { 0, 0, 0, 0 }, new[] { 10, 11, 12, 0 }, 14, 10, floor(0)).Score);
        Assert.Equal(0.0, Bleu.FromStatistics(new[] { 0, 0, 0, 0 }, new[] { 0, 0, 0, 0 }, 0, 0, floor(0)).Score);
        Assert.Equal(0.0, Bleu.FromStatistics(new[] { 6, 5, 4, 0 }, new[] { 6, 5, 4, 3 }, 6, 6, floor(0)).Score, 1e-12);
        Assert.Equal(0.0, Bleu.FromStatistics(new[] { 0, 0, 0, 0 }, new[] { 0, 0, 0, 0 }, 0, 0, floor(0.1)).Score);
        Assert.Equal(0.0, Bleu.FromStatistics(new[] { 0, 0, 0, 0 }, new[] { 0, 0, 0, 0 }, 1, 5, floor(0.01)).Score);
    }

    [Theory]
    [InlineData(new[] { "this is a test", "another test" }, new[] { "ref1", "ref2" }, 0.0)]     // no match at all: 0 since sacrebleu #141 (0.0038 before)
    [InlineData(new[] { "this is a test" }, new[] { "this is a test" }, 1.0)]
    [InlineData(new[] { "this is a fest" }, new[] { "this is a test" }, 0.223606797749979)]
    [InlineData(new[] { "test" }, new[] { "a test" }, 0.3678794411714425)]                  // brevity penalty alone: e⁻¹
    [InlineData(new[] { "a test" }, new[] { "a test" }, 1.0)]
    [InlineData(new[] { "a little test" }, new[] { "a test" }, 0.03218297948685433)]
    public void RawCorpusBleu_ReproducesSacrebleu(string[] hypotheses, string[] references, double expected)
        => Assert.Equal(expected, Bleu.Corpus(hypotheses, new[] { references }, Raw(0.01)).Score / 100, 1e-8);

    [Fact]
    public void Statistics_And_FloorOffset_ReproduceSacrebleu()
    {
        const string hypothesis = "am I am a character sequence", reference = "I am a symbol string sequence a a";
        var (correct, total, _, _) = Bleu.SentenceStatistics(hypothesis, new[] { reference }, Raw(0.01));
        Assert.Equal(new[] { 4, 2, 1, 0 }, correct);
        Assert.Equal(new[] { 6, 5, 4, 3 }, total);
        Assert.Equal(0.1555722182, Bleu.Corpus(new[] { hypothesis }, new[] { new[] { reference } }, Raw(0.1)).Score / 100, 1e-8);
        Assert.Equal(0.0, Bleu.Corpus(new[] { hypothesis }, new[] { new[] { reference } }, Raw(0.0)).Score / 100, 1e-8);
    }

    /// <summary>test_sentence_bleu.py (its tolerance is 1e-3): every smoothing on one Romanian sentence, effective order.</summary>
    [Theory]
    [InlineData(BleuSmoothing.Exp, null, BleuTokenizer.Mteval13a, 8.493)]
    [InlineData(BleuSmoothing.None, null, BleuTokenizer.Mteval13a, 0.0)]
    [InlineData(BleuSmoothing.Floor, null, BleuTokenizer.Mteval13a, 4.51688)]
    [InlineData(BleuSmoothing.Floor, 0.1, BleuTokenizer.Mteval13a, 4.51688)]
    [InlineData(BleuSmoothing.Floor, 0.5, BleuTokenizer.Mteval13a, 10.10)]
    [InlineData(BleuSmoothing.AddK, null, BleuTokenizer.Mteval13a, 14.882)]
    [InlineData(BleuSmoothing.AddK, 1.0, BleuTokenizer.Mteval13a, 14.882)]
    [InlineData(BleuSmoothing.AddK, 2.0, BleuTokenizer.Mteval13a, 21.389)]
    [InlineData(BleuSmoothing.Exp, null, BleuTokenizer.None, 7.347)]
    public void Sentence_ReproducesSacrebleu(BleuSmoothing smoothing, double? value, BleuTokenizer tokenizer, double expected)
    {
        const string reference = "producţia de zahăr brut se exprimă în zahăr alb;";
        const string hypothesis = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";
        var options = new BleuOptions { Smoothing = smoothing, SmoothValue = value, Tokenizer = tokenizer, EffectiveOrder = true };
        Assert.Equal(expected, Bleu.Sentence(hypothesis, new[] { reference }, options).Score, 1e-3);
    }

    [Theory]
    [InlineData(BleuSmoothing.Exp)]
    [InlineData(BleuSmoothing.None)]
    [InlineData(BleuSmoothing.Floor)]
    [InlineData(BleuSmoothing.AddK)]
    public void NoMatchAtAll_ScoresZero_WithEverySmoothing(BleuSmoothing smoothing)
        => Assert.Equal(0.0, Bleu.Sentence("this is a cat", new[] { "okay thanks" }, BleuOptions.Sentence with { Smoothing = smoothing }).Score);

    /// <summary>No shared 4-gram: 0 without smoothing; each smoothing gives a positive number, as its formula says.</summary>
    [Fact]
    public void NoFourGramMatch_ZeroWithoutSmoothing_PositiveWithIt()
    {
        var hypothesis = "the cat sat on a mat"; var reference = new[] { "the cat sat under the mat" };
        var (correct, total, c, r) = Bleu.SentenceStatistics(hypothesis, reference);
        Assert.Equal(new[] { 4, 2, 1, 0 }, correct);
        Assert.Equal(0.0, Bleu.Sentence(hypothesis, reference, BleuOptions.Corpus with { Smoothing = BleuSmoothing.None }).Score);
        double Expected(double p4) => 100 * Math.Exp((Math.Log(4.0 / 6) + Math.Log(2.0 / 5) + Math.Log(1.0 / 4) + Math.Log(p4)) / 4);
        Assert.Equal(Expected(1.0 / (2 * 3)), Bleu.Sentence(hypothesis, reference, BleuOptions.Corpus).Score, 1e-9);                         // exp: 1/(2·3)
        Assert.Equal(Expected(0.1 / 3), Bleu.Sentence(hypothesis, reference, BleuOptions.Corpus with { Smoothing = BleuSmoothing.Floor }).Score, 1e-9);
        double addK = 100 * Math.Exp((Math.Log(4.0 / 6) + Math.Log(3.0 / 6) + Math.Log(2.0 / 5) + Math.Log(1.0 / 4)) / 4);
        Assert.Equal(addK, Bleu.Sentence(hypothesis, reference, BleuOptions.Corpus with { Smoothing = BleuSmoothing.AddK }).Score, 1e-9);
        Assert.Equal(6, c); Assert.Equal(6, r);
    }

    /// <summary>Papineni et al. 2002 §2.1: "the" ×7 against two references has modified unigram precision 2/7.</summary>
    [Fact]
    public void ModifiedPrecision_ClipsByTheMaximumReferenceCount()
    {
        var (correct, total, _, _) = Bleu.SentenceStatistics("the the the the the the the", new[] { "the cat is on the mat", "there is a cat on the mat" },
            new BleuOptions { Tokenizer = BleuTokenizer.None });
        Assert.Equal(2, correct[0]);
        Assert.Equal(7, total[0]);
    }

    [Theory]
    [InlineData("The dog bit the man.", "The dog bit the man .")]
    [InlineData("It wasn't surprising.", "It wasn't surprising .")]                              // 13a keeps apostrophes
    [InlineData("3.5 million, 1,000 - 2-3 (ok)", "3.5 million , 1,000 - 2 - 3 ( ok )")]
    [InlineData("a &amp; b &quot;c&quot;", "a & b \" c \"")]
    public void Tokenize13a_MatchesMteval(string line, string expected) => Assert.Equal(expected, Bleu.Tokenize13a(line));

    [Fact]
    public void BadInput_NamesTheArgument()
    {
        TestSupport.AssertArgumentError(() => Bleu.Corpus(Hypotheses, new[] { new[] { "one" } }), "references", "3", "1");
        TestSupport.AssertArgumentError(() => Bleu.Sentence("a", Array.Empty<string>()), "references", "none");
        TestSupport.AssertArgumentError(() => Bleu.Corpus(Hypotheses, References, new BleuOptions { MaxOrder = 0 }), "options", "MaxOrder");
    }
}
