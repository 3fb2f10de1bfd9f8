using static TorchSharp.torch;

namespace AttentionCourse.Metrics;

/// <summary>
/// A confusion matrix: <c>Counts[actual][predicted]</c> (rows are the true class, columns the predicted class, as in
/// scikit-learn's <c>confusion_matrix</c>).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[][] counts;

    internal ConfusionMatrix(long[][] counts) => this.counts = counts;

    /// <summary>Number of classes C.</summary>
    public int ClassCount => counts.Length;

    /// <summary>The count of examples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => counts[actual][predicted];

    /// <summary>The matrix as rows (a copy): row = actual class, column = predicted class.</summary>
    public long[][] Rows => counts.Select(r => r.ToArray()).ToArray();

    /// <summary>All examples.</summary>
    public long Total => counts.Sum(r => r.Sum());

    /// <summary>Examples of class c predicted as c.</summary>
    public long TruePositives(int c) => counts[c][c];

    /// <summary>Examples of another class predicted as c.</summary>
    public long FalsePositives(int c) => counts.Sum(r => r[c]) - counts[c][c];

    /// <summary>Examples of class c predicted as another class.</summary>
    public long FalseNegatives(int c) => counts[c].Sum() - counts[c][c];

    /// <summary>Examples of class c (its support).</summary>
    public long Support(int c) => counts[c].Sum();
}

/// <summary>Precision, recall and F1 of one class or one average, with the number of examples it covers.</summary>
public sealed record ClassScores(double Precision, double Recall, double F1, long Support);

/// <summary>
/// Every count-based metric of a classifier's predictions, as scikit-learn's <c>classification_report</c> gives them:
/// per class, and averaged three ways. Macro = the plain mean over classes (every class counts the same); micro = the
/// metric of the pooled counts (for single-label data micro precision = micro recall = micro F1 = accuracy);
/// weighted = the mean over classes weighted by support.
/// </summary>
public sealed record ClassificationReport(ConfusionMatrix Confusion, IReadOnlyList<ClassScores> PerClass, double Accuracy,
    ClassScores Macro, ClassScores Micro, ClassScores Weighted);

/// <summary>The binary metrics of predictions for class 1 (the positive class), with the four counts behind them.</summary>
public sealed record BinaryScores(double Accuracy, double Precision, double Recall, double F1,
    long TruePositives, long FalsePositives, long FalseNegatives, long TrueNegatives);

/// <summary>
/// Classification metrics: labels and predictions in (arrays or tensors of class ids, scores or probabilities), plain
/// numbers and records out.
/// </summary>
/// <remarks>
/// Conventions. Labels are class ids 0…C−1; in binary metrics, class 1 is the positive class (flip labels and scores,
/// <c>1 − y</c> and <c>1 − p</c>, to score class 0). A score predicts positive when score ≥ threshold. Undefined
/// quotients are defined as scikit-learn's default (<c>zero_division</c>) defines them, never NaN: precision with no
/// predicted positives is 0, recall with no actual positives is 0, F1 with neither is 0. Ranking metrics that are
/// undefined without both classes (ROC AUC, average precision) throw an <see cref="ArgumentException"/> instead; so does
/// empty input, a label outside 0…C−1, or a NaN score.
/// </remarks>
public static partial class Classification
{
    /// <summary>Fraction of rows whose arg-max logit equals the label. <c>logits (N, C)</c>, <c>labels (N)</c> Int64.</summary>
    public static double Accuracy(Tensor logits, Tensor labels)
    {
        Layers.Check.Rank(logits, 2, nameof(logits), "(examples, classes)");
        Layers.Check.Rank(labels, 1, nameof(labels), "(examples)");
        Layers.Check.Size(labels, 0, logits.shape[0], nameof(labels), "examples, must match logits");
        Layers.Check.NonEmpty(labels, nameof(labels));
        using var predicted = logits.argmax(1);
        using var correct = predicted.eq(labels);
        using var mean = correct.to_type(ScalarType.Float64).mean();
        return mean.item<double>();
    }

    /// <summary>Fraction of examples whose predicted class equals the actual class.</summary>
    public static double Accuracy(long[] actual, long[] predicted)
    {
        CheckPairs(actual, predicted);
        long right = 0;
        for (int i = 0; i < actual.Length; i++) if (actual[i] == predicted[i]) right++;
        return (double)right / actual.Length;
    }

