using static TorchSharp.torch;

namespace AttentionCourse.Data;

/// <summary>One object placed on a canvas: its class and its box, tight around its pixels, in canvas pixels,
/// <c>[X0, X1) × [Y0, Y1)</c> (end-exclusive, so the width is <c>X1 − X0</c>).</summary>
public readonly record struct PlacedObject(int Label, int X0, int Y0, int X1, int Y1)
{
    public int Width => X1 - X0;
    public int Height => Y1 - Y0;
    public int Area => Width * Height;
}

/// <summary>Settings of <see cref="CanvasScenes.Generate"/>.</summary>
public sealed record CanvasOptions
{
    /// <summary>Side of the square canvas in pixels.</summary>
    public int CanvasSize { get; init; } = 56;
    /// <summary>Side the source images are resized to before placing (their own size = no resizing).</summary>
    public int? ObjectSize { get; init; }
    /// <summary>Fewest objects per canvas.</summary>
    public int MinObjects { get; init; } = 1;
    /// <summary>Most objects per canvas.</summary>
    public int MaxObjects { get; init; } = 1;
    /// <summary>Fragments of other images pasted as clutter (each placed away from every object's box).</summary>
    public int ClutterCount { get; init; } = 6;
    /// <summary>Side of each square clutter fragment.</summary>
    public int FragmentSize { get; init; } = 8;
    /// <summary>A pixel belongs to an object (its mask, its box) when its value exceeds this.</summary>
    public double InkThreshold { get; init; } = 0.15;
    /// <summary>Empty pixels kept between two objects' boxes, and between a box and a clutter fragment.</summary>
    public int Gap { get; init; } = 1;
}

/// <summary>
/// Canvases built from real images (MNIST digits, Fashion-MNIST items): each holds one or more objects at random places
/// on a larger empty canvas, with fragments of other images of the same set as clutter, as in the cluttered MNIST of
/// Mnih et al. 2014 (§4.1, "Recurrent Models of Visual Attention": 60×60 canvases, 8×8 fragments). Everything a task
/// needs is known by construction: each object's class, its box (tight around its pixels) and its pixel mask.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Classification (lessons 03, 09): one object, <see cref="CanvasSet.Labels"/>, and <see cref="CanvasSet.BoxMask"/>
/// to measure how much of an attention map falls on the object.</item>
/// <item>Detection (lesson 23): several objects, <see cref="CanvasSet.Objects"/> or the padded tensors
/// <see cref="CanvasSet.Boxes"/> / <see cref="CanvasSet.Classes"/> / <see cref="CanvasSet.Counts"/>.</item>
/// <item>Segmentation (lesson 28): <see cref="CanvasSet.InstanceMap"/> (which object each pixel belongs to; clutter
/// and empty canvas are background 0), <see cref="CanvasSet.ObjectMask"/> and <see cref="CanvasSet.ClassMap"/>.</item>
/// </list>
/// Objects never overlap each other's boxes (with <see cref="CanvasOptions.Gap"/> pixels between them) and clutter never
/// touches a box, so a box holds exactly one object's pixels. Fragments are cut from images other than the canvas's
/// objects, where they hold ink. Same source, count, options and seed → the same canvases, on any platform
/// (<see cref="System.Random"/> with a seed is a fixed sequence).
/// </remarks>
public static class CanvasScenes
{
    /// <summary>Builds <paramref name="count"/> canvases from <paramref name="source"/> (use the test split for test canvases).</summary>
    public static CanvasSet Generate(LabelledImages source, int count, int seed, CanvasOptions? options = null)
    {
        var o = options ?? new CanvasOptions();
        Layers.Check.AtLeast(count, 1, nameof(count));
        Layers.Check.AtLeast(o.MinObjects, 1, nameof(o.MinObjects));
        if (o.MaxObjects < o.MinObjects)
            throw new ArgumentException($"MaxObjects must be at least MinObjects ({o.MinObjects}); got {o.MaxObjects}.", nameof(options));
        Layers.Check.AtLeast(o.ClutterCount, 0, nameof(o.ClutterCount));
        Layers.Check.AtLeast(o.FragmentSize, 1, nameof(o.FragmentSize));
        Layers.Check.AtLeast(o.Gap, 0, nameof(o.Gap));
        int side = o.ObjectSize ?? source.Height;
        if (o.CanvasSize < side)
            throw new ArgumentException($"CanvasSize must be at least the object size ({side}); got {o.CanvasSize}.", nameof(options));
        if (source.Count < o.MaxObjects + 1)
            throw new ArgumentException($"source must hold more images than MaxObjects ({o.MaxObjects}) so clutter comes from other images; got {source.Count}.", nameof(source));

        float[] pixels = SourcePixels(source, side);
        long[] labels = source.Labels.data<long>().ToArray();
        int S = o.CanvasSize, plane = side * side;
        var images = new float[(long)count * S * S];
        var instances = new long[(long)count * S * S];
        var objects = new List<PlacedObject>[count];
        var random = new Random(seed);
        for (int n = 0; n < count; n++)
        {
            var canvas = images.AsSpan(n * S * S, S * S);
            var instance = instances.AsSpan(n * S * S, S * S);
            objects[n] = PlaceObjects(random, o, pixels, labels, side, plane, canvas, instance, out var used);
            for (int c = 0; c < o.ClutterCount; c++)
                PlaceFragment(random, o, pixels, side, plane, canvas, objects[n], used, source.Count);
        }
        int kMax = o.MaxObjects;
        var boxes = new float[count * kMax * 4];
        var classes = Enumerable.Repeat(-1L, count * kMax).ToArray();
        var counts = new long[count];
        for (int n = 0; n < count; n++)
        {
            counts[n] = objects[n].Count;
            for (int k = 0; k < objects[n].Count; k++)
            {
                var b = objects[n][k];
                classes[n * kMax + k] = b.Label;
                int at = (n * kMax + k) * 4;
                (boxes[at], boxes[at + 1], boxes[at + 2], boxes[at + 3]) = (b.X0, b.Y0, b.X1, b.Y1);
            }
        }
        return new CanvasSet(tensor(images, [count, 1, S, S]), tensor(instances, [count, S, S]),
            tensor(boxes, [count, kMax, 4]), tensor(classes, [count, kMax]), tensor(counts, [count]),
            objects, source.ClassNames, o);
    }

