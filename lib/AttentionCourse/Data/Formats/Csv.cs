using System.IO.Compression;
using System.Text;

namespace AttentionCourse.Data;

/// <summary>One record of a CSV file: its fields and the line it starts on (1-based, the header is line 1).</summary>
/// <param name="Line">Line number where the record starts (a quoted field may span several lines).</param>
/// <param name="Fields">The record's fields, unquoted.</param>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>A CSV file read whole: the header and the records, each with the line it came from.</summary>
public sealed class CsvTable
{
    internal CsvTable(string source, IReadOnlyList<string> header, IReadOnlyList<CsvRecord> records)
    {
        Source = source;
        Header = header;
        Records = records;
    }

    /// <summary>Where the table came from (a path, or a name given to <see cref="Csv.Parse"/>), for error messages.</summary>
    public string Source { get; }

    /// <summary>Column names, in order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The data records (the header excluded).</summary>
    public IReadOnlyList<CsvRecord> Records { get; }

    /// <summary>The index of a column; an <see cref="InvalidDataException"/> naming the file and the columns it has if absent.</summary>
    public int Column(string name)
    {
        for (int i = 0; i < Header.Count; i++)
            if (Header[i] == name) return i;
        throw new InvalidDataException($"{Source}: line 1: no column '{name}' in the header (columns: {string.Join(", ", Header)}).");
    }
}

/// <summary>
/// A reader for comma-separated values as RFC 4180 defines them (and R's <c>write.csv</c>, Python's <c>csv</c> module and
/// spreadsheets write them): a header line, then one record per line; a field may be quoted with <c>"</c>, a quote inside
/// a quoted field is doubled (<c>""</c>), and a quoted field may hold the separator and line breaks. Line ends may be
/// LF or CRLF. A gzip-compressed file (<c>.csv.gz</c>) is read the same way (recognised by its magic bytes).
/// </summary>
/// <remarks>
/// Malformed input is an <see cref="InvalidDataException"/> that names the file and the line: a quote inside an unquoted
/// field, text after a closing quote, a quoted field never closed, a record with the wrong number of fields, an empty
/// file or header, duplicate column names, a truncated or corrupt gzip file. Nothing is skipped or repaired silently.
/// </remarks>
public static class Csv
{
    /// <summary>Reads a CSV file (plain or gzip-compressed).</summary>
    /// <param name="path">The file.</param>
    /// <param name="separator">Field separator: <c>,</c> for CSV, <c>'\t'</c> for TSV.</param>
    public static CsvTable Read(string path, char separator = ',')
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"no CSV file at '{path}'.", path);
        using var stream = File.OpenRead(path);
        bool gzip = stream.Length >= 2 && stream.ReadByte() == 0x1f && stream.ReadByte() == 0x8b;
        stream.Position = 0;
        using var reader = new StreamReader(gzip ? Decompress(stream, path) : stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, path, separator);
    }

    // The whole decompressed content. .NET's GZipStream stops quietly at the end of a truncated file, so the gzip
    // trailer's ISIZE (the uncompressed length mod 2³², RFC 1952 §2.3.1) is checked against what came out.
    private static MemoryStream Decompress(FileStream file, string path)
    {
        var content = new MemoryStream();
        try
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            gzip.CopyTo(content);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: the gzip stream is corrupt ({e.Message}).", e);
        }
        var trailer = new byte[4];
        file.Position = file.Length - 4;
        file.ReadExactly(trailer);
        uint expected = BitConverter.ToUInt32(trailer);      // little-endian, as gzip and x86/ARM are
        if (file.Length < 18 || expected != (uint)content.Length)
            throw new InvalidDataException($"{path}: the gzip file is truncated or corrupt: it decompresses to {content.Length} bytes, its trailer says {expected}.");
        content.Position = 0;
        return content;
    }

    /// <summary>Parses CSV text from a reader; <paramref name="source"/> names it in error messages.</summary>
    public static CsvTable Parse(TextReader reader, string source, char separator = ',')
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (separator is '"' or '\n' or '\r')
            throw new ArgumentException($"separator must not be a quote or a line break; got '{separator}'.", nameof(separator));
        var records = new List<CsvRecord>();
        int line = 1;
        while (ReadRecord(reader, source, separator, ref line) is { } record) records.Add(record);
        if (records.Count == 0 || records[0].Fields is [""])
            throw new InvalidDataException($"{source}: line 1: the file is empty; a CSV file starts with a header line.");
        var header = records[0].Fields;
        for (int i = 0; i < header.Count; i++)
            for (int j = 0; j < i; j++)
                if (header[i] == header[j])
                    throw new InvalidDataException($"{source}: line 1: column name '{header[i]}' appears twice (columns {j + 1} and {i + 1}).");
        var data = records.Skip(1).ToList();
        foreach (var record in data)
            if (record.Fields.Count != header.Count)
                throw new InvalidDataException(
                    $"{source}: line {record.Line}: expected {header.Count} fields (as in the header), got {record.Fields.Count}.");
        return new CsvTable(source, header, data);
    }

    // One record, or null at the end of the input. A blank last line (the file's final line break) ends the input.
    private static CsvRecord? ReadRecord(TextReader reader, string source, char separator, ref int line)
    {
        if (reader.Peek() < 0) return null;
        int start = line;
        var fields = new List<string>();
        var field = new StringBuilder();
        while (true)
        {
            int c = reader.Read();
            if (c == '"' && field.Length == 0)
            {
                ReadQuoted(reader, source, field, ref line);
                int next = reader.Peek();
                if (next >= 0 && next != separator && next != '\n' && next != '\r')
                    throw new InvalidDataException($"{source}: line {line}: text after a closing quote in field {fields.Count + 1} (a quote inside a quoted field is written \"\").");
                continue;
            }
            if (c == '"')
                throw new InvalidDataException($"{source}: line {line}: a quote inside unquoted field {fields.Count + 1} (quote the whole field, and double the quote).");
            if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
                continue;
            }
            if (c < 0 || c == '\n' || c == '\r')
            {
                if (c == '\r' && reader.Peek() == '\n') reader.Read();
                if (c >= 0) line++;
                fields.Add(field.ToString());
                return new CsvRecord(start, fields);
            }
            field.Append((char)c);
        }
    }

    private static void ReadQuoted(TextReader reader, string source, StringBuilder field, ref int line)
    {
        int opened = line;
        while (true)
        {
            int c = reader.Read();
            if (c < 0)
                throw new InvalidDataException($"{source}: line {opened}: a quoted field opened on this line is never closed (the file ends inside it).");
            if (c == '"')
            {
                if (reader.Peek() != '"') return;
                reader.Read();
            }
            else if (c == '\n') line++;
            else if (c == '\r' && reader.Peek() != '\n') line++;
            field.Append((char)c);
        }
    }
}
