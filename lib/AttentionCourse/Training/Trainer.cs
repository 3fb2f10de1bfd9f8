using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttentionCourse.Training;

/// <summary>Optimisers the trainer can build.</summary>
public enum OptimizerKind { Adam, AdamW, Sgd }

/// <summary>Settings of one training run.</summary>
public sealed record TrainerOptions
{
    public int Epochs { get; init; } = 10;
    public long BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-3;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    public double WeightDecay { get; init; }
    /// <summary>SGD momentum (ignored by Adam/AdamW).</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>Clip the global gradient norm to this value; null = no clipping.</summary>
    public double? ClipGradientNorm { get; init; } = 1.0;
    /// <summary>Steps of linear warmup.</summary>
    public long WarmupSteps { get; init; }
    /// <summary>Cosine decay after warmup (otherwise constant).</summary>
    public bool CosineDecay { get; init; } = true;
    /// <summary>Floor of the cosine decay, as a fraction of <see cref="LearningRate"/>.</summary>
    public double MinLearningRateFraction { get; init; } = 0.05;
    /// <summary>Stop after this many epochs without a better validation score (and restore the best weights); null = never.</summary>
    public int? EarlyStoppingPatience { get; init; }
    public bool Shuffle { get; init; } = true;
    /// <summary>Seed of the shuffling (each epoch uses Seed + epoch); default: the course seed.</summary>
    public int Seed { get; init; } = Course.Seed;
}

/// <summary>What one epoch did. <see cref="IsLast"/> is true for the final epoch of the run (planned or stopped early).</summary>
public sealed record EpochReport(int Epoch, long Steps, double TrainLoss, double? Validation, double LearningRate, double Seconds, bool IsLast = false);

/// <summary>What a training run did.</summary>
public sealed record TrainingHistory(IReadOnlyList<EpochReport> Epochs, int BestEpoch, bool StoppedEarly)
{
    public double FinalTrainLoss => Epochs[^1].TrainLoss;
    public double? BestValidation => BestEpoch > 0 ? Epochs[BestEpoch - 1].Validation : null;
}

/// <summary>
/// A small, explicit training loop: mini-batches, Adam/AdamW/SGD, gradient clipping, warmup + cosine schedule,
/// early stopping on a validation score. Every step runs inside its own dispose scope, so native memory does not
/// grow from step to step.
/// </summary>
public static class Trainer
{
    /// <param name="model">The module to train (switched to train mode, then eval mode at the end).</param>
    /// <param name="data">Training examples.</param>
    /// <param name="loss">Builds the scalar loss from one batch (the dataset's tensors, in order).</param>
    /// <param name="options">Settings.</param>
    /// <param name="validate">Optional validation score, computed after each epoch in eval mode (higher is better unless <paramref name="lowerIsBetter"/>).</param>
    /// <param name="onEpoch">Called after each epoch (e.g. to update a <see cref="Plotting.LiveChart"/>).</param>
    /// <param name="lowerIsBetter">True when a lower validation score is better (a loss).</param>
    public static TrainingHistory Fit(nn.Module model, TensorDataset data, Func<Tensor[], Tensor> loss, TrainerOptions options,
        Func<double>? validate = null, Action<EpochReport>? onEpoch = null, bool lowerIsBetter = false)
    {
        Layers.Check.AtLeast(options.Epochs, 1, nameof(options.Epochs));
        Layers.Check.AtLeast(options.BatchSize, 1, nameof(options.BatchSize));
        if (options.EarlyStoppingPatience is int patienceSetting)
        {
            Layers.Check.AtLeast(patienceSetting, 1, nameof(options.EarlyStoppingPatience));
            if (validate is null)
                throw new ArgumentException($"{nameof(options.EarlyStoppingPatience)} is {patienceSetting} but no validate function was given: early stopping needs a validation score.", nameof(validate));
        }
        var parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        if (parameters.Length == 0) throw new ArgumentException("model has no trainable parameters.", nameof(model));
        using var optimizer = Build(options, parameters);
        long stepsPerEpoch = (data.Count + options.BatchSize - 1) / options.BatchSize;
        long totalSteps = stepsPerEpoch * options.Epochs;
        long warmup = Math.Min(options.WarmupSteps, totalSteps);
        var reports = new List<EpochReport>();
        double best = double.NaN;
        int bestEpoch = 0, sinceBest = 0;
        Dictionary<string, Tensor>? bestState = null;
        long step = 0;
        bool stopped = false;
        try
        {
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                var clock = Stopwatch.StartNew();
                model.train();
                double lossSum = 0, rate = options.LearningRate;
                long count = 0;
                foreach (var batch in data.Batches(options.BatchSize, options.Shuffle, options.Seed + epoch))
                {
                    using var scope = NewDisposeScope();
                    scope.Attach(batch);
                    rate = LearningRateSchedule.WarmupCosine(step, totalSteps, warmup, options.LearningRate,
                        options.LearningRate * options.MinLearningRateFraction, options.CosineDecay);
                    foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
                    optimizer.zero_grad();
                    var value = loss(batch);
                    if (value.numel() != 1)
                        throw new ArgumentException($"loss must return a scalar; got shape {Layers.Check.Describe(value.shape)}.", nameof(loss));
                    value.backward();
                    if (options.ClipGradientNorm is double maxNorm) nn.utils.clip_grad_norm_(parameters, maxNorm);
                    optimizer.step();
                    long rows = batch[0].shape[0];
                    lossSum += value.ToDouble() * rows;
                    count += rows;
                    step++;
                }
                double? score = null;
                if (validate is not null)
                {
                    model.eval();
                    using (NewDisposeScope())
                    using (no_grad())
                        score = validate();
                    bool better = double.IsNaN(best) || (lowerIsBetter ? score < best : score > best);
                    if (better)
                    {
                        best = score.Value;
                        bestEpoch = epoch;
                        sinceBest = 0;
                        if (options.EarlyStoppingPatience is not null) bestState = Snapshot(model, bestState);
                    }
                    else sinceBest++;
                }
                double trainLoss = lossSum / count;
                // A diverged run (NaN or ∞ loss) stops: nothing useful can follow.
                stopped = double.IsNaN(trainLoss) || double.IsInfinity(trainLoss)
                    || (options.EarlyStoppingPatience is int patience && sinceBest >= patience);
                var report = new EpochReport(epoch, step, trainLoss, score, rate, clock.Elapsed.TotalSeconds, stopped || epoch == options.Epochs);
                reports.Add(report);
                onEpoch?.Invoke(report);
                if (stopped) break;
            }
            if (bestState is not null) model.load_state_dict(bestState);
        }
        finally
        {
            if (bestState is not null) foreach (var t in bestState.Values) t.Dispose();
            model.eval();
        }
        return new TrainingHistory(reports, validate is null ? reports.Count : bestEpoch, stopped);
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module model, Dictionary<string, Tensor>? previous)
    {
        if (previous is not null) foreach (var t in previous.Values) t.Dispose();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    private static optim.Optimizer Build(TrainerOptions options, IEnumerable<Parameter> parameters) => options.Optimizer switch
    {
        OptimizerKind.Adam => optim.Adam(parameters, options.LearningRate, weight_decay: options.WeightDecay),
        OptimizerKind.AdamW => optim.AdamW(parameters, options.LearningRate, weight_decay: options.WeightDecay),
        OptimizerKind.Sgd => optim.SGD(parameters, options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "unknown optimizer"),
    };
}
