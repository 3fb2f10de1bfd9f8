using TorchSharp;

namespace AttentionCourse.Training;

/// <summary>
/// Sets LibTorch's intra-op thread count for a block of code and restores it afterwards:
/// <c>using (TorchThreads.Limit(1)) { … }</c>.
/// </summary>
/// <remarks>
/// Recurrent layers run thousands of tiny operations per batch, too small to split across threads; on this course's
/// 2-core machines, with a second process competing for the cores, a BiGRU training step took 6× longer with two
/// threads than with one (threads waiting for each other). Lessons with recurrent models train them on one thread.
/// </remarks>
public static class TorchThreads
{
    /// <summary>Uses <paramref name="count"/> threads until the returned object is disposed.</summary>
    public static IDisposable Limit(int count)
    {
        Layers.Check.AtLeast(count, 1, nameof(count));
        int previous = torch.get_num_threads();
        torch.set_num_threads(count);
        return new Restore(previous);
    }

    private sealed class Restore(int previous) : IDisposable
    {
        private bool done;

        public void Dispose()
        {
            if (done) return;
            done = true;
            torch.set_num_threads(previous);
        }
    }
}
