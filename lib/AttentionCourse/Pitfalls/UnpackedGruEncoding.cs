using AttentionCourse.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Pitfalls;

/// <summary>
/// The most common RNN bug in PyTorch code: a padded batch fed to <c>nn.GRU(bidirectional=True)</c> without
/// <c>pack_padded_sequence</c>. The forward direction keeps running through the padding, so its last state <c>h_n</c>
/// is the state <i>after</i> the padding; the backward direction <i>starts</i> in the padding. A decoder that reads
/// <c>h_n</c> (every no-attention seq2seq) then sees a summary that depends on how long the other sequences in the batch
/// were. This runs a trained <see cref="Seq2SeqModel"/>'s own encoder weights that way.
/// </summary>
public static class UnpackedGruEncoding
{
    /// <summary>
    /// The model's embedding and encoder weights in TorchSharp's built-in bidirectional GRU, run over the padded batch
    /// without packing; the summary is <c>h_n</c> (<c>[forward h_n; backward h_n]</c>), as <c>h_n[-2:]</c> is in PyTorch code.
    /// </summary>
    public static EncoderMemory Encode(Seq2SeqModel model, Tensor sourceIds, Tensor sourcePadding)
    {
        using var scope = NewDisposeScope();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var embedded = parameters["sourceEmbedding.weight"].index_select(0, sourceIds.flatten())
            .view(sourceIds.shape[0], sourceIds.shape[1], -1);                               // (B, S, E)
        var gru = GRU(embedded.shape[2], model.Encoder.HiddenDim, batchFirst: true, bidirectional: true);
        using (no_grad())
            foreach (var (name, parameter) in gru.named_parameters())
            {
                var source = name.EndsWith("_reverse") ? "encoder.backwardGru." + name[..^"_reverse".Length] : "encoder.forwardGru." + name;
                parameter.copy_(parameters[source]);
            }
        var (outputs, hidden) = gru.call(embedded, null);                                    // (B, S, 2H), (2, B, H)
        var summary = cat(new[] { hidden[0], hidden[1] }, 1);                                // (B, 2H): after the padding
        var (o, s) = scope.MoveToOuter(outputs, summary);
        return new EncoderMemory(o, s, sourcePadding);
    }
}
