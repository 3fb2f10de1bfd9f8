using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// The structured self-attention of Lin et al. 2017 ("A Structured Self-attentive Sentence Embedding", ICLR 2017, §2):
/// r attention distributions ("hops") over the positions of a sequence, <c>A = softmax(W_s2 tanh(W_s1 Hᵀ))</c> with
/// <c>W_s1 (d_a × D)</c> and <c>W_s2 (r × d_a)</c>, the softmax over positions (padded ones masked), and the sentence
/// embedding <c>M = A H</c>, an <c>(r × D)</c> matrix. <see cref="RedundancyPenalty"/> is their penalty
/// <c>P = ‖A Aᵀ − I‖²_F</c> (§2.2), which pushes the r rows of A to be peaked and to differ from one another.
/// </summary>
/// <remarks>The r rows are computed in parallel from the same H, like the heads of multi-head attention; "hop" here does
/// not mean one attention step feeding the next, as in memory networks.</remarks>
public sealed class StructuredSelfAttention : Module<Tensor, Tensor?, (Tensor embedding, Tensor weights)>
{
    private readonly Linear ws1;
    private readonly Linear ws2;

    /// <param name="inputDim">Width D of each position (2u for a BiLSTM of u units per direction).</param>
    /// <param name="attentionDim">d_a, the hidden width of the scorer.</param>
    /// <param name="hops">r, the number of attention distributions.</param>
    public StructuredSelfAttention(long inputDim, long attentionDim, long hops) : base(nameof(StructuredSelfAttention))
    {
        Check.AtLeast(inputDim, 1, nameof(inputDim));
        Check.AtLeast(attentionDim, 1, nameof(attentionDim));
        Check.AtLeast(hops, 1, nameof(hops));
        InputDim = inputDim;
        Hops = hops;
        ws1 = Linear(inputDim, attentionDim, hasBias: false);
        ws2 = Linear(attentionDim, hops, hasBias: false);
        RegisterComponents();
    }

    public long InputDim { get; }

    /// <summary>r, the number of attention rows.</summary>
    public long Hops { get; }

    /// <summary>W_s1 <c>(d_a, D)</c>.</summary>
    public Tensor ScorerWeight => ws1.weight!;

    /// <summary>W_s2 <c>(r, d_a)</c>.</summary>
    public Tensor HopWeight => ws2.weight!;

    /// <param name="input">H <c>(B, T, D)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, T)</c> Bool, true = padded (weight 0).</param>
    /// <returns>M <c>(B, r, D)</c> and A <c>(B, r, T)</c> (each row sums to 1 over real positions).</returns>
    public override (Tensor embedding, Tensor weights) forward(Tensor input, Tensor? keyPadding = null)
    {
        Check.Rank(input, 3, nameof(input), "(batch, length, inputDim)");
        Check.Size(input, 2, InputDim, nameof(input), "inputDim");
        Check.NonEmpty(input, nameof(input));
        Check.BoolMask(keyPadding, new[] { input.shape[0], input.shape[1] }, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        var scores = ws2.call(ws1.call(input).tanh()).transpose(1, 2);                     // (B, r, T)
        var weights = Attention.MaskedSoftmax(scores, keyPadding?.logical_not().unsqueeze(1)); // (B, r, T)
        var embedding = weights.bmm(input);                                                 // (B, r, D)
        return scope.MoveToOuter(embedding, weights);
    }

    /// <summary>
    /// Lin et al.'s penalty <c>‖A Aᵀ − I‖²_F</c> for each example, averaged over the batch. 0 when the rows are one-hot on
    /// distinct positions; r² − r when all r rows are the same one-hot row.
    /// </summary>
    /// <param name="weights">A <c>(B, r, T)</c>.</param>
    public static Tensor RedundancyPenalty(Tensor weights)
    {
        Check.Rank(weights, 3, nameof(weights), "(batch, hops, length)");
        using var scope = NewDisposeScope();
        var gram = weights.bmm(weights.transpose(1, 2));                                    // (B, r, r)
        var identity = eye(weights.shape[1], dtype: weights.dtype, device: weights.device); // (r, r)
        var penalty = (gram - identity).pow(2).sum(new long[] { 1, 2 }).mean();             // ()
        return penalty.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// How much the hops overlap: for every pair of rows i ≠ j of A, the shared mass <c>Σ_t min(A_it, A_jt)</c> (1 = the
    /// same distribution, 0 = disjoint positions), averaged over pairs and examples. A measure independent of the penalty's
    /// own form.
    /// </summary>
    /// <param name="weights">A <c>(B, r, T)</c> with r ≥ 2.</param>
    public static double HopOverlap(Tensor weights)
    {
        Check.Rank(weights, 3, nameof(weights), "(batch, hops, length)");
        long r = weights.shape[1];
        Check.AtLeast(r, 2, "weights.shape[1] (hops)");
        using var scope = NewDisposeScope();
        var shared = minimum(weights.unsqueeze(2), weights.unsqueeze(1)).sum(-1);          // (B, r, r)
        var offDiagonal = ones(r, r, dtype: ScalarType.Bool, device: weights.device).logical_xor(eye(r, dtype: ScalarType.Bool, device: weights.device));
        return shared.masked_select(offDiagonal.unsqueeze(0).expand_as(shared)).mean().to_type(ScalarType.Float64).item<double>();
    }
}
