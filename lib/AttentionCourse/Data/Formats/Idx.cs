using System.Buffers.Binary;
using System.IO.Compression;
using static TorchSharp.torch;

namespace AttentionCourse.Data;

/// <summary>The element types of the idx format (the byte after the two leading zero bytes of the magic number).</summary>
public enum IdxType : byte
{
    UnsignedByte = 0x08,
    SignedByte = 0x09,
    Int16 = 0x0B,
    Int32 = 0x0C,
    Float32 = 0x0D,
    Float64 = 0x0E,
}

/// <summary>
/// An n-dimensional array as stored in an idx file: element type, dimensions, and the elements in row-major order.
/// Multi-byte elements are kept as they are in the file (big-endian); <see cref="ToTensor"/> converts them.
/// </summary>
public sealed record IdxArray(IdxType Type, int[] Shape, byte[] Bytes)
{
    /// <summary>Number of elements (the product of the dimensions).</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The array as a tensor of the matching dtype (Byte, Int8, Int16, Int32, Float32, Float64), native byte order.</summary>
    public Tensor ToTensor()
    {
        var shape = Shape.Select(d => (long)d).ToArray();
        switch (Type)
        {
            case IdxType.UnsignedByte: return tensor(Bytes, shape, ScalarType.Byte);
            case IdxType.SignedByte: return tensor(Bytes.Select(b => unchecked((sbyte)b)).ToArray(), shape);
            case IdxType.Int16: return tensor(Enumerable.Range(0, (int)Count).Select(i => BinaryPrimitives.ReadInt16BigEndian(Bytes.AsSpan(2 * i))).ToArray(), shape);
            case IdxType.Int32: return tensor(Enumerable.Range(0, (int)Count).Select(i => BinaryPrimitives.ReadInt32BigEndian(Bytes.AsSpan(4 * i))).ToArray(), shape);
            case IdxType.Float32: return tensor(Enumerable.Range(0, (int)Count).Select(i => BinaryPrimitives.ReadSingleBigEndian(Bytes.AsSpan(4 * i))).ToArray(), shape);
            case IdxType.Float64: return tensor(Enumerable.Range(0, (int)Count).Select(i => BinaryPrimitives.ReadDoubleBigEndian(Bytes.AsSpan(8 * i))).ToArray(), shape);
            default: throw new InvalidOperationException($"unknown idx type {Type}");
        }
    }

    /// <summary>An unsigned-byte array (images, labels) from values and a shape.</summary>
    public static IdxArray FromBytes(byte[] values, params int[] shape)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length)
            throw new ArgumentException($"values must hold {count} elements (the product of shape {Layers.Check.Describe(shape.Select(d => (long)d).ToArray())}); got {values.Length}.", nameof(values));
        return new IdxArray(IdxType.UnsignedByte, shape, values);
    }
}

