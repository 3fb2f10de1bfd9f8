using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AttentionCourse.Runner.Lessons;

/// <summary>
/// Other forms of a lesson, made from its notebook: the student edition (the Solutions section removed) and a .NET
/// file-based app (the code cells in order, the markdown as comments), which runs with <c>dotnet run NN-name.cs</c> and
/// needs no notebook host at all.
/// </summary>
public static class Editions
{
    private static readonly Regex SolutionsHeading = new(@"^##\s+Solutions?\b", RegexOptions.Multiline | RegexOptions.IgnoreCase);
    private static readonly Regex RelativeReference = new(@"^#r\s+""(?!nuget:)(?<path>[^""]+)""\s*$", RegexOptions.Multiline);
    private static readonly Regex NugetReference = new(@"^#r\s+""nuget:\s*(?<name>[^,""]+)(,\s*(?<version>[^""]+))?""\s*$", RegexOptions.Multiline);
    private static readonly Regex UsingDirective = new(@"^using\s+(static\s+)?[A-Za-z_][\w.]*(\s*=\s*[\w.<>]+)?\s*;\s*$");

    /// <summary>
    /// The student edition of an .ipynb notebook (its JSON text): every cell from the <c>## Solutions</c> heading on is removed
    /// (a heading in the middle of a cell keeps the text before it), a note says so under the title, and relative <c>#r</c>
    /// paths are rewritten for the folder the student edition goes to. Returns null for a notebook without solutions.
    /// </summary>
    public static string? StudentEdition(string notebookJson, string notebookFolder, string studentFolder)
    {
        var notebook = JsonNode.Parse(notebookJson)!.AsObject();
        var cells = notebook["cells"]!.AsArray();
        int at = -1;
        for (int i = 0; i < cells.Count && at < 0; i++)
            if (Kind(cells[i]!) == "markdown" && SolutionsHeading.IsMatch(Source(cells[i]!))) at = i;
        if (at < 0) return null;
        var before = SolutionsHeading.Split(Source(cells[at]!))[0].TrimEnd();
        while (cells.Count > at) cells.RemoveAt(at);
        if (before.Length > 0) cells.Add(Cell("markdown", before));
        if (cells.Count > 0 && Kind(cells[0]!) == "markdown")
            SetSource(cells[0]!, Source(cells[0]!).TrimEnd() + "\n\n*Student edition: the Solutions section is removed. Each exercise's check says \"not answered yet\" until you write your answer in the cell above it.*");
        foreach (var cell in cells)
        {
            if (Kind(cell!) == "markdown") continue;
            SetSource(cell!, RelativeReference.Replace(Source(cell!), m =>
            {
                var target = Path.GetFullPath(Path.Combine(notebookFolder, m.Groups["path"].Value));
                return $"#r \"{Path.GetRelativePath(studentFolder, target).Replace('\\', '/')}\"";
            }));
            if (cell!["outputs"] is JsonArray outputs) outputs.Clear();
        }
        return notebook.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>
    /// A lesson as a .NET 10 file-based app. <c>#r "nuget: X, v"</c> lines become <c>#:package X@v</c>, the course library's
    /// <c>#r</c> becomes a <c>#:project</c> reference to its project, <c>using</c> directives move to the top, markdown
    /// becomes comments, and a cell that ends with an expression (which a notebook would display) passes it to
    /// <c>NotebookDisplay.ShowOrSave</c>, which writes charts as HTML pages into a folder beside the app.
    /// </summary>
    /// <param name="cells">The notebook's cells.</param>
    /// <param name="stem">The lesson's file name without extension.</param>
    /// <param name="libraryProject">Path of <c>lib/AttentionCourse/AttentionCourse.csproj</c> relative to the app's folder.</param>
    public static string FileBasedApp(IReadOnlyList<NotebookCell> cells, string stem, string libraryProject)
    {
        var directives = new List<string> { $"#:project {libraryProject.Replace('\\', '/')}" };
        var usings = new List<string>();
        var body = new StringBuilder();
        int number = 0;
        foreach (var cell in cells)
        {
            number++;
            body.AppendLine();
            if (cell.IsMarkdown)
            {
                foreach (var line in cell.Source.Split('\n')) body.AppendLine(("// " + line).TrimEnd());
                continue;
            }
            body.AppendLine($"// ── cell {number} ──");
            var code = new List<string>();
            foreach (var line in cell.Source.Split('\n'))
            {
                var nuget = NugetReference.Match(line);
                if (nuget.Success)
                {
                    // The library's own packages arrive through the project reference; others are added here.
                    var name = nuget.Groups["name"].Value.Trim();
                    if (name is not ("TorchSharp-cpu" or "Plotly.NET" or "Plotly.NET.CSharp"))
                        directives.Add(nuget.Groups["version"].Success ? $"#:package {name}@{nuget.Groups["version"].Value.Trim()}" : $"#:package {name}");
                }
                else if (RelativeReference.IsMatch(line)) { }
                else if (UsingDirective.IsMatch(line.Trim())) { if (!usings.Contains(line.Trim())) usings.Add(line.Trim()); }
                else code.Add(line);
            }
            foreach (var line in Display(code)) body.AppendLine(line);
        }
        var app = new StringBuilder();
        foreach (var d in directives.Distinct()) app.AppendLine(d);
        // The repository's central package versions and build settings apply; the app needs no version of its own.
        app.AppendLine();
        app.AppendLine($"// {stem}: a lesson of AttentionCourse exported as a .NET file-based app. Run it from this folder with");
        app.AppendLine($"//   dotnet run {stem}.cs");
        app.AppendLine($"// Charts are written as HTML pages into {stem}-charts/ beside this file.");
        foreach (var u in usings) app.AppendLine(u);
        app.AppendLine();
        app.AppendLine($"AttentionCourse.Plotting.NotebookDisplay.SaveChartsTo(System.IO.Path.Combine(AppContext.GetData(\"EntryPointFileDirectoryPath\") as string ?? \".\", \"{stem}-charts\"));");
        app.Append(body);
        return app.ToString();
    }

    /// <summary>
    /// A cell's code with its final expression, if any, passed to <c>ShowOrSave</c>: the expression is the run of lines after
    /// the last line that ends a statement (<c>;</c>, <c>{</c> or <c>}</c>).
    /// </summary>
    public static IReadOnlyList<string> Display(IReadOnlyList<string> code)
    {
        var lines = code.ToList();
        while (lines.Count > 0 && lines[^1].Trim().Length == 0) lines.RemoveAt(lines.Count - 1);
        int last = lines.Count - 1;
        while (last >= 0 && IsComment(lines[last])) last--;
        if (last < 0 || EndsStatement(lines[last])) return lines;
        int start = last;
        while (start > 0 && !EndsStatement(lines[start - 1]) && !IsComment(lines[start - 1])) start--;
        lines[start] = Regex.Replace(lines[start], @"^(\s*)", "$1AttentionCourse.Plotting.NotebookDisplay.ShowOrSave(");
        lines[last] = lines[last].TrimEnd() + ");";
        return lines;
    }

    private static bool EndsStatement(string line)
    {
        var code = Regex.Replace(line, @"//.*$", "").TrimEnd();
        return code.Length == 0 || code.EndsWith(';') || code.EndsWith('{') || code.EndsWith('}');
    }

    private static bool IsComment(string line) => line.TrimStart().StartsWith("//");

    private static string Kind(JsonNode cell) => (string?)cell["cell_type"] ?? "";

    private static string Source(JsonNode cell) => cell["source"] switch
    {
        JsonArray parts => string.Concat(parts.Select(p => (string?)p)),
        JsonValue value => (string?)value ?? "",
        _ => "",
    };

    private static void SetSource(JsonNode cell, string text)
    {
        var parts = new JsonArray();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++) parts.Add(i < lines.Length - 1 ? lines[i] + "\n" : lines[i]);
        cell["source"] = parts;
    }

    private static JsonNode Cell(string kind, string text)
    {
        var cell = new JsonObject { ["cell_type"] = kind, ["metadata"] = new JsonObject() };
        SetSource(cell, text);
        return cell;
    }
}
