using AttentionCourse.Training;
using static TorchSharp.torch;

namespace AttentionCourse.Tests.Training;

public class ModelCacheTests
{
    [Fact]
    public void SecondCall_LoadsTheSameWeights_AndLeavesTheGeneratorInTheSameState()
    {
        var folder = Directory.CreateTempSubdirectory("attention-course-cache-").FullName;
        Environment.SetEnvironmentVariable(ModelCache.DirectoryVariable, folder);
        try
        {
            manual_seed(5);
            var first = nn.Linear(3, 2);
            int trained = 0;
            Assert.False(ModelCache.LoadOrTrain(first, "unit-linear", "3→2", () => { trained++; using (no_grad()) first.weight!.fill_(0.25); }));
            var afterTraining = rand(3);

            var second = nn.Linear(3, 2);
            Assert.True(ModelCache.LoadOrTrain(second, "unit-linear", "3→2", () => trained++));
            var afterLoading = rand(3);
            Assert.Equal(1, trained);
            TestSupport.AssertClose(first.weight!, second.weight!, 0, "loaded weights");
            TestSupport.AssertClose(afterTraining, afterLoading, 0, "generator state after the call");

            // Another configuration is another file.
            Assert.False(ModelCache.LoadOrTrain(nn.Linear(3, 2), "unit-linear", "3→2, other", () => trained++));
            Assert.Equal(2, trained);
        }
        finally { Environment.SetEnvironmentVariable(ModelCache.DirectoryVariable, null); }
    }

    [Fact]
    public void CorruptFile_IsRetrained_NotFatal()
    {
        var folder = Directory.CreateTempSubdirectory("attention-course-cache-").FullName;
        Environment.SetEnvironmentVariable(ModelCache.DirectoryVariable, folder);
        try
        {
            File.WriteAllText(ModelCache.PathFor("unit-corrupt", "c"), "not weights");
            bool trained = false;
            Assert.False(ModelCache.LoadOrTrain(nn.Linear(2, 2), "unit-corrupt", "c", () => trained = true));
            Assert.True(trained);
            Assert.Throws<ArgumentException>(() => ModelCache.PathFor("bad name", "c"));
        }
        finally { Environment.SetEnvironmentVariable(ModelCache.DirectoryVariable, null); }
    }

    [Fact]
    public void Save_WritesWhatLoadOrTrainLoads_AndReseedsLikeIt()
    {
        var folder = Directory.CreateTempSubdirectory("attention-course-cache-").FullName;
        Environment.SetEnvironmentVariable(ModelCache.DirectoryVariable, folder);
        try
        {
            var owner = nn.Linear(3, 2);
            using (no_grad()) owner.weight!.fill_(0.5);
            ModelCache.Save(owner, "unit-save", "cfg");
            var afterSaving = rand(3);
            var reader = nn.Linear(3, 2);
            Assert.True(ModelCache.LoadOrTrain(reader, "unit-save", "cfg", () => throw new InvalidOperationException("must load, not train")));
            TestSupport.AssertClose(owner.weight!, reader.weight!, 0, "saved weights loaded");
            TestSupport.AssertClose(afterSaving, rand(3), 0, "the generator is re-seeded the same way by both");
        }
        finally { Environment.SetEnvironmentVariable(ModelCache.DirectoryVariable, null); }
    }
}
