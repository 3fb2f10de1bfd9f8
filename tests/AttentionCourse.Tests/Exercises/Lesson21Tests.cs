using AttentionCourse.Exercises;
using AttentionCourse.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Exercises;

public class Lesson21Tests
{
    private const long E = 16, H = 4;

    private static MultiHeadAttention CopyOf(MultiHeadAttention source, bool eval = true)
    {
        var copy = new MultiHeadAttention(E, H, dropout: 0.1);
        var target = copy.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
            foreach (var (name, parameter) in source.named_parameters()) target[name].copy_(parameter);
        if (eval) copy.eval(); else copy.train();
        return copy;
    }

    [Fact]
    public void HeldOutLossIsTheMeanSquaredGapComputedWithTheBuiltInLayer()
    {
        Course.SetSeed();
        var teacher = new MultiHeadAttention(E, H);
        teacher.eval();
        var model = new MultiHeadAttention(E, H, dropout: 0.1);
        model.eval();
        var heldOut = randn(3, 5, E);                                                  // (B, T, E)

        double loss = Lesson21.HeldOutLoss(model, teacher, heldOut);

        // Independent reference: both layers' weights run through TorchSharp's own nn.MultiheadAttention
        // (sequence-first), and the squared gap averaged by hand.
        Tensor BuiltInOutput(MultiHeadAttention layer)
        {
            var reference = MultiheadAttention(E, H);
            reference.eval();
            var parameters = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            using (no_grad())
            {
                parameters["in_proj_weight"].copy_(layer.InputProjectionWeight);
                parameters["in_proj_bias"].copy_(layer.InputProjectionBias!);
                parameters["out_proj.weight"].copy_(layer.OutputProjection.weight!);
                parameters["out_proj.bias"].copy_(layer.OutputProjection.bias!);
            }
            var sequenceFirst = heldOut.transpose(0, 1);
            using var noGrad = no_grad();
            return reference.call(sequenceFirst, sequenceFirst, sequenceFirst, null, false, null).Item1.transpose(0, 1);
        }
        var gap = BuiltInOutput(model) - BuiltInOutput(teacher);
        double expected = (gap * gap).sum().item<float>() / gap.numel();

        Assert.True(loss > 0);
        Assert.Equal(expected, loss, 1e-6);
    }

    [Fact]
    public void TheRuleAcceptsOnlyAnEvalModeCopyOfATrainedStudent()
    {
        Course.SetSeed();
        var teacher = new MultiHeadAttention(E, H);
        teacher.eval();
        var heldOut = randn(3, 5, E);                                                  // (B, T, E)
        var studentAtStart = new MultiHeadAttention(E, H, dropout: 0.1);
        studentAtStart.eval();
        // A student "trained" to perfection: the teacher's weights (held-out loss 0).
        var student = CopyOf(teacher, eval: false);

        Assert.True(Lesson21.IsTrainedReloadedStudent(CopyOf(student), student, studentAtStart, teacher, heldOut));
        Assert.False(Lesson21.IsTrainedReloadedStudent(student, student, studentAtStart, teacher, heldOut));          // not a reloaded copy
        Assert.False(Lesson21.IsTrainedReloadedStudent(CopyOf(student, eval: false), student, studentAtStart, teacher, heldOut)); // train mode
        Assert.False(Lesson21.IsTrainedReloadedStudent(CopyOf(studentAtStart), student, studentAtStart, teacher, heldOut)); // not the student's weights

        // The student's weights, but untrained: equal to the start, so rejected although it is an eval-mode copy.
        var untrained = CopyOf(studentAtStart, eval: false);
        Assert.False(Lesson21.IsTrainedReloadedStudent(CopyOf(untrained), untrained, studentAtStart, teacher, heldOut));
    }
}
