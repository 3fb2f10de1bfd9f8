namespace AttentionCourse.Tests.Benchmarking;

/// <summary>
/// Tests that measure the whole process (its CPU time, its peak memory) run alone: xUnit runs other test classes in
/// parallel in the same process, and their work would show up in these measurements.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurements
{
    public const string Name = "process-wide measurements";
}
