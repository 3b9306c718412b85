using BenchmarkDotNet.Attributes;
using Specialized.Density;
using Specialized.Features;
using Specialized.Radial;
using Specialized.Structures;

namespace Specialized.Benchmarks;

/// <summary>
/// One operation = featurise every frame of a benchmark structure (values, or values and position
/// gradients Σ_i ∂X_i/∂r_k) with one kernel provider on 1 or 2 threads. Parameters: Kernel (every
/// <see cref="KernelProviders.All"/> entry), Structure, Supercell (k×k×k), Gradients, Threads.
/// Hyperparameters (issue 6, the reference figures): cutoff 5 Å, shifted-cosine width 0.5 Å,
/// Gaussian width 0.3 Å, GTO, n_max 8, l_max 6, radial splines 1e-8 (featomic's default).
/// </summary>
public abstract class FeaturizationBenchmark : ISupportAware, IAtomCounted
{
    /// <summary>The SOAP hyperparameters of every reference figure in issue 6.</summary>
    public static readonly SoapParameters SoapRows = new()
    {
        Cutoff = 5.0,
        CutoffFunction = CutoffKind.ShiftedCosine,
        CutoffWidth = 0.5,
        DensityWidth = 0.3,
        Basis = RadialBasisKind.Gto,
        RadialCount = 8,
        LMax = 6,
        SplineAccuracy = 1e-8,
    };

    private Structure[] _frames = [];
    private IStructureKernel? _kernel;
    private GradientKinds _gradients;

    /// <summary>Kernel provider name.</summary>
    [ParamsSource(nameof(KernelNames))]
    public string Kernel { get; set; } = "generic";

    /// <summary>Benchmark structure (file stem in ../shared/bench).</summary>
    [ParamsSource(nameof(StructureNames))]
    public string Structure { get; set; } = "si216";

    /// <summary>Supercell factor k (k³ copies of the structure).</summary>
    [ParamsSource(nameof(SupercellFactors))]
    public int Supercell { get; set; } = 1;

    /// <summary>Also compute position gradients.</summary>
    [Params(false, true)]
    public bool Gradients { get; set; }

    /// <summary>Worker threads.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    /// <summary>Values of <see cref="Kernel"/>.</summary>
    public static IEnumerable<string> KernelNames => KernelProviders.Names;
    /// <summary>Values of <see cref="Structure"/> (BenchmarkDotNet needs one non-virtual member per source).</summary>
    public IEnumerable<string> StructureNames => Structures();
    /// <summary>Values of <see cref="Supercell"/>.</summary>
    public IEnumerable<int> SupercellFactors => Supercells();
    /// <summary>Values of <see cref="Threads"/>.</summary>
    public IEnumerable<int> ThreadCounts => ThreadValues();

    /// <summary>The structures this suite runs on.</summary>
    protected virtual IEnumerable<string> Structures() => BenchData.Names;
    /// <summary>The supercell factors this suite runs.</summary>
    protected virtual IEnumerable<int> Supercells() => [1];
    /// <summary>The thread counts this suite runs.</summary>
    protected virtual IEnumerable<int> ThreadValues() => [1, 2];

    /// <summary>The representation name (see <see cref="FeaturizationSpec"/>).</summary>
    protected abstract string Representation { get; }
    /// <summary>λ of the λ-SOAP block (ignored elsewhere).</summary>
    protected virtual int Lambda => 0;
    /// <summary>σ of the λ-SOAP block (ignored elsewhere).</summary>
    protected virtual int Sigma => 1;

    /// <summary>The density hyperparameters (default <see cref="SoapRows"/>).</summary>
    protected virtual SoapParameters Density => SoapRows;
    /// <summary>The NICE / tensor-reduced parameters and training structures (null for the other representations).</summary>
    protected virtual NiceSpec? Nice => null;

    /// <summary>The spec of the current parameters (species: every species of the structure).</summary>
    public FeaturizationSpec Spec() =>
        new(Representation, Density, SpeciesList.From(BenchData.Frames(Structure, Supercell)), Lambda, Sigma, Nice);

    /// <inheritdoc/>
    public virtual bool IsSupported() =>
        KernelProviders.Get(Kernel) is var provider && provider.Supports(Spec()) && (Threads == 1 || provider is not ISingleThreadedProvider);

    /// <inheritdoc/>
    public int AtomsPerOperation() => BenchData.AtomCount(Structure, Supercell);

    /// <summary>Loads the structure and builds the kernel (radial splines included), outside the timing.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _frames = BenchData.Frames(Structure, Supercell);
        _kernel = KernelProviders.Get(Kernel).TryCreate(Spec(), Threads)
            ?? throw new NotSupportedException($"kernel provider {Kernel} has no kernel for {Representation} on {Structure}");
        _gradients = Gradients ? GradientKinds.Positions : GradientKinds.None;
    }

    /// <summary>Featurises every frame.</summary>
    [Benchmark]
    public double Featurize() => _kernel!.Run(_frames, _gradients);
}

/// <summary>ν=1 spherical expansion c_{a n l m} (featomic SphericalExpansion) on every benchmark structure.</summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class SphericalExpansionBenchmarks : FeaturizationBenchmark
{
    /// <inheritdoc/>
    protected override string Representation => "spherical-expansion";
}

/// <summary>ν=2 SOAP power spectrum (featomic SoapPowerSpectrum) on every benchmark structure.</summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class PowerSpectrumBenchmarks : FeaturizationBenchmark
{
    /// <inheritdoc/>
    protected override string Representation => "power-spectrum";
}

/// <summary>
/// λ-SOAP block λ = 1, σ = +1 (dipole-like) on si216 and water192. Not on hea256 and molecules: the
/// block keeps every ordered species pair (a1, a2), 230,400 (hea256, 10 species) and 451,584
/// (molecules, 14 species) features per atom — the many-species case belongs to the tensor-reduced suite.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class LambdaSoapBenchmarks : FeaturizationBenchmark
{
    /// <inheritdoc/>
    protected override string Representation => "lambda-soap";
    /// <inheritdoc/>
    protected override int Lambda => 1;
    /// <inheritdoc/>
    protected override IEnumerable<string> Structures() => ["si216", "water192"];
}

/// <summary>
/// Power spectrum of si216 and its 2×2×2 (1,728 atoms) and 4×4×4 (13,824 atoms) supercells on one
/// thread: the µs/atom column should stay flat (cost linear in atoms: neighbour list by cell list,
/// work per centre independent of N).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class ScalingBenchmarks : FeaturizationBenchmark
{
    /// <inheritdoc/>
    protected override string Representation => "power-spectrum";
    /// <inheritdoc/>
    protected override IEnumerable<string> Structures() => ["si216"];
    /// <inheritdoc/>
    protected override IEnumerable<int> Supercells() => [1, 2, 4];
    /// <inheritdoc/>
    protected override IEnumerable<int> ThreadValues() => [1];
}
