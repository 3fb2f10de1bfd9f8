using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Data;

/// <summary>
/// Variable-length sequences for attention pooling (lesson 06). Each position has 4 features:
/// <c>x0 ~ U(0, 1)</c> (a value), <c>x1 ∈ {0, 1}</c> (a distractor flag: 1 on about 70 % of positions; at least
/// one position is relevant, x1 = 0), and two N(0, 1) noise features. The label is 1 when the mean value of the
/// <i>relevant</i> positions (x1 = 0) exceeds 0.5. Sequences are zero-padded to a common length;
/// <see cref="Lengths"/> gives the real lengths.
/// </summary>
/// <remarks>
/// Mean pooling of the raw inputs mixes in the distractors and cannot read the label. Mean pooling of learned
/// per-position features can represent it (the feature (x0 − 0.5)(1 − x1), averaged, has the label's sign), but the
/// encoder must learn that product; attention pooling gets the selection from its weights. Zero padding is not neutral:
/// a padded position (all features 0) differs from a relevant position of value 0 only in its two noise features,
/// which are exactly 0 instead of N(0, 1) draws, so an unmasked pool gives padding weight and is pulled toward label 0,
/// the more so the more padding there is.
/// </remarks>
public sealed class RelevantMeanTask : IDisposable
{
    public const int FeatureDim = 4;

    private RelevantMeanTask(Tensor features, Tensor lengths, Tensor labels, bool flaggedPadding = false)
    {
        Features = features; Lengths = lengths; Labels = labels; FlaggedPadding = flaggedPadding;
    }

    /// <summary>
    /// True when padded positions carry the distractor flag (features <c>(0, 1, 0, 0)</c>, see
    /// <see cref="WithFlaggedPadding"/>); false for plain zero padding.
    /// </summary>
    public bool FlaggedPadding { get; }

    /// <summary><c>(N, L, 4)</c>, zero beyond each length.</summary>
    public Tensor Features { get; }
    /// <summary><c>(N)</c> Int64 real lengths.</summary>
    public Tensor Lengths { get; }
    /// <summary><c>(N)</c> Int64 labels in {0, 1}.</summary>
    public Tensor Labels { get; }

    public long Count => Labels.shape[0];
    public long PaddedLength => Features.shape[1];

    /// <summary>Key-padding mask <c>(N, L)</c>, true at padded positions.</summary>
    public Tensor PaddingMask() => Layers.Masks.PaddingFromLengths(Lengths.data<long>().ToArray(), PaddedLength);

    public static RelevantMeanTask Generate(int count, int minLength, int maxLength, int? seed = null, double relevantFraction = 0.3)
    {
        Layers.Check.AtLeast(count, 1, nameof(count));
        Layers.Check.AtLeast(minLength, 1, nameof(minLength));
        if (maxLength < minLength) throw new ArgumentException($"maxLength must be at least minLength ({minLength}); got {maxLength}.", nameof(maxLength));
        var random = new Random(seed ?? Course.Seed);
        var features = new float[count * maxLength * FeatureDim];
        var lengths = new long[count];
        var labels = new long[count];
        for (int n = 0; n < count; n++)
        {
            int length = random.Next(minLength, maxLength + 1);
            lengths[n] = length;
            int mustBeRelevant = random.Next(length);
            double sum = 0; int relevant = 0;
            for (int t = 0; t < length; t++)
            {
                int at = (n * maxLength + t) * FeatureDim;
                double value = random.NextDouble();
                bool isRelevant = t == mustBeRelevant || random.NextDouble() < relevantFraction;
                features[at] = (float)value;
                features[at + 1] = isRelevant ? 0f : 1f;
                features[at + 2] = (float)KernelRegressionData.Gaussian(random);
                features[at + 3] = (float)KernelRegressionData.Gaussian(random);
                if (isRelevant) { sum += features[at]; relevant++; }
            }
            labels[n] = sum / relevant > 0.5 ? 1 : 0;
        }
        return new RelevantMeanTask(tensor(features).view(count, maxLength, FeatureDim), tensor(lengths), tensor(labels));
    }

    /// <summary>
    /// The same sequences padded to <paramref name="length"/> (≥ the current padded length), with the same kind of
    /// padding (zeros, or zeros with the distractor flag when <see cref="FlaggedPadding"/>).
    /// </summary>
    public RelevantMeanTask PadTo(long length)
    {
        if (length < PaddedLength)
            throw new ArgumentException($"length must be at least the current padded length ({PaddedLength}); got {length}.", nameof(length));
        var padded = functional.pad(Features, new long[] { 0, 0, 0, length - PaddedLength });
        var result = new RelevantMeanTask(padded, Lengths.clone(), Labels.clone());
        if (!FlaggedPadding) return result;
        using (result) return result.WithFlaggedPadding();
    }

    /// <summary>
    /// The same sequences (same real positions, lengths and labels) with the distractor flag set on every padded
    /// position: padding then reads <c>(0, 1, 0, 0)</c>, a distractor of value 0, instead of <c>(0, 0, 0, 0)</c>, which
    /// looks like a relevant position of value 0. Lesson 06's ablation: padding a model can learn to ignore as it
    /// ignores distractors.
    /// </summary>
    public RelevantMeanTask WithFlaggedPadding()
    {
        var features = Features.clone();
        using (var padding = PaddingMask())
        using (var flag = features.select(2, 1))
            flag.masked_fill_(padding, 1f);                                                      // a view: writes into features
        return new RelevantMeanTask(features, Lengths.clone(), Labels.clone(), flaggedPadding: true);
    }

    public void Dispose()
    {
        Features.Dispose(); Lengths.Dispose(); Labels.Dispose();
    }
}
