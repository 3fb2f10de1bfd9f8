using AttentionCourse.Data;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Data;

public class CanvasScenesTests
{
    private static LabelledImages Source() => MnistDigits.Load(ImageSplit.Test, count: 400);

    [Fact]
    public void SameSeed_SameCanvases_OtherSeed_OtherCanvases()
    {
        using var source = Source();
        using var a = CanvasScenes.Generate(source, 20, seed: 5);
        using var b = CanvasScenes.Generate(source, 20, seed: 5);
        using var c = CanvasScenes.Generate(source, 20, seed: 6);
        TestSupport.AssertClose(a.Images, b.Images, 0, "images");
        Assert.Equal(a.Objects.SelectMany(o => o), b.Objects.SelectMany(o => o));
        Assert.True(Checks.MaxAbsDifference(a.Images, c.Images) > 0.5);
    }

    [Fact]
    public void EachBox_IsTightAroundItsObject_AndHoldsNoOtherInk()
    {
        using var source = Source();
        var options = new CanvasOptions { CanvasSize = 56, ClutterCount = 8 };
        using var set = CanvasScenes.Generate(source, 50, seed: 7, options);
        var images = set.Images.squeeze(1).data<float>().ToArray();
        var instances = set.InstanceMap.data<long>().ToArray();
        int S = 56;
        for (int n = 0; n < 50; n++)
        {
            var box = Assert.Single(set.Objects[n]);
            int inBox = 0, x0 = S, y0 = S, x1 = 0, y1 = 0;
            for (int y = 0; y < S; y++)
                for (int x = 0; x < S; x++)
                {
                    int i = n * S * S + y * S + x;
                    bool inside = x >= box.X0 && x < box.X1 && y >= box.Y0 && y < box.Y1;
                    bool ink = images[i] > options.InkThreshold;
                    if (instances[i] == 1)
                    {
                        Assert.True(inside, $"canvas {n}: mask pixel ({x}, {y}) outside box {box}");
                        Assert.True(ink, $"canvas {n}: mask pixel ({x}, {y}) has no ink");
                        x0 = Math.Min(x0, x); y0 = Math.Min(y0, y); x1 = Math.Max(x1, x + 1); y1 = Math.Max(y1, y + 1);
                        inBox++;
                    }
                    else Assert.Equal(0, instances[i]);
                    // Inside the box, ink is exactly the mask: no clutter falls in a box.
                    if (inside) Assert.Equal(ink, instances[i] == 1);
                }
            Assert.Equal((box.X0, box.Y0, box.X1, box.Y1), (x0, y0, x1, y1));              // tight: every edge touches the mask
            Assert.True(inBox > 20);
            Assert.Equal(set.Labels[n].item<long>(), box.Label);
        }
        // The clutter is there: ink outside the boxes on most canvases.
        using var outside = set.Images.squeeze(1).gt(options.InkThreshold).logical_and(set.BoxMask().logical_not());
        Assert.True(outside.flatten(1).any(1).to_type(ScalarType.Float32).mean().item<float>() > 0.9f);
    }

    [Fact]
    public void ObjectPixels_AreTheSourceImage_Shifted()
    {
        using var source = Source();
        using var set = CanvasScenes.Generate(source, 10, seed: 8, new CanvasOptions { ClutterCount = 0 });
        // Without clutter, each canvas is one source image shifted: find it among the source images by its ink box.
        var pixels = source.Images.data<float>().ToArray();
        for (int n = 0; n < 10; n++)
        {
            var box = set.Objects[n][0];
            using var crop = set.Images[n, 0].narrow(0, box.Y0, box.Height).narrow(1, box.X0, box.Width);
            bool found = false;
            for (int i = 0; i < source.Count && !found; i++)
            {
                var (x0, y0, x1, y1) = CanvasScenes.InkBox(pixels.AsSpan(i * 784, 784), 28, 0.15);
                if (x1 - x0 != box.Width || y1 - y0 != box.Height) continue;
                using var original = source.Images[i].narrow(0, y0, y1 - y0).narrow(1, x0, x1 - x0);
                found = Checks.MaxAbsDifference(original, crop) == 0;
            }
            Assert.True(found, $"canvas {n}: the boxed object is not a source image");
        }
    }

    [Fact]
    public void SeveralObjects_DoNotOverlap_AndMapsAgree()
    {
        using var source = Source();
        var options = new CanvasOptions { CanvasSize = 64, MinObjects = 2, MaxObjects = 3, ObjectSize = 20, ClutterCount = 4 };
        using var set = CanvasScenes.Generate(source, 40, seed: 9, options);
        Assert.Equal(new long[] { 40, 3, 4 }, set.Boxes.shape);
        var counts = set.Counts.data<long>().ToArray();
        Assert.All(counts, c => Assert.InRange(c, 2, 3));
        Assert.Contains(2L, counts);
        Assert.Contains(3L, counts);
        using var classMap = set.ClassMap();
        for (int n = 0; n < 40; n++)
        {
            var objects = set.Objects[n];
            for (int a = 0; a < objects.Count; a++)
            {
                for (int b = a + 1; b < objects.Count; b++)
                    Assert.False(objects[a].X0 < objects[b].X1 && objects[b].X0 < objects[a].X1 &&
                                 objects[a].Y0 < objects[b].Y1 && objects[b].Y0 < objects[a].Y1, $"canvas {n}: boxes {a} and {b} overlap");
                Assert.True(objects[a].Width <= 20 && objects[a].Height <= 20);
                Assert.Equal(objects[a].Label, set.Classes[n, a].item<long>());
                Assert.Equal(new float[] { objects[a].X0, objects[a].Y0, objects[a].X1, objects[a].Y1 }, set.Boxes[n, a].data<float>().ToArray());
                // Class map = 1 + class on object a's pixels.
                using var pixelsOfA = set.InstanceMap[n].eq(a + 1);
                Assert.True(pixelsOfA.any().item<bool>());
                Assert.True(classMap[n].masked_select(pixelsOfA).eq(objects[a].Label + 1).all().item<bool>());
            }
            for (int k = objects.Count; k < 3; k++) Assert.Equal(-1, set.Classes[n, k].item<long>());
        }
        Assert.True(classMap.masked_select(set.InstanceMap.eq(0)).eq(0).all().item<bool>());
    }

    [Fact]
    public void ImpossibleLayouts_AndBadSettings_AreRejected()
    {
        using var source = Source();
        TestSupport.AssertArgumentError(() => CanvasScenes.Generate(source, 1, 1, new CanvasOptions { CanvasSize = 20 }), "options", "CanvasSize", "28", "20");
        TestSupport.AssertArgumentError(() => CanvasScenes.Generate(source, 1, 1, new CanvasOptions { CanvasSize = 28, MinObjects = 9, MaxObjects = 9 }), "options", "could not place 9");
        TestSupport.AssertArgumentError(() => CanvasScenes.Generate(source, 1, 1, new CanvasOptions { MinObjects = 2, MaxObjects = 1 }), "options", "MaxObjects", "2", "1");
    }
}
