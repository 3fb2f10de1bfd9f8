namespace AttentionCourse;

/// <summary>A claim a notebook makes that did not hold when it ran.</summary>
public sealed class ClaimFailedException(string message) : Exception(message);

/// <summary>
/// The "Check it" cells: each claim a lesson makes is asserted with the measured value in the message,
/// so a failing claim fails the notebook (and the build) and says by how much.
/// </summary>
public static class Checks
{
    /// <summary>Asserts a claim; prints it with a tick when it holds, throws <see cref="ClaimFailedException"/> when not.</summary>
    public static void That(bool holds, string claim)
    {
        if (!holds) throw new ClaimFailedException("Claim failed: " + claim);
        Console.WriteLine("✓ " + claim);
    }

    /// <summary>
    /// Checks an exercise answer. Before the learner has answered (<paramref name="answer"/> is null) it only says so;
    /// once answered, a wrong answer throws with the expectation and a hint. The solutions section at the end of each
    /// notebook fills in the answer and runs the same check, so every check is exercised when the notebook runs.
    /// </summary>
    public static void Exercise<T>(string name, T? answer, Func<T, bool> isCorrect, string expectation, string hint) where T : struct
    {
        if (answer is null)
        {
            Console.WriteLine($"Exercise {name}: not answered yet. Expected: {expectation}. (A solution is at the end of the notebook.)");
            return;
        }
        var shown = answer.Value is double or float ? ((IFormattable)answer.Value).ToString("G4", null) : answer.Value.ToString();
        if (!isCorrect(answer.Value))
            throw new ClaimFailedException($"Exercise {name}: {shown} is not right. Expected: {expectation}. Hint: {hint}");
        Console.WriteLine($"✓ Exercise {name}: {shown} — {expectation}.");
    }
}
