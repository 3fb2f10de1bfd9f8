using AttentionCourse.Layers;
using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Models;

public class PoolingClassifierTests
{
    [Theory]
    [InlineData(Pooling.Attention)]
    [InlineData(Pooling.Mean)]
    public void PaddedPositions_GetNoWeight_AndTheirContentChangesNothing(Pooling pooling)
    {
        manual_seed(90);
        var model = new PoolingClassifier(4, 3, pooling);
        var x = randn(3, 6, 4);
        var padding = Masks.PaddingFromLengths(new long[] { 6, 2, 4 }, 6);
        var (logits, weights) = model.Classify(x, padding);
        Assert.Equal(0f, weights.masked_select(padding).abs().sum().item<float>());
        TestSupport.AssertClose(ones(3), weights.sum(1), 1e-6, "weights sum to 1");
        TestSupport.AssertClose(logits, model.Classify(x.masked_fill(padding.unsqueeze(-1), 50.0), padding).logits, 1e-5, "padding content ignored");
        if (pooling == Pooling.Mean)
            TestSupport.AssertClose(tensor(new float[] { 0.5f, 0.5f, 0, 0, 0, 0 }), weights[1], 1e-7, "uniform over the real positions");
        TestSupport.AssertArgumentError(() => model.Classify(x, ones(3, 5, dtype: ScalarType.Bool)), "keyPadding", "(3, 6)", "(3, 5)");
    }
}
