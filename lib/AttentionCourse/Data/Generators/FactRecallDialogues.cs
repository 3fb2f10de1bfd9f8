using static TorchSharp.torch;

namespace AttentionCourse.Data;

/// <summary>One generated dialogue, as text.</summary>
/// <param name="Turns">The turns, oldest first; the last one is the question.</param>
/// <param name="Answer">The value the question asks for.</param>
/// <param name="FactTurn">Index (in <see cref="Turns"/>) of the turn that states the needed fact.</param>
/// <param name="TurnsBack">How many turns before the question the fact was stated (1 = the turn just before it).</param>
public sealed record Dialogue(IReadOnlyList<string[]> Turns, string Answer, int FactTurn, int TurnsBack);

/// <summary>
/// Multi-turn dialogues whose last turn asks about a fact stated k turns earlier (lesson 29), with k controlled.
/// Eight people, four attributes (city, pet, food, job) of six values each. A dialogue has <c>historyTurns</c> turns
/// and then a question ("where does alice live ?"); the answer is one of the 24 values.
/// </summary>
/// <remarks>
/// Each history holds the needed fact ("alice lives in lima") <c>k</c> turns before the question and three distractor
/// facts at random other turns: <b>the same attribute of another person</b> ("bob lives in oslo", with another value),
/// <b>another attribute of the same person</b> ("alice has a parrot"), and one more random (person, attribute) pair.
/// The remaining turns are small talk, half of them naming a person ("i met carol yesterday"). So no shortcut works:
/// the asked person's name and the asked attribute each appear in at least two turns, and only the turn with both holds
/// the answer; values are drawn uniformly, so guessing the commonest value gives 1/6 within the right attribute; the
/// fact's position is uniform over 1…historyTurns turns back, independent of everything else.
/// Everything is drawn from <c>System.Random(seed)</c>, so a seed gives the same dialogues on every machine.
/// </remarks>
public sealed class FactRecallDialogues : IDisposable
{
    /// <summary>The people.</summary>
    public static IReadOnlyList<string> People { get; } = new[] { "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi" };

    /// <summary>The attributes, in answer-id order.</summary>
    public static IReadOnlyList<string> Attributes { get; } = new[] { "city", "pet", "food", "job" };

    private static readonly string[][] ValuesByAttribute =
    {
        new[] { "paris", "rome", "tokyo", "lima", "oslo", "cairo" },
        new[] { "cat", "dog", "parrot", "hamster", "turtle", "rabbit" },
        new[] { "tea", "pizza", "sushi", "soup", "pasta", "cheese" },
        new[] { "doctor", "pilot", "chef", "teacher", "farmer", "lawyer" },
    };

    /// <summary>All answer values (attribute by attribute); an answer's id is its index here.</summary>
    public static IReadOnlyList<string> Values { get; } = ValuesByAttribute.SelectMany(v => v).ToArray();

    private static string[] Fact(string person, int attribute, string value) => attribute switch
    {
        0 => new[] { person, "lives", "in", value },
        1 => new[] { person, "has", "a", value },
        2 => new[] { person, "likes", value },
        _ => new[] { person, "works", "as", "a", value },
    };

    private static string[] Question(string person, int attribute) => attribute switch
    {
        0 => new[] { "where", "does", person, "live", "?" },
        1 => new[] { "what", "pet", "does", person, "have", "?" },
        2 => new[] { "what", "does", person, "like", "?" },
        _ => new[] { "what", "does", person, "do", "?" },
    };

    private static readonly string[][] SmallTalk =
    {
        new[] { "how", "are", "you", "?" }, new[] { "fine", "thanks" }, new[] { "nice", "weather", "today" },
        new[] { "i", "see" }, new[] { "tell", "me", "more" }, new[] { "sounds", "good" }, new[] { "really", "?" },
        new[] { "that", "is", "interesting" }, new[] { "ok" }, new[] { "me", "too" },
    };

    private static readonly Func<string, string[]>[] NameDropping =
    {
        p => new[] { "i", "met", p, "yesterday" }, p => new[] { p, "says", "hello" }, p => new[] { "have", "you", "seen", p, "?" },
    };

    /// <summary>Longest turn in words.</summary>
    public const int MaxTurnLength = 6;

    /// <summary>Every word the generator can write, in a fixed order (for a <see cref="Data.Vocabulary"/>).</summary>
    public static IReadOnlyList<string> Words { get; } = People
        .Concat(Values)
        .Concat(Enumerable.Range(0, 4).SelectMany(a => Fact("alice", a, "x").Concat(Question("alice", a))))
        .Concat(SmallTalk.SelectMany(t => t))
        .Concat(NameDropping.SelectMany(f => f("alice")))
        .Where(w => w != "x").Distinct().ToArray();

    /// <summary>The vocabulary of <see cref="Words"/> (padding id 0, unknown id 1, then the words).</summary>
    public static Vocabulary Vocabulary { get; } = Vocabulary.FromTokens(Words);

    private FactRecallDialogues(IReadOnlyList<Dialogue> dialogues, Tensor words, Tensor wordPadding, Tensor answers, Tensor factTurns, Tensor turnsBack)
    {
        Dialogues = dialogues; WordIds = words; WordPadding = wordPadding; Answers = answers; FactTurns = factTurns; TurnsBack = turnsBack;
    }

    /// <summary>The dialogues as text.</summary>
    public IReadOnlyList<Dialogue> Dialogues { get; }
    /// <summary><c>(N, turns, words)</c> Int64 word ids, 0-padded at the end of each turn; turns = history + 1 (the question, last).</summary>
    public Tensor WordIds { get; }
    /// <summary><c>(N, turns, words)</c> Bool, true = padded word.</summary>
    public Tensor WordPadding { get; }
    /// <summary><c>(N)</c> Int64 answer ids (indices into <see cref="Values"/>).</summary>
    public Tensor Answers { get; }
    /// <summary><c>(N)</c> Int64 index of the turn holding the needed fact.</summary>
    public Tensor FactTurns { get; }
    /// <summary><c>(N)</c> Int64 turns between the fact and the question (1 … history).</summary>
    public Tensor TurnsBack { get; }

