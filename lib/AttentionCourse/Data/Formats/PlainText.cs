using System.IO.Compression;
using System.Text;

namespace AttentionCourse.Data;

/// <summary>Reads a UTF-8 text file, plain (<c>.txt</c>) or gzip-compressed (<c>.gz</c>), with errors that name the file.</summary>
public static class PlainText
{
    /// <summary>The whole text. Line endings are normalised to <c>\n</c>, so the same text gives the same ids on every platform.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not valid gzip or UTF-8, or holds no text.</exception>
    public static string Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"text file {path} does not exist.", path);
        string text;
        try
        {
            using var file = File.OpenRead(path);
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is InvalidDataException or DecoderFallbackException)
        {
            throw new InvalidDataException($"{path} is not valid {(path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? "gzip-compressed " : "")}UTF-8 text: {e.Message}", e);
        }
        if (text.Length == 0) throw new InvalidDataException($"{path} holds no text (0 characters).");
        return text.Replace("\r\n", "\n");
    }
}
