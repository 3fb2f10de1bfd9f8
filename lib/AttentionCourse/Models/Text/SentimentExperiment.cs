using AttentionCourse.Data;
using AttentionCourse.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>
/// The sizes and training settings of lesson 04's sentiment experiment (and of the lessons that reuse its model:
/// 02 and 16). <see cref="ForMode"/> gives the full or the quick settings; the reasons for each value are in lesson 04.
/// </summary>
public sealed record SentimentSettings
{
    /// <summary>Training reviews used (of 4,000), before the validation part is carved out.</summary>
    public int TrainCount { get; init; } = 4000;
    /// <summary>Reviews carved out of the training split for validation (early stopping, thresholds).</summary>
    public int ValidationCount { get; init; } = 500;
    /// <summary>Test reviews used (of 1,000).</summary>
    public int TestCount { get; init; } = 1000;
    /// <summary>The length cap: each review keeps its first this-many tokens.</summary>
    public int MaxTokens { get; init; } = 150;
    /// <summary>Words seen fewer times in the training part become unknown.</summary>
    public int MinCount { get; init; } = 2;
    /// <summary>Width of the word embeddings.</summary>
    public int EmbeddingDim { get; init; } = 32;
    /// <summary>Width of each GRU direction (word states are twice as wide).</summary>
    public int HiddenDim { get; init; } = 32;
    /// <summary>Width of the attention scorer tanh(W h + b).</summary>
    public int AttentionDim { get; init; } = 32;
    /// <summary>Dropout on embeddings and on the pooled vector.</summary>
    public double Dropout { get; init; } = 0.4;
    /// <summary>Share of words replaced by the unknown token during training.</summary>
    public double WordDropout { get; init; } = 0.1;
    /// <summary>Most epochs of the BiGRU models (early stopping after 3 epochs without a better validation accuracy).</summary>
    public int Epochs { get; init; } = 8;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 6e-3;
    /// <summary>Epochs of the bag-of-words baseline.</summary>
    public int BagOfWordsEpochs { get; init; } = 15;
    public double BagOfWordsLearningRate { get; init; } = 1e-2;
    /// <summary>L2 penalties tried for the bag-of-words baseline; the one with the best validation accuracy is kept.</summary>
    public double[] BagOfWordsWeightDecays { get; init; } = { 1e-4, 1e-3, 1e-2 };

    /// <summary>Full-mode settings.</summary>
    public static SentimentSettings Full { get; } = new();

    /// <summary>
    /// Quick-mode settings: all the reviews (fewer trained the BiGRUs much worse) cut at 40 tokens, 3 epochs at a higher
    /// learning rate and less dropout (so the BiGRUs learn in 3 epochs), 6 bag-of-words epochs; the test split stays whole.
    /// </summary>
    public static SentimentSettings Quick { get; } = new()
    {
        MaxTokens = 40, Epochs = 3, LearningRate = 1e-2, Dropout = 0.3, BagOfWordsEpochs = 6,
    };

    /// <summary>The settings of the current mode (<see cref="Course.Quick"/>).</summary>
    public static SentimentSettings ForMode => Course.Pick(Full, Quick);

    /// <summary>Everything the trained weights depend on besides seed and mode, for <see cref="ModelCache"/>.</summary>
    public string CacheKey =>
        $"train {TrainCount} val {ValidationCount} cap {MaxTokens} min {MinCount} E {EmbeddingDim} H {HiddenDim} A {AttentionDim} " +
        $"dropout {Dropout} word dropout {WordDropout} epochs {Epochs} batch {BatchSize} lr {LearningRate}";
}

/// <summary>
/// Lesson 04's experiment in one place, so lessons 02 and 16 reuse it instead of copying cells: the Fine Food reviews
/// tokenised (<see cref="WordTokenizer"/>), a validation part carved from the training split, a vocabulary built on the
/// training part only, the encoded splits, and functions that build and train the BiGRU classifiers and the
/// bag-of-words baseline. The trained attention model is shared through <see cref="ModelCache"/> as <c>04-sentiment</c>.
/// </summary>
public sealed class SentimentExperiment : IDisposable
{
    /// <summary>The <see cref="ModelCache"/> name of the trained attention classifier.</summary>
    public const string CacheName = "04-sentiment";

