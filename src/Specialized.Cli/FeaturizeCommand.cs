using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Specialized.Density;
using Specialized.Features;
using Specialized.Io;
using Specialized.Radial;
using Specialized.Structures;

namespace Specialized.Cli;

/// <summary>
/// <c>specialized featurize INPUT.xyz -o OUT.npy [options]</c>: features of every atom of every
/// frame, rows in file order, plus OUT.json with hyperparameters and labels, and gradient files.
/// </summary>
public static class FeaturizeCommand
{
    /// <summary>Help text.</summary>
    public const string Help = """
        usage: specialized featurize INPUT.xyz -o OUT.npy [options]

        Writes OUT.npy (float64, C order; rows = atoms of all frames in file order) and OUT.json
        (hyperparameters, column labels, row labels). Column order:
          spherical-expansion  (l, m, neighbour species, n)              [featomic order]
          radial-spectrum      (neighbour species, n)
          power-spectrum       (species a1 <= a2, l, n1, n2)              [featomic order]
          lambda-soap          3-D array [atom, mu = -lambda..lambda, property],
                               properties (l1, l2, species a1, n1, species a2, n2)
          nice, tensor-reduced (order, channel, feature): invariants of body orders 1..nu (fitted contractions)

        options:
        """ + "\n" + FeatureRequest.OptionsHelp + "\n" + """
          --gradients K[,K]      positions -> OUT.gradients.npy [atom k, 3, feature] = d(sum_i X_i)/dr_k (per frame)
                                 strain    -> OUT.strain-gradients.npy [atom i, 3, 3, feature]
                                 cell      -> OUT.cell-gradients.npy [atom i, 3, 3, feature]
          --quiet                no progress output
        """ + "\n" + NiceCommandOptions.Help;

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, new HashSet<string> { "help", "quiet", "purify" }, new Dictionary<string, string> { ["-o"] = "--output", ["-h"] = "--help" });
        if (o.Has("help"))
        {
            stdout.WriteLine(Help);
            return 0;
        }
        var request = FeatureRequest.Parse(o, "featurize");
        string output = o.String("output") ?? throw new UsageException("featurize needs -o OUT.npy");
        if (!output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"-o {output}: the output file must end in .npy");
        bool quiet = o.Has("quiet");
        bool nice = request.Kind is RepresentationKind.Nice or RepresentationKind.TensorReduced;
        var niceOptions = nice ? NiceCommandOptions.Parse(o, request.Kind, request.Parameters) : default;
        o.RejectUnused();
        if (nice) FeatureKernels.RejectGeneratedNice(request, niceOptions.Parameters);

        string input = request.Input;
        var gradients = request.Gradients;
        var frames = request.ReadFrames();
        var niceModel = nice
            ? NiceCommandOptions.Model(niceOptions.Parameters, niceOptions.FitOn, niceOptions.Contractions, niceOptions.FitEnvironments,
                frames, request.SpeciesOption is null ? null : FeatureRequest.ParseSpecies(request.SpeciesOption), stderr, quiet)
            : null;
        var species = niceModel?.Species ?? request.Species(frames);
        var kernel = niceModel is null ? FeatureKernels.Select(request, species) : FeatureKernels.SelectNice(request, niceModel);
        var calculator = kernel.Calculator;
        if (!quiet) stderr.WriteLine($"featurize: kernel {kernel.Name}: {kernel.Reason}");

        long rows = frames.Sum(f => (long)f.AtomCount);
        int components = calculator.ComponentCount;
        int properties = calculator.FeatureCount / components;
        long[] FeatureShape(params long[] lead) => components == 1 ? [.. lead, properties] : [.. lead, components, properties];
        string stem = output[..^4];

        var progress = new Progress(stderr, frames.Count, quiet);
        using var values = new NpyWriter(output, FeatureShape(rows));
        using var positions = gradients.HasFlag(GradientKinds.Positions) ? new NpyWriter(stem + ".gradients.npy", FeatureShape(rows, 3)) : null;
        using var strain = gradients.HasFlag(GradientKinds.Strain) ? new NpyWriter(stem + ".strain-gradients.npy", FeatureShape(rows, 3, 3)) : null;
        using var cell = gradients.HasFlag(GradientKinds.Cell) ? new NpyWriter(stem + ".cell-gradients.npy", FeatureShape(rows, 3, 3)) : null;
        for (int k = 0; k < frames.Count; k++)
        {
            FeatureResult result;
            try
            {
                result = kernel.Compute(frames[k], gradients);
            }
            catch (SpecializedException e)
            {
                throw new SpecializedException($"{input}: frame {k}: {e.Message}", e);
            }
            values.Write(result.Values);
            positions?.Write(result.PositionGradients);
            strain?.Write(result.StrainGradients);
            cell?.Write(result.CellGradients);
            progress.Report(k + 1);
        }
        values.Commit();
        positions?.Commit();
        strain?.Commit();
        cell?.Commit();
        WriteMetadata(stem + ".json", request, species, calculator, frames, niceModel);
        progress.Done();
        if (!quiet)
            stderr.WriteLine($"featurize: {rows} atoms × {calculator.FeatureCount} features ({calculator.Name}, {kernel.Name} kernel) -> {output}");
        return 0;
    }

    private static void WriteMetadata(string path, FeatureRequest request, SpeciesList species, IFeatureCalculator calculator, List<Structure> frames,
        Correlations.Nice.NiceModel? niceModel)
    {
        var (kind, p, lambda) = (request.Kind, request.Parameters, request.Lambda);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", "specialized-features-v1");
            w.WriteString("input", Path.GetFileName(request.Input));
            w.WriteString("representation", Representation.Name(kind));
            w.WriteStartObject("hyperparameters");
            w.WriteNumber("cutoff", p.Cutoff);
            w.WriteString("cutoff_function", p.CutoffFunction == CutoffKind.ShiftedCosine ? "shifted-cosine" : "step");
            w.WriteNumber("cutoff_width", p.CutoffWidth);
            w.WriteNumber("density_width", p.DensityWidth);
            w.WriteNumber("n_max", p.RadialCount);
            w.WriteNumber("l_max", p.LMax);
            w.WriteString("basis", p.Basis == RadialBasisKind.Gto ? "gto" : "laplacian-eigenstate");
            if (p.RadialScaling is { } s)
            {
                w.WriteStartObject("radial_scaling");
                w.WriteNumber("rate", s.Rate);
                w.WriteNumber("scale", s.Scale);
                w.WriteNumber("exponent", s.Exponent);
                w.WriteEndObject();
            }
            w.WriteNumber("center_weight", p.CenterWeight);
            if (p.SplineAccuracy is { } acc) w.WriteNumber("spline_accuracy", acc);
            else w.WriteNull("spline_accuracy");
            if (kind == RepresentationKind.LambdaSoap)
            {
                w.WriteNumber("lambda", lambda);
                w.WriteNumber("sigma", request.Sigma);
            }
            w.WriteEndObject();
            if (niceModel is not null)
            {
                w.WriteStartObject("nice");
                foreach (var (name, value) in Correlations.Nice.NiceModel.DescribeSpec(niceModel.Parameters, niceModel.Species)) w.WriteString(name, value);
                w.WriteStartArray("invariants_per_order");
                for (int order = 1; order <= niceModel.BodyOrder; order++) w.WriteNumberValue(niceModel.InvariantCount(order));
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteStartArray("species");
            foreach (var z in species.AtomicNumbers) w.WriteNumberValue(z);
            w.WriteEndArray();
            w.WriteStartArray("shape");
            w.WriteNumberValue(frames.Sum(f => f.AtomCount));
            if (calculator.ComponentCount > 1) w.WriteNumberValue(calculator.ComponentCount);
            w.WriteNumberValue(calculator.Properties.Count);
            w.WriteEndArray();
            w.WriteStartArray("gradients");
            foreach (var g in request.GradientNames()) w.WriteStringValue(g);
            w.WriteEndArray();
            if (calculator.ComponentCount > 1)
            {
                w.WriteStartObject("components");
                w.WriteStartArray("names");
                w.WriteStringValue("o3_mu");
                w.WriteEndArray();
                w.WriteStartArray("values");
                for (int mu = -lambda; mu <= lambda; mu++) w.WriteNumberValue(mu);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            WriteLabels(w, "properties", calculator.Properties.Names, calculator.Properties.Values);
            var rows = new List<int[]>();
            for (int k = 0; k < frames.Count; k++)
                for (int i = 0; i < frames[k].AtomCount; i++) rows.Add([k, i]);
            WriteLabels(w, "samples", ["frame", "atom"], rows);
            w.WriteEndObject();
        }
        File.Move(temp, path, overwrite: true);
    }

    private static void WriteLabels(Utf8JsonWriter w, string name, IEnumerable<string> names, IEnumerable<int[]> values)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("names");
        foreach (var n in names) w.WriteStringValue(n);
        w.WriteEndArray();
        w.WriteStartArray("values");
        foreach (var v in values)
        {
            w.WriteStartArray();
            foreach (var x in v) w.WriteNumberValue(x);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Progress on stderr: a live line on a terminal, otherwise a line per 10 %; silent for quick runs.</summary>
    private sealed class Progress(TextWriter stderr, int total, bool quiet)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _lastDecile;
        private bool _shown;

        public void Report(int done)
        {
            if (quiet || _clock.ElapsedMilliseconds < 1000) return;
            double fraction = (double)done / total;
            if (!Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error))
            {
                int width = 30, filled = (int)(fraction * width);
                stderr.Write($"\rfeaturize [{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} frames");
                _shown = true;
                return;
            }
            int decile = (int)(fraction * 10);
            if (decile > _lastDecile)
            {
                _lastDecile = decile;
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"featurize: {done}/{total} frames ({fraction:P0}), {_clock.Elapsed.TotalSeconds:F1} s"));
            }
        }

        public void Done()
        {
            if (_shown) stderr.WriteLine();
        }
    }
}