    private static float[] SourcePixels(LabelledImages source, int side)
    {
        using var scope = NewDisposeScope();
        var images = source.Images;                                                       // (N, H, W)
        if (side != source.Height || side != source.Width)
            images = nn.functional.interpolate(images.unsqueeze(1), [side, side], mode: InterpolationMode.Bilinear,
                align_corners: false, antialias: true).squeeze(1).clamp(0, 1);            // (N, side, side)
        return images.contiguous().data<float>().ToArray();
    }

    private static List<PlacedObject> PlaceObjects(Random random, CanvasOptions o, float[] pixels, long[] labels, int side, int plane,
        Span<float> canvas, Span<long> instance, out HashSet<int> used)
    {
        int S = o.CanvasSize;
        int wanted = random.Next(o.MinObjects, o.MaxObjects + 1);
        var placed = new List<PlacedObject>(wanted);
        used = new HashSet<int>();
        int sourceCount = labels.Length;
        for (int attempt = 0; placed.Count < wanted; attempt++)
        {
            if (attempt > 1000)
                throw new ArgumentException($"could not place {wanted} non-overlapping objects of {side}×{side} on a {S}×{S} canvas; use a larger CanvasSize or fewer objects.", "options");
            int index = random.Next(sourceCount);
            if (used.Contains(index)) continue;
            var image = pixels.AsSpan(index * plane, plane);
            var (x0, y0, x1, y1) = InkBox(image, side, o.InkThreshold);
            if (x1 <= x0) continue;                                                        // a blank image has no object
            // Offset (ox, oy) of the image's top-left corner: the ink box must fall inside the canvas.
            int ox = random.Next(-x0, S - x1 + 1), oy = random.Next(-y0, S - y1 + 1);
            var box = new PlacedObject((int)labels[index], x0 + ox, y0 + oy, x1 + ox, y1 + oy);
            if (placed.Any(p => Overlap(p, box, o.Gap))) continue;
            used.Add(index);
            int k = placed.Count + 1;
            for (int y = 0; y < side; y++)
            {
                int cy = y + oy;
                if (cy < 0 || cy >= S) continue;
                for (int x = 0; x < side; x++)
                {
                    int cx = x + ox;
                    if (cx < 0 || cx >= S) continue;
                    float v = image[y * side + x];
                    if (v > canvas[cy * S + cx]) canvas[cy * S + cx] = v;
                    if (v > o.InkThreshold) instance[cy * S + cx] = k;
                }
            }
            placed.Add(box);
        }
        return placed;
    }

    private static void PlaceFragment(Random random, CanvasOptions o, float[] pixels, int side, int plane, Span<float> canvas,
        List<PlacedObject> objects, HashSet<int> used, long sourceCount)
    {
        int S = o.CanvasSize, f = Math.Min(o.FragmentSize, side);
        // A fragment with some ink: at least f/2 pixels above the threshold (else it would be empty canvas).
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int index = random.Next((int)sourceCount);
            if (used.Contains(index)) continue;
            int sx = random.Next(side - f + 1), sy = random.Next(side - f + 1);
            int cx = random.Next(S - f + 1), cy = random.Next(S - f + 1);
            var area = new PlacedObject(-1, cx, cy, cx + f, cy + f);
            if (objects.Any(p => Overlap(p, area, o.Gap))) continue;
            var image = pixels.AsSpan(index * plane, plane);
            int ink = 0;
            for (int y = 0; y < f; y++)
                for (int x = 0; x < f; x++)
                    if (image[(sy + y) * side + sx + x] > o.InkThreshold) ink++;
            if (ink < f / 2) continue;
            for (int y = 0; y < f; y++)
                for (int x = 0; x < f; x++)
                {
                    float v = image[(sy + y) * side + sx + x];
                    ref float target = ref canvas[(cy + y) * S + cx + x];
                    if (v > target) target = v;
                }
            return;
        }
    }

    /// <summary>The box <c>[x0, x1) × [y0, y1)</c> of the pixels above <paramref name="threshold"/>; x1 = x0 = 0 if none.</summary>
    public static (int x0, int y0, int x1, int y1) InkBox(ReadOnlySpan<float> image, int side, double threshold)
    {
        int x0 = side, y0 = side, x1 = 0, y1 = 0;
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
                if (image[y * side + x] > threshold)
                {
                    x0 = Math.Min(x0, x); y0 = Math.Min(y0, y);
                    x1 = Math.Max(x1, x + 1); y1 = Math.Max(y1, y + 1);
                }
        return x1 == 0 ? (0, 0, 0, 0) : (x0, y0, x1, y1);
    }

    private static bool Overlap(PlacedObject a, PlacedObject b, int gap)
        => a.X0 < b.X1 + gap && b.X0 < a.X1 + gap && a.Y0 < b.Y1 + gap && b.Y0 < a.Y1 + gap;
}

