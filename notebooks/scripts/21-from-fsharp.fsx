// Lesson 21: the course's MultiHeadAttention, called from F#. Run by the lesson with `dotnet fsi` (see
// AttentionCourse.Interop.FSharpScript); it prints the numbers the lesson compares with its C# run.
// By hand: dotnet fsi notebooks/scripts/21-from-fsharp.fsx <seed>
#r "nuget: TorchSharp-cpu, 0.107.0"
#r "../../artifacts/bin/AttentionCourse/notebook/AttentionCourse.dll"

open TorchSharp
open AttentionCourse.Layers

let seed = match fsi.CommandLineArgs with [| _; s |] -> int64 s | _ -> 2017L
torch.manual_seed seed |> ignore
let attention = new MultiHeadAttention(64L, 8L)      // the same constructor the C# cells call
attention.eval()
let x = torch.randn(2L, 5L, 64L)                     // (B, T, E)
let struct (output, _) = attention.SelfAttention(x)  // a C# value tuple is a struct tuple in F#
printfn "%s" (output.sum().item<float32>().ToString("R", System.Globalization.CultureInfo.InvariantCulture))
