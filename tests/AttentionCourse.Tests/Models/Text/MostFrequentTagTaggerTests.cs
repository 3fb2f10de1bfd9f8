using AttentionCourse.Data;
using AttentionCourse.Models;

namespace AttentionCourse.Tests.Models.Text;

public class MostFrequentTagTaggerTests
{
    // Counted by hand:
    //   the: DET 3                    → DET
    //   runs: VERB 2, NOUN 1          → VERB
    //   saw: NOUN 1, VERB 1 (a tie)   → NOUN (first in ordinal order)
    //   dog: NOUN 1                   → NOUN
    //   labels overall: DET 3, NOUN 3, VERB 3 → a tie, so the fallback is DET (first in ordinal order)
    static readonly string[][] Tokens = { new[] { "the", "dog", "runs" }, new[] { "the", "runs", "saw" }, new[] { "the", "saw", "runs" } };
    static readonly string[][] Labels = { new[] { "DET", "NOUN", "VERB" }, new[] { "DET", "NOUN", "VERB" }, new[] { "DET", "NOUN", "VERB" } };

    [Fact]
    public void EachToken_GetsItsMostFrequentTrainingLabel_TiesInOrdinalOrder()
    {
        var tagger = MostFrequentTagTagger.Fit(Tokens, Labels);
        Assert.Equal(4, tagger.Count);
        Assert.Equal("DET", tagger.Tag("the"));
        Assert.Equal("VERB", tagger.Tag("runs"));
        Assert.Equal("NOUN", tagger.Tag("saw"));
        Assert.Equal("NOUN", tagger.Tag("dog"));
        Assert.Equal("DET", tagger.Fallback);
        Assert.Equal(new[] { "DET", "NOUN", "VERB", "DET" }, tagger.Tag(new[] { "the", "saw", "runs", "cat" }));   // "cat" unseen → fallback
    }

    [Fact]
    public void Context_ChangesNothing_AndTrainingOrderChangesNothing()
    {
        var tagger = MostFrequentTagTagger.Fit(Tokens, Labels);
        var reversed = MostFrequentTagTagger.Fit(Tokens.Reverse(), Labels.Reverse());
        foreach (var word in new[] { "the", "runs", "saw", "dog", "cat" })
        {
            Assert.Equal(tagger.Tag(word), reversed.Tag(word));
            Assert.Equal(tagger.Tag(word), tagger.Tag(new[] { "dog", word, "the" })[1]);
        }
    }

    [Fact]
    public void WithSignatures_AnUnseenWord_GetsTheLabelOfTheRareWordsWithItsSignature()
    {
        // "Pye" and "Allen" occur once: with minCount 2 both become <unk-Cap>, labelled B-NAME twice; "the" stays itself.
        // Labels overall: O 3, B-NAME 2, so the fallback is O.
        var tokens = new[] { new[] { "the", "Pye" }, new[] { "the", "Allen" }, new[] { "the" } };
        var labels = new[] { new[] { "O", "B-NAME" }, new[] { "O", "B-NAME" }, new[] { "O" } };
        var vocabulary = WordSignatures.BuildVocabulary(tokens, minCount: 2);
        var tagger = MostFrequentTagTagger.Fit(tokens.Select(t => (IReadOnlyList<string>)WordSignatures.Map(t, vocabulary)), labels);
        Assert.Equal(new[] { "O", "B-NAME", "O" }, tagger.Tag(WordSignatures.Map(new[] { "the", "Kennedy", "ran" }, vocabulary)));   // Kennedy → <unk-Cap>; "ran" → <unk-low>, unseen → fallback O
        Assert.Equal("O", tagger.Fallback);
    }

    [Fact]
    public void MismatchedInput_IsAnArgumentError()
    {
        TestSupport.AssertArgumentError(() => MostFrequentTagTagger.Fit(new[] { new[] { "a", "b" } }, new[] { new[] { "X" } }), "labels", "2 tokens", "1 labels");
        TestSupport.AssertArgumentError(() => MostFrequentTagTagger.Fit(new[] { new[] { "a" } }, Array.Empty<string[]>()), "labels", "same number");
        TestSupport.AssertArgumentError(() => MostFrequentTagTagger.Fit(Array.Empty<string[]>(), Array.Empty<string[]>()), "tokens", "no token");
    }
}
