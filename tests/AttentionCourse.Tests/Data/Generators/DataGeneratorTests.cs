using AttentionCourse.Data;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Data;

public class DataGeneratorTests
{
    [Fact]
    public void KernelRegression_IsSeeded_Sorted_AndCentredOnTheTrueFunction()
    {
        using var a = KernelRegressionData.Generate(400, seed: 3);
        using var b = KernelRegressionData.Generate(400, seed: 3);
        TestSupport.AssertClose(a.TrainY, b.TrainY, 0);
        var x = a.TrainX.data<float>().ToArray();
        Assert.Equal(x.Order(), x);
        var residual = a.TrainY.data<float>().Zip(x, (y, xi) => y - KernelRegressionData.Function(xi)).ToArray();
        Assert.InRange(residual.Average(), -0.1, 0.1);                        // mean 0 ± 4 standard errors (0.5/√400 = 0.025)
        Assert.InRange(Math.Sqrt(residual.Select(r => r * r).Average()), 0.45, 0.55);
        Assert.Equal(KernelRegressionData.Function(2.5), a.TestTruth[25].item<float>(), 5);
    }

    [Fact]
    public void RelevantMean_LabelsFollowTheirDefinition_AndPaddingIsZero()
    {
        using var task = RelevantMeanTask.Generate(200, 3, 12, seed: 4);
        var lengths = task.Lengths.data<long>().ToArray();
        for (int n = 0; n < 200; n++)
        {
            var seq = task.Features[n];
            double sum = 0; int relevant = 0;
            for (int t = 0; t < lengths[n]; t++)
                if (seq[t, 1].item<float>() == 0f) { sum += seq[t, 0].item<float>(); relevant++; }
            Assert.True(relevant >= 1);
            Assert.Equal(sum / relevant > 0.5 ? 1L : 0L, task.Labels[n].item<long>());
            Assert.Equal(0f, seq.narrow(0, lengths[n], 12 - lengths[n]).abs().sum().item<float>());
        }
        double positive = task.Labels.to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(positive, 0.3, 0.7);
        using var longer = task.PadTo(30);
        TestSupport.AssertClose(task.Features, longer.Features.narrow(1, 0, 12), 0);
        TestSupport.AssertArgumentError(() => task.PadTo(5), "length", "12", "5");
    }
}
