using AttentionCourse.Layers;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Exercises;

/// <summary>Reference values for lesson 21's exercises.</summary>
public static class Lesson21
{
    /// <summary>
    /// Exercise 2's baseline: the mean squared error, on <paramref name="heldOut"/> <c>(B, T, E)</c>, between
    /// <paramref name="teacher"/> and the exercise's student before any training — a fresh
    /// <see cref="MultiHeadAttention"/> with dropout 0.1 built right after seeding with <c>SeedFor("exercise student")</c>,
    /// in eval mode. Reseeds torch's generator.
    /// </summary>
    public static double UntrainedStudentLoss(MultiHeadAttention teacher, Tensor heldOut)
    {
        Course.SetSeed(Course.SeedFor("exercise student"));
        var student = new MultiHeadAttention(teacher.EmbedDim, teacher.NumHeads, dropout: 0.1);
        student.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return functional.mse_loss(student.SelfAttention(heldOut).output, teacher.SelfAttention(heldOut).output).item<float>();
    }
}
