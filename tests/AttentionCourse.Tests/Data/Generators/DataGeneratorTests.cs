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

    [Fact]
    public void RelevantMean_FlaggedPadding_SetsOnlyThePaddedFlags_AndPadToKeepsIt()
    {
        using var task = RelevantMeanTask.Generate(50, 3, 12, seed: 5);
        using var flagged = task.WithFlaggedPadding();
        using var longer = flagged.PadTo(20);
        Assert.False(task.FlaggedPadding);
        Assert.True(flagged.FlaggedPadding && longer.FlaggedPadding);
        var lengths = task.Lengths.data<long>().ToArray();
        foreach (var (data, padded) in new[] { (flagged, 12L), (longer, 20L) })
        {
            Assert.Equal(task.Labels.data<long>().ToArray(), data.Labels.data<long>().ToArray());
            Assert.Equal(lengths, data.Lengths.data<long>().ToArray());
            for (int n = 0; n < 50; n++)
            {
                // Real positions: unchanged. Padded positions: exactly (0, 1, 0, 0), checked element by element.
                TestSupport.AssertClose(task.Features[n].narrow(0, 0, lengths[n]), data.Features[n].narrow(0, 0, lengths[n]), 0);
                for (long t = lengths[n]; t < padded; t++)
                    for (int f = 0; f < RelevantMeanTask.FeatureDim; f++)
                        Assert.Equal(f == 1 ? 1f : 0f, data.Features[n, t, f].item<float>());
            }
        }
    }
}
