namespace AttentionCourse.Training;

/// <summary>Linear warmup, then cosine decay to a floor (the usual Transformer schedule).</summary>
public static class LearningRateSchedule
{
    /// <summary>
    /// Learning rate at <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>:
    /// <c>base·(step+1)/warmup</c> during warmup, then <c>min + (base − min)·(1 + cos(π·progress))/2</c>.
    /// </summary>
    public static double WarmupCosine(long step, long totalSteps, long warmupSteps, double baseRate, double minRate = 0.0, bool cosine = true)
    {
        if (totalSteps < 1) throw new ArgumentException($"totalSteps must be at least 1; got {totalSteps}.", nameof(totalSteps));
        if (warmupSteps < 0 || warmupSteps > totalSteps)
            throw new ArgumentException($"warmupSteps must lie in [0, {totalSteps}] (totalSteps); got {warmupSteps}.", nameof(warmupSteps));
        if (step < 0) throw new ArgumentException($"step must be at least 0; got {step}.", nameof(step));
        if (step < warmupSteps) return baseRate * (step + 1) / warmupSteps;
        if (!cosine) return baseRate;
        long decaySteps = Math.Max(1, totalSteps - warmupSteps);
        double progress = Math.Min(1.0, (double)(step - warmupSteps) / decaySteps);
        return minRate + (baseRate - minRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
