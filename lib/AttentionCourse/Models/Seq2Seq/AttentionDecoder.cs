using AttentionCourse.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AttentionCourse.Models;

/// <summary>How a decoder reads the encoder at each step.</summary>
public enum DecoderAttention
{
    /// <summary>No attention: the encoder's summary vector is the only context, the same at every step (Cho et al. 2014).</summary>
    None,
    /// <summary>Additive attention scored with the previous state s₍t−1₎, before the GRU step (Bahdanau et al. 2015).</summary>
    Bahdanau,
    /// <summary>Dot-product attention <c>sₜ·hⱼ</c> scored with the new state, after the GRU step (Luong et al. 2015, "dot").</summary>
    LuongDot,
    /// <summary>Bilinear attention <c>sₜᵀ W hⱼ</c> scored with the new state (Luong et al. 2015, "general").</summary>
    LuongGeneral,
}

/// <summary>One decoding step: next-token logits <c>(B, V)</c>, the new state <c>(B, Hd)</c>, the attention weights <c>(B, S)</c>.</summary>
public sealed record DecoderStep(Tensor Logits, Tensor State, Tensor Weights);

/// <summary>
/// A GRU decoder that reads an <see cref="EncoderMemory"/> with Bahdanau, Luong or no attention. With embedding
/// <c>e = E[y₍t−1₎]</c> and encoder outputs <c>h₁…h_S</c>:
/// <list type="bullet">
/// <item>Bahdanau: <c>αₜ = softmax(vᵀ tanh(W s₍t−1₎ + U hⱼ))</c>, <c>cₜ = Σ αₜⱼ hⱼ</c>, <c>sₜ = GRU([e; cₜ], s₍t−1₎)</c>;</item>
/// <item>Luong: <c>sₜ = GRU(e, s₍t−1₎)</c>, <c>αₜ = softmax(sₜ·hⱼ)</c> (dot) or <c>softmax(sₜᵀ W hⱼ)</c> (general), <c>cₜ = Σ αₜⱼ hⱼ</c>;</item>
/// <item>none: <c>cₜ = c</c>, the encoder's summary, at every step; <c>sₜ = GRU([e; c], s₍t−1₎)</c>;</item>
/// </list>
/// then <c>logitsₜ = W_o tanh(W_c [cₜ; sₜ])</c> in all three, and <c>s₀ = tanh(W_s · summary)</c>. Padded source
/// positions get exactly zero weight. Training is teacher-forced (<see cref="forward"/>: the true previous token is fed
/// at every step); generation calls <see cref="Step"/> through <see cref="SequenceDecoding"/>. Lesson 11 reuses it on
/// audio features.
/// </summary>
public sealed class AttentionDecoder : Module<EncoderMemory, Tensor, (Tensor logits, Tensor weights)>
{
    private readonly Embedding embedding;
    private readonly Linear initialState;
    private readonly AdditiveAttention? additive;
    private readonly LuongAttention? luong;
    private readonly GRU gru;
    private readonly Linear combine;
    private readonly Linear output;

