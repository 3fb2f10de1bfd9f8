using static TorchSharp.torch;

namespace AttentionCourse.Data;

/// <summary>
/// The 1-D regression problem of lesson 01 (as in classic d2l, §10.2 "Attention Pooling: Nadaraya–Watson Kernel Regression"): <c>y = 2 sin(x) + x^0.8 + ε</c>, ε ~ N(0, 0.5²),
/// training inputs uniform on [0, 5], sorted; a noise-free test grid.
/// </summary>
public sealed class KernelRegressionData : IDisposable
{
    private KernelRegressionData(Tensor trainX, Tensor trainY, Tensor testX, Tensor testTruth)
    {
        TrainX = trainX; TrainY = trainY; TestX = testX; TestTruth = testTruth;
    }

    /// <summary><c>(N)</c> sorted inputs.</summary>
    public Tensor TrainX { get; }
    /// <summary><c>(N)</c> noisy targets.</summary>
    public Tensor TrainY { get; }
    /// <summary><c>(M)</c> evenly spaced test inputs on [0, 5).</summary>
    public Tensor TestX { get; }
    /// <summary><c>(M)</c> noise-free function values at <see cref="TestX"/>.</summary>
    public Tensor TestTruth { get; }

    /// <summary>
    /// Keys and values each training query sees, <c>(N, N−1)</c> each with <paramref name="leaveOneOut"/>
    /// (every point but itself, so a query cannot copy its own noisy target) or <c>(N, N)</c> without.
    /// </summary>
    public (Tensor keys, Tensor values) TrainingKeysAndValues(bool leaveOneOut)
    {
        long n = TrainX.shape[0];
        using var scope = NewDisposeScope();
        var keys = TrainX.unsqueeze(0).expand(n, n);                                            // (N, N)
        var values = TrainY.unsqueeze(0).expand(n, n);                                          // (N, N)
        if (leaveOneOut)
        {
            var offDiagonal = eye(n, dtype: ScalarType.Bool).logical_not();                     // (N, N)
            keys = keys.masked_select(offDiagonal).view(n, n - 1);                              // (N, N−1)
            values = values.masked_select(offDiagonal).view(n, n - 1);                          // (N, N−1)
        }
        else
        {
            keys = keys.clone();
            values = values.clone();
        }
        return scope.MoveToOuter(keys, values);
    }

    /// <summary>Every training point as a key for each of the <paramref name="queryCount"/> queries: <c>(Q, N)</c> keys and values.</summary>
    public (Tensor keys, Tensor values) AllTrainingPointsFor(long queryCount)
        => (TrainX.unsqueeze(0).expand(queryCount, -1).clone(), TrainY.unsqueeze(0).expand(queryCount, -1).clone());

    /// <summary>The true function.</summary>
    public static double Function(double x) => 2 * Math.Sin(x) + Math.Pow(x, 0.8);

    public static KernelRegressionData Generate(int trainCount, int testCount = 50, double noise = 0.5, int? seed = null)
    {
        Layers.Check.AtLeast(trainCount, 2, nameof(trainCount));
        Layers.Check.AtLeast(testCount, 1, nameof(testCount));
        var random = new Random(seed ?? Course.Seed);
        var x = Enumerable.Range(0, trainCount).Select(_ => 5.0 * random.NextDouble()).Order().ToArray();
        var y = x.Select(v => Function(v) + noise * Gaussian(random)).ToArray();
        var testX = Enumerable.Range(0, testCount).Select(i => 5.0 * i / testCount).ToArray();
        return new KernelRegressionData(
            tensor(x.Select(v => (float)v).ToArray()), tensor(y.Select(v => (float)v).ToArray()),
            tensor(testX.Select(v => (float)v).ToArray()), tensor(testX.Select(v => (float)Function(v)).ToArray()));
    }

    /// <summary>A standard normal sample (Box–Muller), so data depend only on the seed.</summary>
    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public void Dispose()
    {
        TrainX.Dispose(); TrainY.Dispose(); TestX.Dispose(); TestTruth.Dispose();
    }
}
