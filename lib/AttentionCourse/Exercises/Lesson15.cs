using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 15's exercises.</summary>
public static class Lesson15
{
    /// <summary>
    /// Exercise 1: mean attention distance of each head of one block (Dosovitskiy et al. 2021, Fig. 7): for every query
    /// patch, the attention-weighted mean distance in pixels between its centre and the key patches' centres
    /// (the class token excluded on both sides, the patch weights renormalised), averaged over queries and images.
    /// </summary>
    /// <param name="model">A trained ViT.</param>
    /// <param name="images"><c>(N, 1, S, S)</c>.</param>
    /// <param name="block">Index of the block.</param>
    /// <returns>One distance per head, in pixels.</returns>
    public static double[] MeanAttentionDistance(VisionTransformer model, Tensor images, int block)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weights = model.AttentionMaps(images)[block];                                   // (N, H, T, T)
        long g = model.Patches.GridSize, p = model.Patches.PatchSize;
        var patchWeights = weights[.., .., 1.., 1..];                                       // (N, H, n, n): patch → patch
        patchWeights = patchWeights / patchWeights.sum(-1, keepdim: true);
        var index = arange(g * g);
        var rows = (index / g).to_type(ScalarType.Float32) * p;
        var cols = (index % g).to_type(ScalarType.Float32) * p;
        var distance = ((rows.unsqueeze(1) - rows.unsqueeze(0)).square() + (cols.unsqueeze(1) - cols.unsqueeze(0)).square()).sqrt(); // (n, n) pixels
        var perHead = (patchWeights * distance).sum(-1).mean([0, 2]);                        // (H)
        return perHead.data<float>().Select(v => (double)v).ToArray();
    }

    /// <summary>
    /// Exercise 2: entries of the attention-score matrix per image, per head and block, for S×S images cut into P×P
    /// patches with a class token: (N + 1)² with N = (S / P)².
    /// </summary>
    public static long ScoreEntries(long imageSize, long patchSize)
    {
        long tokens = (imageSize / patchSize) * (imageSize / patchSize) + 1;
        return tokens * tokens;
    }
}
