using System.Text.RegularExpressions;

namespace AttentionCourse.Runner.Lessons;

/// <summary>One step of the reading path, as the course index (<c>notebooks/00-index.ipynb</c>) lists it.</summary>
/// <param name="Step">Position in the reading path (1…30).</param>
/// <param name="Part">The part of the course it belongs to.</param>
/// <param name="Lesson">The lesson number (the seed's question number).</param>
/// <param name="Label">The lesson's short label, e.g. "01 · What is attention".</param>
/// <param name="Stem">The notebook's file name without extension, when the index links it; null when not written yet.</param>
/// <param name="Question">The question in English.</param>
/// <param name="ChineseQuestion">The original question in Chinese.</param>
/// <param name="Prerequisites">The prerequisites as the index states them.</param>
/// <param name="Time">The time as the index states it.</param>
public sealed record PathStep(int Step, string Part, int Lesson, string Label, string? Stem, string Question, string ChineseQuestion, string Prerequisites, string Time);

/// <summary>
/// The reading path of the course index: its <c>**Part N — …**</c> paragraphs and, under each, a table with the columns
/// step | lesson | the question | prerequisites | time.
/// </summary>
public static class ReadingPath
{
    private static readonly Regex PartLine = new(@"^\*\*(Part [^*]+)\*\*");
    private static readonly Regex Row = new(@"^\|\s*(?<step>\d+)\s*\|(?<lesson>[^|]*)\|(?<question>[^|]*)\|(?<prereq>[^|]*)\|(?<time>[^|]*)\|\s*$");
    private static readonly Regex Link = new(@"\[(?<label>[^\]]+)\]\((?<file>[^)]+?)\.ipynb\)");
    private static readonly Regex Cjk = new(@"\p{IsCJKUnifiedIdeographs}");

    public static IReadOnlyList<PathStep> Parse(IEnumerable<NotebookCell> indexCells)
    {
        var steps = new List<PathStep>();
        string part = "";
        foreach (var line in string.Join("\n\n", indexCells.Where(c => c.IsMarkdown).Select(c => c.Source)).Split('\n'))
        {
            var partMatch = PartLine.Match(line);
            if (partMatch.Success) { part = partMatch.Groups[1].Value.Trim().TrimEnd('.'); continue; }
            var row = Row.Match(line);
            if (!row.Success) continue;
            var lessonCell = row.Groups["lesson"].Value.Trim();
            var link = Link.Match(lessonCell);
            var label = link.Success ? link.Groups["label"].Value : Regex.Replace(lessonCell, @"\*\(.*?\)\*", "").Trim();
            var number = Regex.Match(label, @"^\d\d");
            if (!number.Success) throw new FormatException($"index row {row.Groups["step"].Value}: the lesson cell '{lessonCell}' must start with the lesson number (NN · …).");
            var question = row.Groups["question"].Value.Trim();
            int cjk = Cjk.Match(question) is { Success: true } m ? m.Index : question.Length;
            steps.Add(new PathStep(int.Parse(row.Groups["step"].Value), part, int.Parse(number.Value), label.Trim(),
                link.Success ? link.Groups["file"].Value : null, question[..cjk].Trim(), question[cjk..].Trim(),
                row.Groups["prereq"].Value.Trim(), row.Groups["time"].Value.Trim()));
        }
        if (steps.Count == 0) throw new FormatException("the course index has no reading-path table (rows '| step | lesson | question | prerequisites | time |').");
        return steps;
    }
}
