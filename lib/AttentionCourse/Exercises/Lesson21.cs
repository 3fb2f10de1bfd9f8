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
    /// Exercise 1's reference: TorchSharp's own <c>nn.MultiheadAttention</c> (sequence-first), given the four weight tensors,
    /// computing cross-attention of <paramref name="query"/> <c>(B, T, E)</c> over <paramref name="memory"/> <c>(B, S, E)</c>
    /// with <paramref name="memoryPadding"/> <c>(B, S)</c> (true = padded); returned batch-first <c>(B, T, E)</c>.
    /// </summary>
    public static Tensor BuiltInCrossAttention(Tensor inProjWeight, Tensor inProjBias, Tensor outProjWeight, Tensor outProjBias,
        long heads, Tensor query, Tensor memory, Tensor memoryPadding)
    {
        long E = query.shape[2];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var layer = MultiheadAttention(E, heads);
        layer.eval();
        var parameters = layer.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        parameters["in_proj_weight"].copy_(inProjWeight);
        parameters["in_proj_bias"].copy_(inProjBias);
        parameters["out_proj.weight"].copy_(outProjWeight);
        parameters["out_proj.bias"].copy_(outProjBias);
        var memorySequenceFirst = memory.transpose(0, 1);                                  // (S, B, E)
        var output = layer.call(query.transpose(0, 1), memorySequenceFirst, memorySequenceFirst, memoryPadding, false, null).Item1;
        return output.transpose(0, 1).contiguous().MoveToOuterDisposeScope();             // (B, T, E)
    }

    /// <summary>
    /// Exercise 2's rule. <paramref name="reloaded"/> is right when it is a module other than <paramref name="student"/>
    /// (a copy loaded from the saved file), in eval mode, with exactly the student's parameters, which differ from the
    /// untrained <paramref name="studentAtStart"/>'s and from <paramref name="teacher"/>'s (by more than 1e-3 somewhere: a
    /// copy of the teacher's weights is not a trained student), and when its held-out loss to <paramref name="teacher"/>,
    /// computed here, is at most half of <paramref name="studentAtStart"/>'s.
    /// </summary>
    public static bool IsTrainedReloadedStudent(MultiHeadAttention reloaded, MultiHeadAttention student,
        MultiHeadAttention studentAtStart, MultiHeadAttention teacher, Tensor heldOut)
    {
        if (ReferenceEquals(reloaded, student) || reloaded.training) return false;
        var reloadedParameters = reloaded.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var startParameters = studentAtStart.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var teacherParameters = teacher.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        double fromStart = 0, fromTeacher = 0;
        foreach (var (name, parameter) in student.named_parameters())
        {
            if (!reloadedParameters.TryGetValue(name, out var copy) || Checks.MaxAbsDifference(copy, parameter) != 0) return false;
            fromStart = Math.Max(fromStart, Checks.MaxAbsDifference(copy, startParameters[name]));
            fromTeacher = Math.Max(fromTeacher, Checks.MaxAbsDifference(copy, teacherParameters[name]));
        }
        return fromStart > 1e-3 && fromTeacher > 1e-3 && HeldOutLoss(reloaded, teacher, heldOut) <= 0.5 * HeldOutLoss(studentAtStart, teacher, heldOut);
    }
}
