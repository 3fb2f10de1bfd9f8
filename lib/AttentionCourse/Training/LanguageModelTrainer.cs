using System.Diagnostics;
using AttentionCourse.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Training;

/// <summary>Settings of a language-model training run (nanoGPT's <c>train.py</c>, scaled down).</summary>
public sealed record LanguageModelTrainingOptions
{
    /// <summary>Optimiser steps (one batch each).</summary>
    public int Steps { get; init; } = 2000;
    /// <summary>Windows per batch.</summary>
    public long BatchSize { get; init; } = 12;
    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;
    /// <summary>Weight decay of weight matrices and embeddings only (biases and LayerNorm gains never decay, as in nanoGPT).</summary>
    public double WeightDecay { get; init; } = 0.1;
    /// <summary>Adam's second-moment decay (nanoGPT uses 0.99 for its small character models).</summary>
    public double Beta2 { get; init; } = 0.99;
    /// <summary>SGD momentum (ignored by Adam/AdamW).</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>Clip the global gradient norm to this value; null = no clipping.</summary>
    public double? ClipGradientNorm { get; init; } = 1.0;
    /// <summary>Steps of linear warm-up from 0 to the peak learning rate.</summary>
    public long WarmupSteps { get; init; } = 100;
    /// <summary>Cosine decay after warm-up (otherwise constant).</summary>
    public bool CosineDecay { get; init; } = true;
    /// <summary>Floor of the cosine decay, as a fraction of the peak rate.</summary>
    public double MinLearningRateFraction { get; init; } = 0.1;
    /// <summary>Report (and measure validation loss) every this many steps, and after the last.</summary>
    public int EvaluateEvery { get; init; } = 100;
    /// <summary>Validation windows per report (an evenly spaced fixed subset; the same in every report and run).</summary>
    public int EvaluationWindows { get; init; } = 200;
    /// <summary>Seed of the batch sampler; default: the course seed. (Model initialisation is seeded by the caller.)</summary>
    public int Seed { get; init; } = Course.Seed;
}

/// <summary>One report of a language-model run, after <see cref="Step"/> optimiser steps.</summary>
/// <param name="Step">Updates done (0 = at initialisation).</param>
/// <param name="TrainLoss">Mean training-batch loss (nats/token, train mode) of the steps since the previous report; at
/// step 0 the loss of the first batch before any update.</param>
/// <param name="ValidationLoss">Mean cross-entropy on the fixed validation windows (eval mode).</param>
/// <param name="LearningRate">Learning rate of the last step.</param>
/// <param name="GradientNorm">Mean global gradient norm (before clipping) of the steps since the previous report.</param>
/// <param name="Seconds">Wall-clock time since the start of training.</param>
/// <param name="IsLast">True for the final report (planned end or divergence).</param>
public sealed record LanguageModelReport(long Step, double TrainLoss, double ValidationLoss, double LearningRate, double GradientNorm, double Seconds, bool IsLast);

/// <summary>What a language-model run did: the reports, and the loss and gradient norm of every step.</summary>
public sealed record LanguageModelHistory(IReadOnlyList<LanguageModelReport> Reports, IReadOnlyList<double> StepLosses, IReadOnlyList<double> StepGradientNorms, bool Diverged)
{
    public double FinalValidationLoss => Reports[^1].ValidationLoss;
    public double InitialValidationLoss => Reports[0].ValidationLoss;
    public double Seconds => Reports[^1].Seconds;
}

