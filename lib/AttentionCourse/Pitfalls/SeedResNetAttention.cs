using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Pitfalls;

/// <summary>
/// The seed's <c>SimpleAttention</c> (its question 8), translated line by line, bugs included: a linear score per
/// position, <c>torch.softmax(attn_scores, dim=1)</c>, and the weighted sum <c>torch.sum(attn_weights * input_sequence, dim=1)</c>.
/// </summary>
public sealed class SeedSimpleAttention : Module<Tensor, Tensor>
{
    private readonly Linear attn;

    /// <param name="hiddenSize">The seed's <c>hidden_size</c>: the width of each position.</param>
    public SeedSimpleAttention(long hiddenSize) : base(nameof(SeedSimpleAttention))
    {
        HiddenSize = hiddenSize;
        attn = Linear(hiddenSize, 1);
        RegisterComponents();
    }

    public long HiddenSize { get; }
    /// <summary>The seed's <c>self.attn = nn.Linear(hidden_size, 1)</c>.</summary>
    public Linear Score => attn;
    /// <summary>The weights of the last call (the seed computes them and throws them away).</summary>
    public Tensor? LastWeights { get; private set; }

    /// <param name="input_sequence">The seed's comment: <c>(batch_size, sequence_length, hidden_size)</c>.</param>
    public override Tensor forward(Tensor input_sequence)
    {
        var attn_scores = attn.call(input_sequence);                                        // (B, T, 1), per the seed's comment
        attn_scores = attn_scores.squeeze(-1);                                              // (B, T)
        var attn_weights = functional.softmax(attn_scores, 1);                              // torch.softmax(attn_scores, dim=1)
        LastWeights?.Dispose();
        LastWeights = attn_weights.detach().clone();
        var output_vector = (attn_weights * input_sequence).sum(1);                         // torch.sum(attn_weights * input_sequence, dim=1)
        return output_vector;
    }
}

/// <summary>
/// The seed's <c>AttentionModel</c> of questions 9 and 15: <c>models.resnet50(pretrained=True)</c> as the base, then
/// <c>SimpleAttention(2048)</c> on its output, then <c>nn.Linear(2048, num_classes)</c>. Faithful except for one
/// thing that cannot run here: <c>pretrained=True</c> downloads ImageNet weights at run time, so the base has random
/// weights (the shapes, which are the point, do not depend on the weights).
/// </summary>
/// <remarks>
/// What it does when run (lesson 09): (1) a ResNet-50 called as a whole returns 1000 ImageNet logits, not the 2048
/// features, so <c>Linear(2048, 1)</c> fails on a (B, 1000) input; (2) fed the pooled 2048-vector it meant, <c>(B, 2048)</c>,
/// the score squeezes to <c>(B)</c> and <c>softmax(dim=1)</c> fails: there is no sequence dimension; (3) given one by
/// hand, <c>(B, 1, 2048)</c>, a softmax over one position is exactly 1 whatever the score, so the layer can only pass
/// its input through (times B: the seed's weighted sum broadcasts <c>(B, 1)</c> weights as <c>(1, B, 1)</c> and sums the
/// batch), and its scorer never receives a gradient. The pooled vector has nothing left to attend over.
/// </remarks>
public sealed class SeedResNetAttentionModel : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> base_model;
    private readonly SeedSimpleAttention attention;
    private readonly Linear fc;

    /// <param name="numClasses">The seed's <c>num_classes</c>.</param>
    public SeedResNetAttentionModel(long numClasses) : base(nameof(SeedResNetAttentionModel))
    {
        base_model = torchvision.models.resnet50();                                        // pretrained=True: needs a download
        attention = new SeedSimpleAttention(2048);
        fc = Linear(2048, numClasses);
        RegisterComponents();
    }

    /// <summary>The ResNet-50 (random weights).</summary>
    public Module<Tensor, Tensor> BaseModel => base_model;
    public SeedSimpleAttention Attention => attention;

    /// <summary>The seed's forward: <c>features = self.base_model(x)</c>, attention, classifier.</summary>
    public override Tensor forward(Tensor x)
    {
        var features = base_model.call(x);                                                  // (B, 1000): ResNet-50's ImageNet logits
        var attention_output = attention.call(features);
        return fc.call(attention_output);
    }

    /// <summary>What the seed meant by "features": ResNet-50 up to its global average pool, the 2048-vector <c>(B, 2048)</c>.</summary>
    public Tensor PooledFeatures(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        foreach (var (name, module) in base_model.named_children())
        {
            if (name == "fc") break;
            h = ((Module<Tensor, Tensor>)module).call(h);
        }
        return h.flatten(1).MoveToOuterDisposeScope();                                      // (B, 2048)
    }

    /// <summary>ResNet-50's last feature map, before the pool: <c>(B, 2048, h, w)</c> — what attention could pool over.</summary>
    public Tensor FeatureMap(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        foreach (var (name, module) in base_model.named_children())
        {
            if (name is "avgpool" or "flatten" or "fc") break;
            h = ((Module<Tensor, Tensor>)module).call(h);
        }
        return h.MoveToOuterDisposeScope();                                                 // (B, 2048, h, w)
    }
}
