using System.IO.Compression;
using System.Text;
using AttentionCourse.Data;

namespace AttentionCourse.Tests.Data.Datasets;

public class PrideAndPrejudiceTests
{
    [Fact]
    public void ShippedNovel_HasTheDocumentedSizeAndOpening()
    {
        var text = PrideAndPrejudice.Load();
        Assert.Equal(684_768, text.Length);                                                // data/README.md: 684,768 characters
        Assert.Equal(13_030, text.Count(c => c == '\n'));
        Assert.Equal(75, text.Distinct().Count());
        Assert.Contains("It is a truth universally acknowledged, that a single man in possession\nof a good fortune, must be in want of a wife.", text);
    }

    [Fact]
    public void PlainText_ReadsGzipAndPlain_AndNamesTheFileOnBadInput()
    {
        var folder = Directory.CreateTempSubdirectory("attention-course-text-").FullName;
        var plain = Path.Combine(folder, "a.txt");
        File.WriteAllText(plain, "one\r\ntwo\n");
        Assert.Equal("one\ntwo\n", PlainText.Read(plain));
        var packed = Path.Combine(folder, "a.txt.gz");
        using (var file = File.Create(packed))
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
            gzip.Write(Encoding.UTF8.GetBytes("Élan\n"));
        Assert.Equal("Élan\n", PlainText.Read(packed));

        var corrupt = Path.Combine(folder, "bad.txt.gz");
        File.WriteAllBytes(corrupt, new byte[] { 0x1f, 0x8b, 8, 0, 1, 2, 3 });          // a gzip header, then garbage
        Assert.Contains("bad.txt.gz", Assert.Throws<InvalidDataException>(() => PlainText.Read(corrupt)).Message);
        var empty = Path.Combine(folder, "empty.txt");
        File.WriteAllText(empty, "");
        Assert.Contains("empty.txt holds no text", Assert.Throws<InvalidDataException>(() => PlainText.Read(empty)).Message);
        var invalid = Path.Combine(folder, "latin1.txt");
        File.WriteAllBytes(invalid, new byte[] { 0x61, 0xE9, 0x62 });                     // "aéb" in Latin-1: not UTF-8
        Assert.Contains("latin1.txt is not valid UTF-8", Assert.Throws<InvalidDataException>(() => PlainText.Read(invalid)).Message);
        Assert.Throws<FileNotFoundException>(() => PlainText.Read(Path.Combine(folder, "missing.txt")));
    }
}
