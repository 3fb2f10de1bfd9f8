using static TorchSharp.torch;

namespace AttentionCourse.Metrics;

/// <summary>
/// How much gradient reaches each input position, or each layer: the measurement behind "vanishing gradients". A model is
/// split into its embedding and the rest (every sequence model of the library exposes <c>Embed</c> and
/// <c>ForwardEmbedded</c>), so autograd can report the gradient of the loss with respect to each position's input vector.
/// </summary>
public static class GradientFlow
{
    /// <summary>
    /// The mean over the batch of ‖∂loss/∂x_t‖ for every position t: <paramref name="embedded"/> is <c>(B, T, E)</c> (it is
    /// detached and made a leaf here), <paramref name="loss"/> maps it to a scalar.
    /// </summary>
    /// <returns>T values, position 0 first.</returns>
    public static double[] PerPosition(Tensor embedded, Func<Tensor, Tensor> loss)
    {
        Layers.Check.Rank(embedded, 3, nameof(embedded), "(batch, length, width)");
        using var scope = NewDisposeScope();
        var leaf = embedded.detach().clone().requires_grad_();
        var value = loss(leaf);
        if (value.numel() != 1) throw new ArgumentException($"loss must return a scalar; got shape {Layers.Check.Describe(value.shape)}.", nameof(loss));
        var gradient = autograd.grad(new[] { value }, new[] { leaf })[0];                   // (B, T, E)
        var norms = gradient.pow(2).sum(-1).sqrt().mean(new long[] { 0 });                   // (T)
        return norms.to_type(ScalarType.Float64).data<double>().ToArray();
    }

    /// <summary>
    /// ‖∂loss/∂h_l‖ for every tensor in <paramref name="layerInputs"/> (e.g. the input of each block, as
    /// <see cref="Models.TransformerEncoderModel.ForwardEmbedded"/> collects them), over the whole batch.
    /// </summary>
    public static double[] PerLayer(Tensor loss, IReadOnlyList<Tensor> layerInputs)
    {
        if (loss.numel() != 1) throw new ArgumentException($"loss must be a scalar; got shape {Layers.Check.Describe(loss.shape)}.", nameof(loss));
        if (layerInputs.Count == 0) throw new ArgumentException("layerInputs must hold at least one tensor; got none.", nameof(layerInputs));
        using var scope = NewDisposeScope();
        var gradients = autograd.grad(new[] { loss }, layerInputs.ToArray(), null, true);                 // keep the graph for the caller
        return gradients.Select(g => g.norm().item<float>()).Select(x => (double)x).ToArray();
    }
}
