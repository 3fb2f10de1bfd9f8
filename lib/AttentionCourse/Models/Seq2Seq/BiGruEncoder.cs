using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>
/// What an encoder hands the decoder: one vector per source position (the keys and values of attention), one summary
/// vector (the only thing a decoder without attention sees), and which positions are padding.
/// </summary>
/// <param name="Outputs"><c>(B, S, Dm)</c>; zero at padded positions.</param>
/// <param name="Final"><c>(B, Dm)</c>: the summary of each whole sequence.</param>
/// <param name="KeyPadding">Optional <c>(B, S)</c> Bool, true = padded.</param>
public sealed record EncoderMemory(Tensor Outputs, Tensor Final, Tensor? KeyPadding)
{
    public long Batch => Outputs.shape[0];
    public long SourceLength => Outputs.shape[1];
    public long Width => Outputs.shape[2];

    /// <summary>
    /// The outputs already projected by a Bahdanau decoder's key projection <c>(B, S, A)</c>, set by
    /// <see cref="AttentionDecoder.Prepare"/> so that a decoding loop projects the keys once, not at every step.
    /// </summary>
    public Tensor? ProjectedKeys { get; init; }

    /// <summary>The rows <paramref name="index"/> <c>(K)</c> of every tensor (to repeat one example for a beam, or reorder).</summary>
    public EncoderMemory Select(Tensor index)
        => new(Outputs.index_select(0, index), Final.index_select(0, index), KeyPadding?.index_select(0, index))
        {
            ProjectedKeys = ProjectedKeys?.index_select(0, index),
        };
}

/// <summary>
/// A bidirectional GRU encoder over any sequence of feature vectors <c>(B, S, E)</c> — character embeddings (lesson 10),
/// digit embeddings (lesson 22), audio frames (lesson 11) — with a padding mask. Each direction is its own GRU; the
/// backward one reads every row reversed <i>within its length</i>, so padding never enters a real position's state in
/// either direction (what PyTorch's <c>pack_padded_sequence</c> achieves). Outputs are
/// <c>[forward_t; backward_t]</c> <c>(B, S, 2H)</c>; the summary is <c>[forward at the last real position; backward at
/// position 0]</c> <c>(B, 2H)</c>: each direction's state after reading the whole sequence.
/// </summary>
public sealed class BiGruEncoder : Module<Tensor, Tensor?, EncoderMemory>
{
    private readonly GRU forwardGru;
    private readonly GRU backwardGru;

    /// <param name="inputDim">Width E of an input vector.</param>
    /// <param name="hiddenDim">Width H of each direction's state (outputs are 2H wide).</param>
    public BiGruEncoder(long inputDim, long hiddenDim) : base(nameof(BiGruEncoder))
    {
        Check.AtLeast(inputDim, 1, nameof(inputDim));
        Check.AtLeast(hiddenDim, 1, nameof(hiddenDim));
        InputDim = inputDim;
        HiddenDim = hiddenDim;
        forwardGru = GRU(inputDim, hiddenDim, batchFirst: true);
        backwardGru = GRU(inputDim, hiddenDim, batchFirst: true);
        RegisterComponents();
    }

    public long InputDim { get; }
    public long HiddenDim { get; }

    /// <summary>Width of the outputs and the summary: 2H.</summary>
    public long OutputDim => 2 * HiddenDim;

    /// <param name="input"><c>(B, S, E)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, S)</c> Bool, true = padded; every row needs at least one real position.</param>
    public override EncoderMemory forward(Tensor input, Tensor? keyPadding = null)
    {
        Check.Rank(input, 3, nameof(input), "(batch, sourceLength, inputDim)");
        Check.Size(input, 2, InputDim, nameof(input), "inputDim");
        Check.NonEmpty(input, nameof(input));
        long B = input.shape[0], S = input.shape[1];
        Check.BoolMask(keyPadding, new[] { B, S }, nameof(keyPadding), "(batch, sourceLength), true = padded");
        using var scope = NewDisposeScope();
        var lengths = keyPadding is null ? full(new long[] { B }, S, dtype: ScalarType.Int64) : keyPadding.logical_not().sum(1);   // (B)
        if (lengths.min().item<long>() < 1)
            throw new ArgumentException($"keyPadding must leave every row at least one real position; row {lengths.argmin().item<long>()} is all padding.", nameof(keyPadding));
        var (forwardOut, _) = forwardGru.call(input, null);                                  // (B, S, H); position t sees 0…t only
        var reversal = ReversalWithinLength(lengths, S);                                     // (B, S)
        var index = reversal.unsqueeze(2).expand(B, S, InputDim);                            // (B, S, E)
        var (reversedOut, _) = backwardGru.call(input.gather(1, index), null);               // (B, S, H) over each row reversed
        var backwardOut = reversedOut.gather(1, reversal.unsqueeze(2).expand(B, S, HiddenDim)); // (B, S, H) back in source order
        var outputs = cat(new[] { forwardOut, backwardOut }, 2);                              // (B, S, 2H)
        if (keyPadding is not null) outputs = outputs.masked_fill(keyPadding.unsqueeze(2), 0.0);
        var last = (lengths - 1).view(B, 1, 1).expand(B, 1, HiddenDim);                      // (B, 1, H)
        var final = cat(new[] { forwardOut.gather(1, last).squeeze(1), backwardOut.select(1, 0) }, 1); // (B, 2H)
        var (o, f) = scope.MoveToOuter(outputs, final);
        return new EncoderMemory(o, f, keyPadding);
    }

    /// <summary>
    /// Index <c>(B, S)</c> that reverses positions <c>0…len−1</c> of each row and leaves the padding where it is; applying it
    /// twice gives the identity.
    /// </summary>
    public static Tensor ReversalWithinLength(Tensor lengths, long sourceLength)
    {
        using var scope = NewDisposeScope();
        var positions = arange(sourceLength).unsqueeze(0);                                   // (1, S)
        var limits = lengths.unsqueeze(1);                                                   // (B, 1)
        var reversed = limits - 1 - positions;                                               // (B, S)
        return where(positions.lt(limits), reversed, positions).MoveToOuterDisposeScope();   // (B, S)
    }
}
