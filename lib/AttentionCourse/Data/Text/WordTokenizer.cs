using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace AttentionCourse.Data;

/// <summary>
/// Splits English review text into word tokens, keeping negation visible to a model. The rules, in order:
/// <list type="number">
/// <item>HTML: tags such as <c>&lt;br /&gt;</c> become a space and entities are decoded (<c>&amp;quot;</c> → <c>"</c>),
/// because web reviews carry both.</item>
/// <item>Curly apostrophes (’ ‘) become <c>'</c>; the text is lower-cased (invariant culture), so "Great" and "great"
/// share one vocabulary entry.</item>
/// <item>A token is a number with decimal separators (<c>29.95</c>, <c>1,000</c>), or a run of letters and digits with
/// internal apostrophes (<c>don't</c>), or any other single non-space character: each punctuation mark is its own
/// token (<c>!!</c> → <c>!</c> <c>!</c>), so "!" and "?" count.</item>
/// <item>Negations are split off and kept as tokens, never dropped as stop words: <c>n't</c> is separated as in the
/// Penn Treebank (<c>don't</c> → <c>do n't</c>; <c>can't</c> → <c>can n't</c>, <c>won't</c> → <c>will n't</c>),
/// apostrophe-less spellings common in reviews are split the same way (<c>dont</c> → <c>do n't</c>), and
/// <c>cannot</c> → <c>can not</c>. Other clitics are separated too (<c>it's</c> → <c>it 's</c>).</item>
/// </list>
/// No stop words are removed and nothing is stemmed. The length cap is applied later, by
/// <see cref="Vocabulary.Encode"/>'s <c>maxLength</c>.
/// </summary>
public static partial class WordTokenizer
{
    /// <summary>Tokens that negate: <c>not</c>, <c>no</c>, <c>never</c>, <c>n't</c> and the other "n-words" of English.</summary>
    public static IReadOnlySet<string> Negations { get; } = new HashSet<string>(StringComparer.Ordinal)
        { "not", "no", "never", "n't", "nothing", "none", "nobody", "neither", "nor", "nowhere" };

    private static readonly string[] Clitics = { "'s", "'re", "'ve", "'ll", "'d", "'m" };

    // Stems whose n't form is irregular (Penn Treebank: "ca n't", "wo n't"); written out here as the full verb.
    private static readonly Dictionary<string, string> IrregularStems = new(StringComparer.Ordinal)
        { ["ca"] = "can", ["wo"] = "will", ["sha"] = "shall" };

    // Contractions written without the apostrophe, frequent in reviews ("dont", "didnt"): split like "don't".
    private static readonly Dictionary<string, string> ApostropheLess = new(StringComparer.Ordinal)
    {
        ["dont"] = "do", ["didnt"] = "did", ["doesnt"] = "does", ["isnt"] = "is", ["wasnt"] = "was", ["arent"] = "are",
        ["werent"] = "were", ["cant"] = "can", ["wont"] = "will", ["couldnt"] = "could", ["wouldnt"] = "would",
        ["shouldnt"] = "should", ["havent"] = "have", ["hasnt"] = "has", ["hadnt"] = "had",
    };

    [GeneratedRegex(@"<[^<>]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\p{N}+(?:[.,]\p{N}+)+|[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|\S")]
    private static partial Regex Token();

    /// <summary>The tokens of one text, by the rules above.</summary>
    public static string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var plain = WebUtility.HtmlDecode(HtmlTag().Replace(text, " "))
            .Replace('\u2019', '\'').Replace('\u2018', '\'')
            .ToLower(CultureInfo.InvariantCulture);
        var tokens = new List<string>();
        foreach (Match match in Token().Matches(plain)) Split(match.Value, tokens);
        return tokens.ToArray();
    }

    /// <summary>True if the token is one of <see cref="Negations"/>.</summary>
    public static bool IsNegation(string token) => Negations.Contains(token);

    private static void Split(string word, List<string> tokens)
    {
        if (word == "cannot") { tokens.Add("can"); tokens.Add("not"); return; }
        if (ApostropheLess.TryGetValue(word, out var verb)) { tokens.Add(verb); tokens.Add("n't"); return; }
        if (word.Length > 3 && word.EndsWith("n't", StringComparison.Ordinal))
        {
            var stem = word[..^3];
            tokens.Add(IrregularStems.GetValueOrDefault(stem, stem));
            tokens.Add("n't");
            return;
        }
        foreach (var clitic in Clitics)
        {
            if (word.Length > clitic.Length && word.EndsWith(clitic, StringComparison.Ordinal))
            {
                tokens.Add(word[..^clitic.Length]);
                tokens.Add(clitic);
                return;
            }
        }
        tokens.Add(word);
    }
}
