using System.Runtime.InteropServices;
using TorchSharp;

namespace AttentionCourse.Interop;

/// <summary>
/// Switches off LibTorch's oneDNN (MKL-DNN) CPU kernels, the C++ twin of PyTorch's
/// <c>torch.backends.mkldnn.enabled = False</c>, which TorchSharp does not expose. Convolutions and LSTMs then run
/// on LibTorch's own kernels (im2col and matrix products).
/// </summary>
/// <remarks>
/// Why: on an AMD EPYC of CPU family 26 (Zen 5), TorchSharp 0.107.0's oneDNN computes wrong values, measured:
/// the float32 input gradient of lesson 03's CBAM spatial convolution (2 → 1 channels, 7×7 kernel, padding 3, a
/// 7×7 map, batch 64) is NaN although its weights and output gradient are finite, so CBAM trains to NaN on every
/// seed; and <c>nn.LSTM</c>'s output differs from the LSTM equations written out by up to 0.25. With oneDNN off
/// both agree with float64 and with the written-out equations. Capping its instruction set
/// (<c>ONEDNN_MAX_CPU_ISA=AVX2</c>) fixes the LSTM but not the gradient. <see cref="Course.Setup"/> calls
/// <see cref="Disable"/>, so every lesson runs without oneDNN; set <c>ATTENTION_COURSE_ONEDNN=1</c> to keep it.
/// <see cref="Disable"/> also switches off NNPACK, the next convolution back end LibTorch tries: on CPUs it does not
/// support it cannot run, and LibTorch then writes "Could not initialize NNPACK! Reason: Unsupported hardware" to
/// stderr at every convolution before falling back to its own kernel (the one used either way).
/// The switch is LibTorch's <c>at::Context::setUserEnabledMkldnn</c>, called through its exported (Itanium-mangled)
/// symbol on Linux and macOS; on Windows the symbol's name differs and oneDNN stays on.
/// </remarks>
public static class OneDnn
{
    /// <summary>Set to 1 to keep oneDNN on.</summary>
    public const string KeepVariable = "ATTENTION_COURSE_ONEDNN";

    /// <summary>Whether LibTorch will use oneDNN for the next convolution or LSTM (null where it cannot be asked: Windows).</summary>
    public static bool? Enabled
    {
        get
        {
            if (OperatingSystem.IsWindows()) return null;
            EnsureLibTorchLoaded();
            return UserEnabledMkldnn(GlobalContext());
        }
    }

    /// <summary>
    /// Switches oneDNN off for the rest of the process, unless <see cref="KeepVariable"/> is 1. Returns whether it is
    /// off now. Takes effect at the next operation: LibTorch reads the flag at every convolution and LSTM call.
    /// </summary>
    public static bool Disable()
    {
        if (OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable(KeepVariable) == "1") return false;
        EnsureLibTorchLoaded();
        SetUserEnabledMkldnn(GlobalContext(), false);
        SetUserEnabledNnpack(GlobalContext(), false);
        return !UserEnabledMkldnn(GlobalContext());
    }

    // Any TorchSharp call loads LibTorch's native libraries, which the entry points below live in.
    private static void EnsureLibTorchLoaded() => torch.get_num_threads();

    [DllImport("torch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("torch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    /// <summary>Whether LibTorch may try NNPACK for the next convolution (null on Windows).</summary>
    public static bool? NnpackEnabled
    {
        get
        {
            if (OperatingSystem.IsWindows()) return null;
            EnsureLibTorchLoaded();
            return UserEnabledNnpack(GlobalContext());
        }
    }

    [DllImport("torch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledNnpack(IntPtr context);

    [DllImport("torch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);
}
