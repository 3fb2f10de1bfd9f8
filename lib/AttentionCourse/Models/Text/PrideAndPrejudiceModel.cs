using AttentionCourse.Data;
using AttentionCourse.Training;

namespace AttentionCourse.Models;

/// <summary>
/// Lesson 17's character-level language model of <i>Pride and Prejudice</i>, in one place so that lessons 24, 25 and 30
/// build, train or load exactly the model lesson 17 trained: its sizes, its training settings, and its cache key.
/// </summary>
/// <remarks>
/// Sized for a lesson that must train in about half a minute of one CPU core (full mode) and a few seconds (quick mode).
/// Full mode: 2 layers, 4 heads, width 64, block 64 (a quarter of nanoGPT's CPU recipe's width² and half its depth), 750
/// steps. Quick mode: 1 layer, width 48, block 32, 400 steps. Both clear the bigram baseline on every seed swept (lesson 17).
/// </remarks>
public static class PrideAndPrejudiceModel
{
    /// <summary>The <see cref="ModelCache"/> name lessons 24, 25 and 30 load.</summary>
    public const string CacheName = "17-char-lm";

    /// <summary>The model's sizes for this mode, for a vocabulary of <paramref name="vocabularySize"/> characters.</summary>
    public static DecoderOnlyConfig Config(long vocabularySize) => Course.Quick
        ? new DecoderOnlyConfig(vocabularySize, BlockSize: 32, Width: 48, Layers: 1, Heads: 4)
        : new DecoderOnlyConfig(vocabularySize, BlockSize: 64, Width: 64, Layers: 2, Heads: 4);

    /// <summary>Training settings for this mode (batches drawn with a seed derived from the course seed).</summary>
    public static LanguageModelTrainingOptions TrainingOptions => new()
    {
        Steps = Course.Pick(750, 400),
        BatchSize = 16,
        LearningRate = Course.Pick(3e-3, 5e-3),
        WarmupSteps = Course.Pick(50, 20),
        EvaluateEvery = 100,
        EvaluationWindows = Course.Pick(200, 100),
        Seed = Course.SeedFor("17 batches"),
    };

    /// <summary>The corpus lessons 17, 24, 25 and 30 use: the novel in 100 blocks, every 10th held out.</summary>
    public static CharacterCorpus Corpus() => CharacterCorpus.Split(PrideAndPrejudice.Load());

    /// <summary>Everything the weights depend on besides seed and mode: the cache key's configuration.</summary>
    public static string CacheKey(CharacterCorpus corpus) =>
        $"{Config(corpus.Vocabulary.Count)} {TrainingOptions with { Seed = 0 }} text {corpus.Text.Length} chars, {corpus.TrainingSpans.Count} training spans, vocabulary {string.Concat(corpus.Vocabulary.Tokens.Skip(2))}";

    /// <summary>A new, untrained model of this mode's size, initialised from the course seed.</summary>
    public static DecoderOnlyTransformer Create(CharacterCorpus corpus)
    {
        Course.SetSeed(Course.SeedFor("17 model"));
        return new DecoderOnlyTransformer(Config(corpus.Vocabulary.Count));
    }

    /// <summary>Trains <paramref name="model"/> (from <see cref="Create"/>) with this mode's settings, reporting to
    /// <paramref name="onReport"/>, and saves it for the later lessons (<see cref="ModelCache.Save"/>).</summary>
    public static LanguageModelHistory Train(DecoderOnlyTransformer model, CharacterCorpus corpus, Action<LanguageModelReport>? onReport = null)
    {
        var history = LanguageModelTrainer.Train(model, corpus, model.Config.BlockSize, TrainingOptions, onReport);
        ModelCache.Save(model, CacheName, CacheKey(corpus));
        return history;
    }

    /// <summary>Lesson 17's trained model: loaded from the file lesson 17 saved, or trained now if there is none (same
    /// seed, same mode, same result).</summary>
    public static DecoderOnlyTransformer LoadOrTrain(CharacterCorpus corpus)
    {
        var model = Create(corpus);
        ModelCache.LoadOrTrain(model, CacheName, CacheKey(corpus),
            () => LanguageModelTrainer.Train(model, corpus, model.Config.BlockSize, TrainingOptions));
        return model;
    }
}
