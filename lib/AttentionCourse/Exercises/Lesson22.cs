using AttentionCourse.Data;
using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 22's exercises.</summary>
public static class Lesson22
{
    /// <summary>
    /// Exercise 1: token accuracy of greedy decoding at output position <paramref name="position"/> (0-based), over
    /// <paramref name="count"/> strings of length <paramref name="length"/> generated with <paramref name="seed"/>.
    /// </summary>
    public static double AccuracyAtPosition(Seq2SeqModel model, int length, int position, int count, int seed)
    {
        var vocabulary = DigitSequenceTask.Vocabulary();
        var (sources, targets) = DigitSequenceTask.Generate(count, length, length, DigitTaskKind.Copy, seed);
        using var data = Seq2SeqTensors.Encode(sources, targets, vocabulary, vocabulary);
        var hypotheses = Seq2SeqTraining.Decode(model, data, DecodingOptions.For(vocabulary, length + 2));
        return hypotheses.Select((h, n) => position < h.Tokens.Length && h.Tokens[position] == vocabulary[targets[n][position]] ? 1.0 : 0.0).Average();
    }

    /// <summary>
    /// Exercise 2: the mean attention weight on the diagonal (source position = output position) over the target digits
    /// of teacher-forced decoding, for <paramref name="count"/> copy strings of length <paramref name="length"/>.
    /// </summary>
    public static double DiagonalMass(Seq2SeqModel model, int length, int count, int seed)
    {
        var vocabulary = DigitSequenceTask.Vocabulary();
        var (sources, targets) = DigitSequenceTask.Generate(count, length, length, DigitTaskKind.Copy, seed);
        using var data = Seq2SeqTensors.Encode(sources, targets, vocabulary, vocabulary);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (_, weights) = model.call(data[0], data[1], data[2]);                            // (N, T, S)
        return weights.narrow(1, 0, length).diagonal(0, 1, 2).mean().item<float>();          // (N, length) diagonal
    }
}
