using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;

namespace AttentionCourse.Runner.Lessons;

/// <summary>One lesson's result in a run (kept in <c>out/results.json</c> across runs).</summary>
public sealed record LessonSummary(string Name, string Title, bool Succeeded, int Cells, double Seconds, string? Failure, DateTime RunAt, string Mode = "full");

/// <summary>What the front page says about the run that wrote it.</summary>
public sealed record RunDetails(string Machine, string Mode, string Seed, IReadOnlyList<(string package, string version)> Versions, DateTime At);

/// <summary>
/// The pages a learner, a teacher or an interview candidate opens first — the front page (<c>index.html</c>), the interview
/// sheet (<c>interview.html</c>) and the Anki deck (<c>flashcards.tsv</c>) — generated from the notebooks themselves.
/// </summary>
public static class CoursePages
{
    /// <summary>
    /// System fonts first, then the common CJK families of each platform, so the original Chinese questions render wherever
    /// any CJK font is installed (Noto/Source Han on Linux, PingFang on macOS, YaHei on Windows).
    /// </summary>
    public const string FontStack = "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans\", \"Helvetica Neue\", Arial, " +
        "\"Noto Sans CJK SC\", \"Noto Sans SC\", \"Source Han Sans SC\", \"Source Han Sans CN\", \"PingFang SC\", \"Hiragino Sans GB\", " +
        "\"Microsoft YaHei\", \"WenQuanYi Micro Hei\", \"Droid Sans Fallback\", sans-serif";

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>Markdown to HTML (the lessons' own Markdown, rendered as in the lesson pages).</summary>
    public static string Html(string markdown) => Markdig.Markdown.ToHtml(markdown ?? "", Markdown).Trim();

    private static string Encode(string text) => WebUtility.HtmlEncode(text ?? "");

    private static string Head(string title, string extraStyle = "") => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Encode(title)}}</title>
        <style>
        body { font-family: {{FontStack}}; max-width: 62rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1f2328; }
        :lang(zh) { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", {{FontStack}}; }
        table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #d0d7de; padding: .3rem .5rem; vertical-align: top; text-align: left; }
        .ok { color: #1a7f37; } .bad { color: #cf222e; font-weight: bold; } .muted { color: #656d76; }
        code { background: #f6f8fa; padding: 0 .2rem; } details summary { cursor: pointer; color: #0969da; }
        {{extraStyle}}
        </style></head><body>
        """;

    /// <summary>The status of one lesson in words: passed, failed at cell N, not run yet, or not written yet.</summary>
    public static (string text, string css) Status(PathStep step, LessonInfo? lesson, LessonSummary? result)
    {
        if (lesson is null) return ("not yet written", "muted");
        if (result is null) return ("not run yet", "muted");
        if (result.Succeeded) return ($"passed ({result.Mode} mode)", "ok");
        var cell = Regex.Match(result.Failure ?? "", @"^cell (\d+)");
        return (cell.Success ? $"failed at cell {cell.Groups[1].Value}" : "failed", "bad");
    }

    private const string IndexStem = "00-index";

    /// <summary>The course's home page: the thirty questions in reading-path order, each with its 60-second answer folded in.</summary>
    public static string FrontPage(IReadOnlyList<PathStep> path, IReadOnlyDictionary<int, LessonInfo> lessons,
        IReadOnlyDictionary<string, LessonSummary> results, RunDetails run)
    {
        var page = new StringBuilder(Head("AttentionCourse", ".part { margin-top: 2rem; } .answer { margin: .3rem 0 .6rem; }"));
        page.AppendLine("<h1>AttentionCourse: thirty questions on attention, answered with code that runs</h1>");
        int written = path.Count(s => lessons.ContainsKey(s.Lesson));
        int passed = path.Count(s => lessons.TryGetValue(s.Lesson, out var l) && results.TryGetValue(l.Stem, out var r) && r.Succeeded);
        page.AppendLine($"<p>{written} of {path.Count} lessons written; {passed} passed in the runs recorded here. Read them in this order " +
            "(the seed's order is not a teaching order). Each lesson trains or runs a real model on a CPU, draws its charts while it runs, " +
            "and asserts its claims in check cells. <a href=\"interview.html\">Interview sheet</a> · <a href=\"flashcards.tsv\">Anki flashcards</a> · " +
            (results.ContainsKey(IndexStem) ? $"<a href=\"{IndexStem}.html\">set-up and concept map ({IndexStem})</a>" : $"set-up and concept map: notebooks/{IndexStem}.ipynb") + "</p>");
        foreach (var part in path.GroupBy(s => s.Part))
        {
            page.AppendLine($"<h2 class=\"part\">{Encode(part.Key)}</h2>");
            page.AppendLine("<table><tr><th>step</th><th>lesson</th><th>the question</th><th>prerequisites</th><th>time</th><th>status</th></tr>");
            foreach (var step in part)
            {
                lessons.TryGetValue(step.Lesson, out var lesson);
                LessonSummary? result = lesson is not null && results.TryGetValue(lesson.Stem, out var r) ? r : null;
                var (status, css) = Status(step, lesson, result);
                var label = result is not null ? $"<a href=\"{Encode(lesson!.Stem)}.html\">{Encode(step.Label)}</a>" : Encode(step.Label);
                var time = result is not null ? $"{result.Seconds:F0} s measured ({result.Mode})" : Encode(lesson?.Time ?? step.Time);
                var answer = lesson is null || lesson.Answer.Length == 0 ? "" :
                    $"<details class=\"answer\"><summary>60-second answer</summary>{Html(lesson.Answer)}</details>";
                page.AppendLine($"<tr><td>{step.Step}</td><td>{label}</td><td>{Encode(lesson?.Title ?? step.Question)}<br>" +
                    $"<span lang=\"zh\">{Encode(lesson?.ChineseQuestion is { Length: > 0 } c ? c : step.ChineseQuestion)}</span>{answer}</td>" +
                    $"<td>{Encode(lesson?.Prerequisites ?? step.Prerequisites)}</td><td>{time}</td><td class=\"{css}\">{Encode(status)}</td></tr>");
            }
            page.AppendLine("</table>");
        }
        page.AppendLine("<h2>This run</h2><ul>");
        page.AppendLine($"<li>machine: {Encode(run.Machine)}</li><li>mode: {Encode(run.Mode)}; seed: {Encode(run.Seed)}; written {run.At:yyyy-MM-dd HH:mm} UTC</li>");
        page.AppendLine($"<li>versions: {Encode(string.Join(", ", run.Versions.Select(v => $"{v.package} {v.version}")))}</li></ul>");
        page.AppendLine("</body></html>");
        return page.ToString();
    }

    /// <summary>A printable sheet, one page per lesson at most: question, 60-second answer, the pitfall in one line, follow-ups with answers.</summary>
    public static string InterviewSheet(IReadOnlyList<PathStep> path, IReadOnlyDictionary<int, LessonInfo> lessons)
    {
        var page = new StringBuilder(Head("AttentionCourse: interview sheet",
            "section { border-top: 1px solid #d0d7de; padding-top: .5rem; } h2 { margin-bottom: .2rem; } .pitfall { background: #fff8c5; padding: .3rem .5rem; }" +
            " @media print { body { font-size: 10.5pt; max-width: none; margin: 0; } section { page-break-after: always; break-after: page; border: none; } a { color: inherit; } }"));
        page.AppendLine("<h1>AttentionCourse: the interview sheet</h1><p class=\"muted\">Generated from the lessons. Print it: one page per lesson.</p>");
        foreach (var step in path)
        {
            if (!lessons.TryGetValue(step.Lesson, out var lesson)) continue;
            page.AppendLine("<section>");
            page.AppendLine($"<h2>{lesson.Number:00} · {Encode(lesson.Title)}</h2><p lang=\"zh\">{Encode(lesson.ChineseQuestion)}</p>");
            page.AppendLine(Html(lesson.Answer));
            if (lesson.Pitfall.Length > 0) page.AppendLine($"<p class=\"pitfall\"><b>Pitfall:</b> {Html(lesson.Pitfall).Replace("<p>", "").Replace("</p>", "")}</p>");
            if (lesson.FollowUps.Count > 0)
            {
                page.AppendLine("<h3>Follow-ups</h3><ol>");
                foreach (var f in lesson.FollowUps) page.AppendLine($"<li><b>{InlineHtml(f.Question)}</b> {InlineHtml(f.Answer)}</li>");
                page.AppendLine("</ol>");
            }
            page.AppendLine("</section>");
        }
        page.AppendLine("</body></html>");
        return page.ToString();
    }

    /// <summary>
    /// An Anki deck in Anki's plain-text format: tab-separated fields (front, back, tags), HTML allowed, no tab or line break
    /// inside a field. One card per lesson (the question in English and Chinese → the 60-second answer) and one per follow-up.
    /// </summary>
    public static string Flashcards(IReadOnlyList<PathStep> path, IReadOnlyDictionary<int, LessonInfo> lessons)
    {
        var deck = new StringBuilder();
        deck.Append("#separator:tab\n#html:true\n#tags column:3\n");
        foreach (var step in path)
        {
            if (!lessons.TryGetValue(step.Lesson, out var lesson)) continue;
            var tags = $"AttentionCourse lesson-{lesson.Number:00}";
            var context = $"<br><small>AttentionCourse {lesson.Number:00} · {Encode(lesson.Title)}</small>";
            deck.Append(Field($"<b>{Encode(lesson.Title)}</b><br>{Encode(lesson.ChineseQuestion)}")).Append('\t')
                .Append(Field(Html(lesson.Answer))).Append('\t').Append(tags).Append('\n');
            foreach (var f in lesson.FollowUps)
                deck.Append(Field($"<b>{InlineHtml(f.Question)}</b>{context}")).Append('\t').Append(Field(InlineHtml(f.Answer))).Append('\t').Append(tags).Append('\n');
        }
        return deck.ToString();
    }

    /// <summary>A field of the deck: tabs become spaces and line breaks disappear (HTML carries the structure).</summary>
    public static string Field(string html) => Regex.Replace(html.Replace('\t', ' ').Replace("\r", ""), @"[ ]*\n+[ ]*", " ").Trim();

    private static string InlineHtml(string markdown)
    {
        var html = Html(markdown);
        return html.StartsWith("<p>") && html.EndsWith("</p>") && html.IndexOf("<p>", 3, StringComparison.Ordinal) < 0 ? html[3..^4] : html;
    }
}
