using AttentionCourse.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Exercises;

/// <summary>Reference checks for lesson 21's exercises.</summary>
public static class Lesson21
{
    /// <summary>
    /// Mean squared error, on <paramref name="heldOut"/> <c>(B, T, E)</c>, between <paramref name="model"/> and
    /// <paramref name="teacher"/>, without gradients and in whatever mode the modules are in (it changes neither the
    /// modules nor torch's random state).
    /// </summary>
    public static double HeldOutLoss(MultiHeadAttention model, MultiHeadAttention teacher, Tensor heldOut)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return functional.mse_loss(model.SelfAttention(heldOut).output, teacher.SelfAttention(heldOut).output).item<float>();
    }

    /// <summary>
    /// Exercise 2's rule. <paramref name="reloaded"/> is right when it is a module other than <paramref name="student"/>
    /// (a copy loaded from the saved file), in eval mode, with exactly the student's parameters, which differ from the
    /// untrained <paramref name="studentAtStart"/>'s (by more than 1e-3 somewhere), and when its held-out loss to
    /// <paramref name="teacher"/>, computed here, is at most half of <paramref name="studentAtStart"/>'s.
    /// </summary>
    public static bool IsTrainedReloadedStudent(MultiHeadAttention reloaded, MultiHeadAttention student,
        MultiHeadAttention studentAtStart, MultiHeadAttention teacher, Tensor heldOut)
    {
        if (ReferenceEquals(reloaded, student) || reloaded.training) return false;
        var reloadedParameters = reloaded.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var startParameters = studentAtStart.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        double fromStart = 0;
        foreach (var (name, parameter) in student.named_parameters())
        {
            if (!reloadedParameters.TryGetValue(name, out var copy) || Checks.MaxAbsDifference(copy, parameter) != 0) return false;
            fromStart = Math.Max(fromStart, Checks.MaxAbsDifference(copy, startParameters[name]));
        }
        return fromStart > 1e-3 && HeldOutLoss(reloaded, teacher, heldOut) <= 0.5 * HeldOutLoss(studentAtStart, teacher, heldOut);
    }
}
