using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Layers;

/// <summary>
/// Fixed sinusoidal positions (Vaswani et al. 2017): <c>PE[p, 2i] = sin(p / 10000^(2i/D))</c>,
/// <c>PE[p, 2i+1] = cos(p / 10000^(2i/D))</c>, added to the input.
/// </summary>
public sealed class SinusoidalPositionalEncoding : Module<Tensor, Tensor>
{
    private readonly Tensor table;

    /// <param name="dim">Model width D (even).</param>
    /// <param name="maxLength">Longest sequence accepted.</param>
    /// <param name="theta">Base of the geometric progression of wavelengths (10,000 in the paper).</param>
    public SinusoidalPositionalEncoding(long dim, long maxLength, double theta = 10000.0) : base(nameof(SinusoidalPositionalEncoding))
    {
        Check.AtLeast(dim, 2, nameof(dim));
        Check.Divisible(dim, 2, nameof(dim), "2 (sin/cos pairs)");
        Check.AtLeast(maxLength, 1, nameof(maxLength));
        Dim = dim;
        MaxLength = maxLength;
        table = Table(maxLength, dim, theta);
        register_buffer(nameof(table), table, persistent: false);
        RegisterComponents();
    }

    public long Dim { get; }
    public long MaxLength { get; }

    /// <summary>The <c>(maxLength, dim)</c> table itself, for plotting and tests.</summary>
    public static Tensor Table(long maxLength, long dim, double theta = 10000.0)
    {
        using var scope = NewDisposeScope();
        var position = arange(maxLength, dtype: ScalarType.Float64).unsqueeze(1);          // (P, 1)
        var pairIndex = arange(0, dim, 2, dtype: ScalarType.Float64);                       // (D/2)
        var frequency = exp(pairIndex * (-Math.Log(theta) / dim));                          // (D/2)
        var angle = position * frequency;                                                    // (P, D/2)
        var result = stack(new[] { angle.sin(), angle.cos() }, -1).view(maxLength, dim);    // (P, D): sin, cos interleaved
        return result.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <param name="input"><c>(B, T, D)</c>.</param>
    /// <returns><c>(B, T, D)</c>: input plus the encoding of positions 0…T−1.</returns>
    public override Tensor forward(Tensor input)
    {
        Check.Rank(input, 3, nameof(input), "(batch, length, dim)");
        Check.Size(input, 2, Dim, nameof(input), "dim");
        if (input.shape[1] > MaxLength)
            throw new ArgumentException($"input length must be at most maxLength ({MaxLength}); got {input.shape[1]}.", nameof(input));
        using var positions = table.narrow(0, 0, input.shape[1]).to(input.dtype);          // (T, D)
        return input + positions;                                                            // (B, T, D)
    }
}

/// <summary>Learned absolute positions: an embedding row per position, added to the input (BERT, GPT-2).</summary>
public sealed class LearnedPositionalEncoding : Module<Tensor, Tensor>
{
    private readonly Embedding positions;

    /// <param name="dim">Model width D.</param>
    /// <param name="maxLength">Longest sequence accepted.</param>
    /// <param name="initStd">Standard deviation of the initial table: GPT-2 and BERT use 0.02, the scale of their token
    /// embeddings; a model whose token embeddings are N(0, 1) should start its positions at the same scale.</param>
    public LearnedPositionalEncoding(long dim, long maxLength, double initStd = 0.02) : base(nameof(LearnedPositionalEncoding))
    {
        Check.AtLeast(dim, 1, nameof(dim));
        Check.AtLeast(maxLength, 1, nameof(maxLength));
        if (!(initStd > 0)) throw new ArgumentException($"initStd must be positive; got {initStd}.", nameof(initStd));
        Dim = dim;
        MaxLength = maxLength;
        positions = Embedding(maxLength, dim);
        init.normal_(positions.weight!, 0.0, initStd);
        RegisterComponents();
    }

    public long Dim { get; }
    public long MaxLength { get; }

    /// <summary>The learned <c>(maxLength, dim)</c> table.</summary>
    public Tensor Table => positions.weight!;

    /// <param name="input"><c>(B, T, D)</c>.</param>
    public override Tensor forward(Tensor input) => Add(input, 0);

