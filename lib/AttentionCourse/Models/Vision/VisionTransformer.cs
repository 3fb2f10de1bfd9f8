using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>
/// A tiny Vision Transformer (Dosovitskiy et al. 2021, §3.1): patch embedding, a learned class token prepended, learned
/// position embeddings added, L pre-LN encoder blocks (<see cref="TransformerEncoderBlock"/>), a final LayerNorm, and a
/// linear head on the class token's output. Every token attends to every token in every block; the class token
/// gathers what the head reads.
/// </summary>
/// <remarks>
/// The paper's ViT-Ti is 12 blocks of width 192 on 224×224 images (Touvron et al. 2021); this one is sized for a 2-core
/// CPU. Class token and positions start from N(0, 0.02²), as in the reference implementations.
/// </remarks>
public sealed class VisionTransformer : Module<Tensor, Tensor>
{
    private readonly PatchEmbedding patches;
    private readonly Parameter class_token;
    private readonly Parameter positions;
    private readonly ModuleList<TransformerEncoderBlock> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;

    /// <param name="imageSize">Side S of the square input.</param>
    /// <param name="patchSize">Side P of a patch (divides S).</param>
    /// <param name="embedDim">Width E.</param>
    /// <param name="depth">Encoder blocks L.</param>
    /// <param name="numHeads">Heads per block (divides E).</param>
    /// <param name="numClasses">Classes.</param>
    /// <param name="mlpRatio">Feed-forward width = mlpRatio · E.</param>
    /// <param name="inputChannels">1 for grey images.</param>
    public VisionTransformer(long imageSize, long patchSize, long embedDim, long depth, long numHeads, long numClasses = 10,
        long mlpRatio = 2, long inputChannels = 1) : base(nameof(VisionTransformer))
    {
        Check.AtLeast(depth, 1, nameof(depth));
        Check.AtLeast(numClasses, 2, nameof(numClasses));
        patches = new PatchEmbedding(imageSize, patchSize, embedDim, inputChannels);
        class_token = Parameter(init.trunc_normal_(empty(1, 1, embedDim), std: 0.02));
        positions = Parameter(init.trunc_normal_(empty(1, patches.PatchCount + 1, embedDim), std: 0.02));
        blocks = new ModuleList<TransformerEncoderBlock>(
            Enumerable.Range(0, (int)depth).Select(_ => new TransformerEncoderBlock(embedDim, numHeads, mlpRatio * embedDim)).ToArray());
        norm = LayerNorm(embedDim);
        head = Linear(embedDim, numClasses);
        RegisterComponents();
        EmbedDim = embedDim;
        NumHeads = numHeads;
    }

    public long EmbedDim { get; }
    public long NumHeads { get; }
    public PatchEmbedding Patches => patches;
    /// <summary>The learned class token <c>(1, 1, E)</c>.</summary>
    public Parameter ClassToken => class_token;
    /// <summary>The learned position embeddings <c>(1, N + 1, E)</c>, index 0 for the class token.</summary>
    public Parameter Positions => positions;
    public IReadOnlyList<TransformerEncoderBlock> Blocks => blocks.ToArray();
    public LayerNorm Norm => norm;
    public Linear Head => head;

    /// <param name="input"><c>(B, C, S, S)</c>.</param>
    /// <returns>logits <c>(B, classes)</c>.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = Tokens(input);                                                              // (B, N + 1, E)
        foreach (var block in blocks) x = block.call(x, null, false);                       // (B, N + 1, E)
        return head.call(norm.call(x.select(1, 0))).MoveToOuterDisposeScope();              // (B, classes)
    }

    /// <summary>The encoder's input: <c>[class token; patch embeddings] + positions</c>, <c>(B, N + 1, E)</c>.</summary>
    public Tensor Tokens(Tensor input)
    {
        using var scope = NewDisposeScope();
        var embedded = patches.call(input);                                                 // (B, N, E)
        var cls = class_token.expand(embedded.shape[0], -1, -1);                            // (B, 1, E)
        return (cat([cls, embedded], 1) + positions).MoveToOuterDisposeScope();            // (B, N + 1, E)
    }

    /// <summary>Every block's attention weights, per head: one <c>(B, H, N + 1, N + 1)</c> tensor per block (row = query
    /// token, column = key token; token 0 is the class token, token 1 + i is patch i in row-major order).</summary>
    public IReadOnlyList<Tensor> AttentionMaps(Tensor input)
    {
        using var scope = NewDisposeScope();
        var maps = new List<Tensor>();
        var x = Tokens(input);                                                              // (B, N + 1, E)
        foreach (var block in blocks)
        {
            maps.Add(block.AttentionWeightsFor(x, perHead: true));                          // (B, H, N + 1, N + 1)
            x = block.call(x, null, false);
        }
        scope.MoveToOuter(maps);
        return maps;
    }
}
