namespace AttentionCourse.Data;

/// <summary>One sentence of tagged text: its tokens and one tag per token.</summary>
/// <param name="Tokens">The words, in order.</param>
/// <param name="Tags">One tag per token (a part of speech, a BIO label…).</param>
/// <param name="Line">1-based line of the file where the sentence starts (for error messages and look-ups).</param>
public sealed record TaggedSentence(IReadOnlyList<string> Tokens, IReadOnlyList<string> Tags, int Line)
{
    /// <summary>Number of tokens.</summary>
    public int Length => Tokens.Count;
}

/// <summary>A document of tagged sentences with its id and metadata (e.g. <c>genre</c>).</summary>
/// <param name="Id">Document id (a Brown file name such as <c>ca01</c>, or the id of a CoNLL <c># newdoc id =</c> line).</param>
/// <param name="Metadata">Key–value pairs that describe the whole document.</param>
/// <param name="Sentences">The sentences, in order.</param>
public sealed record TaggedDocument(string Id, IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<TaggedSentence> Sentences);