    /// <summary>Adds the rows of positions <c>offset … offset+T−1</c> (decoding with a cache: new tokens continue a prefix).</summary>
    /// <param name="input"><c>(B, T, D)</c>.</param>
    /// <param name="offset">Position of the first row.</param>
    public Tensor Add(Tensor input, long offset)
    {
        Check.Rank(input, 3, nameof(input), "(batch, length, dim)");
        Check.Size(input, 2, Dim, nameof(input), "dim");
        if (offset < 0 || offset + input.shape[1] > MaxLength)
            throw new ArgumentException($"positions offset…offset+length−1 must lie in [0, {MaxLength}) (maxLength); got {offset}…{offset + input.shape[1] - 1}.", nameof(input));
        using var index = arange(offset, offset + input.shape[1], device: input.device);     // (T)
        using var table = positions.call(index);                                             // (T, D)
        return input + table;                                                                // (B, T, D)
    }
}

/// <summary>
/// Rotary positions (RoPE, Su et al. 2021): each pair of channels of a query or key is rotated by an angle
/// proportional to its position, so that <c>rot(q, m) · rot(k, n)</c> depends only on <c>m − n</c>.
/// Applied to queries and keys (not values) per head; it has no parameters.
/// </summary>
public sealed class RotaryPositionalEncoding : Module<Tensor, Tensor>
{
    private readonly Tensor cos;
    private readonly Tensor sin;

    /// <param name="headDim">Width of one head (even).</param>
    /// <param name="maxLength">Largest position + 1.</param>
    /// <param name="theta">Base of the wavelengths (10,000 in the paper).</param>
    public RotaryPositionalEncoding(long headDim, long maxLength, double theta = 10000.0) : base(nameof(RotaryPositionalEncoding))
    {
        Check.AtLeast(headDim, 2, nameof(headDim));
        Check.Divisible(headDim, 2, nameof(headDim), "2 (rotated pairs)");
        Check.AtLeast(maxLength, 1, nameof(maxLength));
        HeadDim = headDim;
        MaxLength = maxLength;
        using (var scope = NewDisposeScope())
        {
            var frequency = exp(arange(0, headDim, 2, dtype: ScalarType.Float64) * (-Math.Log(theta) / headDim)); // (D/2)
            var angle = arange(maxLength, dtype: ScalarType.Float64).unsqueeze(1) * frequency;                   // (P, D/2)
            cos = angle.cos().repeat_interleave(2, 1).to_type(ScalarType.Float32).MoveToOuterDisposeScope();    // (P, D)
            sin = angle.sin().repeat_interleave(2, 1).to_type(ScalarType.Float32).MoveToOuterDisposeScope();    // (P, D)
        }
        register_buffer(nameof(cos), cos, persistent: false);
        register_buffer(nameof(sin), sin, persistent: false);
        RegisterComponents();
    }

    public long HeadDim { get; }
    public long MaxLength { get; }

    /// <summary>Rotates positions 0…T−1.</summary>
    public override Tensor forward(Tensor input) => Rotate(input, 0);

    /// <summary>Rotates <c>(…, T, D)</c> as positions <c>offset … offset+T−1</c>.</summary>
    public Tensor Rotate(Tensor input, long offset)
    {
        if (input.dim() < 2)
            throw new ArgumentException($"input must be (…, length, headDim); got shape {Check.Describe(input.shape)}.", nameof(input));
        Check.Size(input, (int)input.dim() - 1, HeadDim, nameof(input), "headDim");
        long T = input.shape[^2];
        if (offset < 0 || offset + T > MaxLength)
            throw new ArgumentException($"positions offset…offset+length−1 must lie in [0, {MaxLength}) (maxLength); got {offset}…{offset + T - 1}.", nameof(offset));
        using var scope = NewDisposeScope();
        var c = cos.narrow(0, offset, T).to(input.dtype);                                    // (T, D)
        var s = sin.narrow(0, offset, T).to(input.dtype);                                    // (T, D)
        // Pairs (x0, x1) → (−x1, x0): the 90° rotation of each pair.
        var pairs = input.unflatten(input.dim() - 1, new long[] { HeadDim / 2, 2 });         // (…, T, D/2, 2)
        var rotated = stack(new[] { -pairs.select(-1, 1), pairs.select(-1, 0) }, -1).flatten(-2); // (…, T, D)
        var output = input * c + rotated * s;                                                // (…, T, D)
        return output.MoveToOuterDisposeScope();
    }
}
