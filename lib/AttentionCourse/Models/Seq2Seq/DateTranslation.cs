using AttentionCourse.Data;
using AttentionCourse.Training;

namespace AttentionCourse.Models;

/// <summary>Settings of the lesson-10 date translator: data sizes, model sizes and training budget.</summary>
/// <param name="TrainCount">Training pairs.</param>
/// <param name="ValidationCount">Validation pairs (held-out dates), decoded after each epoch.</param>
/// <param name="TestCount">Test pairs (other held-out dates).</param>
/// <param name="EmbeddingDim">Character embedding width.</param>
/// <param name="EncoderHidden">Width of each encoder direction.</param>
/// <param name="AttentionDim">Bahdanau scorer width.</param>
/// <param name="Epochs">Epochs.</param>
/// <param name="BatchSize">Batch size.</param>
/// <param name="LearningRate">Adam's peak learning rate (cosine decay).</param>
public sealed record DateTranslationSettings(int TrainCount, int ValidationCount, int TestCount, long EmbeddingDim, long EncoderHidden,
    long AttentionDim, int Epochs, long BatchSize, double LearningRate)
{
    /// <summary>The sizes lesson 10 uses (full and quick mode, see <see cref="Course.Pick{T}"/>).</summary>
    public static DateTranslationSettings Lesson10 => new(
        TrainCount: Course.Pick(12000, 6000), ValidationCount: 500, TestCount: Course.Pick(2000, 1000),
        EmbeddingDim: 32, EncoderHidden: 64, AttentionDim: 64,
        Epochs: Course.Pick(8, 6), BatchSize: 64, LearningRate: 0.004);
}

/// <summary>
/// Lesson 10's model in one place, so lesson 30 (and anyone) can rebuild or reload it with one call: the date task
/// (<see cref="DateTranslationTask"/>), a <see cref="Seq2SeqModel"/> with the chosen attention, its training, and
/// exact-match evaluation.
/// </summary>
public static class DateTranslation
{
    /// <summary>The task at these settings, with the course's data seeds (train/validation/test split of the dates).</summary>
    public static DateTranslationTask CreateTask(DateTranslationSettings settings)
        => DateTranslationTask.Create(settings.TrainCount, settings.ValidationCount, settings.TestCount, Course.SeedFor("date pairs"));

    /// <summary>A fresh model for the task (initialised from <paramref name="initSeed"/>, default the course seed).</summary>
    public static Seq2SeqModel Build(DateTranslationTask task, DateTranslationSettings settings, DecoderAttention attention, int? initSeed = null)
    {
        Course.SetSeed(initSeed);
        return new Seq2SeqModel(Sizes(task, settings, attention));
    }

    /// <summary>The model sizes for the task.</summary>
    public static Seq2SeqSizes Sizes(DateTranslationTask task, DateTranslationSettings settings, DecoderAttention attention)
        => new(task.SourceVocabulary.Count, task.TargetVocabulary.Count, attention, settings.EmbeddingDim, settings.EncoderHidden, AttentionDim: settings.AttentionDim);

    /// <summary>Decoding options: ISO dates are 10 characters, plus &lt;eos&gt;; 12 allows one wrong extra.</summary>
    public static DecodingOptions Decoding(DateTranslationTask task) => DecodingOptions.For(task.TargetVocabulary, maxLength: 12);

    /// <summary>Trains <paramref name="model"/> on the task; validation = exact match on the validation pairs after each epoch.</summary>
    public static TrainingHistory Train(Seq2SeqModel model, DateTranslationTask task, DateTranslationSettings settings, Action<EpochReport>? onEpoch = null)
    {
        using var train = task.ToTensors(task.Train);
        using var validation = task.ToTensors(task.Validation);
        var options = new TrainerOptions { Epochs = settings.Epochs, BatchSize = settings.BatchSize, LearningRate = settings.LearningRate, WarmupSteps = 50 };
        return Seq2SeqTraining.Fit(model, train, options, () => Seq2SeqTraining.ExactMatch(model, validation, Decoding(task)), onEpoch);
    }

    /// <summary>
    /// Lesson 10's trained model: loaded from <c>out/models</c> if lesson 10 (or an earlier call) saved it under the same
    /// settings, seed and mode, else built and trained here (<see cref="ModelCache.LoadOrTrain"/>, key <c>10-dates</c>).
    /// </summary>
    public static (Seq2SeqModel model, DateTranslationTask task) LoadOrTrain(DateTranslationSettings? settings = null,
        DecoderAttention attention = DecoderAttention.Bahdanau, Action<EpochReport>? onEpoch = null)
    {
        settings ??= DateTranslationSettings.Lesson10;
        var task = CreateTask(settings);
        var model = Build(task, settings, attention);
        ModelCache.LoadOrTrain(model, "10-dates", $"{settings} {model.Sizes}", () => Train(model, task, settings, onEpoch));
        return (model, task);
    }
}
