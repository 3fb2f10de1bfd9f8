using static TorchSharp.torch;

namespace AttentionCourse.Data;

/// <summary>
/// Labelled texts turned into model input: each text's tokens (after the length cap), their ids padded at the end into
/// one <c>(N, T)</c> tensor, the key-padding mask (true = padded) and the labels. <c>T</c> is the longest text, at most
/// the cap. The object owns its tensors.
/// </summary>
public sealed class EncodedTexts : IDisposable
{
    private EncodedTexts(IReadOnlyList<string[]> tokens, Tensor ids, Tensor keyPadding, Tensor labels)
    {
        Tokens = tokens;
        Ids = ids;
        KeyPadding = keyPadding;
        Labels = labels;
    }

    /// <summary>
    /// Encodes tokenised texts with a vocabulary (unknown words → <see cref="Vocabulary.Unknown"/>), keeping the first
    /// <paramref name="maxLength"/> tokens of each (the length cap). A text with no tokens is an error.
    /// </summary>
    public static EncodedTexts From(IReadOnlyList<string[]> tokenised, IReadOnlyList<long> labels, Vocabulary vocabulary, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(tokenised);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (tokenised.Count != labels.Count)
            throw new ArgumentException($"labels must have one entry per text ({tokenised.Count}); got {labels.Count}.", nameof(labels));
        Layers.Check.AtLeast(maxLength, 1, nameof(maxLength));
        for (int i = 0; i < tokenised.Count; i++)
            if (tokenised[i].Length == 0) throw new ArgumentException($"tokenised[{i}] has no tokens; every text needs at least one.", nameof(tokenised));
        var capped = tokenised.Select(t => t.Length > maxLength ? t[..maxLength] : t).ToArray();
        var batch = PaddedBatch.From(capped.Select(t => vocabulary.Encode(t)).ToArray());
        return new EncodedTexts(capped, batch.Ids, batch.KeyPadding, tensor(labels.ToArray()));
    }

    /// <summary>The tokens of each text, cut at the length cap (what the model sees, for labelling plots).</summary>
    public IReadOnlyList<string[]> Tokens { get; }

    /// <summary><c>(N, T)</c> Int64 ids, padded with <see cref="Vocabulary.PaddingId"/>.</summary>
    public Tensor Ids { get; }

    /// <summary><c>(N, T)</c> Bool, true at padded positions.</summary>
    public Tensor KeyPadding { get; }

    /// <summary><c>(N)</c> Int64 labels.</summary>
    public Tensor Labels { get; }

    /// <summary>Number of texts N.</summary>
    public int Count => Tokens.Count;

    /// <summary>The labels as an array.</summary>
    public long[] LabelArray => Labels.data<long>().ToArray();

    /// <summary>Rows <paramref name="index"/> of ids and padding, cut to their longest real length: a batch for a model.</summary>
    public (Tensor ids, Tensor keyPadding) Rows(Tensor index)
    {
        using var scope = NewDisposeScope();
        var (ids, padding) = TrimPadding(Ids.index_select(0, index), KeyPadding.index_select(0, index));
        return scope.MoveToOuter(ids, padding);
    }

    /// <summary>
    /// Drops the padded columns every row of a batch shares (a batch of short texts need not carry the longest text's
    /// padding): <c>(B, T)</c> → <c>(B, T')</c>, T' = the batch's longest real length. Views, not copies.
    /// </summary>
    public static (Tensor ids, Tensor keyPadding) TrimPadding(Tensor ids, Tensor keyPadding)
    {
        Layers.Check.BoolMask(keyPadding, ids.shape, nameof(keyPadding), "(batch, length), true = padded");
        long longest;
        using (var real = keyPadding.logical_not().sum(1).max()) longest = Math.Max(real.item<long>(), 1);
        return (ids.narrow(1, 0, longest), keyPadding.narrow(1, 0, longest));
    }

    public void Dispose()
    {
        Ids.Dispose();
        KeyPadding.Dispose();
        Labels.Dispose();
    }
}