/// <summary>
/// Trains a next-token model on a <see cref="CharacterCorpus"/> the way nanoGPT does: random windows each step,
/// AdamW (or Adam, SGD), linear warm-up then cosine decay, gradient clipping, and a validation loss on fixed held-out
/// windows every few steps. Each step runs in its own dispose scope. A non-finite loss stops the run (diverged).
/// </summary>
public static class LanguageModelTrainer
{
    /// <param name="model">Maps ids <c>(B, T)</c> to logits <c>(B, T, V)</c>.</param>
    /// <param name="corpus">Training windows come from its training spans, validation windows from its held-out blocks.</param>
    /// <param name="blockSize">Window length T.</param>
    /// <param name="options">Settings.</param>
    /// <param name="onReport">Called at step 0, every <see cref="LanguageModelTrainingOptions.EvaluateEvery"/> steps and at the end
    /// (e.g. to update a live chart or print a sample).</param>
    public static LanguageModelHistory Train(Module<Tensor, Tensor> model, CharacterCorpus corpus, long blockSize,
        LanguageModelTrainingOptions options, Action<LanguageModelReport>? onReport = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(options);
        Layers.Check.AtLeast(options.Steps, 1, nameof(options.Steps));
        Layers.Check.AtLeast(options.BatchSize, 1, nameof(options.BatchSize));
        Layers.Check.AtLeast(options.EvaluateEvery, 1, nameof(options.EvaluateEvery));
        var parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        if (parameters.Length == 0) throw new ArgumentException("model has no trainable parameters.", nameof(model));
        var (validationInput, validationTarget) = corpus.Windows(CorpusPart.Validation, blockSize, options.EvaluationWindows);
        using var vi = validationInput;
        using var vt = validationTarget;
        using var optimizer = BuildOptimizer(options, parameters);
        using var generator = new Generator((ulong)options.Seed);
        long warmup = Math.Min(options.WarmupSteps, options.Steps);
        var reports = new List<LanguageModelReport>();
        var losses = new List<double>();
        var norms = new List<double>();
        var clock = Stopwatch.StartNew();
        double rate = 0, lossSum = 0, normSum = 0;
        int sinceReport = 0;
        bool diverged = false;
        void Report(long step, double trainLoss, bool last)
        {
            var report = new LanguageModelReport(step, trainLoss, Evaluate(model, vi, vt), rate,
                sinceReport > 0 ? normSum / sinceReport : double.NaN, clock.Elapsed.TotalSeconds, last);
            reports.Add(report);
            onReport?.Invoke(report);
            lossSum = normSum = 0;
            sinceReport = 0;
        }
        try
        {
            model.train();
            for (int step = 1; step <= options.Steps; step++)
            {
                using var scope = NewDisposeScope();
                rate = LearningRateSchedule.WarmupCosine(step - 1, options.Steps, warmup, options.LearningRate,
                    options.LearningRate * options.MinLearningRateFraction, options.CosineDecay);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
                var (input, target) = corpus.TrainingBatch(options.BatchSize, blockSize, generator);
                optimizer.zero_grad();
                var logits = model.call(input);                                              // (B, T, V)
                var loss = functional.cross_entropy(logits.flatten(0, 1), target.flatten());
                double value = loss.ToDouble();
                if (step == 1) Report(0, value, last: false);
                if (!double.IsFinite(value))
                {
                    diverged = true;
                    losses.Add(value);
                    Report(step - 1, value, last: true);
                    break;
                }
                loss.backward();
                double norm = nn.utils.clip_grad_norm_(parameters, options.ClipGradientNorm ?? double.PositiveInfinity);
                optimizer.step();
                losses.Add(value);
                norms.Add(norm);
                lossSum += value;
                normSum += norm;
                sinceReport++;
                if (step % options.EvaluateEvery == 0 || step == options.Steps) Report(step, lossSum / sinceReport, last: step == options.Steps);
            }
        }
        finally
        {
            model.eval();
        }
        return new LanguageModelHistory(reports, losses, norms, diverged);
    }

    /// <summary>Mean next-token cross-entropy (nats/token) of <paramref name="model"/> on the given windows, in eval mode
    /// without gradients (the model's mode is restored), in batches of <paramref name="batchSize"/> windows.</summary>
    /// <param name="model">The language model: <c>(B, T)</c> tokens → <c>(B, T, vocab)</c> logits.</param>
    /// <param name="input"><c>(W, T)</c>.</param>
    /// <param name="target"><c>(W, T)</c>.</param>
    /// <param name="batchSize">Windows per batch.</param>
    public static double Evaluate(Module<Tensor, Tensor> model, Tensor input, Tensor target, long batchSize = 64)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            double sum = 0;
            long count = input.shape[0];
            for (long start = 0; start < count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                long size = Math.Min(batchSize, count - start);
                var logits = model.call(input.narrow(0, start, size));                       // (b, T, V)
                var loss = functional.cross_entropy(logits.flatten(0, 1), target.narrow(0, start, size).flatten(), reduction: Reduction.Sum);
                sum += loss.ToDouble();
            }
            return sum / input.numel();
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Mean cross-entropy on fixed windows of one part of the corpus (all of them, or an evenly spaced subset).</summary>
    public static double Evaluate(Module<Tensor, Tensor> model, CharacterCorpus corpus, CorpusPart part, long blockSize, int? maxWindows = null)
    {
        var (input, target) = corpus.Windows(part, blockSize, maxWindows);
        using (input)
        using (target)
            return Evaluate(model, input, target);
    }

    /// <summary>The optimiser, with weight decay on matrices and embeddings (dimension ≥ 2) only.</summary>
    private static optim.Optimizer BuildOptimizer(LanguageModelTrainingOptions options, Parameter[] parameters)
    {
        var decayed = parameters.Where(p => p.dim() >= 2).ToArray();
        var plain = parameters.Where(p => p.dim() < 2).ToArray();
        double lr = options.LearningRate, wd = options.WeightDecay;
        return options.Optimizer switch
        {
            OptimizerKind.AdamW => optim.AdamW(new[] { new AdamW.ParamGroup(decayed, lr, 0.9, options.Beta2, 1e-8, wd), new AdamW.ParamGroup(plain, lr, 0.9, options.Beta2, 1e-8, 0) }, lr),
            OptimizerKind.Adam => optim.Adam(new[] { new Adam.ParamGroup(decayed, lr, 0.9, options.Beta2, 1e-8, wd), new Adam.ParamGroup(plain, lr, 0.9, options.Beta2, 1e-8, 0) }, lr),
            OptimizerKind.Sgd => optim.SGD(new[] { new SGD.ParamGroup(decayed, lr, options.Momentum, 0, wd), new SGD.ParamGroup(plain, lr, options.Momentum, 0, 0) }, lr),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "unknown optimizer"),
        };
    }
}
