using AttentionCourse.Data;
using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 29's exercises.</summary>
public static class Lesson29
{
    /// <summary>Share of dialogues whose arg-max answer is right.</summary>
    public static double Accuracy(HierarchicalDialogueEncoder model, FactRecallDialogues data)
        => Accuracy(model, data.WordIds, data.WordPadding, data.Answers);

    /// <summary>
    /// Accuracy after blanking, in each dialogue, the history turn the model attends to most (its words become padding,
    /// so it is a padded turn that gets no weight). Computed dialogue by dialogue, independently of vectorised code.
    /// </summary>
    public static double AccuracyWithTopTurnRemoved(HierarchicalDialogueEncoder model, FactRecallDialogues data)
    {
        if (model.Summary != TurnSummary.Attention) throw new ArgumentException("model must attend over turns (TurnSummary.Attention).", nameof(model));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var (_, weights) = model.Answer(data.WordIds, data.WordPadding);
        var top = weights!.argmax(1).data<long>().ToArray();
        var ids = data.WordIds.clone();
        var padding = data.WordPadding.clone();
        for (int n = 0; n < top.Length; n++)
        {
            ids[n, top[n]] = zeros(data.WordIds.shape[2], dtype: ScalarType.Int64);
            padding[n, top[n]] = ones(data.WordIds.shape[2], dtype: ScalarType.Bool);
        }
        return Accuracy(model, ids, padding, data.Answers);
    }

    private static double Accuracy(HierarchicalDialogueEncoder model, Tensor ids, Tensor padding, Tensor answers)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        return model.call(ids, padding).argmax(1).eq(answers).to_type(ScalarType.Float64).mean().item<double>();
    }
}