    private SentimentExperiment(SentimentSettings settings, Vocabulary vocabulary, EncodedTexts train, EncodedTexts validation, EncodedTexts test,
        IReadOnlyList<Review> trainReviews, IReadOnlyList<Review> validationReviews, IReadOnlyList<Review> testReviews)
    {
        Settings = settings;
        Vocabulary = vocabulary;
        Train = train;
        Validation = validation;
        Test = test;
        TrainReviews = trainReviews;
        ValidationReviews = validationReviews;
        TestReviews = testReviews;
    }

    public SentimentSettings Settings { get; }

    /// <summary>Built on the training part only (never validation or test).</summary>
    public Vocabulary Vocabulary { get; }

    public EncodedTexts Train { get; }
    public EncodedTexts Validation { get; }
    public EncodedTexts Test { get; }
    public IReadOnlyList<Review> TrainReviews { get; }
    public IReadOnlyList<Review> ValidationReviews { get; }
    public IReadOnlyList<Review> TestReviews { get; }

    /// <summary>
    /// Loads the shipped reviews, carves the validation part out of the training split (seed
    /// <c>Course.SeedFor("validation split")</c>), tokenises, builds the vocabulary on the training part and encodes
    /// all three splits with the length cap.
    /// </summary>
    public static SentimentExperiment Prepare(SentimentSettings? settings = null)
    {
        settings ??= SentimentSettings.ForMode;
        var allTrain = FineFoods.Train();
        var allTest = FineFoods.Test();
        if (settings.TrainCount > allTrain.Count || settings.TestCount > allTest.Count)
            throw new ArgumentException($"settings ask for {settings.TrainCount} training and {settings.TestCount} test reviews; the data have {allTrain.Count} and {allTest.Count}.", nameof(settings));
        // A prefix of the shipped order (the package's), so quick mode uses a fixed subset whatever the seed.
        var (train, validation) = FineFoods.SplitValidation(allTrain.Take(settings.TrainCount).ToArray(), settings.ValidationCount, Course.SeedFor("validation split"));
        var test = allTest.Take(settings.TestCount).ToArray();
        var trainTokens = train.Select(r => WordTokenizer.Tokenize(r.Text)).ToArray();
        var vocabulary = Vocabulary.Build(trainTokens, minCount: settings.MinCount);
        EncodedTexts Encode(IReadOnlyList<Review> reviews, string[][]? tokens = null) => EncodedTexts.From(
            tokens ?? reviews.Select(r => WordTokenizer.Tokenize(r.Text)).ToArray(), reviews.Select(r => r.Label).ToArray(), vocabulary, settings.MaxTokens);
        return new SentimentExperiment(settings, vocabulary, Encode(train, trainTokens), Encode(validation), Encode(test), train, validation, test);
    }

    /// <summary>
    /// A new, untrained BiGRU classifier with this experiment's sizes, initialised from
    /// <c>Course.SeedFor("sentiment model " + pooling)</c> (so the attention and the mean-pooling models start differently,
    /// and both change with the course seed).
    /// </summary>
    public BiGruClassifier NewModel(Pooling pooling, bool readPadding = false)
    {
        Course.SetSeed(Course.SeedFor($"sentiment model {pooling}"));
        return new BiGruClassifier(Vocabulary.Count, FineFoods.ClassNames.Count, pooling, Settings.EmbeddingDim, Settings.HiddenDim,
            Settings.AttentionDim, Settings.Dropout, Settings.WordDropout, readPadding);
    }

    /// <summary>The training options of the BiGRU models (see lesson 04 for the reasons).</summary>
    public TrainerOptions Options => new()
    {
        Epochs = Settings.Epochs, BatchSize = Settings.BatchSize, LearningRate = Settings.LearningRate,
        WarmupSteps = 20, ClipGradientNorm = 1.0, EarlyStoppingPatience = 3, Seed = Course.SeedFor("sentiment batches"),
    };

