using Specialized.Models;
using Specialized.Structures;

namespace Specialized.Cli;

/// <summary><c>specialized predict MODEL INPUT.xyz -o OUT.xyz</c>: predictions written as extended XYZ.</summary>
public static class PredictCommand
{
    /// <summary>Help text.</summary>
    public const string Help = """
        usage: specialized predict MODEL INPUT.xyz -o OUT.xyz [options]

        Writes every frame of INPUT.xyz with the model's predictions: potentials give the info keys
        energy, virial (periodic frames, energy units, W = -dE/d(strain)) and stress (cells periodic along
        all axes, energy/A^3, sigma = -W/V) and the per-atom array forces; dipole models give a 3-vector,
        polarizability models a 9-value row-major 3x3 tensor, under the key they were trained on.
        Existing values with those names are replaced.

        options:
          --prefix P      prepend P to every predicted key (e.g. pred_) to keep the input's reference values
          --threads N     structures predicted in parallel (default 1)
        """;

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, new HashSet<string> { "help" }, new Dictionary<string, string> { ["-o"] = "--output", ["-h"] = "--help" });
        if (o.Has("help"))
        {
            stdout.WriteLine(Help);
            return 0;
        }
        if (o.Positional.Count != 2) throw new UsageException("predict needs MODEL and INPUT.xyz (see 'specialized predict --help')");
        string output = o.String("output") ?? throw new UsageException("predict needs -o OUT.xyz");
        string prefix = o.String("prefix", "")!;
        int threads = o.Int("threads", 1);
        if (threads < 1) throw new UsageException("--threads must be at least 1");
        o.RejectUnused();

        var model = Model.Load(o.Positional[0]);
        string input = o.Positional[1];
        if (!File.Exists(input)) throw new UsageException($"{input}: no such file");
        var frames = ExtendedXyz.ReadFile(input);
        Options.CreateParent(output);
        var predictions = model.Predict(frames, threads);
        for (int k = 0; k < frames.Count; k++) Annotate(frames[k], predictions[k], model, prefix);
        ExtendedXyz.WriteFile(output, frames);
        stderr.WriteLine($"predict: {frames.Count} structures -> {output}");
        return 0;
    }

    /// <summary>Stores the prediction in the frame's info and arrays.</summary>
    internal static void Annotate(Structure frame, Prediction p, Model model, string prefix)
    {
        if (p.Energy is { } e) frame.Info[prefix + "energy"] = InfoValue.Real(e);
        if (p.Virial is { } w) frame.Info[prefix + "virial"] = InfoValue.Real(w);
        if (p.Stress is { } s) frame.Info[prefix + "stress"] = InfoValue.Real(s);
        if (p.Forces is { } f) frame.Arrays[prefix + "forces"] = AtomProperty.Real(3, f);
        string key = model.Metadata.Get("target_key") ?? (model.Kind == ModelKind.Dipole ? "dipole" : "polarizability");
        if (p.Dipole is { } mu) frame.Info[prefix + key] = InfoValue.Real(mu);
        if (p.Polarizability is { } alpha) frame.Info[prefix + key] = InfoValue.Real(alpha);
    }
}
