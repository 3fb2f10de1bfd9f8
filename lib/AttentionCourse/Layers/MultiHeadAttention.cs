using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>Which attention weights <see cref="MultiHeadAttention"/> returns.</summary>
public enum AttentionWeights
{
    /// <summary>No weights: the fused kernel runs, without building the <c>(T, S)</c> weights (see <see cref="Attention.ScaledDotProductFused"/>).</summary>
    None,
    /// <summary>Weights averaged over heads, <c>(B, T, S)</c> (what <c>nn.MultiheadAttention</c> returns by default).</summary>
    Averaged,
    /// <summary>Weights of every head, <c>(B, H, T, S)</c>.</summary>
    PerHead,
}

/// <summary>
/// Multi-head attention (Vaswani et al. 2017), batch-first <c>(B, T, E)</c>, for self- and cross-attention.
/// Parameters are laid out as in PyTorch's <c>nn.MultiheadAttention</c> (a packed <c>(3E, E)</c> input
/// projection and an output projection), so weights can be copied between the two.
/// </summary>
/// <remarks>
/// Two paths compute the same function: a fused path through TorchSharp's
/// <c>scaled_dot_product_attention</c> (when no weights are requested) and a readable manual path
/// (<see cref="Attention.ScaledDotProduct"/>) that also returns the weights. The tests prove they agree.
/// </remarks>
public sealed class MultiHeadAttention : Module<Tensor, Tensor, Tensor, Tensor?, bool, AttentionWeights, (Tensor output, Tensor? weights)>
{
    private readonly Parameter in_proj_weight;
    private readonly Parameter? in_proj_bias;
    private readonly RotaryPositionalEncoding? rotary;
    private readonly Linear out_proj;

    /// <param name="embedDim">Model width E.</param>
    /// <param name="numHeads">Number of heads H; must divide E.</param>
    /// <param name="dropout">Dropout on the attention weights while training.</param>
    /// <param name="bias">Whether the projections have biases.</param>
    /// <param name="rotary">Optional rotary positions applied to queries and keys of every head.</param>
    public MultiHeadAttention(long embedDim, long numHeads, double dropout = 0.0, bool bias = true, RotaryPositionalEncoding? rotary = null)
        : base(nameof(MultiHeadAttention))
    {
        Check.AtLeast(embedDim, 1, nameof(embedDim));
        Check.AtLeast(numHeads, 1, nameof(numHeads));
        Check.Divisible(embedDim, numHeads, nameof(embedDim), "numHeads");
        if (dropout < 0 || dropout >= 1)
            throw new ArgumentException($"dropout must lie in [0, 1); got {dropout}.", nameof(dropout));
        if (rotary is not null && rotary.HeadDim != embedDim / numHeads)
            throw new ArgumentException($"rotary.HeadDim must equal embedDim / numHeads ({embedDim / numHeads}); got {rotary.HeadDim}.", nameof(rotary));
        EmbedDim = embedDim;
        NumHeads = numHeads;
        HeadDim = embedDim / numHeads;
        Dropout = dropout;
        // The initialisation of nn.MultiheadAttention: Xavier-uniform packed input weights, zero biases.
        in_proj_weight = Parameter(init.xavier_uniform_(empty(3 * embedDim, embedDim)));
        in_proj_bias = bias ? Parameter(zeros(3 * embedDim)) : null;
        this.rotary = rotary;
        out_proj = Linear(embedDim, embedDim, hasBias: bias);
        if (bias) init.zeros_(out_proj.bias!);
        RegisterComponents();
    }

    public long EmbedDim { get; }
    public long NumHeads { get; }
    public long HeadDim { get; }
    public double Dropout { get; }

    /// <summary>Packed input projection <c>(3E, E)</c>: rows 0…E−1 for queries, E…2E−1 keys, 2E…3E−1 values.</summary>
    public Parameter InputProjectionWeight => in_proj_weight;
    /// <summary>Packed input bias <c>(3E)</c>, or null without bias.</summary>
    public Parameter? InputProjectionBias => in_proj_bias;
    /// <summary>Output projection <c>E → E</c>.</summary>
    public Linear OutputProjection => out_proj;

