using AttentionCourse.Data;
using AttentionCourse.Models;
using AttentionCourse.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Training;

public class SequenceTaskTrainingTests
{
    /// <summary>A fixed rule as a model: logits 1 for the token one step before the last position, 0 elsewhere.</summary>
    private sealed class ReadsOneBack : Module<Tensor, Tensor?, Tensor>
    {
        private readonly long classes;
        public ReadsOneBack(long classes) : base(nameof(ReadsOneBack)) { this.classes = classes; RegisterComponents(); }
        public override Tensor forward(Tensor tokens, Tensor? keyPadding = null) =>
            functional.one_hot(tokens.select(1, tokens.shape[1] - 2).clamp_max(classes - 1), classes).to_type(ScalarType.Float32);
    }

    [Fact]
    public void Accuracy_AndAccuracyByDistance_MatchCountingByHand()
    {
        using var task = SequenceTasks.Lookback(300, 10, 5, maxDistance: 4, seed: 3);
        var rule = new ReadsOneBack(task.ClassCount);
        rule.train();
        var inputs = task.Inputs.data<long>().ToArray();
        var targets = task.Targets.data<long>().ToArray();
        var distances = task.Distances!.data<long>().ToArray();
        var right = new double[4]; var total = new double[4];
        for (int n = 0; n < 300; n++)
        {
            int d = (int)distances[n] - 1;
            total[d]++;
            if (Math.Min(inputs[n * 10 + 8], task.ClassCount - 1) == targets[n]) right[d]++;
        }
        Assert.Equal(right.Sum() / 300, SequenceTaskTraining.Accuracy(rule, task), 6);
        var byDistance = SequenceTaskTraining.AccuracyByDistance(rule, task);
        Assert.Equal(4, byDistance.Length);
        Assert.Equal(1.0, byDistance[0]);                                                    // the rule reads distance 1 exactly
        for (int d = 0; d < 4; d++) Assert.Equal(right[d] / total[d], byDistance[d], 6);
        Assert.True(rule.training, "the model's training mode is restored");
    }

    [Fact]
    public void Loss_IsTheMeanCrossEntropy_PerTokenAndPerSequence()
    {
        manual_seed(170);
        using var sort = SequenceTasks.Sort(4, 6, 5, seed: 1);
        var model = new TransformerEncoderModel(new TransformerEncoderConfig(5, 5, 6, Width: 8, Heads: 2, Depth: 1, Head: OutputHead.PerToken));
        var loss = SequenceTaskTraining.Loss(model, sort.Inputs, sort.Targets).item<float>();
        var logits = model.call(sort.Inputs, null).detach().to_type(ScalarType.Float64);    // (4, 6, 5)
        double sum = 0;
        for (int n = 0; n < 4; n++)
            for (int t = 0; t < 6; t++)
            {
                var row = logits[n, t].data<double>().ToArray();
                double logSum = Math.Log(row.Sum(Math.Exp));
                sum += logSum - row[sort.Targets[n, t].item<long>()];
            }
        Assert.Equal(sum / 24, loss, 5);

        var pooled = new TransformerEncoderModel(new TransformerEncoderConfig(5, 5, 6, Width: 8, Heads: 2, Depth: 1, Head: OutputHead.MeanPooled));
        TestSupport.AssertArgumentError(() => SequenceTaskTraining.Loss(pooled, sort.Inputs, sort.Targets), "model", "per-token head");
    }

    [Fact]
    public void Fit_ReportsTheValidationAccuracyOfTheTrainedModel_AndRejectsAnotherKindOfTask()
    {
        manual_seed(171);
        using var train = SequenceTasks.Reverse(128, 6, 4, seed: 1);
        using var valid = SequenceTasks.Reverse(64, 6, 4, seed: 2);
        var model = new TransformerEncoderModel(new TransformerEncoderConfig(4, 4, 6, Width: 16, Heads: 2, Depth: 1, Head: OutputHead.PerToken));
        var history = SequenceTaskTraining.Fit(model, train, valid, new TrainerOptions { Epochs = 2, BatchSize = 32, LearningRate = 1e-2 });
        Assert.Equal(2, history.Epochs.Count);
        Assert.Equal(SequenceTaskTraining.Accuracy(model, valid), history.Epochs[^1].Validation!.Value, 6);

        using var lookback = SequenceTasks.Lookback(16, 6, 4, 3, seed: 1);
        TestSupport.AssertArgumentError(() => SequenceTaskTraining.Fit(model, train, lookback, new TrainerOptions { Epochs = 1 }), "validation", "per token", "per sequence");
    }
}
