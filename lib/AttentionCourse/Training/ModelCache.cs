using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace AttentionCourse.Training;

/// <summary>
/// Lets a lesson reuse a model an earlier lesson trained (lesson 16 reads lesson 04's classifier, lesson 24 lesson 17's
/// language model) without depending on it: the weights are saved under a key made of the model's name, its
/// configuration, the course seed and the mode, and a lesson that finds no file trains the model itself, so every
/// notebook still runs on its own. Either way TorchSharp's generator is re-seeded afterwards, so what follows prints
/// the same numbers whether the model was loaded or trained.
/// </summary>
public static class ModelCache
{
    /// <summary>Folder for the saved weights; default: <c>out/models</c> beside <c>notebooks/</c> when run from there.</summary>
    public const string DirectoryVariable = "ATTENTION_COURSE_MODELS";

    /// <summary>Where weights are saved: <see cref="DirectoryVariable"/>, else <c>../out/models</c> from a <c>notebooks</c>
    /// folder (as notebooks run), else a folder under the system's temporary directory.</summary>
    public static string Folder
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (!string.IsNullOrWhiteSpace(configured)) return configured;
            var here = new DirectoryInfo(Environment.CurrentDirectory);
            return here.Name == "notebooks"
                ? Path.Combine(here.Parent!.FullName, "out", "models")
                : Path.Combine(Path.GetTempPath(), "attention-course-models");
        }
    }

    /// <summary>The file a model's weights go to: name, a hash of its configuration, the seed and the mode.</summary>
    public static string PathFor(string name, string configuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains(' '))
            throw new ArgumentException($"name must be a plain file name without spaces (e.g. 04-sentiment); got '{name}'.", nameof(name));
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(configuration ?? "")))[..12].ToLowerInvariant();
        return Path.Combine(Folder, $"{name}-{hash}-seed{Course.Seed}-{(Course.Quick ? "quick" : "full")}.bin");
    }

    /// <summary>
    /// Loads <paramref name="model"/>'s weights if an earlier run saved them under the same key; otherwise runs
    /// <paramref name="train"/> and saves them. Returns true when the weights were loaded.
    /// </summary>
    /// <param name="model">The model, built with the same configuration (its weights are overwritten when loading).</param>
    /// <param name="name">A short name, e.g. <c>04-sentiment</c>.</param>
    /// <param name="configuration">Everything the weights depend on besides seed and mode (sizes, epochs, data).</param>
    /// <param name="train">Trains <paramref name="model"/> in place.</param>
    public static bool LoadOrTrain(nn.Module model, string name, string configuration, Action train)
    {
        var path = PathFor(name, configuration);
        bool loaded = false;
        if (File.Exists(path))
        {
            try
            {
                model.load(path);
                loaded = true;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or EndOfStreamException)
            {
                Console.WriteLine($"ModelCache: could not read {path} ({e.Message}); training instead.");
            }
        }
        if (!loaded)
        {
            train();
            Write(model, path);
        }
        model.eval();
        Course.SetSeed(Course.SeedFor("after " + name));
        return loaded;
    }

    /// <summary>
    /// Saves weights a lesson has just trained under the key <see cref="LoadOrTrain"/> reads, for the lesson that owns
    /// the model and always trains it itself (to show its training live), so that later lessons can load them. Like
    /// <see cref="LoadOrTrain"/>, it re-seeds TorchSharp's generator afterwards.
    /// </summary>
    public static void Save(nn.Module model, string name, string configuration)
    {
        Write(model, PathFor(name, configuration));
        Course.SetSeed(Course.SeedFor("after " + name));
    }

    private static void Write(nn.Module model, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + $".{Environment.ProcessId}.tmp";             // write then rename: never a half-written file
        model.save(temporary);
        File.Move(temporary, path, overwrite: true);
    }
}
