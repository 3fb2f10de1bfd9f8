using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>
/// The bag-of-words baseline: logistic regression on which vocabulary words a text contains. Each text becomes a
/// <c>(V)</c> vector with 1 for every word present (counts capped at 1: a word that appears twice says little more) and 0
/// elsewhere; padding and the unknown token are not features. A linear layer maps it to class logits (with two classes
/// and a softmax, this is logistic regression). Word order is gone: "not good" and "good, not bad" share their features.
/// </summary>
public sealed class BagOfWordsClassifier : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear linear;

    /// <param name="vocabularySize">V, padding and unknown included (their columns are always 0).</param>
    /// <param name="numClasses">Classes C.</param>
    public BagOfWordsClassifier(long vocabularySize, long numClasses = 2) : base(nameof(BagOfWordsClassifier))
    {
        Check.AtLeast(vocabularySize, 3, nameof(vocabularySize));
        Check.AtLeast(numClasses, 2, nameof(numClasses));
        VocabularySize = vocabularySize;
        linear = Linear(vocabularySize, numClasses);
        RegisterComponents();
    }

    /// <summary>V.</summary>
    public long VocabularySize { get; }

    /// <summary>The weight of each word for each class, <c>(C, V)</c>: what the model learned.</summary>
    public Tensor WordWeights => linear.weight!;

    /// <param name="ids"><c>(B, T)</c> Int64 word ids.</param>
    /// <param name="keyPadding"><c>(B, T)</c> Bool, true at padded positions (ignored).</param>
    /// <returns>logits <c>(B, C)</c>.</returns>
    public override Tensor forward(Tensor ids, Tensor keyPadding)
    {
        using var scope = NewDisposeScope();
        return linear.call(Features(ids, keyPadding)).MoveToOuterDisposeScope();                          // (B, C)
    }

    /// <summary>The presence vectors <c>(B, V)</c> float: 1 where the text contains the word (padding and unknown excluded).</summary>
    public Tensor Features(Tensor ids, Tensor keyPadding)
    {
        Check.Rank(ids, 2, nameof(ids), "(batch, length) word ids");
        Check.NonEmpty(ids, nameof(ids));
        Check.BoolMask(keyPadding, ids.shape, nameof(keyPadding), "(batch, length), true = padded");
        using var scope = NewDisposeScope();
        long largest = ids.max().item<long>();
        if (largest >= VocabularySize || ids.min().item<long>() < 0)
            throw new ArgumentException($"ids must lie in [0, {VocabularySize - 1}] (the vocabulary); got a largest id of {largest}.", nameof(ids));
        var counted = keyPadding.logical_not().logical_and(ids.ne(Data.Vocabulary.UnknownId)).to_type(ScalarType.Float32); // (B, T)
        var counts = zeros(ids.shape[0], VocabularySize).scatter_add_(1, ids, counted);                      // (B, V)
        return counts.clamp_max(1.0).MoveToOuterDisposeScope();                                              // (B, V)
    }
}