/// <summary>Canvases from <see cref="CanvasScenes.Generate"/> with everything known about them.</summary>
public sealed class CanvasSet : IDisposable
{
    internal CanvasSet(Tensor images, Tensor instanceMap, Tensor boxes, Tensor classes, Tensor counts,
        IReadOnlyList<IReadOnlyList<PlacedObject>> objects, IReadOnlyList<string> classNames, CanvasOptions options)
    {
        Images = images; InstanceMap = instanceMap; Boxes = boxes; Classes = classes; Counts = counts;
        Objects = objects; ClassNames = classNames; Options = options;
    }

    /// <summary><c>(N, 1, S, S)</c> Float32 in [0, 1]: a CNN input.</summary>
    public Tensor Images { get; }
    /// <summary><c>(N, S, S)</c> Int64: k (1-based) where object k's pixel is above the ink threshold, 0 elsewhere (clutter too).</summary>
    public Tensor InstanceMap { get; }
    /// <summary><c>(N, K, 4)</c> Float32 boxes <c>(x0, y0, x1, y1)</c> in pixels, end-exclusive; rows beyond <see cref="Counts"/> are 0.</summary>
    public Tensor Boxes { get; }
    /// <summary><c>(N, K)</c> Int64 classes; −1 beyond <see cref="Counts"/>. K = <see cref="CanvasOptions.MaxObjects"/>.</summary>
    public Tensor Classes { get; }
    /// <summary><c>(N)</c> Int64: objects on each canvas.</summary>
    public Tensor Counts { get; }
    /// <summary>The objects of each canvas, in placing order (object k is <see cref="InstanceMap"/> value k + 1).</summary>
    public IReadOnlyList<IReadOnlyList<PlacedObject>> Objects { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public CanvasOptions Options { get; }
    public long Count => Images.shape[0];
    public int CanvasSize => Options.CanvasSize;

    /// <summary><c>(N)</c> Int64: the first object's class (on a one-object canvas, the label to predict).</summary>
    public Tensor Labels => Classes.select(1, 0);

    /// <summary><c>(N, S, S)</c> Bool: true inside any object's box.</summary>
    public Tensor BoxMask()
    {
        int S = CanvasSize;
        var mask = new bool[Count * S * S];
        for (int n = 0; n < Count; n++)
            foreach (var b in Objects[n])
                for (int y = b.Y0; y < b.Y1; y++)
                    Array.Fill(mask, true, (int)(n * S * S + y * S + b.X0), b.Width);
        return tensor(mask, [Count, S, S]);
    }

    /// <summary><c>(N, S, S)</c> Bool: the objects' pixels (foreground for segmentation; clutter is background).</summary>
    public Tensor ObjectMask() => InstanceMap.gt(0);

    /// <summary><c>(N, S, S)</c> Int64: 1 + the class of the object a pixel belongs to, 0 for background (semantic segmentation).</summary>
    public Tensor ClassMap()
    {
        using var scope = NewDisposeScope();
        var lookup = cat([zeros(Count, 1, dtype: ScalarType.Int64), Classes + 1], 1);    // (N, K + 1): index 0 = background
        return lookup.gather(1, InstanceMap.flatten(1)).view(InstanceMap.shape).MoveToOuterDisposeScope();
    }

    /// <summary>Canvases <paramref name="start"/> … start + count − 1 as a new set (tensors copied).</summary>
    public CanvasSet Slice(int start, int count)
    {
        if (start < 0 || count < 1 || start + count > Count)
            throw new ArgumentException($"start and count must select canvases inside 0…{Count - 1}; got start {start}, count {count}.", nameof(count));
        return new CanvasSet(Images.narrow(0, start, count).clone(), InstanceMap.narrow(0, start, count).clone(),
            Boxes.narrow(0, start, count).clone(), Classes.narrow(0, start, count).clone(), Counts.narrow(0, start, count).clone(),
            Objects.Skip(start).Take(count).ToArray(), ClassNames, Options);
    }

    public void Dispose()
    {
        Images.Dispose(); InstanceMap.Dispose(); Boxes.Dispose(); Classes.Dispose(); Counts.Dispose();
    }
}
