using Specialized.Cli.Shipped;
using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Features;
using Specialized.Kernels;
using Specialized.Radial;
using Specialized.Structures;

namespace Specialized.Cli;

/// <summary>
/// The implementation that computes a <see cref="FeatureRequest"/>: a generated kernel shipped with
/// the CLI when one was generated for exactly the requested spec (name "generated:&lt;type&gt;"),
/// otherwise the generic runtime path (name "generic"). Both produce the columns and layouts of
/// <see cref="Calculator"/>, the generic calculator of the request.
/// </summary>
internal sealed class FeatureKernel(string name, string reason, IFeatureCalculator calculator, Action<Structure, FeatureResult> compute)
{
    /// <summary>Results kept for reuse stay below this many doubles in total (256 MiB), besides the newest.</summary>
    private const long CacheDoubles = 32L << 20;

    private readonly Dictionary<(int Atoms, GradientKinds Kinds), FeatureResult> _results = [];
    private long _cachedDoubles;

    /// <summary>"generic" or "generated:&lt;type name&gt;".</summary>
    public string Name { get; } = name;

    /// <summary>Why this kernel was chosen (one phrase, for the featurize log).</summary>
    public string Reason { get; } = reason;

    /// <summary>The generic calculator of the request (feature count, labels).</summary>
    public IFeatureCalculator Calculator { get; } = calculator;

    /// <summary>
    /// Features (and requested gradients) of every atom of one structure, in a result reused for
    /// every structure with the same atom count: valid until the next call.
    /// </summary>
    public FeatureResult Compute(Structure structure, GradientKinds gradients)
    {
        var key = (structure.AtomCount, gradients);
        if (!_results.TryGetValue(key, out var result))
        {
            result = new FeatureResult(structure.AtomCount, Calculator.FeatureCount, gradients);
            long size = Size(result);
            if (_cachedDoubles + size > CacheDoubles)
            {
                _results.Clear();
                _cachedDoubles = 0;
            }
            _results[key] = result;
            _cachedDoubles += size;
        }
        compute(structure, result);
        return result;
    }

    private static long Size(FeatureResult r) =>
        (long)r.Values.Length + (r.PositionGradients?.Length ?? 0) + (r.StrainGradients?.Length ?? 0) + (r.CellGradients?.Length ?? 0);
}

/// <summary>Chooses the <see cref="FeatureKernel"/> of a request (<c>--kernel auto|generic|generated</c>).</summary>
internal static class FeatureKernels
{
    /// <summary>
    /// Generated kernels shipped with the CLI (specs in ShippedKernels.cs), tried in order. A kernel is used when
    /// the request equals its spec in everything the spec fixes: representation, l_max, n_max, species list
    /// and λ-SOAP block (see <see cref="ShippedKernel.Matches"/>); the continuous hyperparameters are runtime
    /// parameters of <see cref="Descriptor{TRep}"/>. NICE and tensor-reduced: <see cref="ShippedNice"/>.
    /// </summary>
    internal static readonly ShippedKernel[] Shipped =
    [
        ShippedKernel.Of<SiPowerSpectrum>(nameof(SiPowerSpectrum)),
        ShippedKernel.Of<WaterPowerSpectrum>(nameof(WaterPowerSpectrum)),
        ShippedKernel.Of<HeaPowerSpectrum>(nameof(HeaPowerSpectrum)),
        ShippedKernel.Of<MoleculesPowerSpectrum>(nameof(MoleculesPowerSpectrum)),
        ShippedKernel.Of<SiSphericalExpansion>(nameof(SiSphericalExpansion)),
        ShippedKernel.Of<WaterSphericalExpansion>(nameof(WaterSphericalExpansion)),
        ShippedKernel.Of<SiLambdaSoap>(nameof(SiLambdaSoap)),
        ShippedKernel.Of<WaterLambdaSoap>(nameof(WaterLambdaSoap)),
        ShippedKernel.Of<HcnoPowerSpectrum>(nameof(HcnoPowerSpectrum)),
        ShippedKernel.Of<HcnoLambdaSoap>(nameof(HcnoLambdaSoap)),
    ];

