using Specialized.Cli.Shipped;
using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Features;
using Specialized.Structures;

namespace Specialized.Benchmarks;

/// <summary>
/// What a featurisation benchmark asks for: a representation by name (the CLI's names:
/// spherical-expansion, power-spectrum, lambda-soap, nice, tensor-reduced), its hyperparameters and
/// species channels, the λ-SOAP block when relevant, and for nice / tensor-reduced the fitted model.
/// </summary>
public sealed record FeaturizationSpec(string Representation, SoapParameters Parameters, SpeciesList Species, int Lambda = 0, int Sigma = 1,
    NiceSpec? Nice = null);

/// <summary>
/// The NICE / tensor-reduced part of a <see cref="FeaturizationSpec"/>: the parameters and the structures the
/// contractions are fitted on, under a <paramref name="Name"/> that identifies both. <see cref="Model"/> fits once per
/// process and name (in GlobalSetup, never timed).
/// </summary>
public sealed record NiceSpec(string Name, NiceParameters Parameters, Func<IReadOnlyList<Structure>> Training)
{
    private static readonly Dictionary<(string, string), NiceModel> s_models = [];

    /// <summary>The model fitted on <see cref="Training"/> with channels <paramref name="species"/> (cached per process).</summary>
    public NiceModel Model(SpeciesList species)
    {
        lock (s_models)
        {
            var key = (Name, species.ToString());
            if (!s_models.TryGetValue(key, out var model))
                s_models[key] = model = NiceModel.Fit(Training(), Parameters, species);
            return model;
        }
    }
}

/// <summary>
/// One implementation family of the representations (the generic runtime path, a generated kernel,
/// NICE, …). Every featurisation suite is parameterised over <see cref="KernelProviders.All"/>; a
/// provider that has no kernel for a benchmark's spec returns null and that case is filtered out
/// (see <see cref="SupportedCaseFilter"/>), so a new provider is one line in that list.
/// </summary>
public interface IKernelProvider
{
    /// <summary>Name shown in the Kernel column ("generic", "generated:SiSoap", …).</summary>
    string Name { get; }

    /// <summary>True when <see cref="TryCreate"/> would return a kernel (cheap: no radial splines are built).</summary>
    bool Supports(FeaturizationSpec spec);

    /// <summary>A kernel for <paramref name="spec"/> on <paramref name="threads"/> threads, or null when this provider has none.</summary>
    IStructureKernel? TryCreate(FeaturizationSpec spec, int threads);
}

/// <summary>A ready-to-run featuriser of one spec.</summary>
public interface IStructureKernel
{
    /// <summary>Features per atom.</summary>
    int FeatureCount { get; }

    /// <summary>Computes the features (and <paramref name="gradients"/>) of every frame; returns one value of the output so the work cannot be elided.</summary>
    double Run(Structure[] frames, GradientKinds gradients);
}

/// <summary>
/// A kernel that computes into one reused <see cref="FeatureResult"/> per (atom count, gradients), so steady state allocates
/// nothing; subclasses say how one frame is computed into its result.
/// </summary>
public abstract class ResultReusingKernel : IStructureKernel
{
    private readonly Dictionary<(int, GradientKinds), FeatureResult> _results = [];

    /// <inheritdoc/>
    public abstract int FeatureCount { get; }

    /// <summary>Computes <paramref name="frame"/> into <paramref name="result"/> (sized for it, gradients as allocated).</summary>
    protected abstract void Compute(Structure frame, FeatureResult result);

    /// <inheritdoc/>
    public double Run(Structure[] frames, GradientKinds gradients)
    {
        double sum = 0;
        foreach (var frame in frames)
        {
            if (!_results.TryGetValue((frame.AtomCount, gradients), out var result))
                _results[(frame.AtomCount, gradients)] = result = new FeatureResult(frame.AtomCount, FeatureCount, gradients);
            Compute(frame, result);
            sum += result.Values[^1];
        }
        return sum;
    }
}

/// <summary>The providers every featurisation suite runs. Add generated kernels and NICE here (one line each).</summary>
public static class KernelProviders
{
    /// <summary>All providers, in column order.</summary>
    public static readonly IKernelProvider[] All =
    [
        new GenericKernelProvider(),
        // The kernels the CLI ships (src/Specialized.Cli/ShippedKernels.cs, compiled into this project too).
        new GeneratedKernelProvider<SiPowerSpectrum>(nameof(SiPowerSpectrum)),
        new GeneratedKernelProvider<WaterPowerSpectrum>(nameof(WaterPowerSpectrum)),
        new GeneratedKernelProvider<HeaPowerSpectrum>(nameof(HeaPowerSpectrum)),
        new GeneratedKernelProvider<MoleculesPowerSpectrum>(nameof(MoleculesPowerSpectrum)),
        new GeneratedKernelProvider<SiSphericalExpansion>(nameof(SiSphericalExpansion)),
        new GeneratedKernelProvider<WaterSphericalExpansion>(nameof(WaterSphericalExpansion)),
        new GeneratedKernelProvider<SiLambdaSoap>(nameof(SiLambdaSoap)),
        new GeneratedKernelProvider<WaterLambdaSoap>(nameof(WaterLambdaSoap)),
        // Generated NICE / tensor-reduced kernels (also shipped by the CLI): run spec.Nice.Model(spec.Species)'s contractions.
        new GeneratedNiceProvider<MoleculesNice3>(nameof(MoleculesNice3)),
        new GeneratedNiceProvider<MoleculesNice4>(nameof(MoleculesNice4)),
        new GeneratedNiceProvider<HeaTensorReduced3>(nameof(HeaTensorReduced3)),
    ];

    /// <summary>Provider names (the values of the Kernel parameter).</summary>
    public static IEnumerable<string> Names => All.Select(p => p.Name);

    /// <summary>The provider called <paramref name="name"/>.</summary>
    public static IKernelProvider Get(string name) =>
        All.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"no kernel provider '{name}' (have {string.Join(", ", Names)})", nameof(name));
}

/// <summary>The generic runtime path: <see cref="Representation.Create"/> + <see cref="FeatureComputer"/>.</summary>
public sealed class GenericKernelProvider : IKernelProvider
{
    /// <inheritdoc/>
    public string Name => "generic";

    private static readonly string[] Kinds = [.. Enum.GetValues<RepresentationKind>().Select(Representation.Name)];

    /// <inheritdoc/>
    public bool Supports(FeaturizationSpec spec) => Kinds.Contains(spec.Representation);

    /// <inheritdoc/>
    public IStructureKernel? TryCreate(FeaturizationSpec spec, int threads)
    {
        if (!Supports(spec)) return null;
        var kind = Representation.Parse(spec.Representation);
        var calculator = kind is RepresentationKind.Nice or RepresentationKind.TensorReduced
            ? (spec.Nice ?? throw new ArgumentException($"{spec.Representation} needs spec.Nice (parameters and training structures)", nameof(spec)))
                .Model(spec.Species).CreateCalculator()
            : Representation.Create(kind, spec.Parameters, spec.Species, spec.Lambda, spec.Sigma);
        return new ComputerKernel(new FeatureComputer(calculator, threads));
    }

    /// <summary>The generic path through a <see cref="FeatureComputer"/>.</summary>
    private sealed class ComputerKernel(FeatureComputer computer) : ResultReusingKernel
    {
        public override int FeatureCount => computer.Calculator.FeatureCount;

        protected override void Compute(Structure frame, FeatureResult result) => computer.Compute(frame, result);
    }
}