    /// <param name="vocabularySize">Target vocabulary size V (padding id 0).</param>
    /// <param name="embeddingDim">Width of a target-token embedding.</param>
    /// <param name="hiddenDim">Width Hd of the decoder state (must equal <paramref name="memoryDim"/> for <see cref="DecoderAttention.LuongDot"/>).</param>
    /// <param name="memoryDim">Width Dm of the encoder outputs.</param>
    /// <param name="attention">Which attention, if any.</param>
    /// <param name="attentionDim">Hidden width A of Bahdanau's scorer (ignored otherwise).</param>
    public AttentionDecoder(long vocabularySize, long embeddingDim, long hiddenDim, long memoryDim, DecoderAttention attention, long attentionDim = 64)
        : base(nameof(AttentionDecoder))
    {
        Check.AtLeast(vocabularySize, 2, nameof(vocabularySize));
        Check.AtLeast(embeddingDim, 1, nameof(embeddingDim));
        Check.AtLeast(hiddenDim, 1, nameof(hiddenDim));
        Check.AtLeast(memoryDim, 1, nameof(memoryDim));
        if (attention == DecoderAttention.LuongDot && hiddenDim != memoryDim)
            throw new ArgumentException($"hiddenDim must equal memoryDim ({memoryDim}) for Luong dot scores sₜ·hⱼ; got {hiddenDim}. Use LuongGeneral for different widths.", nameof(hiddenDim));
        VocabularySize = vocabularySize;
        HiddenDim = hiddenDim;
        MemoryDim = memoryDim;
        Attention = attention;
        embedding = Embedding(vocabularySize, embeddingDim, padding_idx: 0);
        initialState = Linear(memoryDim, hiddenDim);
        if (attention == DecoderAttention.Bahdanau) additive = new AdditiveAttention(hiddenDim, memoryDim, attentionDim);
        if (attention is DecoderAttention.LuongDot or DecoderAttention.LuongGeneral)
            luong = new LuongAttention(hiddenDim, memoryDim, attention == DecoderAttention.LuongDot ? LuongScore.Dot : LuongScore.General);
        bool contextIntoGru = attention is DecoderAttention.None or DecoderAttention.Bahdanau;
        gru = GRU(embeddingDim + (contextIntoGru ? memoryDim : 0), hiddenDim, batchFirst: true);
        combine = Linear(memoryDim + hiddenDim, hiddenDim);
        output = Linear(hiddenDim, vocabularySize);
        RegisterComponents();
    }

    public long VocabularySize { get; }
    public long HiddenDim { get; }
    public long MemoryDim { get; }
    public DecoderAttention Attention { get; }

