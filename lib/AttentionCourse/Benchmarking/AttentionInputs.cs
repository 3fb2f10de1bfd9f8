using static TorchSharp.torch;

namespace AttentionCourse.Benchmarking;

/// <summary>Seeded query/key/value tensors <c>(B, H, T, D)</c> for measuring attention variants.</summary>
public static class AttentionInputs
{
    /// <summary>Independent N(0, 1) entries: attention is diffuse (every key gets a little weight).</summary>
    public static (Tensor query, Tensor key, Tensor value) Random(long batch, long heads, long length, long headDim, int? seed = null)
    {
        using var generator = new Generator((ulong)(seed ?? Course.Seed));
        return (randn(new[] { batch, heads, length, headDim }, generator: generator),
                randn(new[] { batch, heads, length, headDim }, generator: generator),
                randn(new[] { batch, heads, length, headDim }, generator: generator));
    }

    /// <summary>
    /// Local structure: queries = keys = random Fourier features of the position, <c>x_t = α [cos(ω t + φ), sin(ω t + φ)]</c>
    /// with D/2 frequencies ω ~ U(0, 2π / <paramref name="span"/>), so <c>q_i · k_j</c> depends only on <c>i − j</c> and
    /// attention concentrates on the ≈ <paramref name="span"/> nearest positions (like a trained model's local heads).
    /// Values are N(0, 1).
    /// </summary>
    public static (Tensor query, Tensor key, Tensor value) Local(long batch, long heads, long length, long headDim, long span = 64, double sharpness = 2.0, int? seed = null)
    {
        if (headDim % 2 != 0) throw new ArgumentException($"headDim must be even (cos/sin pairs); got {headDim}.", nameof(headDim));
        using var generator = new Generator((ulong)(seed ?? Course.Seed));
        using var scope = NewDisposeScope();
        var frequency = rand(new[] { batch, heads, 1, headDim / 2 }, generator: generator) * (2 * Math.PI / span); // (B, H, 1, D/2)
        var phase = rand(new[] { batch, heads, 1, headDim / 2 }, generator: generator) * (2 * Math.PI);            // (B, H, 1, D/2)
        var angle = arange(length, dtype: ScalarType.Float32).view(1, 1, length, 1) * frequency + phase;          // (B, H, T, D/2)
        var features = cat(new[] { angle.cos(), angle.sin() }, -1) * sharpness;                                    // (B, H, T, D)
        var value = randn(new[] { batch, heads, length, headDim }, generator: generator);
        return (features.MoveToOuterDisposeScope(), features.alias().MoveToOuterDisposeScope(), value.MoveToOuterDisposeScope());
    }
}
