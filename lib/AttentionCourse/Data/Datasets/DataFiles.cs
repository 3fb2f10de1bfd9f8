namespace AttentionCourse.Data;

/// <summary>Finds the files shipped under the repository's <c>data/</c> folder.</summary>
public static class DataFiles
{
    /// <summary>Environment variable that points at another data folder (a copy of <c>data/</c>).</summary>
    public const string FolderVariable = "ATTENTION_COURSE_DATA";

    /// <summary>
    /// The data folder: <see cref="FolderVariable"/> if set, else the first <c>data/</c> holding a <c>README.md</c> found
    /// walking up from the working directory, then from this library's location (a notebook runs in <c>notebooks/</c>
    /// and loads the library from <c>artifacts/bin/…</c>; both sit below the repository root).
    /// </summary>
    public static string Folder
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(FolderVariable);
            if (!string.IsNullOrWhiteSpace(configured))
                return Directory.Exists(configured) ? configured
                    : throw new DirectoryNotFoundException($"{FolderVariable} is '{configured}', which is not a folder.");
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(typeof(DataFiles).Assembly.Location) ?? "" })
            {
                for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    var candidate = System.IO.Path.Combine(dir.FullName, "data");
                    if (File.Exists(System.IO.Path.Combine(candidate, "README.md"))) return candidate;
                }
            }
            throw new DirectoryNotFoundException($"No data/ folder (with a README.md) above {Directory.GetCurrentDirectory()} or the library; set {FolderVariable}.");
        }
    }

    /// <summary>The path of a shipped file, e.g. <c>DataFiles.Path("brown", "brown.conll.gz")</c>; it must exist.</summary>
    public static string Path(params string[] parts)
    {
        var path = System.IO.Path.Combine(new[] { Folder }.Concat(parts).ToArray());
        return File.Exists(path) ? path : throw new FileNotFoundException($"No such data file: {path} (see data/README.md for what is shipped).", path);
    }
}
