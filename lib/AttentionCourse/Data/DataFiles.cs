namespace AttentionCourse.Data;

/// <summary>
/// Finds the data sets shipped in the repository's <c>data/</c> folder, wherever the code runs from: a notebook (working
/// directory <c>notebooks/</c>), the tests (<c>artifacts/bin/…</c>) or a learner's own program.
/// </summary>
public static class DataFiles
{
    /// <summary>Environment variable naming the <c>data</c> folder explicitly (e.g. a copy elsewhere).</summary>
    public const string FolderVariable = "ATTENTION_COURSE_DATA";

    /// <summary>
    /// The folder of one data set, <c>data/&lt;set&gt;</c>: under <see cref="FolderVariable"/> if set, else the first
    /// <c>data/&lt;set&gt;</c> found walking up from the working directory, then from the library's own location.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No such folder; the message lists where it looked.</exception>
    public static string Folder(string set)
    {
        ArgumentException.ThrowIfNullOrEmpty(set);
        var configured = Environment.GetEnvironmentVariable(FolderVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = Path.Combine(configured, set);
            return Directory.Exists(path)
                ? path
                : throw new DirectoryNotFoundException($"{FolderVariable} is '{configured}', which has no '{set}' folder.");
        }
        var starts = new[] { Environment.CurrentDirectory, Path.GetDirectoryName(typeof(DataFiles).Assembly.Location) ?? "" };
        foreach (var start in starts.Where(s => s.Length > 0))
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "data", set);
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            $"no data/{set} folder above '{starts[0]}' or '{starts[1]}'; run from inside the repository or set {FolderVariable} to its data folder.");
    }

    /// <summary>A file of a data set: <c>data/&lt;set&gt;/&lt;file&gt;</c>, which must exist.</summary>
    public static string File(string set, string file)
    {
        var path = Path.Combine(Folder(set), file);
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"no file '{file}' in {Folder(set)}.", path);
    }
}
