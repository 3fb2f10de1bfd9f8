using AttentionCourse.Exercises;
using AttentionCourse.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Tests.Exercises;

public class Lesson21Tests
{
    private const long E = 16, H = 4;

    [Fact]
    public void UntrainedStudentLossIsTheMeanSquaredGapToTheBuiltInLayerWithTheStudentsWeights()
    {
        Course.SetSeed();
        var teacher = new MultiHeadAttention(E, H);
        teacher.eval();
        var heldOut = randn(3, 5, E);                                                  // (B, T, E)

        double loss = Lesson21.UntrainedStudentLoss(teacher, heldOut);

        // Independent reference: the student rebuilt from the same seed, its weights run through TorchSharp's own
        // nn.MultiheadAttention (sequence-first), the teacher likewise, and the squared gap averaged by hand.
        Course.SetSeed(Course.SeedFor("exercise student"));
        var student = new MultiHeadAttention(E, H, dropout: 0.1);
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
        var gap = BuiltInOutput(student) - BuiltInOutput(teacher);
        double expected = (gap * gap).sum().item<float>() / gap.numel();

        Assert.True(loss > 0);
        Assert.Equal(expected, loss, 1e-6);
    }
}
