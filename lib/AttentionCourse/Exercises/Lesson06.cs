using AttentionCourse.Data;
using AttentionCourse.Metrics;
using AttentionCourse.Models;
using AttentionCourse.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 06's exercises.</summary>
public static class Lesson06
{
    /// <summary>
    /// Exercise 1: the mean, over sequences, of the weight a model puts on padded positions when the test set is padded to
    /// <paramref name="paddedLength"/> and the model is called without a mask (as the seed's model is).
    /// </summary>
    public static double PaddingShareWithoutMask(PoolingClassifier model, RelevantMeanTask test, int paddedLength)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var padded = test.PadTo(paddedLength);
        var (_, weights) = model.Classify(padded.Features, null);                          // (N, L)
        return weights.masked_select(padded.PaddingMask()).sum().item<float>() / padded.Count;
    }

    /// <summary>
    /// Exercise 2: test accuracy (padded as given) of a masked attention-pooling classifier with an additive scorer of width
    /// <paramref name="scorerWidth"/>, trained from the course seed with <paramref name="options"/>.
    /// </summary>
    public static double AdditiveScorerAccuracy(TensorDataset trainSet, RelevantMeanTask test, TrainerOptions options, long scorerWidth = 16)
    {
        Course.SetSeed();
        var model = new PoolingClassifier(RelevantMeanTask.FeatureDim, 2, Pooling.Attention, attentionHiddenDim: scorerWidth);
        Trainer.Fit(model, trainSet, batch => functional.cross_entropy(model.call(batch[0], batch[1]), batch[2]), options);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return Classification.Accuracy(model.call(test.Features, test.PaddingMask()), test.Labels);
    }
}
