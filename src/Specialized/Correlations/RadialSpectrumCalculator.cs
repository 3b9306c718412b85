using Specialized.Density;
using Specialized.Features;

namespace Specialized.Correlations;

/// <summary>
/// Radial spectrum (ν=1 invariants, featomic's SoapRadialSpectrum): the l = 0 coefficients
/// r^i_{a n} = c^i_{a n 0 0}, columns (neighbor_type, n). Computed with an l_max = 0 expansion.
/// </summary>
public sealed class RadialSpectrumCalculator : IFeatureCalculator
{
    /// <summary>Creates the calculator (the l_max of <paramref name="parameters"/> is ignored).</summary>
    public RadialSpectrumCalculator(SoapParameters parameters, SpeciesList species)
    {
        Inner = new SphericalExpansionCalculator(parameters with { LMax = 0 }, species);
        var layout = Inner.Expansion.Layout;
        var labels = new int[layout.Size][];
        for (int a = 0; a < species.Count; a++)
            for (int n = 0; n < layout.RadialCount(0); n++)
                labels[layout.Index(0, 0, a, n)] = [species.AtomicNumbers[a], n];
        Properties = new FeatureLabels(["neighbor_type", "n"], labels);
    }

    private SphericalExpansionCalculator Inner { get; }
    /// <inheritdoc/>
    public SpeciesList Species => Inner.Species;
    /// <inheritdoc/>
    public string Name => "radial-spectrum";
    /// <inheritdoc/>
    public double Cutoff => Inner.Cutoff;
    /// <inheritdoc/>
    public int FeatureCount => Inner.FeatureCount;
    /// <inheritdoc/>
    public int ComponentCount => 1;
    /// <inheritdoc/>
    public FeatureLabels Properties { get; }
    /// <inheritdoc/>
    public ICentreWorker CreateWorker() => Inner.CreateWorker();
    /// <inheritdoc/>
    public ColumnRange[] PairGradientColumns(int neighbourSpecies) => Inner.PairGradientColumns(neighbourSpecies);
}
