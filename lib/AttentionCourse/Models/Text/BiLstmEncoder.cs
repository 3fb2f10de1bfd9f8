using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>
/// A bidirectional LSTM over padded sequences that reads each sequence only to its true length: the backward direction
/// starts at the last real token, not at the padding. Outputs at padded positions are zero.
/// </summary>
/// <remarks>
/// PyTorch's way is <c>pack_padded_sequence</c>; on this CPU build a packed bidirectional LSTM's forward and backward
/// pass took about 3× as long as a padded one. So the two directions are two LSTMs over padded tensors: the forward one
/// reads the sequences as they are (padding at the end cannot reach earlier positions), and the backward one reads each
/// sequence reversed <i>within its own length</i> (a gather), so it too meets its padding only after its last real token;
/// its outputs are reversed back. The result equals the packed computation (the tests check it against the LSTM
/// equations written out).
/// </remarks>
public sealed class BiLstmEncoder : Module<Tensor, Tensor, Tensor>
{
    private readonly LSTM forwardLstm;
    private readonly LSTM backwardLstm;

    /// <param name="inputDim">Width of each input position.</param>
    /// <param name="hiddenDim">Hidden width of each direction; the output is 2 × this.</param>
    public BiLstmEncoder(long inputDim, long hiddenDim) : base(nameof(BiLstmEncoder))
    {
        Check.AtLeast(inputDim, 1, nameof(inputDim));
        Check.AtLeast(hiddenDim, 1, nameof(hiddenDim));
        InputDim = inputDim;
        HiddenDim = hiddenDim;
        forwardLstm = LSTM(inputDim, hiddenDim, numLayers: 1, batchFirst: true);
        backwardLstm = LSTM(inputDim, hiddenDim, numLayers: 1, batchFirst: true);
        RegisterComponents();
    }

    public long InputDim { get; }
    public long HiddenDim { get; }

    /// <summary>Width of the output, 2 × <see cref="HiddenDim"/>.</summary>
    public long OutputDim => 2 * HiddenDim;

    /// <param name="input"><c>(B, T, D)</c>.</param>
    /// <param name="keyPadding"><c>(B, T)</c> Bool, true = padded; padding at the end, at least one real position per row.</param>
    /// <returns><c>(B, T, 2H)</c>: forward state ‖ backward state at each real position, zeros at padding.</returns>
    public override Tensor forward(Tensor input, Tensor keyPadding)
    {
        Check.Rank(input, 3, nameof(input), "(batch, length, inputDim)");
        Check.Size(input, 2, InputDim, nameof(input), "inputDim");
        Check.NonEmpty(input, nameof(input));
        Check.BoolMask(keyPadding, new[] { input.shape[0], input.shape[1] }, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        long B = input.shape[0], T = input.shape[1];
        var real = keyPadding.logical_not();                                                // (B, T)
        var lengths = real.sum(1, keepdim: true);                                           // (B, 1)
        if (lengths.min().item<long>() == 0)
            throw new ArgumentException("keyPadding marks a row as all padding: every sequence needs at least one token.", nameof(keyPadding));
        // Position t of the reversed sequence is position length − 1 − t of the original (padding stays where it is).
        var positions = arange(T, device: input.device).unsqueeze(0);                       // (1, T)
        var reversedIndex = where(real, lengths - 1 - positions, positions);                // (B, T)
        var gatherIndex = reversedIndex.unsqueeze(-1).expand(B, T, input.shape[2]);         // (B, T, D)
        var (forwardStates, _, _) = forwardLstm.call(input);                                // (B, T, H)
        var (backwardReversed, _, _) = backwardLstm.call(input.gather(1, gatherIndex));     // (B, T, H), reversed order
        var backwardStates = backwardReversed.gather(1, reversedIndex.unsqueeze(-1).expand(B, T, HiddenDim)); // (B, T, H)
        var output = cat(new[] { forwardStates, backwardStates }, 2)                        // (B, T, 2H)
            .masked_fill(keyPadding.unsqueeze(-1), 0.0);
        return output.MoveToOuterDisposeScope();
    }
}
