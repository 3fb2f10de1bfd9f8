using AttentionCourse.Metrics;

namespace AttentionCourse.Tests.Metrics;

public class GeneratedTextTests
{
    [Fact]
    public void KnownWordRate_CountsWordsFoundInTheLexicon()
    {
        var lexicon = GeneratedText.Lexicon("It is a truth universally acknowledged.");
        Assert.Equal(new[] { "it", "is", "a", "truth", "universally", "acknowledged" }, GeneratedText.Words("It is a truth universally acknowledged."));
        Assert.Equal(6, lexicon.Count);
        Assert.Equal(2.0 / 4, GeneratedText.KnownWordRate("It is a trith, xq!", lexicon), 12);     // it, is known; trith, xq not; "a" too short
        Assert.Equal(3.0 / 5, GeneratedText.KnownWordRate("It is a trith, xq!", lexicon, minimumLength: 1), 12);
        Assert.Equal(0, GeneratedText.KnownWordRate("  ,;. 123 a", lexicon));
    }

    [Fact]
    public void DistinctN_IsDistinctOverAllNGrams_HandComputed()
    {
        // "a b a b a": bigrams ab, ba, ab, ba → 2 distinct of 4; unigrams 2 of 5.
        var text = new[] { "a", "b", "a", "b", "a" };
        Assert.Equal(0.5, GeneratedText.DistinctN(new[] { text }, 2), 12);
        Assert.Equal(0.4, GeneratedText.DistinctN(new[] { text }, 1), 12);
        // Pooled over two texts; n-grams never span two texts: "ab" + "ac" → bigrams ab, ac: 2 of 2.
        Assert.Equal(1.0, GeneratedText.DistinctN(new[] { new[] { 'a', 'b' }, new[] { 'a', 'c' } }, 2), 12);
        Assert.Equal(0, GeneratedText.DistinctN(new[] { new[] { 'a' } }, 2));
        TestSupport.AssertArgumentError(() => GeneratedText.DistinctN(new[] { text }, 0), "n", "at least 1", "got 0");
    }
}
