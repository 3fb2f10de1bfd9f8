namespace AttentionCourse.Data;

/// <summary>
/// The files shipped under the repository's <c>data/</c> folder, found wherever a lesson or a test runs from (see
/// <see cref="Course.RepositoryPath"/>: the notebooks folder, a handout copy, an exported app, a test).
/// </summary>
public static class DataFiles
{
    /// <summary>The data folder.</summary>
    public static string Folder => Course.RepositoryPath("data");

    /// <summary>The full path of a shipped file, e.g. <c>mnist/train-images-idx3-ubyte.gz</c>; a clear error if it is missing.</summary>
    public static string Find(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        var full = System.IO.Path.Combine(Folder, relativePath);
        if (!File.Exists(full))
            throw new FileNotFoundException($"data file {full} is missing; data/README.md says which script under data/scripts/ makes it.", full);
        return full;
    }
}