    public long Count => Answers.shape[0];

    /// <summary>Generates <paramref name="count"/> dialogues of <paramref name="historyTurns"/> turns plus a question.</summary>
    /// <param name="count">Number of dialogues.</param>
    /// <param name="historyTurns">Turns before the question (at least 4: the fact and three distractors).</param>
    /// <param name="seed">Seed of the generator (e.g. <c>Course.SeedFor("train dialogues")</c>).</param>
    /// <param name="turnsBack">If set, every fact sits exactly this many turns back; otherwise uniform over 1 … historyTurns.</param>
    public static FactRecallDialogues Generate(int count, int historyTurns, int seed, int? turnsBack = null)
    {
        Layers.Check.AtLeast(count, 1, nameof(count));
        Layers.Check.AtLeast(historyTurns, 4, nameof(historyTurns));
        if (turnsBack is int fixedBack && (fixedBack < 1 || fixedBack > historyTurns))
            throw new ArgumentException($"turnsBack must lie in [1, {historyTurns}] (historyTurns); got {fixedBack}.", nameof(turnsBack));
        var random = new Random(seed);
        var dialogues = new List<Dialogue>(count);
        for (int n = 0; n < count; n++) dialogues.Add(One(random, historyTurns, turnsBack));
        int turns = historyTurns + 1;
        var ids = new long[count * turns * MaxTurnLength];
        var padding = new bool[ids.Length];
        Array.Fill(padding, true);
        for (int n = 0; n < count; n++)
            for (int t = 0; t < turns; t++)
            {
                var encoded = Vocabulary.Encode(dialogues[n].Turns[t], UnknownTokens.Throw);
                for (int w = 0; w < encoded.Length; w++)
                {
                    int at = (n * turns + t) * MaxTurnLength + w;
                    ids[at] = encoded[w];
                    padding[at] = false;
                }
            }
        var shape = new long[] { count, turns, MaxTurnLength };
        return new FactRecallDialogues(dialogues, tensor(ids, shape), tensor(padding, shape),
            tensor(dialogues.Select(d => (long)IndexOf(Values, d.Answer)).ToArray()),
            tensor(dialogues.Select(d => (long)d.FactTurn).ToArray()),
            tensor(dialogues.Select(d => (long)d.TurnsBack).ToArray()));
    }

    /// <summary>
    /// For each dialogue, the chance that a reader who knows <i>which attribute</i> is asked, but not whose, answers right:
    /// it guesses uniformly among the distinct values of that attribute stated in the history (the answer is always one
    /// of them). The mean over dialogues is the accuracy such a reader reaches; a model that has not learned to bind the
    /// person to the fact lands near it.
    /// </summary>
    public double[] AttributeOnlyGuess() => Dialogues.Select(d =>
    {
        var fact = d.Turns[d.FactTurn];
        var verb = fact[1];
        var values = d.Turns.Take(d.Turns.Count - 1)
            .Where(t => t.Length > 2 && t[1] == verb && People.Contains(t[0]))
            .Select(t => t[^1]).Distinct().Count();
        return 1.0 / values;
    }).ToArray();

    private static int IndexOf(IReadOnlyList<string> list, string item) => ((string[])list).AsSpan().IndexOf(item);

    private static Dialogue One(Random random, int history, int? fixedBack)
    {
        int person = random.Next(People.Count), attribute = random.Next(4);
        int value = random.Next(6);
        int otherPerson = (person + 1 + random.Next(People.Count - 1)) % People.Count;
        int otherAttribute = (attribute + 1 + random.Next(3)) % 4;
        int otherValue = (value + 1 + random.Next(5)) % 6;
        // A third distractor: any (person, attribute) pair not used yet.
        int thirdPerson, thirdAttribute;
        do { thirdPerson = random.Next(People.Count); thirdAttribute = random.Next(4); }
        while ((thirdPerson == person && (thirdAttribute == attribute || thirdAttribute == otherAttribute))
               || (thirdPerson == otherPerson && thirdAttribute == attribute));
        var facts = new List<string[]>
        {
            Fact(People[otherPerson], attribute, ValuesByAttribute[attribute][otherValue]),
            Fact(People[person], otherAttribute, ValuesByAttribute[otherAttribute][random.Next(6)]),
            Fact(People[thirdPerson], thirdAttribute, ValuesByAttribute[thirdAttribute][random.Next(6)]),
        };
        int back = fixedBack ?? 1 + random.Next(history);
        int factTurn = history - back;
        var turns = new string[history + 1][];
        turns[factTurn] = Fact(People[person], attribute, ValuesByAttribute[attribute][value]);
        var free = Enumerable.Range(0, history).Where(t => t != factTurn).OrderBy(_ => random.Next()).ToList();
        for (int i = 0; i < facts.Count; i++) turns[free[i]] = facts[i];
        foreach (var t in free.Skip(facts.Count))
            turns[t] = random.Next(2) == 0 ? SmallTalk[random.Next(SmallTalk.Length)] : NameDropping[random.Next(NameDropping.Length)](People[random.Next(People.Count)]);
        turns[history] = Question(People[person], attribute);
        return new Dialogue(turns, ValuesByAttribute[attribute][value], factTurn, back);
    }

    public void Dispose()
    {
        WordIds.Dispose(); WordPadding.Dispose(); Answers.Dispose(); FactTurns.Dispose(); TurnsBack.Dispose();
    }
}