/// <summary>
/// Reads and writes the idx format of LeCun et al.'s MNIST files (and Fashion-MNIST's): a 4-byte magic number
/// (0, 0, type code, number of dimensions), one big-endian 32-bit size per dimension, then the elements row-major,
/// big-endian. A file whose name ends in <c>.gz</c> (or that starts with the gzip signature) is decompressed first.
/// </summary>
/// <remarks>Format: http://yann.lecun.com/exdb/mnist/ ("THE IDX FILE FORMAT"). Errors name the file and the byte offset
/// (in the decompressed stream) where the content stopped making sense.</remarks>
public static class Idx
{
    /// <summary>Reads an idx file, gzip-compressed or not.</summary>
    /// <param name="path">The file.</param>
    /// <param name="expectedDimensions">If given, the number of dimensions the caller needs (3 for images, 1 for labels).</param>
    /// <exception cref="InvalidDataException">Bad magic number, unknown type, wrong dimension count, or a truncated file.</exception>
    public static IdxArray Read(string path, int? expectedDimensions = null)
    {
        byte[] content = ReadAllDecompressed(path);
        if (content.Length < 4)
            throw new InvalidDataException($"{path}: truncated at offset {content.Length}: an idx file starts with a 4-byte magic number, but the file has only {content.Length} bytes.");
        if (content[0] != 0 || content[1] != 0 || !Enum.IsDefined(typeof(IdxType), content[2]))
            throw new InvalidDataException(
                $"{path}: bad magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(content):X8} at offset 0: expected 0x0000TTDD " +
                "(two zero bytes, a type code TT of 08, 09, 0B, 0C, 0D or 0E, and the number of dimensions DD). Is this an idx file?");
        var type = (IdxType)content[2];
        int dimensions = content[3];
        if (expectedDimensions is int expected && dimensions != expected)
            throw new InvalidDataException($"{path}: {dimensions} dimensions at offset 3, expected {expected}.");
        if (dimensions == 0)
            throw new InvalidDataException($"{path}: 0 dimensions at offset 3: an idx array has at least one.");
        int headerLength = 4 + 4 * dimensions;
        if (content.Length < headerLength)
            throw new InvalidDataException($"{path}: truncated at offset {content.Length}: the header of {dimensions} dimensions needs {headerLength} bytes.");
        var shape = new int[dimensions];
        long count = 1;
        for (int d = 0; d < dimensions; d++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(4 + 4 * d));
            if (size < 0) throw new InvalidDataException($"{path}: negative size {size} for dimension {d} at offset {4 + 4 * d}.");
            shape[d] = size;
            count *= size;
        }
        long dataLength = count * ElementSize(type);
        long available = content.Length - headerLength;
        if (available < dataLength)
            throw new InvalidDataException(
                $"{path}: truncated at offset {content.Length}: the header promises {string.Join(" × ", shape)} elements of {ElementSize(type)} byte(s) " +
                $"= {dataLength} bytes from offset {headerLength}, so the file should end at offset {headerLength + dataLength}.");
        if (available > dataLength)
            throw new InvalidDataException($"{path}: {available - dataLength} unexpected bytes after the data, from offset {headerLength + dataLength}.");
        return new IdxArray(type, shape, content.AsSpan(headerLength).ToArray());
    }

    /// <summary>Writes an idx file; gzip-compressed when <paramref name="path"/> ends in <c>.gz</c>.</summary>
    public static void Write(string path, IdxArray array)
    {
        if (array.Shape.Length is 0 or > 255)
            throw new ArgumentException($"array must have 1 to 255 dimensions; got {array.Shape.Length}.", nameof(array));
        if (array.Bytes.LongLength != array.Count * ElementSize(array.Type))
            throw new ArgumentException($"array.Bytes must hold {array.Count * ElementSize(array.Type)} bytes for shape ({string.Join(", ", array.Shape)}); got {array.Bytes.LongLength}.", nameof(array));
        using var file = File.Create(path);
        using Stream output = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionLevel.SmallestSize) : file;
        Span<byte> word = stackalloc byte[4];
        output.Write([0, 0, (byte)array.Type, (byte)array.Shape.Length]);
        foreach (int size in array.Shape)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, size);
            output.Write(word);
        }
        output.Write(array.Bytes);
    }

    /// <summary>Bytes per element of an idx type.</summary>
    public static int ElementSize(IdxType type) => type switch
    {
        IdxType.UnsignedByte or IdxType.SignedByte => 1,
        IdxType.Int16 => 2,
        IdxType.Int32 or IdxType.Float32 => 4,
        IdxType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an idx type"),
    };

    private static byte[] ReadAllDecompressed(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such idx file.", path);
        byte[] raw = File.ReadAllBytes(path);
        bool gzip = raw.Length >= 2 && raw[0] == 0x1F && raw[1] == 0x8B;
        if (!gzip) return raw;
        try
        {
            using var input = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            input.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: the gzip stream is corrupt or truncated ({e.Message}).", e);
        }
    }
}
