using AttentionCourse.Benchmarking;
using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Benchmarking;

public class BareGptTests
{
    [Fact]
    public void BareGpt_WithCopiedWeights_ComputesTheSameLogitsAsTheLibraryModel()
    {
        // The benchmark compares like with like only if the two are the same function.
        manual_seed(31);
        var config = new DecoderOnlyConfig(13, 10, 16, 2, 4) { TieWeights = true };
        var library = new DecoderOnlyTransformer(config);
        var bare = new BareGpt(13, 10, 16, 2, 4);
        bare.CopyFrom(library);
        library.eval();
        bare.eval();
        Assert.Equal(library.ParameterCount, bare.parameters().Sum(p => p.numel()));
        var ids = randint(13, new long[] { 3, 10 });
        using var noGrad = no_grad();
        TestSupport.AssertClose(library.call(ids), bare.call(ids), 1e-5, "logits");
        TestSupport.AssertArgumentError(() => bare.CopyFrom(new DecoderOnlyTransformer(config with { TieWeights = false })), "model", "tied");
    }
}
