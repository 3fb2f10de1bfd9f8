using static TorchSharp.torch;

namespace AttentionCourse.Data;

/// <summary>
/// Variable-length id sequences padded into one tensor, with their lengths and the key-padding mask the attention
/// layers take (<c>true</c> = padded, see <see cref="Layers.Masks"/>).
/// </summary>
/// <param name="Ids"><c>(B, T)</c> Int64, padded with <see cref="Vocabulary.PaddingId"/> at the end.</param>
/// <param name="Lengths">The true length of each row.</param>
/// <param name="KeyPadding"><c>(B, T)</c> Bool, true at padded positions.</param>
public sealed record PaddedBatch(Tensor Ids, long[] Lengths, Tensor KeyPadding) : IDisposable
{
    /// <summary>
    /// Pads sequences to the longest one (or to <paramref name="length"/>; longer rows are an error, not truncated silently).
    /// An empty row is allowed (its mask is all true: attention gives it zero weights, see <see cref="Layers.Attention.MaskedSoftmax"/>).
    /// </summary>
    public static PaddedBatch From(IReadOnlyList<long[]> sequences, long? length = null, long paddingId = Vocabulary.PaddingId)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("sequences must hold at least one sequence; got none.", nameof(sequences));
        long longest = sequences.Max(s => (long)s.Length);
        long width = length ?? Math.Max(longest, 1);
        if (width < longest)
        {
            int row = sequences.Select((s, i) => (s, i)).First(p => p.s.Length > width).i;
            throw new ArgumentException($"length ({width}) must be at least the longest sequence; row {row} has {sequences[row].Length} tokens. Truncate first (Vocabulary.Encode's maxLength).", nameof(length));
        }
        var flat = new long[sequences.Count * width];
        Array.Fill(flat, paddingId);
        for (int r = 0; r < sequences.Count; r++) sequences[r].CopyTo(flat, r * width);
        var lengths = sequences.Select(s => (long)s.Length).ToArray();
        return new PaddedBatch(tensor(flat, new long[] { sequences.Count, width }), lengths, Layers.Masks.PaddingFromLengths(lengths, width));
    }

    public void Dispose()
    {
        Ids.Dispose();
        KeyPadding.Dispose();
    }
}
