using System.IO.Compression;
using AttentionCourse.Data;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Data;

public class IdxTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("idx-tests").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("images.idx")]
    [InlineData("images.idx.gz")]
    public void UnsignedBytes_RoundTrip_ThroughAFile(string name)
    {
        var path = Path.Combine(folder, name);
        var values = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10)).ToArray();
        Idx.Write(path, IdxArray.FromBytes(values, 2, 3, 4));
        var read = Idx.Read(path, expectedDimensions: 3);
        Assert.Equal(IdxType.UnsignedByte, read.Type);
        Assert.Equal(new[] { 2, 3, 4 }, read.Shape);
        Assert.Equal(values, read.Bytes);
        using var t = read.ToTensor();
        Assert.Equal(230, t[1, 2, 3].item<byte>());                                          // last element, row-major
        // The header, byte by byte, as LeCun's page specifies: 00 00 08 03, then 2, 3, 4 big-endian.
        var raw = name.EndsWith(".gz") ? Gunzip(path) : File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4 }, raw.Take(16).ToArray());
        Assert.Equal(16 + 24, raw.Length);
    }

    [Fact]
    public void BigEndianTypes_AreReadInNativeOrder()
    {
        var path = Path.Combine(folder, "mixed.idx");
        // Float32 2×1 array: 1.5 = 0x3FC00000, −2 = 0xC0000000 (big-endian); Int16 −2 = 0xFFFE.
        File.WriteAllBytes(path, new byte[] { 0, 0, 0x0D, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0x3F, 0xC0, 0, 0, 0xC0, 0, 0, 0 });
        using var floats = Idx.Read(path).ToTensor();
        Assert.Equal(new[] { 1.5f, -2f }, floats.flatten().data<float>().ToArray());
        File.WriteAllBytes(path, new byte[] { 0, 0, 0x0B, 1, 0, 0, 0, 2, 0xFF, 0xFE, 0x01, 0x00 });
        using var shorts = Idx.Read(path).ToTensor();
        Assert.Equal(new short[] { -2, 256 }, shorts.data<short>().ToArray());
    }

    [Fact]
    public void BadMagicNumber_NamesTheFileAndOffsetZero()
    {
        var path = Path.Combine(folder, "not-idx.bin");
        File.WriteAllBytes(path, new byte[] { 0x50, 0x4B, 3, 4, 0, 0, 0, 1, 7 });       // a ZIP header
        var error = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("bad magic number 0x504B0304 at offset 0", error.Message);
        File.WriteAllBytes(path, new byte[] { 0, 0, 0x07, 1, 0, 0, 0, 1, 7 });          // unknown type code 07
        Assert.Contains("bad magic number 0x00000701 at offset 0", Assert.Throws<InvalidDataException>(() => Idx.Read(path)).Message);
    }

    [Fact]
    public void WrongDimensionCount_NamesTheFileAndOffsetThree()
    {
        var path = Path.Combine(folder, "labels.idx.gz");
        Idx.Write(path, IdxArray.FromBytes(new byte[] { 1, 2, 3 }, 3));
        var error = Assert.Throws<InvalidDataException>(() => Idx.Read(path, expectedDimensions: 3));
        Assert.Contains(path, error.Message);
        Assert.Contains("1 dimensions at offset 3, expected 3", error.Message);
    }

    [Fact]
    public void TruncatedFile_SaysWhereItEndsAndWhereItShould()
    {
        var path = Path.Combine(folder, "short.idx");
        Idx.Write(path, IdxArray.FromBytes(new byte[2 * 28 * 28], 2, 28, 28));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.Take(16 + 1000).ToArray());                       // 1,000 of 1,568 data bytes
        var error = Assert.Throws<InvalidDataException>(() => Idx.Read(path, 3));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated at offset 1016", error.Message);
        Assert.Contains("should end at offset 1584", error.Message);
        File.WriteAllBytes(path, bytes.Take(10).ToArray());                              // inside the header
        Assert.Contains("truncated at offset 10", Assert.Throws<InvalidDataException>(() => Idx.Read(path, 3)).Message);
        // A gzip file cut short: an error naming the file, whether gzip or the length check notices first.
        var gz = Path.Combine(folder, "short.idx.gz");
        Idx.Write(gz, IdxArray.FromBytes(Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251)).ToArray(), 5000));
        var compressed = File.ReadAllBytes(gz);
        File.WriteAllBytes(gz, compressed.Take(compressed.Length / 2).ToArray());
        Assert.Contains(gz, Assert.Throws<InvalidDataException>(() => Idx.Read(gz)).Message);
    }

    [Fact]
    public void LabelledImages_RejectLabelsOutsideTheClasses_AndMismatchedCounts()
    {
        var images = Path.Combine(folder, "i.idx");
        var labels = Path.Combine(folder, "l.idx");
        Idx.Write(images, IdxArray.FromBytes(new byte[3 * 4], 3, 2, 2));
        Idx.Write(labels, IdxArray.FromBytes(new byte[] { 0, 1, 5 }, 3));
        var error = Assert.Throws<InvalidDataException>(() => LabelledImages.FromIdx(images, labels, ["a", "b", "c"]));
        Assert.Contains("label 5 at offset 10", error.Message);
        Idx.Write(labels, IdxArray.FromBytes(new byte[] { 0, 1 }, 2));
        Assert.Contains("2 labels", Assert.Throws<InvalidDataException>(() => LabelledImages.FromIdx(images, labels, ["a", "b", "c"])).Message);
        Idx.Write(labels, IdxArray.FromBytes(new byte[] { 0, 1, 2 }, 3));
        Idx.Write(images, IdxArray.FromBytes(new byte[] { 0, 51, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 3, 2, 2));
        using var set = LabelledImages.FromIdx(images, labels, ["a", "b", "c"]);
        Assert.Equal(new[] { 0f, 0.2f, 1f, 0f }, set.Images[0].flatten().data<float>().ToArray());
        Assert.Equal(new long[] { 0, 1, 2 }, set.Labels.data<long>().ToArray());
    }

    [Fact]
    public void ShippedImageSets_HaveTheCountsOfTheDatasheet()
    {
        using var mnist = MnistDigits.Load(ImageSplit.Train);
        using var mnistTest = MnistDigits.Load(ImageSplit.Test);
        using var fashion = FashionMnist.Load(ImageSplit.Train);
        using var fashionTest = FashionMnist.Load(ImageSplit.Test, count: 500);
        Assert.Equal(7996, mnist.Count);
        Assert.Equal(2004, mnistTest.Count);
        Assert.Equal(8000, fashion.Count);
        Assert.Equal(500, fashionTest.Count);
        Assert.Equal(new long[] { 800, 901, 792, 825, 784, 690, 811, 856, 755, 782 },
            mnist.Labels.bincount(null).data<long>().ToArray());
        Assert.Equal(new long[] { 747, 860, 809, 807, 763, 795, 807, 818, 792, 802 },
            fashion.Labels.bincount(null).data<long>().ToArray());
        Assert.Equal(28, mnist.Height);
        Assert.Equal(0f, fashion.Images.min().item<float>());
        Assert.Equal(1f, fashion.Images.max().item<float>());
        // MNIST digits are centred by their centre of mass in a 28×28 frame, with ≈ 19 % of pixels inked.
        double inked = mnist.Images.gt(0.5).to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(inked, 0.10, 0.25);
    }

    private static byte[] Gunzip(string path)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
