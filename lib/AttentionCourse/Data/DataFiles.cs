namespace AttentionCourse.Data;

/// <summary>
/// Finds the files shipped under the repository's <c>data/</c> folder, wherever a lesson or a test runs from: the folder
/// named by <see cref="DirectoryVariable"/>, else the first <c>data/</c> (holding the datasheet <c>README.md</c>) found by
/// walking up from the working directory, then from the library's own location (notebooks load it from
/// <c>artifacts/bin/…</c> inside the repository).
/// </summary>
public static class DataFiles
{
    /// <summary>Environment variable naming the data folder explicitly.</summary>
    public const string DirectoryVariable = "ATTENTION_COURSE_DATA";

    /// <summary>The data folder.</summary>
    public static string Folder
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (!string.IsNullOrWhiteSpace(configured)) return configured;
            var starts = new[] { Environment.CurrentDirectory, System.IO.Path.GetDirectoryName(typeof(DataFiles).Assembly.Location) ?? "" };
            foreach (var start in starts.Where(s => s.Length > 0))
                for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                    if (File.Exists(System.IO.Path.Combine(folder.FullName, "data", "README.md"))) return System.IO.Path.Combine(folder.FullName, "data");
            throw new DirectoryNotFoundException(
                $"no data/ folder (with its README.md) above {string.Join(" or ", starts.Where(s => s.Length > 0))}; set {DirectoryVariable} to the repository's data folder.");
        }
    }

    /// <summary>The full path of a shipped file, e.g. <c>austen/pride-and-prejudice.txt.gz</c>; a clear error if it is missing.</summary>
    public static string Find(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        var full = System.IO.Path.Combine(Folder, relativePath);
        if (!File.Exists(full))
            throw new FileNotFoundException($"data file {full} is missing; data/README.md says which script under data/scripts/ makes it.", full);
        return full;
    }
}
