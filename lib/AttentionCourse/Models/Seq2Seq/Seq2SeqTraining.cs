using AttentionCourse.Training;
using static TorchSharp.torch;

namespace AttentionCourse.Models;

/// <summary>Training and evaluating a <see cref="Seq2SeqModel"/> on the four tensors of <see cref="Data.Seq2SeqTensors"/>.</summary>
public static class Seq2SeqTraining
{
    /// <summary>
    /// Teacher-forced training with <see cref="Trainer.Fit"/> (mini-batches, Adam, clipping, schedule, one dispose scope per
    /// step); after each epoch, <paramref name="validate"/> (e.g. exact match of greedy decoding) feeds the live chart
    /// through <paramref name="onEpoch"/>.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="train">source ids, source padding, decoder inputs, decoder outputs.</param>
    /// <param name="options">Trainer settings.</param>
    /// <param name="validate">Validation score after each epoch, higher is better (null = none).</param>
    /// <param name="onEpoch">Called after each epoch.</param>
    public static TrainingHistory Fit(Seq2SeqModel model, TensorDataset train, TrainerOptions options, Func<double>? validate = null, Action<EpochReport>? onEpoch = null)
        => Trainer.Fit(model, train, batch => model.Loss(batch[0], batch[1], batch[2], batch[3]), options, validate, onEpoch);

    /// <summary>Greedy decoding of every row of <paramref name="data"/> (the four tensors), in batches of <paramref name="batchSize"/>.</summary>
    public static Hypothesis[] Decode(Seq2SeqModel model, TensorDataset data, DecodingOptions options, long batchSize = 512)
    {
        model.eval();
        var result = new List<Hypothesis>();
        foreach (var batch in data.Batches(batchSize))
        {
            using var scope = NewDisposeScope();
            scope.Attach(batch);
            result.AddRange(model.Greedy(batch[0], batch[1], options));
        }
        return result.ToArray();
    }

    /// <summary>
    /// Share of rows whose greedy output equals the target exactly (every token, and &lt;eos&gt; right after it).
    /// </summary>
    public static double ExactMatch(Seq2SeqModel model, TensorDataset data, DecodingOptions options)
        => ExactMatches(model, data, options).Average(m => m ? 1.0 : 0.0);

    /// <summary>Per row: whether greedy decoding reproduced the target (decoder outputs = target + &lt;eos&gt;) exactly.</summary>
    public static bool[] ExactMatches(Seq2SeqModel model, TensorDataset data, DecodingOptions options)
    {
        var hypotheses = Decode(model, data, options);
        var targets = data[3];
        var result = new bool[hypotheses.Length];
        for (int i = 0; i < hypotheses.Length; i++)
        {
            using var row = targets[i];
            var target = row.data<long>().ToArray().TakeWhile(id => id != Data.Vocabulary.PaddingId).ToArray();
            result[i] = hypotheses[i].Tokens.SequenceEqual(target);
        }
        return result;
    }
}
