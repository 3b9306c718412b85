using System.Globalization;
using Specialized.Density;
using Specialized.Features;
using Specialized.Radial;
using Specialized.Structures;

namespace Specialized.Cli;

/// <summary>
/// The options shared by every command that featurises a structure file (<c>featurize</c>,
/// <c>bench</c>): one input file, the representation and its hyperparameters, species channels,
/// the λ-SOAP block, gradients and threads.
/// </summary>
internal sealed record FeatureRequest(
    string Input,
    RepresentationKind Kind,
    SoapParameters Parameters,
    int Lambda,
    int Sigma,
    int Threads,
    GradientKinds Gradients,
    string? SpeciesOption,
    KernelChoice KernelChoice = KernelChoice.Auto)
{
    /// <summary>Help lines for the shared options (indented for a command's help text).</summary>
    public const string OptionsHelp = """
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
          --kernel K             auto (default): a generated kernel shipped with the CLI when one was generated for
                                 exactly this representation, l_max, n_max, species list and lambda block (nice /
                                 tensor-reduced: and body order, max-lambda, species rank; one thread), else the
                                 generic path | generic | generated (error, exit 2, when none matches)
        """;

    /// <summary>Reads the shared options from <paramref name="o"/> (the command's own options are left to it).</summary>
    public static FeatureRequest Parse(Options o, string command)
    {
        if (o.Positional.Count != 1) throw new UsageException($"{command} needs exactly one input file (see 'specialized {command} --help')");
        var kind = Representation.Parse(o.String("representation", "power-spectrum")!);
        var parameters = ParseParameters(o);
        int lambda = o.Int("lambda", 1), sigma = o.Int("sigma", 1);
        int threads = o.Int("threads", 1);
        if (threads < 1) throw new UsageException($"--threads: must be at least 1, got {threads}");
        var gradients = ParseGradients(o.String("gradients"));
        var choice = o.String("kernel", "auto") switch
        {
            "auto" => KernelChoice.Auto,
            "generic" => KernelChoice.Generic,
            "generated" => KernelChoice.Generated,
            var s => throw new UsageException($"--kernel: unknown '{s}' (expected auto, generic or generated)"),
        };
        return new FeatureRequest(o.Positional[0], kind, parameters, lambda, sigma, threads, gradients, o.String("species"), choice);
    }

    /// <summary>Every frame of the input file (at least one).</summary>
    public List<Structure> ReadFrames()
    {
        if (!File.Exists(Input)) throw new UsageException($"{Input}: no such file");
        var frames = ExtendedXyz.ReadFile(Input);
        if (frames.Count == 0) throw new UsageException($"{Input}: no frames");
        return frames;
    }

    /// <summary>The species channels: --species, or every species of <paramref name="frames"/> ascending.</summary>
    public SpeciesList Species(IEnumerable<Structure> frames) =>
        SpeciesOption is null ? SpeciesList.From(frames) : ParseSpecies(SpeciesOption);

    /// <summary>The generic calculator of this request (also the labels of any kernel's output).</summary>
    public IFeatureCalculator CreateCalculator(SpeciesList species) => Representation.Create(Kind, Parameters, species, Lambda, Sigma);

    /// <summary>Names of the requested gradient kinds, in the order positions, strain, cell.</summary>
    public IEnumerable<string> GradientNames()
    {
        foreach (var g in new[] { GradientKinds.Positions, GradientKinds.Strain, GradientKinds.Cell })
            if (Gradients.HasFlag(g)) yield return g.ToString().ToLowerInvariant();
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

    private static GradientKinds ParseGradients(string? value)
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
}

/// <summary>Which implementation <c>--kernel</c> asks for.</summary>
internal enum KernelChoice
{
    /// <summary>A shipped generated kernel when one matches the request exactly, else the generic path.</summary>
    Auto,
    /// <summary>Always the generic runtime path.</summary>
    Generic,
    /// <summary>A shipped generated kernel; a usage error (exit 2) when none matches.</summary>
    Generated,
}
