using System.Text.Json;

namespace AttentionCourse.Tests.Notebooks;

/// <summary>The lesson notebooks in the repository, read as JSON.</summary>
public static class NotebookFiles
{
    public static string Folder => Path.Combine(TestSupport.RepoRoot, "notebooks");

    public static IEnumerable<string> All() => Directory.GetFiles(Folder, "*.ipynb").Order(StringComparer.Ordinal);

    /// <summary>xunit data: one row per notebook (file name only, so test names stay short).</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var path in All()) data.Add(Path.GetFileName(path));
        return data;
    }

    public sealed record Cell(string Kind, string Source, int OutputCount);

    public static IReadOnlyList<Cell> Cells(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name)));
        return json.RootElement.GetProperty("cells").EnumerateArray().Select(c => new Cell(
            c.GetProperty("cell_type").GetString()!,
            c.GetProperty("source").ValueKind == JsonValueKind.Array
                ? string.Concat(c.GetProperty("source").EnumerateArray().Select(s => s.GetString()))
                : c.GetProperty("source").GetString()!,
            c.TryGetProperty("outputs", out var outputs) ? outputs.GetArrayLength() : 0)).ToList();
    }

    /// <summary>True for the course index (a table of contents, not a lesson).</summary>
    public static bool IsIndex(string name) => name.StartsWith("00-");
}