    /// <summary>
    /// The kernel for <paramref name="request"/> with channels <paramref name="species"/>: with
    /// <see cref="KernelChoice.Auto"/> the first matching shipped kernel whose descriptor accepts the
    /// parameters, else the generic path.
    /// </summary>
    /// <exception cref="UsageException"><see cref="KernelChoice.Generated"/> and no shipped kernel can run the request.</exception>
    public static FeatureKernel Select(FeatureRequest request, SpeciesList species)
    {
        var calculator = request.CreateCalculator(species);
        if (request.KernelChoice == KernelChoice.Generic) return Generic(calculator, request.Threads, "--kernel generic");
        string why = $"no shipped generated kernel for {Describe(request, species)}";
        foreach (var shipped in Shipped)
        {
            if (!shipped.Matches(request, species, calculator)) continue;
            try
            {
                return shipped.Create(request, species, calculator);
            }
            catch (InvalidParameterException e)
            {
                why = $"generated:{shipped.Name} matches the spec but not the parameters ({e.Message})";
                break;
            }
        }
        if (request.KernelChoice == KernelChoice.Generated)
            throw new UsageException($"--kernel generated: {why}; shipped: {string.Join(", ", Shipped.Select(s => s.Name))} (see 'specialized generate')");
        return Generic(calculator, request.Threads, why);
    }

    /// <summary>
    /// Generated NICE / tensor-reduced kernels shipped with the CLI (specs in ShippedKernels.cs), tried in order. A kernel
    /// is used when <see cref="NiceDescriptor{TRep}.Mismatch"/> of the fitted (or loaded) model is null: same l_max, n_max,
    /// body order ν, λ_max (--max-lambda, default l_max), species rank K (0 for NICE) and species list. Widths,
    /// purification, embedding and the contractions themselves are run-time data of the model.
    /// </summary>
    internal static readonly ShippedNiceKernel[] ShippedNice =
    [
        ShippedNiceKernel.Of<MoleculesNice3>(nameof(MoleculesNice3)),
        ShippedNiceKernel.Of<MoleculesNice4>(nameof(MoleculesNice4)),
        ShippedNiceKernel.Of<HeaTensorReduced3>(nameof(HeaTensorReduced3)),
        ShippedNiceKernel.Of<HcnoNice4>(nameof(HcnoNice4)),
    ];

    /// <summary>
    /// The kernel of a NICE / tensor-reduced request with fitted contractions <paramref name="model"/>: with
    /// <see cref="KernelChoice.Auto"/> the first shipped NICE kernel the model matches, run on one thread (a
    /// <see cref="NiceDescriptor{TRep}"/> is single-threaded, so <c>--threads</c> &gt; 1 keeps the generic path's
    /// parallel computer), else the generic path with the reason.
    /// </summary>
    /// <exception cref="UsageException"><see cref="KernelChoice.Generated"/> and no shipped kernel matches the model, or --threads &gt; 1.</exception>
    public static FeatureKernel SelectNice(FeatureRequest request, NiceModel model)
    {
        var calculator = model.CreateCalculator();
        if (request.KernelChoice == KernelChoice.Generic) return Generic(calculator, request.Threads, "--kernel generic");
        string why = NiceMismatch(request, model);
        foreach (var shipped in ShippedNice)
        {
            if (shipped.Mismatch(model) is not null) continue;
            if (request.Threads > 1)
            {
                why = $"generated:{shipped.Name} matches but runs on one thread (--threads {request.Threads} uses the generic path; pass --threads 1 for the generated kernel)";
                break;
            }
            try
            {
                return new FeatureKernel("generated:" + shipped.Name, $"generated for exactly {DescribeNice(request, model)}", calculator, shipped.Create(model));
            }
            catch (InvalidParameterException e)
            {
                why = $"generated:{shipped.Name} matches the spec but not the parameters ({e.Message})";
                break;
            }
        }
        if (request.KernelChoice == KernelChoice.Generated)
            throw new UsageException($"--kernel generated: {why}; shipped: {string.Join(", ", ShippedNice.Select(s => s.Name))} (see 'specialized generate')");
        return Generic(calculator, request.Threads, why);
    }

