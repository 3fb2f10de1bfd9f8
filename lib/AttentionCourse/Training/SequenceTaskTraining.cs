using AttentionCourse.Data;
using AttentionCourse.Plotting;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Training;

/// <summary>
/// Trains and scores a classifier of token sequences (a <see cref="Models.TransformerEncoderModel"/>, a
/// <see cref="Models.RecurrentClassifier"/>, …) on a generated <see cref="SequenceTask"/>: cross-entropy over every
/// target (every position of a per-token task, every sequence otherwise), accuracy on a validation task after each epoch,
/// both drawn on a live chart.
/// </summary>
public static class SequenceTaskTraining
{
    /// <summary>
    /// Trains <paramref name="model"/> with <see cref="Trainer.Fit"/> and reports each epoch's training loss and validation
    /// accuracy to <paramref name="live"/> as the series "loss · <paramref name="label"/>" and "accuracy · <paramref name="label"/>"
    /// (draw the accuracies against the right axis: <see cref="AccuracySeries"/>).
    /// </summary>
    public static TrainingHistory Fit(Module<Tensor, Tensor?, Tensor> model, SequenceTask train, SequenceTask validation, TrainerOptions options,
        LiveChart? live = null, string label = "model")
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        if (train.PerToken != validation.PerToken || train.ClassCount != validation.ClassCount)
            throw new ArgumentException($"validation must be the same kind of task as train ({train.Name}: {(train.PerToken ? "per token" : "per sequence")}, {train.ClassCount} classes); got {validation.Name}: {(validation.PerToken ? "per token" : "per sequence")}, {validation.ClassCount} classes.", nameof(validation));
        using var data = new TensorDataset(train.Inputs, train.Targets);
        return Trainer.Fit(model, data, batch => Loss(model, batch[0], batch[1]), options,
            validate: () => Accuracy(model, validation),
            onEpoch: live is null ? null : r => live.Track(r, (LossSeries(label), r.TrainLoss), (AccuracySeries(label), r.Validation ?? double.NaN)));
    }

    /// <summary>Mean cross-entropy of the model's logits against the targets (per token or per sequence).</summary>
    public static Tensor Loss(Module<Tensor, Tensor?, Tensor> model, Tensor inputs, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var logits = model.call(inputs, null);                                               // (B, T, C) or (B, C)
        if (logits.dim() != targets.dim() + 1)
            throw new ArgumentException($"the model's logits {Layers.Check.Describe(logits.shape)} do not fit targets {Layers.Check.Describe(targets.shape)} (a per-token task needs a per-token head).", nameof(model));
        return functional.cross_entropy(logits.flatten(0, -2), targets.flatten()).MoveToOuterDisposeScope();
    }

    /// <summary>Share of targets predicted right, in eval mode without gradients (the model's mode is restored).</summary>
    public static double Accuracy(Module<Tensor, Tensor?, Tensor> model, SequenceTask task)
    {
        using var correct = Correct(model, task);
        return correct.mean().item<float>();
    }

    /// <summary>Accuracy of each example group by its distance (long-range tasks): entry d − 1 is the accuracy at distance d
    /// (NaN where no example has that distance).</summary>
    public static double[] AccuracyByDistance(Module<Tensor, Tensor?, Tensor> model, SequenceTask task)
    {
        if (task.Distances is null) throw new ArgumentException($"task must carry distances (a long-range task); '{task.Name}' has none.", nameof(task));
        using var scope = NewDisposeScope();
        var correct = Correct(model, task);                                                 // (N)
        long max = task.Distances.max().item<long>();
        var result = new double[max];
        for (long d = 1; d <= max; d++)
        {
            var at = task.Distances.eq(d);
            result[d - 1] = at.any().item<bool>() ? correct.masked_select(at).mean().item<float>() : double.NaN;
        }
        return result;
    }

    /// <summary>Name of the loss series of a label on the live chart.</summary>
    public static string LossSeries(string label) => $"loss · {label}";

    /// <summary>Name of the accuracy series of a label on the live chart.</summary>
    public static string AccuracySeries(string label) => $"accuracy · {label}";

    /// <summary>1 where the prediction is right, 0 elsewhere: <c>(N, T)</c> or <c>(N)</c> Float32.</summary>
    private static Tensor Correct(Module<Tensor, Tensor?, Tensor> model, SequenceTask task)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var predicted = model.call(task.Inputs, null).argmax(-1);
            return predicted.eq(task.Targets).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
        }
        finally { if (wasTraining) model.train(); }
    }
}
