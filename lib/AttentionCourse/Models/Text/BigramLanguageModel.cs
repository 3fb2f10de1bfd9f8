using AttentionCourse.Data;
using static TorchSharp.torch;

namespace AttentionCourse.Models;

/// <summary>
/// The baseline a language model must beat: the next token predicted from the current one alone, by counting.
/// p(b | a) = (count(a b) + α) / (count(a ·) + α·V), fitted on the training text (add-α smoothing keeps unseen pairs
/// possible). It is the maximum-likelihood model with a context of one token; its cross-entropy on held-out text is what
/// "knowing which letter tends to follow which" is worth.
/// </summary>
public sealed class BigramLanguageModel : IDisposable
{
    private readonly Tensor logProbabilities;       // (V, V): row a = log p(· | a)

    private BigramLanguageModel(Tensor logProbabilities, double smoothing)
    {
        this.logProbabilities = logProbabilities.DetachFromDisposeScope();
        Smoothing = smoothing;
    }

    /// <summary>Counts the pairs inside each sequence (never across two sequences).</summary>
    /// <param name="sequences">Token ids, e.g. the training spans of a corpus.</param>
    /// <param name="vocabularySize">V.</param>
    /// <param name="smoothing">α &gt; 0, added to every pair count.</param>
    public static BigramLanguageModel Fit(IEnumerable<Tensor> sequences, long vocabularySize, double smoothing = 1.0)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        Layers.Check.AtLeast(vocabularySize, 1, nameof(vocabularySize));
        if (!(smoothing > 0)) throw new ArgumentException($"smoothing must be > 0; got {smoothing}.", nameof(smoothing));
        using var scope = NewDisposeScope();
        var counts = zeros(vocabularySize * vocabularySize, dtype: ScalarType.Float64);   // (V·V)
        foreach (var ids in sequences)
        {
            Layers.Check.Rank(ids, 1, nameof(sequences), "(length) token ids");
            if (ids.shape[0] < 2) continue;
            var pair = ids.narrow(0, 0, ids.shape[0] - 1) * vocabularySize + ids.narrow(0, 1, ids.shape[0] - 1); // (N − 1)
            counts.index_add_(0, pair, ones(pair.shape[0], dtype: ScalarType.Float64), 1);
        }
        var smoothed = counts.view(vocabularySize, vocabularySize) + smoothing;            // (V, V)
        var logp = smoothed.log() - smoothed.sum(1, keepdim: true).log();                   // (V, V)
        return new BigramLanguageModel(logp.to_type(ScalarType.Float32), smoothing);
    }

    /// <summary>Fits on the training spans of <paramref name="corpus"/>.</summary>
    public static BigramLanguageModel Fit(CharacterCorpus corpus, double smoothing = 1.0)
        => Fit(corpus.TrainingSpans.Select(s => corpus.Ids.narrow(0, s.Start, s.Length)), corpus.Vocabulary.Count, smoothing);

    public double Smoothing { get; }

    /// <summary>log p(b | a), <c>(V, V)</c> (owned by the model).</summary>
    public Tensor LogProbabilities => logProbabilities;

    /// <summary>Next-token logits (log-probabilities) for every position: <c>(B, T)</c> → <c>(B, T, V)</c>.</summary>
    public Tensor Logits(Tensor ids) => logProbabilities.index_select(0, ids.flatten()).view(ids.shape[0], ids.shape[1], -1);

    /// <summary>Mean cross-entropy in nats per token of <paramref name="target"/> given <paramref name="input"/>, both <c>(B, T)</c>.</summary>
    public double CrossEntropy(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        var logp = logProbabilities.index_select(0, input.flatten());                       // (B·T, V)
        return -logp.gather(1, target.flatten().unsqueeze(1)).to_type(ScalarType.Float64).mean().item<double>();
    }

    public void Dispose() => logProbabilities.Dispose();
}
