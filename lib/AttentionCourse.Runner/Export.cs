using AttentionCourse.Runner.Lessons;

namespace AttentionCourse.Runner;

/// <summary>The runner's <c>--student</c> and <c>--export-apps</c> modes: other editions of the lessons, nothing executed.</summary>
public static class Export
{
    public static int Run(IReadOnlyList<string> notebooks, string outputDirectory, bool student, bool apps, TextWriter log)
    {
        foreach (var notebook in notebooks.Where(n => n.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)))
        {
            var stem = Path.GetFileNameWithoutExtension(notebook);
            var folder = Path.GetDirectoryName(Path.GetFullPath(notebook))!;
            if (student)
            {
                var studentFolder = Path.GetFullPath(Path.Combine(outputDirectory, "student"));
                Directory.CreateDirectory(studentFolder);
                var edition = Editions.StudentEdition(File.ReadAllText(notebook), folder, studentFolder);
                var target = Path.Combine(studentFolder, stem + ".ipynb");
                if (edition is null) File.Copy(notebook, target, overwrite: true);            // the index, or a notebook without solutions
                else File.WriteAllText(target, edition);
                log.WriteLine($"student edition: {target}{(edition is null ? " (no Solutions section: copied as it is)" : "")}");
            }
            if (apps && !stem.StartsWith("00-"))
            {
                var appFolder = Path.GetFullPath(Path.Combine(outputDirectory, "apps"));
                Directory.CreateDirectory(appFolder);
                var library = LibraryProject(folder);
                if (library is null) { log.WriteLine($"no lib/AttentionCourse/AttentionCourse.csproj above {folder}: cannot export {stem}"); return 2; }
                var app = Editions.FileBasedApp(CourseSite.Cells(notebook), stem, Path.GetRelativePath(appFolder, library));
                var target = Path.Combine(appFolder, stem + ".cs");
                File.WriteAllText(target, app);
                log.WriteLine($"file-based app: {target} (run: cd {appFolder} && dotnet run {stem}.cs)");
            }
        }
        return 0;
    }

    private static string? LibraryProject(string notebookFolder)
    {
        for (var folder = new DirectoryInfo(notebookFolder); folder is not null; folder = folder.Parent)
        {
            var project = Path.Combine(folder.FullName, "lib", "AttentionCourse", "AttentionCourse.csproj");
            if (File.Exists(project)) return project;
        }
        return null;
    }
}
