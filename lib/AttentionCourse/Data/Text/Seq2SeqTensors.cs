using AttentionCourse.Training;
using static TorchSharp.torch;

namespace AttentionCourse.Data;

/// <summary>Token sequences of a sequence-to-sequence task turned into the tensors the encoder–decoder trains on.</summary>
public static class Seq2SeqTensors
{
    /// <summary>
    /// A dataset of four tensors: source ids <c>(N, S)</c> (padded with 0), source padding <c>(N, S)</c> (true = padded),
    /// decoder inputs <c>(N, T)</c> = <c>&lt;bos&gt;</c> + target, and decoder outputs <c>(N, T)</c> = target +
    /// <c>&lt;eos&gt;</c> (padded with 0, which the loss ignores). Unknown source or target tokens are an error
    /// (<see cref="UnknownTokens.Throw"/>): this course's tasks have closed alphabets.
    /// </summary>
    public static TensorDataset Encode(IReadOnlyList<string[]> sources, IReadOnlyList<string[]> targets, Vocabulary sourceVocabulary, Vocabulary targetVocabulary)
    {
        if (sources.Count != targets.Count)
            throw new ArgumentException($"targets must have one sequence per source ({sources.Count}); got {targets.Count}.", nameof(targets));
        var sourceIds = sources.Select(s => sourceVocabulary.Encode(s, UnknownTokens.Throw)).ToArray();
        var targetIds = targets.Select(t => targetVocabulary.Encode(t, UnknownTokens.Throw)).ToArray();
        var decoderInputs = targetIds.Select(t => t.Prepend(targetVocabulary.BeginId).ToArray()).ToArray();
        var decoderOutputs = targetIds.Select(t => t.Append(targetVocabulary.EndId).ToArray()).ToArray();
        using var source = PaddedBatch.From(sourceIds);
        using var input = PaddedBatch.From(decoderInputs);
        using var output = PaddedBatch.From(decoderOutputs);
        return new TensorDataset(source.Ids, source.KeyPadding, input.Ids, output.Ids);
    }

    /// <summary>The text of some target ids: stops at <c>&lt;eos&gt;</c>, drops padding and <c>&lt;bos&gt;</c>.</summary>
    public static string DecodeText(IEnumerable<long> ids, Vocabulary vocabulary)
    {
        var text = new System.Text.StringBuilder();
        foreach (var id in ids)
        {
            if (vocabulary.HasSequenceMarkers && id == vocabulary.EndId) break;
            if (id == Vocabulary.PaddingId || (vocabulary.HasSequenceMarkers && id == vocabulary.BeginId)) continue;
            text.Append(vocabulary[id]);
        }
        return text.ToString();
    }
}