    /// <summary>
    /// Fails early (before fitting contractions) when <c>--kernel generated</c> asks for a NICE / tensor-reduced shape
    /// no shipped kernel has (l_max, n_max, ν, λ_max, K; the species list is checked after the fit), or for --threads &gt; 1.
    /// </summary>
    /// <exception cref="UsageException"><see cref="KernelChoice.Generated"/> and no shipped spec can match.</exception>
    public static void RejectGeneratedNice(FeatureRequest request, NiceParameters parameters)
    {
        if (request.KernelChoice != KernelChoice.Generated) return;
        if (request.Threads > 1)
            throw new UsageException($"--kernel generated: generated NICE / tensor-reduced kernels run on one thread (got --threads {request.Threads})");
        if (!ShippedNice.Any(s => s.CanMatch(parameters)))
            throw new UsageException($"--kernel generated: no shipped generated kernel for {DescribeNice(request, parameters)}; shipped: {string.Join(", ", ShippedNice.Select(s => s.Name))} (see 'specialized generate')");
    }

    /// <summary>Why no shipped NICE kernel matches: the mismatch of the first one with the same shape, else the whole spec.</summary>
    private static string NiceMismatch(FeatureRequest request, NiceModel model)
    {
        foreach (var shipped in ShippedNice)
            if (shipped.CanMatch(model.Parameters) && shipped.Mismatch(model) is { } message)
                return message;
        return $"no shipped generated kernel for {DescribeNice(request, model)}";
    }

    /// <summary>"nice, nu 4, l_max 5, n_max 5, lambda_max 5, species [..]" (plus K for tensor-reduced).</summary>
    private static string DescribeNice(FeatureRequest request, NiceModel model) =>
        DescribeNice(request, model.Parameters) + $", species {model.Species}";

    private static string DescribeNice(FeatureRequest request, NiceParameters p) =>
        $"{Representation.Name(request.Kind)}, nu {p.BodyOrder}"
        + (p.SpeciesMode == NiceSpeciesMode.TensorReduced ? $", K {p.SpeciesRank}" : "")
        + $", l_max {p.Density.LMax}, n_max {p.Density.RadialCount}, lambda_max {p.LambdaCap}";

    /// <summary>The generic path for any calculator.</summary>
    public static FeatureKernel Generic(IFeatureCalculator calculator, int threads, string reason)
    {
        var computer = new FeatureComputer(calculator, threads);
        return new FeatureKernel("generic", reason, calculator, computer.Compute);
    }

    /// <summary>"power-spectrum, l_max 6, n_max 8, species [14]" (plus λ, σ for λ-SOAP and a non-GTO basis).</summary>
    internal static string Describe(FeatureRequest request, SpeciesList species) =>
        $"{Representation.Name(request.Kind)}"
        + (request.Kind == RepresentationKind.LambdaSoap ? $" (lambda {request.Lambda}, sigma {request.Sigma:+0;-0})" : "")
        + $", l_max {request.Parameters.LMax}, n_max {request.Parameters.RadialCount}, species {species}"
        + (request.Parameters.Basis == RadialBasisKind.Gto ? "" : ", laplacian-eigenstate basis");
}

/// <summary>
/// One generated kernel shipped with the CLI: its spec (<c>TRep.Spec</c>) and a factory of its
/// <see cref="Descriptor{TRep}"/> (one per request; the descriptor takes the continuous hyperparameters).
/// </summary>
internal sealed class ShippedKernel
{
    private readonly Func<SoapParameters, SpeciesList, int, Action<Structure, FeatureResult>> _create;

    private ShippedKernel(string name, RepresentationSpec spec, Func<SoapParameters, SpeciesList, int, Action<Structure, FeatureResult>> create)
    {
        Name = name;
        Spec = spec;
        _create = create;
    }

    /// <summary>The generated type's name.</summary>
    public string Name { get; }

    /// <summary>The spec the type was generated for.</summary>
    public RepresentationSpec Spec { get; }

    /// <summary>The shipped kernel of generated type <typeparamref name="TRep"/> called <paramref name="name"/>.</summary>
    public static ShippedKernel Of<TRep>(string name) where TRep : struct, IRepresentationKernel<TRep> =>
        new(name, TRep.Spec, static (parameters, species, threads) =>
        {
            var descriptor = new Descriptor<TRep>(parameters, species, threads);
            return (structure, result) => descriptor.Compute(structure, result.Values, result.PositionGradients, result.StrainGradients, result.CellGradients);
        });

