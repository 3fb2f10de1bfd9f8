namespace AttentionCourse.Data;

/// <summary>
/// Jane Austen's <i>Pride and Prejudice</i> (1813; public domain), as shipped in <c>data/austen/</c> from the janeaustenr
/// package (see data/README.md): 684,768 characters, 13,030 lines, 75 distinct characters. The course's "tiny Shakespeare".
/// </summary>
public static class PrideAndPrejudice
{
    /// <summary>The shipped file, relative to <c>data/</c>.</summary>
    public const string RelativePath = "austen/pride-and-prejudice.txt.gz";

    /// <summary>The whole novel as one string, lines joined with <c>\n</c>.</summary>
    public static string Load() => PlainText.Read(DataFiles.Find(RelativePath));
}
