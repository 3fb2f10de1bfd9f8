using System.Globalization;
using System.Text.Json;
using static TorchSharp.torch;

namespace AttentionCourse;

/// <summary>A claim a notebook makes that did not hold when it ran.</summary>
public sealed class ClaimFailedException(string message) : Exception(message);

/// <summary>
/// One check as it ran: what kind, the claim, the measured value and the threshold(s) it was held to. The runner's seed
/// sweep reads these (one JSON line each) to report, per check, the spread of the measured value over seeds.
/// </summary>
/// <param name="Kind">That, AtLeast, AtMost, Between or Close.</param>
/// <param name="Claim">The claim as written in the notebook.</param>
/// <param name="Value">The measured value (1 or 0 for <see cref="Checks.That"/>; |actual − expected| for Close).</param>
/// <param name="Low">Lower bound the value was held to, if any.</param>
/// <param name="High">Upper bound the value was held to, if any.</param>
/// <param name="Passed">Whether it held.</param>
public sealed record CheckRecord(string Kind, string Claim, double Value, double? Low, double? High, bool Passed);

/// <summary>
/// The "Check it" cells. Each claim a lesson makes is asserted here, and a check that compares a measured value with a
/// threshold carries both, so the message says by how much it held or failed, and a seed sweep can report the spread.
/// A failed claim throws <see cref="ClaimFailedException"/>, which fails the cell, the notebook and the build.
/// </summary>
/// <remarks>
/// Write the claim as a fixed sentence ("learned pooling beats average pooling by 4×"); the check prints the numbers.
/// Two environment variables, set by the runner's seed sweep (<c>--seeds</c>), change what a check does:
/// <see cref="LogVariable"/> appends each check to a JSON-lines file, and <see cref="SweepVariable"/> = 1 records a
/// failed check without stopping the notebook, so the sweep sees every check under every seed.
/// </remarks>
public static class Checks
{
    /// <summary>Path of a JSON-lines file that receives one <see cref="CheckRecord"/> per check (unset = no log).</summary>
    public const string LogVariable = "ATTENTION_COURSE_CHECK_LOG";

    /// <summary>When <c>1</c>, a failed check is printed and logged but does not throw (seed sweeps only).</summary>
    public const string SweepVariable = "ATTENTION_COURSE_SWEEP";

    /// <summary>Asserts a yes/no claim.</summary>
    public static void That(bool holds, string claim)
        => Report(new CheckRecord("That", claim, holds ? 1 : 0, null, null, holds), claim);

    /// <summary>Asserts <paramref name="value"/> ≥ <paramref name="threshold"/>.</summary>
    public static void AtLeast(double value, double threshold, string claim)
        => Report(new CheckRecord("AtLeast", claim, value, threshold, null, value >= threshold),
            $"{claim}: {Show(value)} ≥ {Show(threshold)}");

    /// <summary>Asserts <paramref name="value"/> ≤ <paramref name="threshold"/>.</summary>
    public static void AtMost(double value, double threshold, string claim)
        => Report(new CheckRecord("AtMost", claim, value, null, threshold, value <= threshold),
            $"{claim}: {Show(value)} ≤ {Show(threshold)}");

    /// <summary>Asserts <paramref name="low"/> ≤ <paramref name="value"/> ≤ <paramref name="high"/>.</summary>
    public static void Between(double value, double low, double high, string claim)
    {
        if (low > high) throw new ArgumentException($"low ({low}) must not exceed high ({high}).", nameof(low));
        Report(new CheckRecord("Between", claim, value, low, high, value >= low && value <= high),
            $"{claim}: {Show(value)} in [{Show(low)}, {Show(high)}]");
    }

    /// <summary>Asserts |<paramref name="actual"/> − <paramref name="expected"/>| ≤ <paramref name="tolerance"/>.</summary>
    public static void Close(double actual, double expected, double tolerance, string claim)
    {
        if (!(tolerance >= 0)) throw new ArgumentException($"tolerance must be ≥ 0; got {tolerance}.", nameof(tolerance));
        double gap = Math.Abs(actual - expected);
        Report(new CheckRecord("Close", claim, gap, null, tolerance, gap <= tolerance),
            $"{claim}: {Show(actual)} vs {Show(expected)}, |Δ| = {gap:G2} ≤ {tolerance:G2}");
    }

    /// <summary>Asserts two tensors agree elementwise: max |actual − expected| ≤ <paramref name="tolerance"/> (shapes must match).</summary>
    public static void Close(Tensor actual, Tensor expected, double tolerance, string claim)
    {
        if (!actual.shape.SequenceEqual(expected.shape))
        {
            Report(new CheckRecord("Close", claim, double.PositiveInfinity, null, tolerance, false),
                $"{claim}: shapes differ, {Layers.Check.Describe(actual.shape)} vs {Layers.Check.Describe(expected.shape)}");
            return;
        }
        double gap = MaxAbsDifference(actual, expected);
        Report(new CheckRecord("Close", claim, gap, null, tolerance, gap <= tolerance),
            $"{claim}: max |Δ| = {gap:G2} ≤ {tolerance:G2} over {actual.numel()} values");
    }

