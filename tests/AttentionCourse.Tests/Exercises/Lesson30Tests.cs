using AttentionCourse.Exercises;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Exercises;

public class Lesson30Tests
{
    /// <summary>
    /// Hand-computed: logits (2, 0) on three examples, two labelled 0 and one 1. With a = 2/τ the mean loss is
    /// [2 log(1 + e⁻ᵃ) + log(1 + eᵃ)] / 3, whose derivative vanishes at eᵃ = 2: τ* = 2 / ln 2.
    /// </summary>
    [Fact]
    public void BestTemperature_FindsTheHandComputedMinimum()
    {
        var logits = tensor(new float[] { 2, 0, 2, 0, 2, 0 }).reshape(3, 2);
        var labels = tensor(new long[] { 0, 0, 1 });
        double optimum = 2 / Math.Log(2);
        Assert.Equal(optimum, Lesson30.BestTemperature(logits, labels, new[] { 1.0, 2.0, optimum, 4.0, 8.0 }), 12);
        Assert.Equal(2.0, Lesson30.BestTemperature(logits, labels, new[] { 0.5, 1.0, 2.0 }));             // the loss falls all the way to τ*
        Assert.Equal(4.0, Lesson30.BestTemperature(logits, labels, new[] { 4.0, 8.0 }));                  // and rises after it
    }

    [Fact]
    public void BestTemperature_AllCorrect_PrefersTheColdest_AndRejectsBadInput()
    {
        var logits = tensor(new float[] { 3, 0, 0, 3 }).reshape(2, 2);
        var labels = tensor(new long[] { 0, 1 });
        Assert.Equal(0.25, Lesson30.BestTemperature(logits, labels, new[] { 1.0, 0.25, 0.5 }));         // sharper is always better when every argmax is right
        TestSupport.AssertArgumentError(() => Lesson30.BestTemperature(logits, labels, Array.Empty<double>()), "grid", "none");
        TestSupport.AssertArgumentError(() => Lesson30.BestTemperature(logits, labels, new[] { 1.0, 0.0 }), "grid", "> 0");
        TestSupport.AssertArgumentError(() => Lesson30.BestTemperature(logits, tensor(new long[] { 0 }), new[] { 1.0 }), "labels");
    }
}
