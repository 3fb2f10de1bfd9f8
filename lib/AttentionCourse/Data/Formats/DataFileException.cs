namespace AttentionCourse.Data;

/// <summary>
/// A data file that cannot be read as its format says: empty, truncated or with a malformed line. The message starts
/// with <c>file:line:</c> so it points at the exact place, as a compiler error does.
/// </summary>
public sealed class DataFileException : IOException
{
    /// <param name="file">The file (or the name given for a stream).</param>
    /// <param name="line">1-based line number, or 0 when the problem is the file as a whole.</param>
    /// <param name="problem">What is wrong, and what was expected.</param>
    public DataFileException(string file, int line, string problem)
        : base(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}")
    {
        File = file;
        Line = line;
    }

    /// <summary>The file (or stream name) that could not be read.</summary>
    public string File { get; }

    /// <summary>1-based line number of the problem; 0 when it concerns the whole file.</summary>
    public int Line { get; }
}

/// <summary>Opening text files, gzip-compressed or not.</summary>
public static class TextFiles
{
    /// <summary>A reader over a UTF-8 text file; a name ending in <c>.gz</c> is decompressed on the fly.</summary>
    public static TextReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"No such data file: {path} (the lessons read the files shipped under data/; see data/README.md).", path);
        Stream stream = System.IO.File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            stream = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        return new StreamReader(stream, System.Text.Encoding.UTF8);
    }
}
