using System.Diagnostics;
using AttentionCourse.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Benchmarking;

/// <summary>
/// The <c>gpt-step</c> benchmark: one training step (forward, backward, AdamW) of <see cref="DecoderOnlyTransformer"/>
/// at nanoGPT's CPU recipe, timed against <see cref="BareGpt"/> (the same architecture written directly on TorchSharp
/// modules, no course code) in the same process, interleaved; the fraction of the machine's matrix-multiply roof each
/// reaches (≈ 6 · parameters · tokens FLOPs per step, Kaplan et al. 2020's estimate); and generation speed per token
/// with and without the key/value cache.
/// </summary>
public static class GptStepBenchmark
{
    /// <summary>nanoGPT's CPU recipe (README, "I only have a MacBook"): 4 layers, 4 heads, width 128, block 64,
    /// batch 12, 65 characters, dropout 0, output layer tied to the embedding (as nanoGPT's model.py ties it).</summary>
    public static DecoderOnlyConfig Recipe { get; } = new(65, 64, 128, 4, 4) { TieWeights = true };

    public const long RecipeBatch = 12;

    public sealed record Result(DecoderOnlyConfig Config, long Batch, long Parameters, double FlopsPerStep, double RoofGflops,
        Timing Library, Timing Bare, Timing CachedToken, Timing UncachedToken, int GeneratedTokens)
    {
        public double Ratio => Library.MedianMilliseconds / Bare.MedianMilliseconds;
        public double RoofFraction(Timing step) => FlopsPerStep / (step.MedianMilliseconds / 1000) / 1e9 / RoofGflops;
        /// <summary>Milliseconds the step would take at the roof.</summary>
        public double RoofMilliseconds => FlopsPerStep / (RoofGflops * 1e9) * 1000;
        public double CacheSpeedUp => UncachedToken.MedianMilliseconds / CachedToken.MedianMilliseconds;
    }

    /// <summary>Runs the benchmark; <paramref name="repetitions"/> timed steps per model, interleaved.</summary>
    public static Result Run(DecoderOnlyConfig? config = null, long batch = RecipeBatch, int repetitions = 30, int warmup = 5, int generatedTokens = 60)
    {
        config ??= Recipe;
        Course.SetSeed();
        var library = new DecoderOnlyTransformer(config);
        var bare = new BareGpt(config.VocabularySize, config.BlockSize, config.Width, config.Layers, config.Heads);
        bare.CopyFrom(library);
        using var generator = new Generator((ulong)Course.Seed);
        var input = randint(config.VocabularySize, new[] { batch, config.BlockSize }, generator: generator);
        var target = randint(config.VocabularySize, new[] { batch, config.BlockSize }, generator: generator);
        using var libraryOptimizer = optim.AdamW(library.parameters(), 1e-3);
        using var bareOptimizer = optim.AdamW(bare.parameters(), 1e-3);
        library.train();
        bare.train();
        void Step(Module<Tensor, Tensor> model, optim.Optimizer optimizer)
        {
            optimizer.zero_grad();
            var logits = model.call(input);                                                 // (B, T, V)
            functional.cross_entropy(logits.flatten(0, 1), target.flatten()).backward();
            optimizer.step();
        }
        var steps = Timer.Compare(new (string, Action)[]
        {
            ("library DecoderOnlyTransformer", () => Step(library, libraryOptimizer)),
            ("bare TorchSharp GPT", () => Step(bare, bareOptimizer)),
        }, repetitions, warmup, withGradients: true);

        // Generation: greedy from a 4-token prompt to the end of the block, per token.
        library.eval();
        var prompt = input.narrow(0, 0, 1).narrow(1, 0, 4);                                 // (1, 4)
        int count = (int)Math.Min(generatedTokens, config.BlockSize - 4);
        var decode = Timer.Compare(new (string, Action)[]
        {
            ("cached", () => library.Generate(prompt, count, SamplingSettings.Greedy, useCache: true)),
            ("uncached", () => library.Generate(prompt, count, SamplingSettings.Greedy, useCache: false)),
        }, repetitions: Math.Max(5, repetitions / 3), warmup: 2);
        Timing PerToken(Timing t) => t with { MedianMilliseconds = t.MedianMilliseconds / count, MinMilliseconds = t.MinMilliseconds / count, MaxMilliseconds = t.MaxMilliseconds / count };

        long parameters = library.ParameterCount;
        double flops = 6.0 * parameters * batch * config.BlockSize;
        return new Result(config, batch, parameters, flops, MatmulRoofGflops(), steps[0], steps[1], PerToken(decode[0]), PerToken(decode[1]), count);
    }

