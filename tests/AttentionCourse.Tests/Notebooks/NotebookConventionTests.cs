using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AttentionCourse.Tests.Notebooks;

/// <summary>The lesson template and the conventions every notebook keeps (see shared curriculum and README).</summary>
public class NotebookConventionTests
{
    public static TheoryData<string> Notebooks() => NotebookFiles.Names();

    private static readonly string[] TemplateSections =
        { "60-second answer", "Build it", "See it", "Check it", "Pitfall", "Follow-up", "Exercises" };

    [Fact]
    public void TheFolderHoldsLessons()
    {
        Assert.Contains(NotebookFiles.All(), n => !NotebookFiles.IsIndex(Path.GetFileName(n)));
        Assert.All(NotebookFiles.All(), n => Assert.Matches(@"^\d\d-[a-z0-9-]+\.ipynb$", Path.GetFileName(n)));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void PinsTheCentralPackageVersions_AndReferencesTheBuiltLibrary(string name)
    {
        if (NotebookFiles.IsIndex(name)) return;
        var pinned = XDocument.Load(Path.Combine(TestSupport.RepoRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion").ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        var first = NotebookFiles.Cells(name).First(c => c.Kind == "code").Source;
        var references = Regex.Matches(first, @"#r\s+""nuget:\s*([^,""]+),\s*([^""]+)""").ToList();
        Assert.NotEmpty(references);
        foreach (Match r in references)
        {
            var package = r.Groups[1].Value.Trim();
            Assert.True(pinned.TryGetValue(package, out var version), $"{name} references {package}, which Directory.Packages.props does not pin");
            Assert.Equal(version, r.Groups[2].Value.Trim());
        }
        Assert.Contains("#r \"../artifacts/bin/AttentionCourse/notebook/AttentionCourse.dll\"", first);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void IsCommittedWithoutOutputs_AndDefinesNoTypes(string name)
    {
        var cells = NotebookFiles.Cells(name);
        Assert.All(cells, c => Assert.Equal(0, c.OutputCount));
        // Classes, records and structs belong in the library (a notebook imports and calls).
        Assert.All(cells.Where(c => c.Kind == "code"), c =>
            Assert.DoesNotMatch(new Regex(@"^\s*(public\s+|sealed\s+|static\s+)*(class|record|struct|interface)\s+\w+", RegexOptions.Multiline), c.Source));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void FollowsTheLessonTemplate(string name)
    {
        if (NotebookFiles.IsIndex(name)) return;
        var cells = NotebookFiles.Cells(name);
        var title = cells[0];
        Assert.Equal("markdown", title.Kind);
        Assert.StartsWith("# ", title.Source);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", title.Source);         // the original Chinese question
        var headings = cells.Where(c => c.Kind == "markdown").SelectMany(c => c.Source.Split('\n')).Where(l => l.StartsWith("## ")).ToList();
        foreach (var section in TemplateSections)
            Assert.True(headings.Any(h => h.Contains(section, StringComparison.OrdinalIgnoreCase)), $"{name} has no '## {section}' section");
        Assert.Contains(cells, c => c.Kind == "code" && c.Source.Contains("Course.Setup("));
    }
}