    /// <summary>
    /// Trains a BiGRU classifier on the training part with cross-entropy, scoring validation accuracy after each epoch;
    /// keeps the weights of the best validation epoch. Batches group reviews of similar length
    /// (<see cref="TensorDataset.WithLengthBuckets"/>) and run on one thread (<see cref="TorchThreads"/>).
    /// </summary>
    /// <param name="model">A model from <see cref="NewModel"/>.</param>
    /// <param name="onEpoch">Called after each epoch (a live chart).</param>
    /// <param name="epochs">Epochs, if not <see cref="SentimentSettings.Epochs"/>.</param>
    public TrainingHistory Fit(BiGruClassifier model, Action<EpochReport>? onEpoch = null, int? epochs = null)
    {
        using var threads = TorchThreads.Limit(1);
        using var data = new TensorDataset(Train.Ids, Train.KeyPadding, Train.Labels)
            .WithLengthBuckets(Train.Tokens.Select(t => (long)t.Length).ToArray());
        return Trainer.Fit(model, data, batch =>
        {
            var (ids, padding) = EncodedTexts.TrimPadding(batch[0], batch[1]);
            return functional.cross_entropy(model.call(ids, padding), batch[2]);
        }, Options with { Epochs = epochs ?? Settings.Epochs }, validate: () => Accuracy(model, Validation), onEpoch: onEpoch);
    }

