using AttentionCourse.Metrics;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Metrics;

public class LocalisationTests
{
    [Fact]
    public void MassInside_CountsEachCellOverThePixelsItCovers()
    {
        // A 2×2 map over a 4×4 image: cell (0, 0) covers pixels (0..1, 0..1). Region = pixels (0, 0) and (3, 3).
        var maps = tensor(new float[] { 3, 1, 0, 4 }).view(1, 2, 2);
        var region = zeros(1, 4, 4, dtype: ScalarType.Bool);
        region[0, 0, 0] = true;
        region[0, 3, 3] = true;
        // Stretched mass: each cell's value on 4 pixels, total 4·(3+1+0+4) = 32; inside: 3 (pixel (0,0)) + 4 (pixel (3,3)) = 7.
        Assert.Equal(7f / 32f, Localisation.MassInside(maps, region)[0].item<float>(), 6);
        Assert.Equal(2f / 16f, Localisation.AreaShare(region)[0].item<float>(), 6);
        // A uniform map scores exactly the area share.
        Assert.Equal(2f / 16f, Localisation.MassInside(ones(1, 2, 2), region)[0].item<float>(), 6);
        TestSupport.AssertArgumentError(() => Localisation.MassInside(ones(1, 3, 3), region), "region", "multiples");
    }
}
