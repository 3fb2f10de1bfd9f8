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
        TrainCount: Course.Pick(10000, 3000), ValidationCount: Course.Pick(500, 300), TestCount: Course.Pick(2000, 500),
        EmbeddingDim: 32, EncoderHidden: 64, AttentionDim: 64,
        Epochs: Course.Pick(4, 3), BatchSize: 64, LearningRate: 0.004);
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

    /// <summary>The parts of an ISO date, in the order of <see cref="AlignmentByPart"/>'s rows: characters 0–3, 5–6 and 8–9.</summary>
    public static readonly (string name, int first, int last)[] TargetParts = { ("year", 0, 3), ("month", 5, 6), ("day", 8, 9) };

    /// <summary>The columns of <see cref="AlignmentByPart"/>: where the attention mass lands in the source.</summary>
    public static readonly string[] SourceParts = { "year", "month", "day", "other" };

    /// <summary>
    /// Where the model looks while writing each part of the ISO date: entry [i, j] is the mean (over
    /// <paramref name="pairs"/>) of the attention mass on source part j (its characters in the human-written date) summed
    /// over the steps that write target part i, divided by the number of those steps. Rows sum to 1. Weights come from
    /// teacher-forced decoding of the true target (the steps then write exactly the target's characters).
    /// </summary>
    public static double[,] AlignmentByPart(Seq2SeqModel model, DateTranslationTask task, IReadOnlyList<DatePair> pairs)
    {
        var mass = new double[TargetParts.Length, SourceParts.Length];
        using var data = task.ToTensors(pairs);
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        model.eval();
        var (_, weights) = model.call(data[0], data[1], data[2]);                               // (N, T, S)
        var rows = weights.to_type(TorchSharp.torch.ScalarType.Float64).data<double>().ToArray();
        long T = weights.shape[1], S = weights.shape[2];
        for (int n = 0; n < pairs.Count; n++)
        {
            var part = SourcePartOfEachCharacter(pairs[n]);
            for (int i = 0; i < TargetParts.Length; i++)
            {
                var (_, first, last) = TargetParts[i];
                for (int t = first; t <= last; t++)
                    for (int s = 0; s < part.Length; s++)
                        mass[i, part[s]] += rows[(n * T + t) * S + s] / (last - first + 1) / pairs.Count;
            }
        }
        return mass;
    }

    /// <summary>For each character of the source: 0 = year, 1 = month, 2 = day, 3 = anything else (weekday, separators).</summary>
    public static int[] SourcePartOfEachCharacter(DatePair pair)
    {
        var part = Enumerable.Repeat(3, pair.Source.Length).ToArray();
        void Mark(Data.TextSpan? span, int value)
        {
            if (span is Data.TextSpan s) for (int k = s.Start; k < s.End; k++) part[k] = value;
        }
        Mark(pair.Parts.Year, 0);
        Mark(pair.Parts.Month, 1);
        Mark(pair.Parts.Day, 2);
        return part;
    }

    /// <summary>Exact match of greedy decoding on the pairs that satisfy <paramref name="where"/> (NaN if none does).</summary>
    public static double ExactMatchWhere(Seq2SeqModel model, DateTranslationTask task, IReadOnlyList<DatePair> pairs, Func<DatePair, bool> where)
    {
        var chosen = pairs.Where(where).ToArray();
        if (chosen.Length == 0) return double.NaN;
        using var data = task.ToTensors(chosen);
        return Seq2SeqTraining.ExactMatch(model, data, Decoding(task));
    }
}
