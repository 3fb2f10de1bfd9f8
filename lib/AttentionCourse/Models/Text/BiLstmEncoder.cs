using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>
/// A bidirectional LSTM over padded sequences that reads each sequence only to its true length: the backward direction
/// starts at the last real token, not at the padding (sequences are packed, as PyTorch's <c>pack_padded_sequence</c> does).
/// Outputs at padded positions are zero.
/// </summary>
public sealed class BiLstmEncoder : Module<Tensor, Tensor, Tensor>
{
    private readonly LSTM lstm;

    /// <param name="inputDim">Width of each input position.</param>
    /// <param name="hiddenDim">Hidden width of each direction; the output is 2 × this.</param>
    public BiLstmEncoder(long inputDim, long hiddenDim) : base(nameof(BiLstmEncoder))
    {
        Check.AtLeast(inputDim, 1, nameof(inputDim));
        Check.AtLeast(hiddenDim, 1, nameof(hiddenDim));
        InputDim = inputDim;
        HiddenDim = hiddenDim;
        lstm = LSTM(inputDim, hiddenDim, numLayers: 1, batchFirst: true, bidirectional: true);
        RegisterComponents();
    }

    public long InputDim { get; }
    public long HiddenDim { get; }

    /// <summary>Width of the output, 2 × <see cref="HiddenDim"/>.</summary>
    public long OutputDim => 2 * HiddenDim;

    /// <param name="input"><c>(B, T, D)</c>.</param>
    /// <param name="keyPadding"><c>(B, T)</c> Bool, true = padded; every row needs at least one real position, padding at the end.</param>
    /// <returns><c>(B, T, 2H)</c>: forward state ‖ backward state at each real position, zeros at padding.</returns>
    public override Tensor forward(Tensor input, Tensor keyPadding)
    {
        Check.Rank(input, 3, nameof(input), "(batch, length, inputDim)");
        Check.Size(input, 2, InputDim, nameof(input), "inputDim");
        Check.NonEmpty(input, nameof(input));
        Check.BoolMask(keyPadding, new[] { input.shape[0], input.shape[1] }, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        var lengths = keyPadding.logical_not().sum(1).cpu();                               // (B) Int64
        if (lengths.min().item<long>() == 0)
            throw new ArgumentException("keyPadding marks a row as all padding: every sequence needs at least one token.", nameof(keyPadding));
        using var packed = TorchSharp.torch.nn.utils.rnn.pack_padded_sequence(input, lengths, batch_first: true, enforce_sorted: false);
        var (output, _, _) = lstm.call(packed);
        using var packedOutput = output;
        var (padded, _) = TorchSharp.torch.nn.utils.rnn.pad_packed_sequence(packedOutput, batch_first: true, total_length: input.shape[1]); // (B, T, 2H)
        return padded.MoveToOuterDisposeScope();
    }
}
