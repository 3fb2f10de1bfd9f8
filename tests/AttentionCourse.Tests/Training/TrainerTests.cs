using System.Diagnostics;
using AttentionCourse.Layers;
using AttentionCourse.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Training;

public class TrainerTests
{
    [Fact]
    public void WarmupCosine_MatchesItsFormula()
    {
        Assert.Equal(0.1, LearningRateSchedule.WarmupCosine(0, 100, 10, 1.0), 12);       // (0+1)/10
        Assert.Equal(1.0, LearningRateSchedule.WarmupCosine(9, 100, 10, 1.0), 12);
        Assert.Equal(1.0, LearningRateSchedule.WarmupCosine(10, 100, 10, 1.0), 12);      // cosine starts at base
        Assert.Equal(0.55, LearningRateSchedule.WarmupCosine(55, 100, 10, 1.0, 0.1), 12); // halfway: (1 + 0.1) / 2
        Assert.Equal(0.1, LearningRateSchedule.WarmupCosine(100, 100, 10, 1.0, 0.1), 12);
        Assert.Equal(1.0, LearningRateSchedule.WarmupCosine(60, 100, 0, 1.0, cosine: false), 12);
        TestSupport.AssertArgumentError(() => LearningRateSchedule.WarmupCosine(0, 10, 11, 1.0), "warmupSteps", "[0, 10]", "11");
    }

    [Fact]
    public void Fit_LearnsALinearMap_AndIsRepeatable()
    {
        double Run()
        {
            Course.SetSeed(7);
            var x = randn(256, 3);
            var y = x.matmul(tensor(new float[] { 1, -2, 0.5f })).unsqueeze(1) + 0.3;
            var model = Linear(3, 1);
            using var data = new TensorDataset(x, y);
            var history = Trainer.Fit(model, data, b => functional.mse_loss(model.call(b[0]), b[1]),
                new TrainerOptions { Epochs = 40, BatchSize = 32, LearningRate = 0.05, WarmupSteps = 8 });
            return history.FinalTrainLoss;
        }
        double first = Run();
        Assert.True(first < 1e-3, $"final loss {first} should be below 1e-3 (start ≈ 5)");
        Assert.Equal(first, Run());
    }

    [Fact]
    public void BadOptions_AreRejectedBeforeTraining()
    {
        var model = Linear(1, 1);
        using var data = new TensorDataset(randn(4, 1), randn(4, 1));
        Tensor Loss(Tensor[] b) => functional.mse_loss(model.call(b[0]), b[1]);
        TestSupport.AssertArgumentError(() => Trainer.Fit(model, data, Loss, new TrainerOptions { BatchSize = 0 }), "BatchSize", "at least 1", "0");
        TestSupport.AssertArgumentError(() => Trainer.Fit(model, data, Loss, new TrainerOptions { EarlyStoppingPatience = 0 }, validate: () => 0), "EarlyStoppingPatience", "at least 1", "0");
        TestSupport.AssertArgumentError(() => Trainer.Fit(model, data, Loss, new TrainerOptions { EarlyStoppingPatience = 2 }), "validate", "EarlyStoppingPatience", "2");
    }

    [Fact]
    public void Fit_TrainsAFloat64Model()
    {
        Course.SetSeed(10);
        var model = Linear(2, 1);
        model.to(ScalarType.Float64);
        using var data = new TensorDataset(randn(32, 2, dtype: ScalarType.Float64), randn(32, 1, dtype: ScalarType.Float64));
        var history = Trainer.Fit(model, data, b => functional.mse_loss(model.call(b[0]), b[1]), new TrainerOptions { Epochs = 2 });
        Assert.True(history.FinalTrainLoss > 0 && !double.IsNaN(history.FinalTrainLoss));
    }

    [Fact]
    public void EarlyStopping_StopsAndRestoresTheBestWeights()
    {
        Course.SetSeed(8);
        var model = Linear(1, 1);
        using var data = new TensorDataset(randn(16, 1), randn(16, 1));
        var scores = new Queue<double>(new[] { 0.5, 0.9, 0.7, 0.6, 0.8, 0.95 });
        float? weightAtBest = null;
        var history = Trainer.Fit(model, data, b => functional.mse_loss(model.call(b[0]), b[1]),
            new TrainerOptions { Epochs = 6, EarlyStoppingPatience = 2, LearningRate = 0.1 },
            validate: () => scores.Dequeue(),
            onEpoch: r => { if (r.Epoch == 2) weightAtBest = model.weight!.item<float>(); });
        Assert.True(history.StoppedEarly);
        Assert.Equal(4, history.Epochs.Count);
        Assert.Equal(2, history.BestEpoch);
        Assert.Equal(weightAtBest!.Value, model.weight!.item<float>());
    }

    [Fact]
    public void FiveHundredSteps_DoNotGrowLiveTensorsOrNativeMemory()
    {
        Course.SetSeed(9);
        var model = new TinyClassifier();
        var x = randn(64, 12, 32);
        var labels = randint(0, 2, 64);
        var padding = Masks.PaddingFromLengths(Enumerable.Range(0, 64).Select(i => (long)(4 + i % 9)).ToArray(), 12);
        using var data = new TensorDataset(x, labels, padding);
        Tensor Loss(Tensor[] b) => functional.cross_entropy(model.call(b[0], b[2]), b[1]);
        var options = new TrainerOptions { Epochs = 1, BatchSize = 8, LearningRate = 1e-3 };

        Trainer.Fit(model, data, Loss, options with { Epochs = 10 });        // warm up: optimiser state, allocator pools
        GC.Collect(); GC.WaitForPendingFinalizers();
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long rssBefore = Process.GetCurrentProcess().WorkingSet64;
        Trainer.Fit(model, data, Loss, options with { Epochs = 63 });        // 63 epochs × 8 batches = 504 steps
        GC.Collect(); GC.WaitForPendingFinalizers();
        long liveAfter = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long rssGrowth = Process.GetCurrentProcess().WorkingSet64 - rssBefore;
        Assert.Equal(liveBefore, liveAfter);
        Assert.True(rssGrowth < 32L << 20, $"resident memory grew by {rssGrowth >> 20} MiB over 504 steps (bound: 32 MiB)");
    }

    private sealed class TinyClassifier : Module<Tensor, Tensor, Tensor>
    {
        private readonly TransformerEncoderBlock encoder = new(32, 4, 64);
        private readonly TorchSharp.Modules.Linear head = Linear(32, 2);

        public TinyClassifier() : base(nameof(TinyClassifier)) => RegisterComponents();

        public override Tensor forward(Tensor input, Tensor keyPadding)
        {
            using var scope = NewDisposeScope();
            return head.call(encoder.call(input, keyPadding, false).mean(new long[] { 1 })).MoveToOuterDisposeScope();
        }
    }
}