    /// <summary>Self- or cross-attention.</summary>
    /// <param name="query"><c>(B, T, E)</c>.</param>
    /// <param name="key"><c>(B, S, E)</c>.</param>
    /// <param name="value"><c>(B, S, E)</c>.</param>
    /// <param name="keyPadding">Optional <c>(B, S)</c> Bool, true = padded key (ignored).</param>
    /// <param name="causal">If true, query i sees keys j ≤ i + (S − T) only: aligned at the end, as when decoding with a
    /// cache (PyTorch's <c>is_causal</c> aligns at the start when T ≠ S; the two agree for self-attention).</param>
    /// <param name="weights">Which weights to return; <see cref="AttentionWeights.None"/> runs the fused kernel.</param>
    /// <returns>output <c>(B, T, E)</c>; weights <c>(B, T, S)</c>, <c>(B, H, T, S)</c> or null. The weights returned are those
    /// <i>before</i> attention dropout (PyTorch's <c>nn.MultiheadAttention</c> returns them after it, so the two differ in train
    /// mode with dropout and agree in eval mode).
    /// A query whose keys are all masked gets a zero context (then the output bias).</returns>
    public override (Tensor output, Tensor? weights) forward(Tensor query, Tensor key, Tensor value,
        Tensor? keyPadding = null, bool causal = false, AttentionWeights weights = AttentionWeights.None)
    {
        Check.QueryKeyValue(query, key, value, EmbedDim, EmbedDim, keyPadding);
        Check.Size(value, 2, EmbedDim, nameof(value), "valueDim, must equal embedDim");
        long B = query.shape[0], T = query.shape[1], S = key.shape[1], H = NumHeads, Dh = HeadDim, E = EmbedDim;

        using var scope = NewDisposeScope();
        var allowed = Masks.Allowed(B, T, S, keyPadding, causal);                          // (B, 1, T, S) or null
        Tensor q, k, v;
        if (ReferenceEquals(query, key) && ReferenceEquals(key, value))
        {
            // Self-attention: one (E → 3E) matmul instead of three.
            var qkv = functional.linear(query, in_proj_weight, in_proj_bias);              // (B, T, 3E)
            qkv = qkv.view(B, T, 3, H, Dh).permute(2, 0, 3, 1, 4);                          // (3, B, H, T, Dh)
            (q, k, v) = (qkv[0], qkv[1], qkv[2]);                                           // (B, H, T, Dh) each
        }
        else
        {
            q = Project(query, 0).view(B, T, H, Dh).transpose(1, 2);                        // (B, H, T, Dh)
            k = Project(key, 1).view(B, S, H, Dh).transpose(1, 2);                          // (B, H, S, Dh)
            v = Project(value, 2).view(B, S, H, Dh).transpose(1, 2);                        // (B, H, S, Dh)
        }
        if (rotary is not null)
        {
            if (T > S)
                throw new ArgumentException($"with rotary positions, key length must be at least query length ({T}) so queries can sit at positions S − T … S − 1; got {S}.", nameof(key));
            q = rotary.Rotate(q, S - T);                                                    // (B, H, T, Dh)
            k = rotary.Rotate(k, 0);                                                        // (B, H, S, Dh)
        }

        Tensor context;                                                                     // (B, H, T, Dh)
        Tensor? returned = null;
        double p = training ? Dropout : 0.0;
        if (weights == AttentionWeights.None)
        {
            context = Attention.ScaledDotProductFused(q, k, v, allowed, p);
        }
        else
        {
            var w = Attention.MaskedSoftmax(Attention.ScaledDotScores(q, k), allowed);       // (B, H, T, S)
            var dropped = p > 0 ? functional.dropout(w, p, training) : w;
            context = dropped.matmul(v);                                                    // (B, H, T, Dh)
            returned = weights == AttentionWeights.Averaged ? w.mean(new long[] { 1 }) : w; // (B, T, S) or (B, H, T, S)
        }
        var merged = context.transpose(1, 2).reshape(B, T, E);                              // (B, T, E)
        var output = out_proj.call(merged);                                                 // (B, T, E)
        return returned is null ? (output.MoveToOuterDisposeScope(), null) : scope.MoveToOuter(output, returned);
    }

    /// <summary>
    /// Copies the weights of TorchSharp's <c>nn.MultiheadAttention</c> (same width and heads, with biases) into this layer.
    /// The two layouts are the same; only the built-in's sequence-first input order differs.
    /// </summary>
    public void CopyWeightsFrom(TorchSharp.Modules.MultiheadAttention builtIn)
    {
        var source = builtIn.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var name in new[] { "in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias" })
            if (!source.ContainsKey(name))
                throw new ArgumentException($"builtIn must have parameter '{name}' (created with bias: true, no kdim/vdim); it has {string.Join(", ", source.Keys)}.", nameof(builtIn));
        if (in_proj_bias is null)
            throw new InvalidOperationException("This layer was built with bias: false; copying nn.MultiheadAttention's biases needs bias: true.");
        if (!source["in_proj_weight"].shape.SequenceEqual(in_proj_weight.shape))
            throw new ArgumentException($"builtIn's in_proj_weight must be {Check.Describe(in_proj_weight.shape)} (same embedDim as this layer); got {Check.Describe(source["in_proj_weight"].shape)}.", nameof(builtIn));
        using var noGrad = no_grad();
        in_proj_weight.copy_(source["in_proj_weight"]);
        in_proj_bias.copy_(source["in_proj_bias"]);
        out_proj.weight!.copy_(source["out_proj.weight"]);
        out_proj.bias!.copy_(source["out_proj.bias"]);
    }

    /// <summary>Self-attention: <c>forward(x, x, x, …)</c>.</summary>
    public (Tensor output, Tensor? weights) SelfAttention(Tensor input, Tensor? keyPadding = null, bool causal = false,
        AttentionWeights weights = AttentionWeights.None) => call(input, input, input, keyPadding, causal, weights);

    private Tensor Project(Tensor input, int part)
    {
        using var w = in_proj_weight.narrow(0, part * EmbedDim, EmbedDim);                 // (E, E), a view
        using var b = in_proj_bias?.narrow(0, part * EmbedDim, EmbedDim);                   // (E)
        return functional.linear(input, w, b);                                              // (B, *, E)
    }
}
