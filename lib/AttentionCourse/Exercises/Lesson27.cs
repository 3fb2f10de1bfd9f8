using AttentionCourse.Models;
using static TorchSharp.torch;

namespace AttentionCourse.Exercises;

/// <summary>Reference answers for lesson 27's exercises, computed independently of the learner's code.</summary>
public static class Lesson27
{
    /// <summary>
    /// Erasure: the share of passages whose predicted class changes when the token at <paramref name="positions"/>[b] of
    /// row b is replaced by the unknown token (the model in eval mode, padding unchanged). Computed one passage at a time.
    /// </summary>
    /// <param name="model">A trained classifier.</param>
    /// <param name="ids"><c>(B, T)</c> token ids, 0-padded at the end.</param>
    /// <param name="keyPadding"><c>(B, T)</c> Bool, true = padded.</param>
    /// <param name="positions">One real position per row.</param>
    public static double ErasureFlipRate(SentenceClassifier model, Tensor ids, Tensor keyPadding, IReadOnlyList<long> positions)
    {
        if (positions.Count != ids.shape[0])
            throw new ArgumentException($"positions needs one entry per row ({ids.shape[0]}); got {positions.Count}.", nameof(positions));
        bool wasTraining = model.training;
        model.eval();
        int flips = 0;
        using (no_grad())
            for (int b = 0; b < positions.Count; b++)
            {
                using var scope = NewDisposeScope();
                var row = ids[b].unsqueeze(0).clone();                                   // (1, T)
                var padding = keyPadding[b].unsqueeze(0);                                // (1, T)
                long p = positions[b];
                if (p < 0 || p >= row.shape[1] || padding[0, p].item<bool>())
                    throw new ArgumentException($"positions[{b}] = {p} is not a real token of row {b}.", nameof(positions));
                long before = model.call(row, padding).argmax(-1).item<long>();
                row[0, p] = Data.Vocabulary.UnknownId;
                long after = model.call(row, padding).argmax(-1).item<long>();
                if (before != after) flips++;
            }
        if (wasTraining) model.train();
        return flips / (double)positions.Count;
    }

    /// <summary>The position of each row with the largest attention summed over the hops: A <c>(B, r, T)</c> → B positions.</summary>
    public static long[] MostAttendedPositions(Tensor weights)
    {
        using var scope = NewDisposeScope();
        return weights.detach().sum(1).argmax(-1).cpu().data<long>().ToArray();
    }
}
