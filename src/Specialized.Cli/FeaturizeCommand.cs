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
          --representation R     spherical-expansion | radial-spectrum | power-spectrum (default) | lambda-soap
                                 | nice | tensor-reduced
          --cutoff X             cutoff radius in Angstrom (default 5)
          --cutoff-function F    shifted-cosine (default) | step
          --cutoff-width X       width of the shifted-cosine region (default 0.5)
          --density-width X      Gaussian density width (default 0.3; GTO basis)
          --n-max N              number of radial functions (default 8)
          --l-max L              largest angular channel (default 6)
          --basis B              gto (default) | laplacian-eigenstate
          --radial-scaling-rate X, --radial-scaling-scale X, --radial-scaling-exponent X
                                 Willatt-2018 scaling u(r) = rate / (rate + (r/scale)^exponent) (all three or none)
          --center-weight X      weight of the centre atom's own density (default 1)
          --spline-accuracy X    accuracy of the radial splines (default 1e-8; 0 = exact integrals)
          --species 1,6,8        species channels (default: every species in the file, ascending)
          --lambda L, --sigma S  the lambda-soap block (default lambda 1, sigma +1)
          --threads N            worker threads (default 1)
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
        if (o.Positional.Count != 1) throw new UsageException("featurize needs exactly one input file (see 'specialized featurize --help')");
        string input = o.Positional[0];
        string output = o.String("output") ?? throw new UsageException("featurize needs -o OUT.npy");
        if (!output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"-o {output}: the output file must end in .npy");

        var kind = Representation.Parse(o.String("representation", "power-spectrum")!);
        var parameters = ParseParameters(o);
        int lambda = o.Int("lambda", 1), sigma = o.Int("sigma", 1);
        int threads = o.Int("threads", 1);
        var gradients = ParseGradients(o.String("gradients"));
        bool quiet = o.Has("quiet");
        string? speciesOption = o.String("species");
        bool nice = kind is RepresentationKind.Nice or RepresentationKind.TensorReduced;
        var niceOptions = nice ? NiceCommandOptions.Parse(o, kind, parameters) : default;
        o.RejectUnused();

        if (!File.Exists(input)) throw new UsageException($"{input}: no such file");
        var frames = ExtendedXyz.ReadFile(input);
        if (frames.Count == 0) throw new UsageException($"{input}: no frames");
        var niceModel = nice
            ? NiceCommandOptions.Model(niceOptions.Parameters, niceOptions.FitOn, niceOptions.Contractions, niceOptions.FitEnvironments,
                frames, speciesOption is null ? null : ParseSpecies(speciesOption), stderr, quiet)
            : null;
        var species = niceModel?.Species ?? (speciesOption is null ? SpeciesList.From(frames) : ParseSpecies(speciesOption));
        var calculator = niceModel?.CreateCalculator() ?? Representation.Create(kind, parameters, species, lambda, sigma);
        var computer = new FeatureComputer(calculator, threads);

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
                result = computer.Compute(frames[k], gradients);
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
        WriteMetadata(stem + ".json", input, kind, parameters, species, calculator, frames, lambda, sigma, gradients, niceModel);
        progress.Done();
        if (!quiet)
            stderr.WriteLine($"featurize: {rows} atoms × {calculator.FeatureCount} features ({calculator.Name}) -> {output}");
        return 0;
    }

    internal static SoapParameters ParseParameters(Options o)
    {
        var cutoffFunction = o.String("cutoff-function", "shifted-cosine") switch
        {
            "shifted-cosine" => CutoffKind.ShiftedCosine,
            "step" => CutoffKind.Step,
            var s => throw new UsageException($"--cutoff-function: unknown '{s}' (expected shifted-cosine or step)"),
        };
        var basis = o.String("basis", "gto") switch
        {
            "gto" => RadialBasisKind.Gto,
            "laplacian-eigenstate" => RadialBasisKind.LaplacianEigenstate,
            var s => throw new UsageException($"--basis: unknown '{s}' (expected gto or laplacian-eigenstate)"),
        };
        double? rate = o.DoubleOrNull("radial-scaling-rate"), scale = o.DoubleOrNull("radial-scaling-scale"), exponent = o.DoubleOrNull("radial-scaling-exponent");
        RadialScalingParameters? scaling = null;
        if (rate is not null || scale is not null || exponent is not null)
        {
            if (rate is null || scale is null || exponent is null)
                throw new UsageException("radial scaling needs all of --radial-scaling-rate, --radial-scaling-scale and --radial-scaling-exponent");
            scaling = new RadialScalingParameters(rate.Value, scale.Value, exponent.Value);
        }
        double spline = o.Double("spline-accuracy", 1e-8);
        var p = new SoapParameters
        {
            Cutoff = o.Double("cutoff", 5.0),
            CutoffFunction = cutoffFunction,
            CutoffWidth = o.Double("cutoff-width", 0.5),
            DensityWidth = o.Double("density-width", 0.3),
            RadialCount = o.Int("n-max", 8),
            LMax = o.Int("l-max", 6),
            Basis = basis,
            RadialScaling = scaling,
            CenterWeight = o.Double("center-weight", 1.0),
            SplineAccuracy = spline == 0 ? null : spline,
        };
        p.Validate();
        return p;
    }

    internal static GradientKinds ParseGradients(string? value)
    {
        var kinds = GradientKinds.None;
        if (value is null) return kinds;
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            kinds |= part switch
            {
                "positions" => GradientKinds.Positions,
                "strain" => GradientKinds.Strain,
                "cell" => GradientKinds.Cell,
                _ => throw new UsageException($"--gradients: unknown '{part}' (expected positions, strain or cell)"),
            };
        return kinds;
    }

    internal static SpeciesList ParseSpecies(string value)
    {
        var list = new List<int>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int z)) list.Add(z);
            else if (Elements.TryGetAtomicNumber(part, out z)) list.Add(z);
            else throw new UsageException($"--species: '{part}' is neither an atomic number nor an element symbol");
        }
        return new SpeciesList(list);
    }

    private static void WriteMetadata(string path, string input, RepresentationKind kind, SoapParameters p, SpeciesList species,
        IFeatureCalculator calculator, List<Structure> frames, int lambda, int sigma, GradientKinds gradients, Correlations.Nice.NiceModel? niceModel = null)
    {
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", "specialized-features-v1");
            w.WriteString("input", Path.GetFileName(input));
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
                w.WriteNumber("sigma", sigma);
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
            foreach (var g in new[] { GradientKinds.Positions, GradientKinds.Strain, GradientKinds.Cell })
                if (gradients.HasFlag(g)) w.WriteStringValue(g.ToString().ToLowerInvariant());
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