    /// <summary>
    /// True when the spec computes exactly the request: one output of the requested representation (for
    /// λ-SOAP a ν=2 block with the requested λ and σ), the same l_max and n_max, the same species list
    /// (or, for a spec without a fixed list, as many channels), hence the generic calculator's columns.
    /// </summary>
    public bool Matches(FeatureRequest request, SpeciesList species, IFeatureCalculator calculator)
    {
        var p = request.Parameters;
        if (Spec.Outputs.Length != 1 || Spec.SpeciesRank != 0) return false;
        var output = Spec.Outputs[0];
        if (output.Kind != request.Kind) return false;
        if (request.Kind == RepresentationKind.LambdaSoap && (Spec.BodyOrder != 2 || output.Lambda != request.Lambda || output.Sigma != request.Sigma))
            return false;
        if (Spec.LMax != p.LMax || Spec.NMax != p.RadialCount) return false;
        bool sameSpecies = Spec.AtomicNumbers.Length > 0
            ? Spec.AtomicNumbers.SequenceEqual(species.AtomicNumbers)
            : Spec.SpeciesCount == species.Count;
        return sameSpecies && Spec.FeatureCount == calculator.FeatureCount;
    }

    /// <summary>The kernel for a matching request (builds the descriptor and its radial splines).</summary>
    /// <exception cref="InvalidParameterException">the descriptor does not support the continuous parameters (e.g. a ragged basis).</exception>
    public FeatureKernel Create(FeatureRequest request, SpeciesList species, IFeatureCalculator calculator) =>
        new("generated:" + Name, $"generated for exactly {FeatureKernels.Describe(request, species)}", calculator, _create(request.Parameters, species, request.Threads));
}

/// <summary>
/// One generated NICE / tensor-reduced kernel shipped with the CLI: <see cref="NiceDescriptor{TRep}.Mismatch"/> and a
/// factory of its <see cref="NiceDescriptor{TRep}"/> (one per fitted model, single-threaded).
/// </summary>
internal sealed class ShippedNiceKernel
{
    private readonly Func<NiceModel, string?> _mismatch;
    private readonly Func<NiceModel, Action<Structure, FeatureResult>> _create;

    private ShippedNiceKernel(string name, RepresentationSpec spec, int maxLambda, Func<NiceModel, string?> mismatch,
        Func<NiceModel, Action<Structure, FeatureResult>> create)
    {
        Name = name;
        Spec = spec;
        MaxLambda = maxLambda;
        _mismatch = mismatch;
        _create = create;
    }

    /// <summary>The generated type's name.</summary>
    public string Name { get; }

    /// <summary>The spec the type was generated for.</summary>
    public RepresentationSpec Spec { get; }

    /// <summary>λ_max of every coupling path the type contains.</summary>
    public int MaxLambda { get; }

    /// <summary>The shipped kernel of generated type <typeparamref name="TRep"/> called <paramref name="name"/>.</summary>
    public static ShippedNiceKernel Of<TRep>(string name) where TRep : struct, INiceKernel<TRep> =>
        new(name, TRep.Spec, TRep.MaxLambda, NiceDescriptor<TRep>.Mismatch, static model =>
        {
            var descriptor = new NiceDescriptor<TRep>(model);
            return (structure, result) => descriptor.Compute(structure, result.Values, result.PositionGradients, result.StrainGradients, result.CellGradients);
        });

    /// <summary>Null when the kernel runs <paramref name="model"/>, else why not.</summary>
    public string? Mismatch(NiceModel model) => _mismatch(model);

    /// <summary>True when the parameters have the spec's shape (all but the species list, known after the fit).</summary>
    public bool CanMatch(NiceParameters p) =>
        p.Density.LMax == Spec.LMax && p.Density.RadialCount == Spec.NMax && p.BodyOrder == Spec.BodyOrder && p.LambdaCap == MaxLambda
        && (p.SpeciesMode == NiceSpeciesMode.TensorReduced ? p.SpeciesRank : 0) == Spec.SpeciesRank;

    /// <summary>The compute action of a matching model (builds the descriptor and its radial splines).</summary>
    /// <exception cref="InvalidParameterException">the descriptor does not support the density parameters (e.g. a ragged basis).</exception>
    public Action<Structure, FeatureResult> Create(NiceModel model) => _create(model);
}
