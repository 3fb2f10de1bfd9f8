using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// The self-attention block of SAGAN (Zhang et al. 2019, "Self-Attention Generative Adversarial Networks", §3,
/// Figure 2) over a feature map <c>x (B, C, H, W)</c> with N = H·W positions: keys <c>f(x) = W_f x</c> and queries
/// <c>g(x) = W_g x</c> (1×1 convolutions C → C̄), scores <c>s_ij = f(x_i)ᵀ g(x_j)</c>, weights
/// <c>β_{j,i} = softmax_i(s_ij)</c> (position j attends to every position i), values <c>h(x_i) = W_h x_i</c> (C → C̄),
/// output <c>o_j = W_v Σ_i β_{j,i} h(x_i)</c> (C̄ → C), and the block returns <c>y = x + γ·o</c> with a learned scalar
/// γ initialised to 0, so a network starts as if the block were absent and learns how much non-local evidence to add.
/// </summary>
/// <remarks>
/// As in the paper's equations, the scores are not divided by √C̄. The 1×1 convolutions keep TorchSharp's default bias
/// terms (the paper's equations write them as plain matrices). C̄ = C/8 in the
/// paper's experiments ("we use k = 8 in all our experiments", §3); a small network uses a smaller reduction so that C̄
/// stays at least a few channels. Cost: O(N²·C̄) time and an N×N weight matrix per image.
/// </remarks>
public sealed class FeatureMapSelfAttention : Module<Tensor, Tensor>
{
    private readonly Conv2d key;
    private readonly Conv2d query;
    private readonly Conv2d value;
    private readonly Conv2d output;
    private readonly Parameter gamma;

    /// <param name="channels">C.</param>
    /// <param name="reduction">C̄ = max(1, C / reduction) (the paper's k = 8).</param>
    public FeatureMapSelfAttention(long channels, long reduction = 8) : base(nameof(FeatureMapSelfAttention))
    {
        Check.AtLeast(channels, 1, nameof(channels));
        Check.AtLeast(reduction, 1, nameof(reduction));
        Channels = channels;
        Reduced = Math.Max(1, channels / reduction);
        key = Conv2d(channels, Reduced, 1);
        query = Conv2d(channels, Reduced, 1);
        value = Conv2d(channels, Reduced, 1);
        output = Conv2d(Reduced, channels, 1);
        gamma = Parameter(zeros(1));
        RegisterComponents();
    }

    public long Channels { get; }
    /// <summary>C̄.</summary>
    public long Reduced { get; }
    /// <summary>W_f: the keys f(x).</summary>
    public Conv2d Key => key;
    /// <summary>W_g: the queries g(x).</summary>
    public Conv2d Query => query;
    /// <summary>W_h: the values h(x).</summary>
    public Conv2d Value => value;
    /// <summary>W_v: back from C̄ to C channels.</summary>
    public Conv2d Output => output;
    /// <summary>γ, the learned weight of the attention branch (0 at initialisation).</summary>
    public Parameter Gamma => gamma;

    /// <param name="input"><c>(B, C, H, W)</c>.</param>
    /// <returns><c>(B, C, H, W)</c> = x + γ·o.</returns>
    public override Tensor forward(Tensor input) => Apply(input).output;

    /// <summary>The block's output and its attention weights <c>(B, N, N)</c>: row j (a query position, row-major
    /// j = r·W + c) holds β_{j,·}, which sums to 1 over the N key positions.</summary>
    public (Tensor output, Tensor weights) Apply(Tensor input)
    {
        Check.Rank(input, 4, nameof(input), "(batch, channels, height, width)");
        Check.Size(input, 1, Channels, nameof(input), "channels");
        using var scope = NewDisposeScope();
        long B = input.shape[0], H = input.shape[2], W = input.shape[3];
        var keys = key.call(input).flatten(2);                                             // (B, C̄, N)
        var queries = query.call(input).flatten(2);                                        // (B, C̄, N)
        var values = value.call(input).flatten(2);                                         // (B, C̄, N)
        var weights = functional.softmax(queries.transpose(1, 2).matmul(keys), -1);        // (B, N query, N key)
        var attended = values.matmul(weights.transpose(1, 2)).view(B, Reduced, H, W);     // (B, C̄, H, W): Σ_i β_ji h(x_i)
        var result = input + gamma * output.call(attended);                                // (B, C, H, W)
        return scope.MoveToOuter(result, weights);
    }
}
