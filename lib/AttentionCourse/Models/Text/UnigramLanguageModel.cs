using AttentionCourse.Data;
using static TorchSharp.torch;

namespace AttentionCourse.Models;

/// <summary>
/// The weakest counting baseline of a language model: every next token predicted from the training text's token
/// frequencies alone, whatever the context. p(c) = (count(c) + α) / (N + α·V), fitted on the training text. Its
/// cross-entropy on held-out text is what a model scores that has learned only which tokens are common.
/// </summary>
public sealed class UnigramLanguageModel : IDisposable
{
    private readonly Tensor logProbabilities;       // (V), float64

    private UnigramLanguageModel(Tensor logProbabilities, double smoothing)
    {
        this.logProbabilities = logProbabilities.DetachFromDisposeScope();
        Smoothing = smoothing;
    }

    /// <summary>Counts the tokens of every sequence.</summary>
    /// <param name="sequences">Token ids, e.g. the training spans of a corpus.</param>
    /// <param name="vocabularySize">V.</param>
    /// <param name="smoothing">α &gt; 0, added to every token count.</param>
    public static UnigramLanguageModel Fit(IEnumerable<Tensor> sequences, long vocabularySize, double smoothing = 1.0)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        Layers.Check.AtLeast(vocabularySize, 1, nameof(vocabularySize));
        if (!(smoothing > 0)) throw new ArgumentException($"smoothing must be > 0; got {smoothing}.", nameof(smoothing));
        using var scope = NewDisposeScope();
        var counts = zeros(vocabularySize, dtype: ScalarType.Float64);                     // (V)
        foreach (var ids in sequences)
        {
            Layers.Check.Rank(ids, 1, nameof(sequences), "(length) token ids");
            counts.index_add_(0, ids, ones(ids.shape[0], dtype: ScalarType.Float64), 1);
        }
        var logp = (counts + smoothing).log();                                              // (V)
        return new UnigramLanguageModel(logp - logp.logsumexp(0), smoothing);
    }

    /// <summary>Fits on the training spans of <paramref name="corpus"/>.</summary>
    public static UnigramLanguageModel Fit(CharacterCorpus corpus, double smoothing = 1.0)
        => Fit(corpus.TrainingSpans.Select(s => corpus.Ids.narrow(0, s.Start, s.Length)), corpus.Vocabulary.Count, smoothing);

    public double Smoothing { get; }

    /// <summary>log p(c), <c>(V)</c>, float64 (owned by the model).</summary>
    public Tensor LogProbabilities => logProbabilities;

    /// <summary>Mean cross-entropy in nats per token of <paramref name="target"/> (any shape): the context is ignored.</summary>
    public double CrossEntropy(Tensor target)
    {
        using var scope = NewDisposeScope();
        return -logProbabilities.index_select(0, target.flatten()).mean().item<double>();
    }

    public void Dispose() => logProbabilities.Dispose();
}
