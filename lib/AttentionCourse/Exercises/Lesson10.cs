using AttentionCourse.Data;
using AttentionCourse.Models;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 10's exercises (computed here, never shown before an attempt).</summary>
public static class Lesson10
{
    /// <summary>Exercise 1: exact match of a model on the test pairs whose source names the weekday.</summary>
    public static double ExactMatchWithWeekday(Seq2SeqModel model, DateTranslationTask task)
        => DateTranslation.ExactMatchWhere(model, task, task.Test, p => p.Parts.Weekday is not null);

    /// <summary>Exercise 2: the attention mass on the source's year while the model writes the year (test pairs).</summary>
    public static double YearMassOnYear(Seq2SeqModel model, DateTranslationTask task)
        => DateTranslation.AlignmentByPart(model, task, task.Test)[0, 0];
}
