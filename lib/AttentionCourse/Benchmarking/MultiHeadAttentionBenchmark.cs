using AttentionCourse.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Benchmarking;

/// <summary>
/// Forward-pass timings of self-attention at one size, all in this process, interleaved:
/// the library's <see cref="MultiHeadAttention"/> (fused path, and manual path returning weights),
/// TorchSharp's <c>nn.MultiheadAttention</c> (without and with <c>need_weights</c>), and the bare minimum, <c>Linear(E, 3E)</c> + built-in SDPA + <c>Linear(E, E)</c>.
/// </summary>
public static class MultiHeadAttentionBenchmark
{
    public sealed record Result(long Batch, long Length, long Width, long Heads, IReadOnlyList<Timing> Timings)
    {
        public Timing this[string name] => Timings.Single(t => t.Name == name);
        public double Ratio(string name, string baseline) => this[name].MedianMilliseconds / this[baseline].MedianMilliseconds;
    }

    public const string LibraryFused = "library MultiHeadAttention (fused)";
    public const string LibraryManual = "library MultiHeadAttention (manual, with weights)";
    public const string BuiltIn = "nn.MultiheadAttention (need_weights: false)";
    public const string BuiltInWithWeights = "nn.MultiheadAttention (need_weights: true)";
    public const string Bare = "Linear(E,3E) + SDPA + Linear(E,E)";

    public static Result Run(long batch, long length, long width, long heads, int repetitions = 10, int warmup = 2)
    {
        Course.SetSeed();
        var library = new MultiHeadAttention(width, heads);
        var builtIn = MultiheadAttention(width, heads);
        var inputProjection = Linear(width, 3 * width);
        var outputProjection = Linear(width, width);
        foreach (var m in new Module[] { library, builtIn, inputProjection, outputProjection }) m.eval();
        var x = randn(batch, length, width);                                       // (B, T, E)
        var xSequenceFirst = x.transpose(0, 1).contiguous();                       // (T, B, E) for the built-in
        long headDim = width / heads;
        var timings = Timer.Compare(new (string, Action)[]
        {
            (LibraryFused, () => library.SelfAttention(x)),
            (LibraryManual, () => library.SelfAttention(x, weights: AttentionWeights.PerHead)),
            (BuiltIn, () => builtIn.call(xSequenceFirst, xSequenceFirst, xSequenceFirst, null, false, null)),
            (BuiltInWithWeights, () => builtIn.call(xSequenceFirst, xSequenceFirst, xSequenceFirst, null, true, null)),
            (Bare, () =>
            {
                var qkv = inputProjection.call(x).view(batch, length, 3, heads, headDim).permute(2, 0, 3, 1, 4); // (3, B, H, T, Dh)
                var context = functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2]);                 // (B, H, T, Dh)
                outputProjection.call(context.transpose(1, 2).reshape(batch, length, width));                  // (B, T, E)
            }),
        }, repetitions, warmup);
        return new Result(batch, length, width, heads, timings);
    }
}