    /// <summary>The confusion matrix over classes 0…<paramref name="classCount"/>−1 (rows actual, columns predicted).</summary>
    public static ConfusionMatrix Confusion(long[] actual, long[] predicted, int classCount)
    {
        CheckPairs(actual, predicted);
        Layers.Check.AtLeast(classCount, 2, nameof(classCount));
        var counts = Enumerable.Range(0, classCount).Select(_ => new long[classCount]).ToArray();
        for (int i = 0; i < actual.Length; i++)
        {
            CheckClass(actual[i], classCount, nameof(actual), i);
            CheckClass(predicted[i], classCount, nameof(predicted), i);
            counts[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts);
    }

    /// <summary>
    /// Precision, recall and F1 per class, their macro, micro and weighted averages, accuracy and the confusion matrix.
    /// Classes absent from both lists still count in the macro average (as scikit-learn does with <c>labels=</c>).
    /// </summary>
    public static ClassificationReport Report(long[] actual, long[] predicted, int classCount)
    {
        var confusion = Confusion(actual, predicted, classCount);
        var perClass = Enumerable.Range(0, classCount).Select(c => Scores(
            confusion.TruePositives(c), confusion.FalsePositives(c), confusion.FalseNegatives(c))).ToArray();
        long total = confusion.Total;
        var macro = new ClassScores(perClass.Average(s => s.Precision), perClass.Average(s => s.Recall), perClass.Average(s => s.F1), total);
        long tp = 0, fp = 0, fn = 0;
        for (int c = 0; c < classCount; c++) { tp += confusion.TruePositives(c); fp += confusion.FalsePositives(c); fn += confusion.FalseNegatives(c); }
        var micro = Scores(tp, fp, fn);
        double Weighted(Func<ClassScores, double> metric) => perClass.Sum(s => metric(s) * s.Support) / total;
        var weighted = new ClassScores(Weighted(s => s.Precision), Weighted(s => s.Recall), Weighted(s => s.F1), total);
        return new ClassificationReport(confusion, perClass, (double)tp / total, macro, micro with { Support = total }, weighted);
    }

    /// <summary>The report of tensors of class ids (<c>(N)</c> Int64 each).</summary>
    public static ClassificationReport Report(Tensor actual, Tensor predicted, int classCount)
        => Report(Longs(actual, nameof(actual)), Longs(predicted, nameof(predicted)), classCount);

    /// <summary>Accuracy, precision, recall and F1 of class 1, with the four counts.</summary>
    public static BinaryScores Binary(long[] actual, long[] predicted)
    {
        var confusion = Confusion(actual, predicted, 2);
        var positive = Scores(confusion[1, 1], confusion[0, 1], confusion[1, 0]);
        return new BinaryScores(Accuracy(actual, predicted), positive.Precision, positive.Recall, positive.F1,
            confusion[1, 1], confusion[0, 1], confusion[1, 0], confusion[0, 0]);
    }

    /// <summary>Predicted classes from scores: 1 where score ≥ <paramref name="threshold"/>, else 0.</summary>
    public static long[] Predict(double[] scores, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(scores);
        CheckScores(scores, nameof(scores));
        return scores.Select(s => s >= threshold ? 1L : 0L).ToArray();
    }

    /// <summary>Precision = TP / (TP + FP); 0 when nothing is predicted positive.</summary>
    public static double Precision(long truePositives, long falsePositives) => Ratio(truePositives, truePositives + falsePositives);

    /// <summary>Recall = TP / (TP + FN); 0 when there is no actual positive.</summary>
    public static double Recall(long truePositives, long falseNegatives) => Ratio(truePositives, truePositives + falseNegatives);

    /// <summary>F1 = 2·TP / (2·TP + FP + FN), the harmonic mean of precision and recall; 0 when TP = FP = FN = 0.</summary>
    public static double F1(long truePositives, long falsePositives, long falseNegatives)
        => Ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);

    private static ClassScores Scores(long tp, long fp, long fn)
        => new(Precision(tp, fp), Recall(tp, fn), F1(tp, fp, fn), tp + fn);

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0.0 : (double)numerator / denominator;

    private static void CheckPairs(long[] actual, long[] predicted)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (actual.Length == 0) throw new ArgumentException("actual must hold at least one label; got none.", nameof(actual));
        if (predicted.Length != actual.Length)
            throw new ArgumentException($"predicted must have one entry per label ({actual.Length}); got {predicted.Length}.", nameof(predicted));
    }

    private static void CheckClass(long label, int classCount, string argument, int index)
    {
        if (label < 0 || label >= classCount)
            throw new ArgumentException($"{argument}[{index}] must be a class id in [0, {classCount - 1}]; got {label}.", argument);
    }

    internal static void CheckScores(double[] scores, string argument)
    {
        for (int i = 0; i < scores.Length; i++)
            if (double.IsNaN(scores[i])) throw new ArgumentException($"{argument}[{i}] is NaN; scores must be numbers.", argument);
    }

    /// <summary>A 1-D tensor of class ids as an array.</summary>
    internal static long[] Longs(Tensor values, string argument)
    {
        Layers.Check.Rank(values, 1, argument, "(examples)");
        using var cpu = values.detach().cpu().to_type(ScalarType.Int64);
        return cpu.data<long>().ToArray();
    }

    /// <summary>A 1-D tensor of scores as an array of doubles.</summary>
    internal static double[] Doubles(Tensor values, string argument)
    {
        Layers.Check.Rank(values, 1, argument, "(examples)");
        using var cpu = values.detach().cpu().to_type(ScalarType.Float64);
        return cpu.data<double>().ToArray();
    }
}
