using BenchmarkDotNet.Attributes;
using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Radial;

namespace Specialized.Benchmarks;

/// <summary>
/// NICE invariants of body orders 1…ν (ν = 3, 4) on molecules.xyz (162 molecules, 860 atoms, 14 species) with NICE's
/// tutorial model: density r_c 6.3 Å, smooth width 0.3 Å, Gaussian width 0.05 Å, GTO, n_max 5, l_max 5; every step
/// expands to 150 covariant / 300 invariant tasks and keeps 50 / 200 PCA components (<see cref="NiceStep.Tutorial"/>).
/// The contractions are fitted once per process in GlobalSetup (not timed) on the first 100 molecules, with the
/// species channels of the whole file. One operation = every molecule, values or values and position gradients.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class NiceBenchmarks : FeaturizationBenchmark
{
    /// <summary>NICE's tutorial density (MATH §5.4).</summary>
    public static readonly SoapParameters TutorialDensity = new()
    {
        Cutoff = 6.3,
        CutoffFunction = CutoffKind.ShiftedCosine,
        CutoffWidth = 0.3,
        DensityWidth = 0.05,
        Basis = RadialBasisKind.Gto,
        RadialCount = 5,
        LMax = 5,
        SplineAccuracy = 1e-8,
    };

    /// <summary>Molecules the contractions are fitted on (the first ones of the file).</summary>
    public const int TrainingMolecules = 100;

    /// <summary>Largest body order ν.</summary>
    [Params(3, 4)]
    public int BodyOrder { get; set; } = 4;

    /// <inheritdoc/>
    protected override string Representation => "nice";
    /// <inheritdoc/>
    protected override IEnumerable<string> Structures() => ["molecules"];
    /// <inheritdoc/>
    protected override SoapParameters Density => TutorialDensity;
    /// <inheritdoc/>
    protected override NiceSpec Nice => new(
        $"nice nu={BodyOrder} tutorial, first {TrainingMolecules} molecules",
        new NiceParameters { Density = TutorialDensity, BodyOrder = BodyOrder, Steps = [NiceStep.Tutorial] },
        () => BenchData.Frames("molecules")[..TrainingMolecules]);
}

/// <summary>
/// Tensor-reduced invariants of body orders 1…ν (ν = 3) on hea256 (10 species mixed into K = 8 channels by the
/// seeded random embedding), density = the SOAP rows (<see cref="FeaturizationBenchmark.SoapRows"/>), NICE's tutorial
/// widths (expand 150/300, keep 50/200). Contractions fitted once per process in GlobalSetup (not timed) on hea256 itself.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class TensorReducedBenchmarks : FeaturizationBenchmark
{
    /// <summary>Number of mixed species channels K.</summary>
    public const int SpeciesRank = 8;

    /// <summary>
    /// Largest body order ν. Only 3: ν = 4 with position gradients takes ~4 minutes per operation on the generic path
    /// (busy machine), too long for a suite; add 4 here once a faster (generated) tensor-reduced kernel exists.
    /// </summary>
    [Params(3)]
    public int BodyOrder { get; set; } = 3;

    /// <inheritdoc/>
    protected override string Representation => "tensor-reduced";
    /// <inheritdoc/>
    protected override IEnumerable<string> Structures() => ["hea256"];
    /// <inheritdoc/>
    protected override NiceSpec Nice => new(
        $"tensor-reduced nu={BodyOrder} K={SpeciesRank} tutorial widths, hea256",
        new NiceParameters
        {
            Density = SoapRows,
            BodyOrder = BodyOrder,
            Steps = [NiceStep.Tutorial],
            SpeciesMode = NiceSpeciesMode.TensorReduced,
            SpeciesRank = SpeciesRank,
        },
        () => BenchData.Frames("hea256"));
}
