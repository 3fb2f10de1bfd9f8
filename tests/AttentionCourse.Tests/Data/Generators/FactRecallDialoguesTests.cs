using AttentionCourse.Data;

namespace AttentionCourse.Tests.Data.Generators;

public class FactRecallDialoguesTests
{
    [Fact]
    public void TheSameSeed_GivesTheSameDialogues_AnotherSeedOthers()
    {
        using var a = FactRecallDialogues.Generate(50, 8, seed: 1);
        using var b = FactRecallDialogues.Generate(50, 8, seed: 1);
        using var c = FactRecallDialogues.Generate(50, 8, seed: 2);
        Assert.True(a.WordIds.eq(b.WordIds).all().item<bool>() && a.Answers.eq(b.Answers).all().item<bool>());
        Assert.False(a.WordIds.eq(c.WordIds).all().item<bool>());
        Assert.Equal(new long[] { 50, 9, FactRecallDialogues.MaxTurnLength }, a.WordIds.shape);
    }

    [Fact]
    public void TheFactSitsKTurnsBack_AndHoldsTheAskedPersonAttributeAndAnswer()
    {
        using var set = FactRecallDialogues.Generate(300, 10, seed: 3);
        var back = set.TurnsBack.data<long>().ToArray();
        Assert.Equal(Enumerable.Range(1, 10).Select(k => (long)k), back.Distinct().Order());
        foreach (var (d, i) in set.Dialogues.Select((d, i) => (d, i)))
        {
            Assert.Equal(10 - d.TurnsBack, d.FactTurn);
            var question = d.Turns[^1];
            string person = question.First(FactRecallDialogues.People.Contains);
            var fact = d.Turns[d.FactTurn];
            Assert.Equal(person, fact[0]);
            Assert.Equal(d.Answer, fact[^1]);
            Assert.Equal(d.Answer, FactRecallDialogues.Values[(int)set.Answers[i].item<long>()]);
            // Text and tensors agree.
            Assert.Equal(fact, FactRecallDialogues.Vocabulary.Decode(set.WordIds[i, d.FactTurn].data<long>().ToArray()));
        }
    }

    [Fact]
    public void NoShortcut_ThePersonAndTheAttributeEachAppearInAnotherTurn_AndTheSameAttributeOfAnotherPersonHasAnotherValue()
    {
        using var set = FactRecallDialogues.Generate(300, 8, seed: 4);
        foreach (var d in set.Dialogues)
        {
            var fact = d.Turns[d.FactTurn];
            var history = d.Turns.Take(d.Turns.Count - 1).ToList();
            string person = fact[0], verb = fact[1];
            Assert.True(history.Count(t => t.Contains(person)) >= 2, "the asked person is named elsewhere");
            var sameAttribute = history.Where((t, i) => i != d.FactTurn && t.Length > 1 && t[1] == verb && FactRecallDialogues.People.Contains(t[0])).ToList();
            Assert.Contains(sameAttribute, t => t[0] != person && t[^1] != d.Answer);
        }
        // The answers spread over all 24 values; each attribute is asked about a quarter of the time.
        var answers = set.Answers.data<long>().ToArray();
        Assert.Equal(24, answers.Distinct().Count());
    }

    [Fact]
    public void TheAttributeOnlyGuess_IsOneOverTheNumberOfDistinctValuesOfTheAskedAttribute()
    {
        using var set = FactRecallDialogues.Generate(200, 8, seed: 6);
        var guess = set.AttributeOnlyGuess();
        for (int i = 0; i < set.Dialogues.Count; i++)
        {
            var d = set.Dialogues[i];
            // Count by hand: history turns "<person> <same verb> …" and their last word.
            var verb = d.Turns[d.FactTurn][1];
            var distinct = new HashSet<string>();
            for (int t = 0; t < d.Turns.Count - 1; t++)
                if (d.Turns[t].Length > 2 && d.Turns[t][1] == verb && FactRecallDialogues.People.Contains(d.Turns[t][0])) distinct.Add(d.Turns[t][^1]);
            Assert.Contains(d.Answer, distinct);
            Assert.InRange(distinct.Count, 2, 3);          // the answer, the other person's value, maybe the random third fact's
            Assert.Equal(1.0 / distinct.Count, guess[i], 12);
        }
    }

    [Fact]
    public void FixedTurnsBack_AndBadArguments()
    {
        using var set = FactRecallDialogues.Generate(20, 6, seed: 5, turnsBack: 6);
        Assert.All(set.Dialogues, d => Assert.Equal(0, d.FactTurn));
        TestSupport.AssertArgumentError(() => FactRecallDialogues.Generate(5, 6, seed: 1, turnsBack: 7), "turnsBack", "[1, 6]", "7");
        TestSupport.AssertArgumentError(() => FactRecallDialogues.Generate(5, 3, seed: 1), "historyTurns", "at least 4");
    }
}
