using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AttentionCourse.Tests;

/// <summary>Helpers shared by the tests: tolerant comparisons that say by how much they failed, and a finite-difference gradient check.</summary>
public static class TestSupport
{
    /// <summary>The repository root (set at build time).</summary>
    public static string RepoRoot => typeof(TestSupport).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;

    /// <summary>Asserts equal shapes and max |a − b| ≤ tolerance.</summary>
    public static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what = "")
    {
        Assert.Equal(expected.shape, actual.shape);
        using var e = expected.detach().to_type(ScalarType.Float64);
        using var a = actual.detach().to_type(ScalarType.Float64);
        Assert.False(a.isnan().any().item<bool>(), $"{what}: actual has NaN");
        using var diff = (e - a).abs().max();
        double d = diff.item<double>();
        Assert.True(d <= tolerance, $"{what}: max |expected − actual| = {d:E3} > {tolerance:E1}");
    }

    /// <summary>
    /// Central finite differences in float64: for every element of every input, compares d f / d x from autograd
    /// with (f(x + h) − f(x − h)) / 2h. <paramref name="function"/> must return a scalar.
    /// </summary>
    public static void AssertGradientsMatchFiniteDifferences(Func<Tensor> function, Tensor[] inputs, double step = 1e-6, double tolerance = 1e-6)
    {
        foreach (var x in inputs)
        {
            Assert.Equal(ScalarType.Float64, x.dtype);
            x.grad?.zero_();
        }
        using (var scope = NewDisposeScope())
        {
            var value = function();
            value.backward();
        }
        foreach (var (x, index) in inputs.Select((x, i) => (x, i)))
        {
            Assert.NotNull(x.grad);
            var analytic = x.grad!.clone().flatten().data<double>().ToArray();
            var flat = x.detach().view(-1);
            for (int i = 0; i < flat.shape[0]; i++)
            {
                double original = flat[i].item<double>();
                double plus, minus;
                using (no_grad())
                {
                    flat[i] = original + step;
                    using (NewDisposeScope()) plus = function().item<double>();
                    flat[i] = original - step;
                    using (NewDisposeScope()) minus = function().item<double>();
                    flat[i] = original;
                }
                double numeric = (plus - minus) / (2 * step);
                double error = Math.Abs(numeric - analytic[i]);
                Assert.True(error <= tolerance * Math.Max(1.0, Math.Abs(numeric)),
                    $"input {index}, element {i}: autograd {analytic[i]:E6} vs finite difference {numeric:E6}");
            }
        }
    }

    /// <summary>Asserts <paramref name="action"/> throws an ArgumentException naming <paramref name="argument"/> whose message contains each fragment.</summary>
    public static ArgumentException AssertArgumentError(Action action, string argument, params string[] fragments)
    {
        var error = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Equal(argument, error.ParamName);
        foreach (var fragment in fragments) Assert.Contains(fragment, error.Message);
        return error;
    }
}
