using AttentionCourse.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Data.Text;

public class CharacterCorpusTests
{
    // 10 blocks of 10 characters; with validationEvery 5, blocks 4 and 9 are held out.
    const string Text = "abcdefghij" + "klmnopqrst" + "uvwxyzABCD" + "EFGHIJKLMN" + "0123456789" + "abcabcabca" + "bcabcabcab" + "cabcabcabc" + "abcabcabca" + "!?!?!?!?!?";

    [Fact]
    public void Split_HoldsOutWholeContiguousBlocks()
    {
        using var corpus = CharacterCorpus.Split(Text, blocks: 10, validationEvery: 5);
        Assert.Equal(new[] { new TextSpan(0, 40), new TextSpan(50, 40) }, corpus.TrainingSpans);
        Assert.Equal(new[] { new TextSpan(40, 10), new TextSpan(90, 10) }, corpus.ValidationSpans);
        Assert.Equal("0123456789\n!?!?!?!?!?", corpus.PartText(CorpusPart.Validation));
        // The vocabulary is built from the training blocks only: digits, '!' and '?' are unknown.
        Assert.False(corpus.Vocabulary.Contains("0"));
        Assert.Equal(20, corpus.ValidationUnknownCount);
        Assert.Equal(Text.Length, corpus.Ids.shape[0]);
        Assert.Equal("abc", corpus.Decode(corpus.Encode("abc")));
        TestSupport.AssertArgumentError(() => corpus.Encode("ab7"), "sequence", "'7'", "position 2");
    }

    [Fact]
    public void TrainingBatches_StayInsideTrainingSpans_AndTargetsAreInputsShiftedByOne()
    {
        using var corpus = CharacterCorpus.Split(Text, blocks: 10, validationEvery: 5);
        var (input, target) = corpus.TrainingBatch(400, 6, new Generator(1));
        Assert.Equal(new long[] { 400, 6 }, input.shape);
        TestSupport.AssertClose(input[.., 1..], target[.., ..5], 0, "shifted by one");
        var seen = new HashSet<string>();
        for (int b = 0; b < 400; b++)
        {
            var window = corpus.Decode(input[b].data<long>().ToArray()) + corpus.Decode(target[b, ^1..].data<long>().ToArray());
            int at = Text.IndexOf(window, StringComparison.Ordinal);
            Assert.True(at >= 0, $"window '{window}' is a piece of the text");
            Assert.True(corpus.TrainingSpans.Any(s => at >= s.Start && at + 7 <= s.End), $"window at {at} lies inside one training span");
            seen.Add(window);
        }
        Assert.True(seen.Count > 30, "windows start at many positions (the first training span alone has 34 distinct windows)");
        var (again, _) = corpus.TrainingBatch(400, 6, new Generator(1));
        TestSupport.AssertClose(input, again, 0, "same seed, same batch");
    }

    [Fact]
    public void Windows_AreFixedNonOverlapping_AndCoverThePart()
    {
        using var corpus = CharacterCorpus.Split(Text, blocks: 10, validationEvery: 5);
        var (input, target) = corpus.Windows(CorpusPart.Training, 9);                    // per span of 40: 4 windows of 9 + 1
        Assert.Equal(8, input.shape[0]);
        Assert.Equal("abcdefghi", corpus.Decode(input[0].data<long>().ToArray()));
        Assert.Equal("jklmnopqr", corpus.Decode(input[1].data<long>().ToArray()));
        Assert.Equal("bcdefghij", corpus.Decode(target[0].data<long>().ToArray()));
        var (subset, _) = corpus.Windows(CorpusPart.Training, 9, maxWindows: 2);
        Assert.Equal(new[] { input[0], input[4] }.Select(t => corpus.Decode(t.data<long>().ToArray())),
                     Enumerable.Range(0, 2).Select(i => corpus.Decode(subset[i].data<long>().ToArray())));
        TestSupport.AssertArgumentError(() => corpus.Windows(CorpusPart.Validation, 10), "blockSize", "10 characters", "got blockSize 10");
    }

    [Fact]
    public void WithTrainingLimit_KeepsTheFirstTrainingCharacters_AndTheValidationBlocks()
    {
        using var corpus = CharacterCorpus.Split(Text, blocks: 10, validationEvery: 5);
        using var small = corpus.WithTrainingLimit(45);                                      // all of the first run, 5 of the second
        Assert.Equal(new[] { new TextSpan(0, 40), new TextSpan(50, 5) }, small.TrainingSpans);
        Assert.Equal(corpus.ValidationSpans, small.ValidationSpans);
        Assert.Same(corpus.Vocabulary, small.Vocabulary);
        var (input, _) = small.TrainingBatch(200, 8, new TorchSharp.torch.Generator(3));       // the 5-character run is too short for a window
        var text = Enumerable.Range(0, 200).Select(b => small.Decode(input[b].data<long>().ToArray())).ToArray();
        Assert.All(text, w => Assert.True(Text.IndexOf(w, StringComparison.Ordinal) < 40, $"'{w}' comes from the first run"));
        TestSupport.AssertArgumentError(() => corpus.WithTrainingLimit(81), "characters", "[2, 80]", "got 81");
    }

    [Fact]
    public void TooShortText_IsAClearError()
        => TestSupport.AssertArgumentError(() => CharacterCorpus.Split("abc", blocks: 10), "text", "20", "got 3");
}
