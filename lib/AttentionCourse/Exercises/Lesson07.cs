using AttentionCourse.Data;
using AttentionCourse.Layers;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 07's exercises.</summary>
public static class Lesson07
{
    /// <summary>Exercise 1: the number of parameters of one encoder block, counted on a real block (its count does not
    /// depend on the number of heads, which only splits the width).</summary>
    public static long BlockParameters(long width, long feedForwardDim, long heads = 1)
    {
        var block = new TransformerEncoderBlock(width, heads, feedForwardDim);
        long count = block.parameters().Sum(p => p.numel());
        block.Dispose();
        return count;
    }

    /// <summary>Exercise 2: the accuracy, on reverse, of predicting at each position the most common token among the other
    /// positions — the best a model without positions can do there.</summary>
    public static double PositionBlindCeiling(SequenceTask reverse) => SequenceTasks.BagModeAccuracy(reverse, excludeOwnToken: true);

    /// <summary>Exercise 3: whether a measured log-log slope of the fused kernel's time is quadratic (between 1.5 and 2.5).</summary>
    public static bool IsQuadratic(double slope) => slope >= 1.5 && slope <= 2.5;
}