    /// <summary>
    /// The <see cref="ModelCache"/> key: the settings and a fingerprint of the vocabulary, so a changed tokenizer or data
    /// file can never load weights trained on other word ids.
    /// </summary>
    public string CacheKey => Settings.CacheKey + " vocabulary " + Convert.ToHexString(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", Vocabulary.Tokens))))[..16];

    /// <summary>
    /// Trains a new attention classifier (as lesson 04 does, with its live chart) and saves it for lessons 02 and 16
    /// (<see cref="ModelCache.Save"/>, name <see cref="CacheName"/>).
    /// </summary>
    public (BiGruClassifier model, TrainingHistory history) TrainAttentionModel(Action<EpochReport>? onEpoch = null)
    {
        var model = NewModel(Pooling.Attention);
        var history = Fit(model, onEpoch);
        ModelCache.Save(model, CacheName, CacheKey);
        return (model, history);
    }

    /// <summary>
    /// The trained attention classifier, as lesson 04 saved it (<see cref="ModelCache"/>, name <see cref="CacheName"/>);
    /// trained here if no saved copy exists for this seed and mode. Returns the model and whether it was loaded.
    /// </summary>
    public (BiGruClassifier model, bool loaded) AttentionModel(Action<EpochReport>? onEpoch = null)
    {
        var model = NewModel(Pooling.Attention);
        bool loaded = ModelCache.LoadOrTrain(model, CacheName, CacheKey, () => Fit(model, onEpoch));
        return (model, loaded);
    }

    /// <summary>A new bag-of-words logistic regression over this vocabulary (seeded like <see cref="NewModel"/>).</summary>
    public BagOfWordsClassifier NewBagOfWords()
    {
        Course.SetSeed(Course.SeedFor("sentiment bag of words"));
        return new BagOfWordsClassifier(Vocabulary.Count, FineFoods.ClassNames.Count);
    }

    /// <summary>
    /// Trains the bag-of-words baseline once per L2 penalty in <see cref="SentimentSettings.BagOfWordsWeightDecays"/> and
    /// keeps the one with the best validation accuracy (the baseline gets its regularisation tuned, as the BiGRU gets
    /// early stopping). Returns the model, the chosen penalty and each penalty's validation accuracy.
    /// </summary>
    public (BagOfWordsClassifier model, double weightDecay, double[] validationAccuracies) FitBagOfWords(Action<string, EpochReport>? onEpoch = null)
    {
        using var threads = TorchThreads.Limit(1);
        BagOfWordsClassifier? best = null;
        double bestDecay = double.NaN, bestAccuracy = double.NegativeInfinity;
        var accuracies = new List<double>();
        using var data = new TensorDataset(Train.Ids, Train.KeyPadding, Train.Labels);
        foreach (var decay in Settings.BagOfWordsWeightDecays)
        {
            var model = NewBagOfWords();
            var options = new TrainerOptions
            {
                Epochs = Settings.BagOfWordsEpochs, BatchSize = 64, LearningRate = Settings.BagOfWordsLearningRate,
                Optimizer = OptimizerKind.AdamW, WeightDecay = decay, Seed = Course.SeedFor("sentiment batches"),
            };
            Trainer.Fit(model, data, batch => functional.cross_entropy(model.call(batch[0], batch[1]), batch[2]), options,
                validate: () => Accuracy(model, Validation), onEpoch: onEpoch is null ? null : r => onEpoch($"L2 {decay:G2}", r));
            double accuracy = Accuracy(model, Validation);
            accuracies.Add(accuracy);
            if (accuracy > bestAccuracy) { best?.Dispose(); best = model; bestDecay = decay; bestAccuracy = accuracy; }
            else model.Dispose();
        }
        return (best!, bestDecay, accuracies.ToArray());
    }

    /// <summary>
    /// P(class 1 = great) for every text of a split, in order, in eval mode without gradients, on one thread. Texts go in
    /// batches of 256 in their order, each padded to its longest text; <paramref name="padTo"/> pads every batch to that
    /// length instead, and <paramref name="padTo"/> = 0 runs every text without any padding (batches of equal length).
    /// A correct model gives the same probabilities all three ways.
    /// </summary>
    public static double[] Probabilities(Module<Tensor, Tensor, Tensor> model, EncodedTexts texts, int? padTo = null)
    {
        var result = new double[texts.Count];
        bool wasTraining = model.training;
        model.eval();
        using var threads = TorchThreads.Limit(1);
        try
        {
            using var noGrad = no_grad();
            var lengths = texts.Tokens.Select(t => t.Length).ToArray();
            var batches = padTo == 0
                ? Enumerable.Range(0, texts.Count).GroupBy(i => lengths[i]).SelectMany(g => g.Chunk(256))
                : Enumerable.Range(0, texts.Count).Chunk(256);
            foreach (var rows in batches)
            {
                using var scope = NewDisposeScope();
                var (ids, padding) = texts.Rows(tensor(rows.Select(i => (long)i).ToArray()));
                if (padTo > 0)
                {
                    if (padTo < ids.shape[1]) throw new ArgumentException($"padTo ({padTo}) must be at least the longest text ({ids.shape[1]}).", nameof(padTo));
                    ids = functional.pad(ids, new long[] { 0, padTo.Value - ids.shape[1] }, value: Vocabulary.PaddingId);
                    padding = functional.pad(padding.to_type(ScalarType.Int64), new long[] { 0, padTo.Value - padding.shape[1] }, value: 1).to_type(ScalarType.Bool);
                }
                var probability = functional.softmax(model.call(ids, padding), 1).select(1, 1).to_type(ScalarType.Float64).data<double>().ToArray(); // (b)
                for (int k = 0; k < rows.Length; k++) result[rows[k]] = probability[k];
            }
        }
        finally { model.train(wasTraining); }
        return result;
    }

    /// <summary>The pooling weight of every word of every text (row i has one weight per token of text i), in eval mode.</summary>
    public static double[][] Weights(BiGruClassifier model, EncodedTexts texts)
    {
        bool wasTraining = model.training;
        model.eval();
        using var threads = TorchThreads.Limit(1);
        try
        {
            using var noGrad = no_grad();
            var result = new double[texts.Count][];
            for (int start = 0; start < texts.Count; start += 256)
            {
                using var scope = NewDisposeScope();
                int size = Math.Min(256, texts.Count - start);
                var (ids, padding) = texts.Rows(arange(start, start + size));
                var rows = Plotting.Charts.ToRows(model.Classify(ids, padding).weights);
                for (int k = 0; k < size; k++) result[start + k] = rows[k][..texts.Tokens[start + k].Length];
            }
            return result;
        }
        finally { model.train(wasTraining); }
    }

    /// <summary>Accuracy on a split of the prediction P(great) ≥ 0.5.</summary>
    public static double Accuracy(Module<Tensor, Tensor, Tensor> model, EncodedTexts texts)
        => Metrics.Classification.Accuracy(texts.LabelArray, Metrics.Classification.Predict(Probabilities(model, texts)));

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
