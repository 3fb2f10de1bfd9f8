using System.IO.Compression;
using System.Text;
using AttentionCourse.Data;

namespace AttentionCourse.Tests.Data.Formats;

/// <summary>The CSV reader on small files written here: RFC 4180 quoting, gzip, and every malformed case named by line.</summary>
public class CsvTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("csv-tests").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string content, bool gzip = false)
    {
        var path = Path.Combine(folder, name);
        var bytes = Encoding.UTF8.GetBytes(content);
        if (!gzip) File.WriteAllBytes(path, bytes);
        else
        {
            using var file = File.Create(path);
            using var zip = new GZipStream(file, CompressionLevel.Optimal);
            zip.Write(bytes);
        }
        return path;
    }

    // What R's write.csv writes: every field quoted, quotes doubled; here also a comma, a CRLF line end and a line break inside a field.
    private const string RStyle = "\"product\",\"review\",\"score\"\n" +
                                  "\"B01\",\"not \"\"good\"\", at all\",\"other\"\r\n" +
                                  "\"B02\",\"two\nlines\",\"great\"\n" +
                                  "B03,plain,great\n";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_QuotedFields_DoubledQuotes_Separators_AndLineBreaksInsideQuotes(bool gzip)
    {
        var table = Csv.Read(Write(gzip ? "r.csv.gz" : "r.csv", RStyle, gzip));
        Assert.Equal(new[] { "product", "review", "score" }, table.Header);
        Assert.Equal(3, table.Records.Count);
        Assert.Equal(new[] { "B01", "not \"good\", at all", "other" }, table.Records[0].Fields);
        Assert.Equal("two\nlines", table.Records[1].Fields[1]);
        Assert.Equal(new[] { "B03", "plain", "great" }, table.Records[2].Fields);
        Assert.Equal(new[] { 2, 3, 5 }, table.Records.Select(r => r.Line));      // record 3 starts after the two-line field
        Assert.Equal(1, table.Column("review"));
    }

    [Fact]
    public void ReadsTabSeparatedValues_AndEmptyFields()
    {
        var table = Csv.Parse(new StringReader("a\tb\tc\n1\t\t3\n"), "t.tsv", '\t');
        Assert.Equal(new[] { "1", "", "3" }, table.Records[0].Fields);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3\n", "line 3", "expected 2 fields", "got 1")]
    [InlineData("a,b\n1,2,3\n", "line 2", "expected 2 fields", "got 3")]
    [InlineData("a,b\n1,x\"y\n", "line 2", "quote inside unquoted field 2")]
    [InlineData("a,b\n\"1\"x,2\n", "line 2", "text after a closing quote in field 1")]
    [InlineData("a,b\n1,2\n3,\"never\nclosed\n", "line 3", "never closed")]
    [InlineData("a,a\n1,2\n", "line 1", "'a' appears twice")]
    [InlineData("", "line 1", "empty")]
    [InlineData("a,b\n1,2\n\n3,4\n", "line 3", "expected 2 fields", "got 1")]
    public void MalformedInput_IsAnErrorNamingTheFileAndLine(string content, params string[] fragments)
    {
        var path = Write("bad.csv", content);
        var error = Assert.Throws<InvalidDataException>(() => Csv.Read(path));
        Assert.StartsWith(path + ":", error.Message);
        foreach (var fragment in fragments) Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void ATruncatedGzipFile_IsAnErrorNamingTheFile()
    {
        var whole = File.ReadAllBytes(Write("whole.csv.gz", RStyle + string.Concat(Enumerable.Repeat("B04,\"a longer review\",great\n", 200)), gzip: true));
        var path = Path.Combine(folder, "truncated.csv.gz");
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() => Csv.Read(path));
        Assert.StartsWith(path + ": the gzip", error.Message);
    }

    [Fact]
    public void AMissingColumn_IsAnErrorListingTheColumns()
    {
        var table = Csv.Parse(new StringReader("a,b\n1,2\n"), "x.csv");
        var error = Assert.Throws<InvalidDataException>(() => table.Column("score"));
        Assert.Contains("x.csv: line 1: no column 'score'", error.Message);
        Assert.Contains("a, b", error.Message);
    }
}
