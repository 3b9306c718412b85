using System.Diagnostics;
using System.Text.Json;
using Specialized.Density;
using Specialized.Features;
using Specialized.Structures;

namespace Specialized.Cli;

/// <summary>
/// <c>specialized bench STRUCTURE.xyz [featurize options] [--gradients K[,K]] [--threads N] [--repeat N]</c>:
/// times the featurisation of every frame of a file and prints one JSON line (see <see cref="Help"/>).
/// </summary>
public static class BenchCommand
{
    /// <summary>Untimed warm-up: passes continue until this much time has gone (at least 2 passes).</summary>
    private const double WarmUpSeconds = 1.0;

    /// <summary>Upper bound on warm-up passes.</summary>
    private const int WarmUpMaxPasses = 1000;

    /// <summary>Help text.</summary>
    public const string Help = """
        usage: specialized bench STRUCTURE.xyz [options]

        Featurises every frame of STRUCTURE.xyz untimed for about 1 s (warm-up: tiered JIT, buffers), then --repeat times
        timed, and prints one JSON line:
          input, representation, kernel ("generic", or "generated:<Name>" when a generated kernel shipped
          with the CLI matches the options exactly), species, cutoff, n_max, l_max, gradients, threads,
          frames, atoms, features (per atom), repeat,
          median_seconds, min_seconds       wall time of one pass over all frames
          atoms_per_second                  atoms / median_seconds
          peak_working_set_bytes            the process's peak resident memory (OS high-water mark, VmHWM)
          allocated_bytes_per_run           managed bytes allocated per timed pass (GC.GetTotalAllocatedBytes)
        Peak memory is the OS high-water mark rather than a managed-heap figure because it is a true peak
        (nothing between samples is missed), counts large arrays, native buffers and the runtime, and is what
        the reference codes' memory figures measure (maximum resident set).

        options (as for featurize):
        """ + "\n" + FeatureRequest.OptionsHelp + "\n" + """
          --gradients K[,K]      also compute positions, strain and/or cell gradients
          --repeat N             timed passes (default 5)
        nice / tensor-reduced: the featurize options below; the contractions are fitted (on --fit-on, else on the
        input) or loaded before the warm-up and are not timed.
        """ + "\n" + NiceCommandOptions.Help;

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, new HashSet<string> { "help" }, new Dictionary<string, string> { ["-h"] = "--help" });
        if (o.Has("help"))
        {
            stdout.WriteLine(Help);
            return 0;
        }
        var request = FeatureRequest.Parse(o, "bench");
        bool nice = request.Kind is RepresentationKind.Nice or RepresentationKind.TensorReduced;
        var niceOptions = nice ? NiceCommandOptions.Parse(o, request.Kind, request.Parameters) : default;
        int repeat = o.Int("repeat", 5);
        if (repeat < 1) throw new UsageException($"--repeat: must be at least 1, got {repeat}");
        o.RejectUnused();
        if (nice) FeatureKernels.RejectGeneratedNice(request, niceOptions.Parameters);

        var frames = request.ReadFrames();
        SpeciesList species;
        FeatureKernel kernel;
        if (nice)
        {
            // contractions fitted (or loaded) before the warm-up, never timed; no progress lines (stdout/stderr stay JSON-only)
            var model = NiceCommandOptions.Model(niceOptions.Parameters, niceOptions.FitOn, niceOptions.Contractions, niceOptions.FitEnvironments,
                frames, request.SpeciesOption is null ? null : FeatureRequest.ParseSpecies(request.SpeciesOption), TextWriter.Null, quiet: true, command: "bench");
            species = model.Species;
            kernel = FeatureKernels.SelectNice(request, model);
        }
        else
        {
            species = request.Species(frames);
            kernel = FeatureKernels.Select(request, species);
        }
        int atoms = frames.Sum(f => f.AtomCount);

        // Warm-up, not timed: at least 2 passes and about 1 s, so tiered JIT has promoted the hot code and every buffer has grown.
        long warmStart = Stopwatch.GetTimestamp();
        for (int w = 0; w < 2 || (w < WarmUpMaxPasses && Stopwatch.GetElapsedTime(warmStart).TotalSeconds < WarmUpSeconds); w++)
            Pass(kernel, frames, request);
        var seconds = new double[repeat];
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (int r = 0; r < repeat; r++)
        {
            long start = Stopwatch.GetTimestamp();
            Pass(kernel, frames, request);
            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        long allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / repeat;
        long peak;
        using (var process = Process.GetCurrentProcess())
        {
            process.Refresh();
            peak = process.PeakWorkingSet64;
        }

        double median = Median(seconds);
        using (var buffer = new MemoryStream())
        {
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("input", Path.GetFileName(request.Input));
                w.WriteString("representation", Representation.Name(request.Kind));
                w.WriteString("kernel", kernel.Name);
                w.WriteStartArray("species");
                foreach (var z in species.AtomicNumbers) w.WriteNumberValue(z);
                w.WriteEndArray();
                w.WriteNumber("cutoff", request.Parameters.Cutoff);
                w.WriteNumber("n_max", request.Parameters.RadialCount);
                w.WriteNumber("l_max", request.Parameters.LMax);
                w.WriteStartArray("gradients");
                foreach (var g in request.GradientNames()) w.WriteStringValue(g);
                w.WriteEndArray();
                w.WriteNumber("threads", request.Threads);
                w.WriteNumber("frames", frames.Count);
                w.WriteNumber("atoms", atoms);
                w.WriteNumber("features", kernel.Calculator.FeatureCount);
                w.WriteNumber("repeat", repeat);
                w.WriteNumber("median_seconds", median);
                w.WriteNumber("min_seconds", seconds.Min());
                w.WriteNumber("atoms_per_second", atoms / median);
                w.WriteNumber("peak_working_set_bytes", peak);
                w.WriteNumber("allocated_bytes_per_run", allocated);
                w.WriteEndObject();
            }
            stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
        return 0;
    }

    /// <summary>One featurisation pass over every frame; errors name the file and frame.</summary>
    private static void Pass(FeatureKernel kernel, List<Structure> frames, FeatureRequest request)
    {
        for (int k = 0; k < frames.Count; k++)
        {
            try
            {
                kernel.Compute(frames[k], request.Gradients);
            }
            catch (SpecializedException e)
            {
                throw new SpecializedException($"{request.Input}: frame {k}: {e.Message}", e);
            }
        }
    }

    /// <summary>Median (mean of the two middle values for an even count).</summary>
    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int h = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[h] : 0.5 * (sorted[h - 1] + sorted[h]);
    }
}
