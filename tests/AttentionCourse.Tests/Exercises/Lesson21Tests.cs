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
        // A student trained close to the teacher: the teacher's weights plus a small perturbation.
        var student = CopyOf(teacher, eval: false);
        using (no_grad())
            foreach (var parameter in student.parameters()) parameter.add_(randn_like(parameter) * 0.01);

        Assert.True(Lesson21.IsTrainedReloadedStudent(CopyOf(student), student, studentAtStart, teacher, heldOut));
        Assert.False(Lesson21.IsTrainedReloadedStudent(student, student, studentAtStart, teacher, heldOut));          // not a reloaded copy
        Assert.False(Lesson21.IsTrainedReloadedStudent(CopyOf(student, eval: false), student, studentAtStart, teacher, heldOut)); // train mode
        Assert.False(Lesson21.IsTrainedReloadedStudent(CopyOf(studentAtStart), student, studentAtStart, teacher, heldOut)); // not the student's weights

        // The student's weights, but untrained: equal to the start, so rejected although it is an eval-mode copy.
        var untrained = CopyOf(studentAtStart, eval: false);
        Assert.False(Lesson21.IsTrainedReloadedStudent(CopyOf(untrained), untrained, studentAtStart, teacher, heldOut));

        // The teacher's weights copied instead of trained (load_state_dict(teacher.state_dict())): rejected.
        var copiedTeacher = CopyOf(teacher, eval: false);
        Assert.False(Lesson21.IsTrainedReloadedStudent(CopyOf(copiedTeacher), copiedTeacher, studentAtStart, teacher, heldOut));
    }

    [Fact]
    public void BuiltInCrossAttentionEqualsCrossAttentionWrittenOutByHand()
    {
        Course.SetSeed();
        long B = 2, T = 3, S = 4;
        var (inW, inB, outW, outB) = (randn(3 * E, E) * 0.3, randn(3 * E) * 0.1, randn(E, E) * 0.3, randn(E) * 0.1);
        var query = randn(B, T, E);
        var memory = randn(B, S, E);
        var padding = tensor(new[] { false, false, false, false, false, false, true, true }).view(B, S);   // row 1: last two padded

        var output = Lesson21.BuiltInCrossAttention(inW, inB, outW, outB, H, query, memory, padding);

        // Independent reference: per head, softmax over the unpadded keys, written with plain loops of tensor ops.
        long D = E / H;
        var q = query.matmul(inW.narrow(0, 0, E).t()) + inB.narrow(0, 0, E);            // (B, T, E)
        var k = memory.matmul(inW.narrow(0, E, E).t()) + inB.narrow(0, E, E);           // (B, S, E)
        var v = memory.matmul(inW.narrow(0, 2 * E, E).t()) + inB.narrow(0, 2 * E, E);   // (B, S, E)
        var expected = zeros(B, T, E);
        for (long b = 0; b < B; b++)
        {
            long real = b == 0 ? S : S - 2;
            for (long h = 0; h < H; h++)
            {
                var qh = q[b].narrow(1, h * D, D);                                        // (T, D)
                var kh = k[b].narrow(0, 0, real).narrow(1, h * D, D);                     // (real, D)
                var vh = v[b].narrow(0, 0, real).narrow(1, h * D, D);
                var w = (qh.matmul(kh.t()) / Math.Sqrt(D)).softmax(-1);                   // (T, real)
                expected[b].narrow(1, h * D, D).copy_(w.matmul(vh));
            }
        }
        expected = expected.matmul(outW.t()) + outB;

        Assert.Equal(new[] { B, T, E }, output.shape);
        Assert.True(Checks.MaxAbsDifference(output, expected) < 1e-5);
    }
}
