using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 09's exercises.</summary>
public static class Lesson09
{
    /// <summary>
    /// Exercise 1: the effective number of positions an attention map uses, exp(entropy) = exp(−Σ a_p ln a_p), averaged
    /// over images (H·W for a uniform map, 1 for a one-hot map).
    /// </summary>
    /// <param name="maps"><c>(N, h, w)</c> attention maps (each sums to 1).</param>
    public static double EffectivePositions(Tensor maps)
    {
        using var scope = NewDisposeScope();
        var a = maps.flatten(1).clamp_min(1e-12);                                           // (N, h·w)
        var entropy = -(a * a.log()).sum(1);                                                // (N)
        return entropy.exp().mean().item<float>();
    }

    /// <summary>
    /// Exercise 2: hard attention: keep the <paramref name="k"/> positions with the largest weights, renormalise their
    /// weights to sum to 1, pool, classify; the accuracy.
    /// </summary>
    public static double TopKAccuracy(SmallCnn model, Tensor images, Tensor labels, int k)
    {
        var pooling = model.AttentionPooling ?? throw new ArgumentException("model must use attention pooling.", nameof(model));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var run = model.Run(images);
        var weights = run.PoolingMap!.flatten(1);                                           // (N, h·w)
        var kept = weights.topk(k, 1).indexes;                                              // (N, k)
        var hard = zeros_like(weights).scatter(1, kept, weights.gather(1, kept));           // (N, h·w)
        hard = hard / hard.sum(1, keepdim: true);
        var pooled = hard.unsqueeze(1).bmm(run.FeatureMap.flatten(2).transpose(1, 2)).squeeze(1); // (N, C)
        var logits = model.Head.call(pooled);
        return Metrics.Classification.Accuracy(logits, labels);
    }
}