    /// <summary><c>s₀ = tanh(W_s · summary)</c> <c>(B, Hd)</c>.</summary>
    public Tensor InitialState(EncoderMemory memory)
    {
        CheckMemory(memory);
        using var scope = NewDisposeScope();
        return initialState.call(memory.Final).tanh().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The memory with what every step reuses computed once: for Bahdanau, the projected keys <c>W_k hⱼ + b</c>
    /// (<see cref="AdditiveAttention.ProjectKeys"/>). Decoding loops call it before their first step; a memory prepared by
    /// one decoder must not be given to another.
    /// </summary>
    public EncoderMemory Prepare(EncoderMemory memory)
    {
        CheckMemory(memory);
        if (additive is null || memory.ProjectedKeys is not null) return memory;
        return memory with { ProjectedKeys = additive.ProjectKeys(memory.Outputs) };         // (B, S, A)
    }

    /// <summary>One step: from the previous tokens <c>(B)</c> and state <c>(B, Hd)</c> to logits, new state and weights.</summary>
    public DecoderStep Step(Tensor previousTokens, Tensor state, EncoderMemory memory)
    {
        CheckMemory(memory);
        Check.Rank(previousTokens, 1, nameof(previousTokens), "(batch)");
        Check.Size(previousTokens, 0, memory.Batch, nameof(previousTokens), "batch, must match the memory");
        Check.Rank(state, 2, nameof(state), "(batch, hiddenDim)");
        using var scope = NewDisposeScope();
        var (logits, newState, weights) = Run(previousTokens.unsqueeze(1), state, memory);  // (B, 1, V), (B, Hd), (B, 1, S)
        var (l, s, w) = scope.MoveToOuter(logits.squeeze(1), newState, weights.squeeze(1));
        return new DecoderStep(l, s, w);
    }

    /// <summary>
    /// Teacher-forced decoding: <paramref name="targetInputs"/> <c>(B, T)</c> = <c>&lt;bos&gt;</c> + the true target.
    /// Returns logits <c>(B, T, V)</c> and attention weights <c>(B, T, S)</c> (all zero without attention).
    /// Without attention and with Luong's, the GRU does not depend on the attention, so all T steps run as one GRU call
    /// (the fast path); Bahdanau's scores need s₍t−1₎ before each step, so it loops (<see cref="TeacherForcedStepwise"/>).
    /// </summary>
    public override (Tensor logits, Tensor weights) forward(EncoderMemory memory, Tensor targetInputs)
    {
        CheckMemory(memory);
        Check.Rank(targetInputs, 2, nameof(targetInputs), "(batch, targetLength)");
        Check.Size(targetInputs, 0, memory.Batch, nameof(targetInputs), "batch, must match the memory");
        if (Attention == DecoderAttention.Bahdanau) return TeacherForcedStepwise(memory, targetInputs);
        using var scope = NewDisposeScope();
        var (logits, _, weights) = Run(targetInputs, InitialState(memory), memory);
        return scope.MoveToOuter(logits, weights);
    }

    /// <summary>Teacher forcing written as a loop of <see cref="Step"/> calls (the readable path; equal to <see cref="forward"/>).</summary>
    public (Tensor logits, Tensor weights) TeacherForcedStepwise(EncoderMemory memory, Tensor targetInputs)
    {
        using var scope = NewDisposeScope();
        memory = Prepare(memory);
        var state = InitialState(memory);                                                     // (B, Hd)
        var logits = new List<Tensor>();
        var weights = new List<Tensor>();
        for (long t = 0; t < targetInputs.shape[1]; t++)
        {
            var step = Step(targetInputs.select(1, t), state, memory);
            logits.Add(step.Logits);
            weights.Add(step.Weights);
            state = step.State;
        }
        return scope.MoveToOuter(stack(logits, 1), stack(weights, 1));                       // (B, T, V), (B, T, S)
    }

    /// <summary>
    /// Runs T steps with given input tokens <c>(B, T)</c> from <paramref name="state"/>. For Bahdanau T must be 1 (its
    /// attention sits between steps); for the others any T runs as one GRU call.
    /// </summary>
    private (Tensor logits, Tensor state, Tensor weights) Run(Tensor tokens, Tensor state, EncoderMemory memory)
    {
        long B = tokens.shape[0], T = tokens.shape[1], S = memory.SourceLength;
        var embedded = embedding.call(tokens);                                                // (B, T, Ee)
        var h0 = state.unsqueeze(0);                                                          // (1, B, Hd)
        Tensor states, context, weights;
        switch (Attention)
        {
            case DecoderAttention.Bahdanau:
                var keys = memory.ProjectedKeys ?? additive!.ProjectKeys(memory.Outputs);       // (B, S, A)
                (context, weights) = additive!.Attend(state.unsqueeze(1), keys, memory.Outputs, memory.KeyPadding); // (B, 1, Dm), (B, 1, S)
                (states, _) = gru.call(cat(new[] { embedded, context }, 2), h0);             // (B, 1, Hd)
                break;
            case DecoderAttention.None:
                context = memory.Final.unsqueeze(1).expand(B, T, MemoryDim);                 // (B, T, Dm)
                weights = zeros(B, T, S, dtype: memory.Outputs.dtype);                        // attends to nothing
                (states, _) = gru.call(cat(new[] { embedded, context }, 2), h0);             // (B, T, Hd)
                break;
            default:
                (states, _) = gru.call(embedded, h0);                                         // (B, T, Hd)
                (context, weights) = luong!.call(states, memory.Outputs, memory.Outputs, memory.KeyPadding); // (B, T, Dm), (B, T, S)
                break;
        }
        var attentional = combine.call(cat(new[] { context, states }, 2)).tanh();             // (B, T, Hd)
        var logits = output.call(attentional);                                                // (B, T, V)
        return (logits, states.select(1, T - 1), weights);
    }

    private void CheckMemory(EncoderMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        Check.Rank(memory.Outputs, 3, nameof(memory), "(batch, sourceLength, memoryDim) outputs");
        Check.Size(memory.Outputs, 2, MemoryDim, nameof(memory), "memoryDim of the outputs");
        Check.Size(memory.Final, 1, MemoryDim, nameof(memory), "memoryDim of the summary");
    }
}
