using AttentionCourse.Models;
using AttentionCourse.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Exercises;

/// <summary>Lesson 25 (training a Transformer): the 2017 initialisation under which Post-LN needs warm-up, per-layer
/// gradient norms at initialisation (Xiong et al. 2020, Fig. 3), and references for the exercises.</summary>
public static class Lesson25
{
    /// <summary>
    /// Re-initialises <paramref name="model"/> as the 2017 Transformer's implementations do (PyTorch's
    /// <c>nn.Transformer</c>, fairseq; the setting Xiong et al. 2020 analyse): every weight matrix other than the two
    /// embeddings ~ Xavier-uniform U(−a, a) with a = √(6 / (fan_in + fan_out)), biases 0, LayerNorm gains 1 and shifts 0.
    /// The embeddings keep their N(0, 0.02²) draw. Unlike GPT-2's initialisation there is no 1/√(2L) scaling of the
    /// projections that write into the residual stream. Draws from torch's global generator (seed it first).
    /// </summary>
    public static void InitialiseAsTransformer2017(DecoderOnlyTransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (IsEmbedding(name)) continue;
            if (name.EndsWith("bias")) init.zeros_(parameter);
            else if (parameter.dim() < 2) init.ones_(parameter);                               // LayerNorm gains
            else init.xavier_uniform_(parameter);
        }
    }

    /// <summary>True for the token and position embedding tables (which <see cref="InitialiseAsTransformer2017"/> keeps).</summary>
    public static bool IsEmbedding(string parameterName) => parameterName.StartsWith("tokenEmbedding.") || parameterName.StartsWith("positionEmbedding.");

    /// <summary>
    /// For each block, first to last, the L2 norm of the gradient of its two feed-forward weight matrices together,
    /// √(‖∇W₁‖² + ‖∇W₂‖²), for the mean next-token loss on <paramref name="input"/> → <paramref name="target"/> (Xiong et al.
    /// 2020, Fig. 3 plots these per layer at initialisation). Gradients are cleared before and after; the model's
    /// mode is left as it is (call <c>eval()</c> first for a dropout-free measurement).
    /// </summary>
    public static double[] FeedForwardGradientNorms(DecoderOnlyTransformer model, Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(model);
        var norms = GradientNorms.Of(model, () => model.Loss(input, target)).ToDictionary(p => p.name, p => p.norm);
        return Enumerable.Range(0, (int)model.Config.Layers)
            .Select(i => Math.Sqrt(Math.Pow(norms[$"blocks.{i}.feedForward.0.weight"], 2) + Math.Pow(norms[$"blocks.{i}.feedForward.2.weight"], 2)))
            .ToArray();
    }

    /// <summary>
    /// Exercise reference: the factor by which global-norm clipping scales every gradient, min(1, maxNorm / (‖g‖ + 10⁻⁶)),
    /// where ‖g‖ is the L2 norm of all the gradients concatenated (PyTorch's and TorchSharp's <c>clip_grad_norm_</c>).
    /// </summary>
    public static double ClipScale(IEnumerable<Tensor> gradients, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        double squared = gradients.Sum(g => Math.Pow(g.norm().to_type(ScalarType.Float64).item<double>(), 2));
        return Math.Min(1.0, maxNorm / (Math.Sqrt(squared) + 1e-6));
    }
}