    /// <summary>max |a − b| over all elements, in float64 (0 for empty tensors).</summary>
    public static double MaxAbsDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var gap = (a.detach().to_type(ScalarType.Float64) - b.detach().to_type(ScalarType.Float64)).abs();
        return gap.numel() == 0 ? 0 : gap.max().item<double>();
    }

    /// <summary>
    /// Checks a numeric exercise answer against a <paramref name="reference"/> that the notebook computes with library code
    /// (often from <c>AttentionCourse.Exercises</c>). It never shows the reference before a correct answer: unanswered
    /// (null) says "not answered yet"; a wrong answer throws with the hint only.
    /// </summary>
    public static void Exercise(string name, double? answer, double reference, double tolerance, string hint)
    {
        if (answer is null) { NotAnswered(name); return; }
        bool right = Math.Abs(answer.Value - reference) <= tolerance;
        if (!right) Wrong(name, $"{Show(answer.Value)} is not right (it should match a reference computed here to ±{tolerance:G2})", hint);
        else Console.WriteLine($"✓ Exercise {name}: {Show(answer.Value)} matches the reference to ±{tolerance:G2}.");
    }

    /// <summary>
    /// As <see cref="Exercise(string, double?, double, double, string)"/>, with a reference that is costly to compute (e.g. it
    /// trains a model): it is computed only once the learner has answered.
    /// </summary>
    public static void Exercise(string name, double? answer, Func<double> reference, double tolerance, string hint)
    {
        if (answer is null) { NotAnswered(name); return; }
        Exercise(name, answer, reference(), tolerance, hint);
    }

    /// <summary>Checks a tensor answer against a reference tensor (same shape, max |Δ| ≤ tolerance), without showing the reference.</summary>
    public static void Exercise(string name, Tensor? answer, Tensor reference, double tolerance, string hint)
    {
        if (answer is null) { NotAnswered(name); return; }
        if (!answer.shape.SequenceEqual(reference.shape))
            Wrong(name, $"your tensor has shape {Layers.Check.Describe(answer.shape)}, the reference has another shape", hint);
        else if (MaxAbsDifference(answer, reference) is var gap && !(gap <= tolerance))   // NaN fails too
            Wrong(name, $"your tensor differs from the reference by up to {gap:G2} (tolerance {tolerance:G2})", hint);
        else Console.WriteLine($"✓ Exercise {name}: your {Layers.Check.Describe(answer.shape)} tensor matches the reference to ±{tolerance:G2}.");
    }

    /// <summary>
    /// Checks an answer with a rule. <paramref name="requirement"/> states what a right answer satisfies without giving the
    /// answer away (e.g. "the w with the lowest test error on the grid"); it is shown only once the answer is right.
    /// </summary>
    public static void Exercise<T>(string name, T? answer, Func<T, bool> isCorrect, string requirement, string hint) where T : struct
    {
        if (answer is null) { NotAnswered(name); return; }
        if (!isCorrect(answer.Value)) Wrong(name, $"{ShowAny(answer.Value)} is not right", hint);
        else Console.WriteLine($"✓ Exercise {name}: {ShowAny(answer.Value)} — {requirement}.");
    }

    private static void NotAnswered(string name)
        => Console.WriteLine($"Exercise {name}: not answered yet. (Write your answer in the cell above; a solution is at the end of the notebook.)");

    private static void Wrong(string name, string what, string hint)
        => throw new ClaimFailedException($"Exercise {name}: {what}. Hint: {hint}");

    private static void Report(CheckRecord record, string message)
    {
        Log(record);
        if (record.Passed) { Console.WriteLine("✓ " + message); return; }
        if (Environment.GetEnvironmentVariable(SweepVariable) == "1") { Console.WriteLine("✗ FAILED: " + message); return; }
        throw new ClaimFailedException("Claim failed: " + message);
    }

    private static void Log(CheckRecord record)
    {
        var path = Environment.GetEnvironmentVariable(LogVariable);
        if (string.IsNullOrEmpty(path)) return;
        // NaN and ∞ are not JSON numbers: write them as strings the reader understands.
        var line = JsonSerializer.Serialize(record, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
        File.AppendAllText(path, line + "\n");
    }

    private static string Show(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string ShowAny<T>(T value) => value is IFormattable f && value is double or float
        ? f.ToString("G4", CultureInfo.InvariantCulture) : value?.ToString() ?? "";
}
