using System.Runtime.InteropServices;
using System.Xml.Linq;
using AttentionCourse.Runner.Lessons;

namespace AttentionCourse.Runner;

/// <summary>
/// Writes the course's own pages into the handout folder — <c>index.html</c> (the front page), <c>interview.html</c> and
/// <c>flashcards.tsv</c> — from the course index and the lessons beside the notebook that just ran.
/// </summary>
public static class CourseSite
{
    public const string IndexName = "00-index.ipynb";

    /// <summary>Writes the pages; false (nothing written) when the folder holds no course index.</summary>
    public static bool Write(string notebookFolder, string outputDirectory, IReadOnlyList<LessonSummary> results, string mode)
    {
        var indexPath = Path.Combine(notebookFolder, IndexName);
        if (!File.Exists(indexPath)) return false;
        var path = ReadingPath.Parse(Cells(indexPath));
        var lessons = Lessons(notebookFolder);
        var byName = results.ToDictionary(r => r.Name);
        File.WriteAllText(Path.Combine(outputDirectory, "index.html"), CoursePages.FrontPage(path, lessons, byName, Details(notebookFolder, mode)));
        File.WriteAllText(Path.Combine(outputDirectory, "interview.html"), CoursePages.InterviewSheet(path, lessons));
        File.WriteAllText(Path.Combine(outputDirectory, "flashcards.tsv"), CoursePages.Flashcards(path, lessons));
        return true;
    }

    /// <summary>The lessons of a folder (<c>NN-name.ipynb</c>, not the index), by number.</summary>
    public static Dictionary<int, LessonInfo> Lessons(string notebookFolder)
    {
        var lessons = new Dictionary<int, LessonInfo>();
        foreach (var file in Directory.GetFiles(notebookFolder, "*.ipynb").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!System.Text.RegularExpressions.Regex.IsMatch(name, @"^\d\d-") || name.StartsWith("00-")) continue;
            try
            {
                var info = LessonInfo.Parse(name, Cells(file));
                lessons[info.Number] = info;
            }
            catch (Exception e) when (e is FormatException or InvalidDataException)
            {
                Console.Error.WriteLine($"  (front page: {name} skipped: {e.Message})");
            }
        }
        return lessons;
    }

    /// <summary>A notebook's cells as plain (kind, source) pairs.</summary>
    public static List<NotebookCell> Cells(string notebookPath)
        => NotebookExecutor.Load(notebookPath).Elements.Select(e => new NotebookCell(e.KernelName == "markdown" ? "markdown" : "code", e.Contents)).ToList();

    private static RunDetails Details(string notebookFolder, string mode)
    {
        var machine = $"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}";
        var seed = Environment.GetEnvironmentVariable("ATTENTION_COURSE_SEED") is { Length: > 0 } s ? s : "2017 (the default)";
        return new RunDetails(machine, mode, seed, PinnedVersions(notebookFolder), DateTime.UtcNow);
    }

    /// <summary>The package versions pinned in the repository's Directory.Packages.props (found above the notebook folder).</summary>
    public static IReadOnlyList<(string package, string version)> PinnedVersions(string notebookFolder)
    {
        for (var folder = new DirectoryInfo(notebookFolder); folder is not null; folder = folder.Parent)
        {
            var props = Path.Combine(folder.FullName, "Directory.Packages.props");
            if (!File.Exists(props)) continue;
            return XDocument.Load(props).Descendants("PackageVersion")
                .Select(e => ((string)e.Attribute("Include")!, (string)e.Attribute("Version")!))
                .Where(p => !p.Item1.Contains("Test") && !p.Item1.StartsWith("xunit")).ToList();
        }
        return Array.Empty<(string, string)>();
    }
}
