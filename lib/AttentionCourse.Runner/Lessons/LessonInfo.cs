using System.Text.RegularExpressions;

namespace AttentionCourse.Runner.Lessons;

/// <summary>One cell of a notebook, as the course's text tools read it.</summary>
public sealed record NotebookCell(string Kind, string Source)
{
    public bool IsMarkdown => Kind == "markdown";
    public bool IsCode => !IsMarkdown;
}

/// <summary>A follow-up question of a lesson and its answer (Markdown).</summary>
public sealed record FollowUp(string Question, string Answer);

/// <summary>
/// What a lesson says about itself, read from its markdown following the lesson template: the title
/// (<c># NN · Title</c>), the original question (<c>> 原题：**…**</c>), the <c>**Prerequisites:**</c> and <c>**Time:**</c>
/// lines, the 60-second answer, the pitfall, the follow-ups. The front page, the interview sheet and the flashcards are
/// generated from this, so they stay true when a lesson changes.
/// </summary>
public sealed record LessonInfo(
    int Number, string Stem, string Title, string ChineseQuestion, string Prerequisites, IReadOnlyList<int> PrerequisiteLessons,
    string Time, string Outcomes, string Answer, string Pitfall, IReadOnlyList<FollowUp> FollowUps)
{
    private static readonly Regex TitleLine = new(@"^#\s+(\d\d)\s*·\s*(.+)$", RegexOptions.Multiline);
    private static readonly Regex ChineseLine = new(@"^>\s*原题[:：]\s*(.+)$", RegexOptions.Multiline);
    private static readonly Regex Labelled = new(@"\*\*(?<label>Prerequisites|Time|You will be able to)[:：]?\*\*[:：]?\s*(?<text>.*?)(?=\s*\*\*(?:Prerequisites|Time|You will be able to)[:：]?\*\*|\n\s*\n|$)",
        RegexOptions.Singleline);
    private static readonly Regex FollowUpItem = new(@"^\s*\d+\.\s+\*\*(?<q>.+?)\*\*\s*(?<a>.*)$");
    private static readonly Regex LessonNumber = new(@"(?<!\d)(\d\d)(?!\d)");

    /// <summary>Reads a lesson; throws <see cref="FormatException"/> naming what is missing if it does not follow the template.</summary>
    public static LessonInfo Parse(string stem, IReadOnlyList<NotebookCell> cells)
    {
        var markdown = cells.Where(c => c.IsMarkdown).Select(c => c.Source).ToList();
        var all = string.Join("\n\n", markdown);
        var title = TitleLine.Match(all);
        if (!title.Success) throw new FormatException($"{stem}: no '# NN · Title' heading in the first markdown cell.");
        var chinese = ChineseLine.Match(all);
        var labelled = Labelled.Matches(all).ToDictionary(m => m.Groups["label"].Value, m => Clean(m.Groups["text"].Value));
        var prerequisites = labelled.GetValueOrDefault("Prerequisites", "");
        var sections = Sections(markdown);
        var answer = sections.FirstOrDefault(s => s.heading.Contains("60-second", StringComparison.OrdinalIgnoreCase)).body ?? "";
        var pitfall = sections.FirstOrDefault(s => s.heading.Contains("Pitfall", StringComparison.OrdinalIgnoreCase)).body ?? "";
        var followUps = sections.FirstOrDefault(s => s.heading.Contains("Follow-up", StringComparison.OrdinalIgnoreCase)).body ?? "";
        return new LessonInfo(
            int.Parse(title.Groups[1].Value), stem, title.Groups[2].Value.Trim(),
            chinese.Success ? chinese.Groups[1].Value.Replace("**", "").Trim() : "",
            prerequisites,
            prerequisites.StartsWith("none", StringComparison.OrdinalIgnoreCase) ? Array.Empty<int>()
                : LessonNumber.Matches(prerequisites).Select(m => int.Parse(m.Value)).Distinct().ToArray(),
            labelled.GetValueOrDefault("Time", ""), labelled.GetValueOrDefault("You will be able to", ""),
            answer.Trim(), OneLine(pitfall), ParseFollowUps(followUps));
    }

    /// <summary>The markdown split at <c>##</c> and <c>###</c> headings: (heading, body up to the next heading of level ≤ 2).</summary>
    public static List<(string heading, string body)> Sections(IEnumerable<string> markdownCells)
    {
        var result = new List<(string heading, string body)>();
        string? heading = null;
        var body = new List<string>();
        foreach (var line in string.Join("\n\n", markdownCells).Split('\n'))
        {
            if (line.StartsWith("## "))
            {
                if (heading is not null) result.Add((heading, string.Join("\n", body).Trim()));
                heading = line[3..].Trim();
                body.Clear();
            }
            else if (heading is not null) body.Add(line);
        }
        if (heading is not null) result.Add((heading, string.Join("\n", body).Trim()));
        return result;
    }

    /// <summary>The pitfall in one line: the bold sentence that opens the section's first paragraph, or that paragraph.</summary>
    public static string OneLine(string section)
    {
        var paragraphs = section.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => !p.StartsWith("#")).ToList();
        if (paragraphs.Count == 0) return "";
        var first = paragraphs[0];
        var bold = Regex.Match(first, @"^\*\*(.+?)\*\*");
        return Clean(bold.Success ? bold.Groups[1].Value : first);
    }

    private static List<FollowUp> ParseFollowUps(string section)
    {
        var items = new List<FollowUp>();
        string? question = null;
        var answer = new List<string>();
        foreach (var line in section.Split('\n'))
        {
            var item = FollowUpItem.Match(line);
            if (item.Success)
            {
                if (question is not null) items.Add(new FollowUp(question, string.Join("\n", answer).Trim()));
                question = item.Groups["q"].Value.Trim();
                answer = new List<string> { item.Groups["a"].Value };
            }
            else if (question is not null && line.Trim().Length > 0 && !line.StartsWith("#")) answer.Add(line.Trim());
            else if (line.StartsWith("#")) break;
        }
        if (question is not null) items.Add(new FollowUp(question, string.Join("\n", answer).Trim()));
        return items;
    }

    private static string Clean(string text) => Regex.Replace(text.Replace("\n", " "), @"\s+", " ").Trim().TrimEnd('.').Trim();
}
