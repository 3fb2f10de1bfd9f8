using static TorchSharp.torch;

namespace AttentionCourse.Training;

/// <summary>How large the gradient of each parameter is: for diagnosing training (exploding or vanishing layers, the
/// Pre-LN vs Post-LN difference at initialisation, what clipping would cut).</summary>
public static class GradientNorms
{
    /// <summary>
    /// Backpropagates <paramref name="loss"/> once and returns the L2 norm of each named parameter's gradient, in
    /// <c>named_parameters()</c> order. Gradients are cleared before and after, so the model is left as it was.
    /// </summary>
    public static IReadOnlyList<(string name, double norm)> Of(nn.Module model, Func<Tensor> loss)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        model.zero_grad();
        using (var scope = NewDisposeScope())
        {
            var value = loss();
            if (value.numel() != 1) throw new ArgumentException($"loss must return a scalar; got shape {Layers.Check.Describe(value.shape)}.", nameof(loss));
            value.backward();
        }
        var norms = model.named_parameters()
            .Select(p => (p.name, p.parameter.grad is null ? 0.0 : p.parameter.grad.norm().to_type(ScalarType.Float64).item<double>()))
            .ToArray();
        model.zero_grad();
        return norms;
    }
}