    /// <summary>The matrix-multiply roof: GFLOP/s of <c>torch.mm</c> on two 2048×2048 float32 matrices (median of 5).</summary>
    public static double MatmulRoofGflops(long size = 2048)
    {
        using var scope = NewDisposeScope();
        var a = randn(size, size);
        var b = randn(size, size);
        var timing = Timer.Measure("mm", () => a.mm(b), repetitions: 5, warmup: 1);
        return 2.0 * size * size * size / (timing.MedianMilliseconds / 1000) / 1e9;
    }
}

/// <summary>
/// The baseline of <see cref="GptStepBenchmark"/>: nanoGPT's <c>GPT</c> written directly on TorchSharp modules (fused
/// causal attention through <c>scaled_dot_product_attention(is_casual: true)</c>, tied output layer, no dropout, no input
/// checks, no course code), so the benchmark measures what the library's model costs beyond the bare minimum.
/// A test copies a <see cref="DecoderOnlyTransformer"/>'s weights into it and gets the same logits.
/// </summary>
public sealed class BareGpt : Module<Tensor, Tensor>
{
    private readonly Embedding wte;
    private readonly Embedding wpe;
    private readonly ModuleList<BareGptBlock> h;
    private readonly LayerNorm ln_f;

    public BareGpt(long vocabulary, long blockSize, long width, long layers, long heads) : base(nameof(BareGpt))
    {
        wte = Embedding(vocabulary, width);
        wpe = Embedding(blockSize, width);
        h = new ModuleList<BareGptBlock>(Enumerable.Range(0, (int)layers).Select(_ => new BareGptBlock(width, heads)).ToArray());
        ln_f = LayerNorm(width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor idx)
    {
        using var scope = NewDisposeScope();
        long T = idx.shape[1];
        var x = wte.call(idx) + wpe.call(arange(T, dtype: ScalarType.Int64));                // (B, T, E)
        foreach (var block in h) x = block.call(x);                                          // (B, T, E)
        x = ln_f.call(x);                                                                    // (B, T, E)
        return functional.linear(x, wte.weight!).MoveToOuterDisposeScope();                  // (B, T, V), tied
    }

    /// <summary>Copies the weights of a pre-LN, tied <see cref="DecoderOnlyTransformer"/> (the same layout, in order).</summary>
    public void CopyFrom(DecoderOnlyTransformer model)
    {
        if (!model.Config.PreNorm || !model.Config.TieWeights || model.Config.HiddenWidth != 4 * model.Config.Width)
            throw new ArgumentException("model must be pre-LN, with tied weights and a 4E feed-forward layer, like nanoGPT.", nameof(model));
        var source = model.parameters().ToArray();
        var destination = parameters().ToArray();
        if (source.Length != destination.Length || source.Zip(destination).Any(p => !p.First.shape.SequenceEqual(p.Second.shape)))
            throw new ArgumentException($"model must have the same parameter shapes as this bare GPT ({destination.Length} tensors); it has {source.Length}.", nameof(model));
        using var noGrad = no_grad();
        foreach (var (from, to) in source.Zip(destination)) to.copy_(from);
    }
}

/// <summary>One block of <see cref="BareGpt"/>: x + attn(ln_1(x)), then x + mlp(ln_2(x)).</summary>
public sealed class BareGptBlock : Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1;
    private readonly Linear c_attn;
    private readonly Linear attn_proj;
    private readonly LayerNorm ln_2;
    private readonly Linear c_fc;
    private readonly GELU gelu;
    private readonly Linear mlp_proj;
    private readonly long heads;

    public BareGptBlock(long width, long heads) : base(nameof(BareGptBlock))
    {
        this.heads = heads;
        ln_1 = LayerNorm(width);
        c_attn = Linear(width, 3 * width);
        attn_proj = Linear(width, width);
        ln_2 = LayerNorm(width);
        c_fc = Linear(width, 4 * width);
        gelu = GELU();
        mlp_proj = Linear(4 * width, width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long B = x.shape[0], T = x.shape[1], E = x.shape[2], Dh = E / heads;
        var qkv = c_attn.call(ln_1.call(x)).view(B, T, 3, heads, Dh).permute(2, 0, 3, 1, 4); // (3, B, H, T, Dh)
        var y = functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], is_casual: true); // (B, H, T, Dh)
        x = x + attn_proj.call(y.transpose(1, 2).reshape(B, T, E));                          // (B, T, E)
        x = x + mlp_proj.call(gelu.call(c_fc.call(ln_2.call(x))));                           // (B, T, E)
        return x.MoveToOuterDisposeScope();
    }
}
