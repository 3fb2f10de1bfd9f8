using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 03's exercises (the checks compare the learner's code with these).</summary>
public static class Lesson03
{
    /// <summary>
    /// Exercise 1: CBAM's spatial logits turned into a softmax over positions (a distribution, as in attention pooling)
    /// instead of a sigmoid per position; the mean share of that distribution inside the object's box.
    /// </summary>
    /// <param name="model">A trained SmallCnn with CBAM.</param>
    /// <param name="images"><c>(N, 1, S, S)</c>.</param>
    /// <param name="boxMask"><c>(N, S, S)</c> Bool.</param>
    public static double SoftmaxMapMassInBox(SmallCnn model, Tensor images, Tensor boxMask)
    {
        var cbam = model.Cbam ?? throw new ArgumentException("model must have a CBAM module.", nameof(model));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var map = model.Backbone(images);                                                   // (N, C, h, w)
        var (_, channelWeights, _) = cbam.Apply(map);
        var refined = map * channelWeights.unsqueeze(-1).unsqueeze(-1);                     // (N, C, h, w)
        var pooled = cat([refined.amax([1], keepdim: true), refined.mean([1], keepdim: true)], 1); // (N, 2, h, w)
        var logits = cbam.Spatial.call(pooled).flatten(1);                                  // (N, h·w)
        var distribution = logits.softmax(1).view(map.shape[0], map.shape[2], map.shape[3]); // (N, h, w)
        return Metrics.Localisation.MassInside(distribution, boxMask).mean().item<float>();
    }

    /// <summary>
    /// Exercise 2: how much SE's channel weights depend on the image: for each channel, the standard deviation of its
    /// weight s_c over the images; averaged over channels.
    /// </summary>
    public static double SeWeightSpread(SmallCnn model, Tensor images)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weights = model.Run(images).ChannelWeights ?? throw new ArgumentException("model must have SE or CBAM.", nameof(model));
        return weights.std(0).mean().item<float>();                                         // std over images, mean over channels
    }
}
