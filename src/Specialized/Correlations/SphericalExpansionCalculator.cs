using Specialized.Density;
using Specialized.Features;

namespace Specialized.Correlations;

/// <summary>
/// The ν=1 spherical expansion as a feature vector per centre, columns in featomic's order
/// (o3_lambda = l, o3_mu = m, neighbor_type, n). Pair gradients are scattered from the
/// single-species per-pair layout into the columns of species a_j, the only non-zero ones.
/// </summary>
public sealed class SphericalExpansionCalculator : IFeatureCalculator
{
    /// <summary>Creates the calculator.</summary>
    public SphericalExpansionCalculator(SoapParameters parameters, SpeciesList species)
    {
        Expansion = new SphericalExpansion(parameters, species);
        var layout = Expansion.Layout;
        var labels = new int[layout.Size][];
        for (int l = 0; l <= layout.LMax; l++)
            for (int m = -l; m <= l; m++)
                for (int a = 0; a < species.Count; a++)
                    for (int n = 0; n < layout.RadialCount(l); n++)
                        labels[layout.Index(l, m, a, n)] = [l, m, species.AtomicNumbers[a], n];
        Properties = new FeatureLabels(["o3_lambda", "o3_mu", "neighbor_type", "n"], labels);
        _gradientColumns = new ColumnRange[species.Count][];
        for (int b = 0; b < species.Count; b++)
        {
            var ranges = new List<ColumnRange>();
            for (int l = 0; l <= layout.LMax; l++)
                for (int m = -l; m <= l; m++) ranges.Add(new ColumnRange(layout.Index(l, m, b, 0), layout.RadialCount(l)));
            _gradientColumns[b] = ColumnRange.Normalise(ranges);
        }
    }

    private readonly ColumnRange[][] _gradientColumns; // [b] → columns (l, m, b, ·)

    /// <summary>The underlying expansion.</summary>
    public SphericalExpansion Expansion { get; }
    /// <inheritdoc/>
    public SpeciesList Species => Expansion.Species;
    /// <inheritdoc/>
    public string Name => "spherical-expansion";
    /// <inheritdoc/>
    public double Cutoff => Expansion.Parameters.Cutoff;
    /// <inheritdoc/>
    public int FeatureCount => Expansion.Layout.Size;
    /// <inheritdoc/>
    public int ComponentCount => 1;
    /// <inheritdoc/>
    public FeatureLabels Properties { get; }

    /// <inheritdoc/>
    public ICentreWorker CreateWorker() => new Worker(this);

    /// <inheritdoc/>
    public ColumnRange[] PairGradientColumns(int neighbourSpecies) => _gradientColumns[neighbourSpecies];

    private sealed class Worker(SphericalExpansionCalculator owner) : ExpansionWorker(owner.Expansion, owner.FeatureCount)
    {
        protected override void WriteValues(StructureContext context, int centre, Span<double> values) => Buffers.Coefficients.CopyTo(values);

        protected override void WritePairGradient(StructureContext context, int centre, int b, ReadOnlySpan<double> g, Span<double> gradient)
        {
            var layout = owner.Expansion.Layout;
            int ps = layout.PairSize, f = layout.Size;
            for (int d = 0; d < 3; d++)
            {
                var src = g.Slice(d * ps, ps);
                var dst = gradient.Slice(d * f, f);
                for (int l = 0; l <= layout.LMax; l++)
                {
                    int nCount = layout.RadialCount(l);
                    for (int m = -l; m <= l; m++)
                        src.Slice(layout.PairIndex(l, m, 0), nCount).CopyTo(dst.Slice(layout.Index(l, m, b, 0), nCount));
                }
            }
        }
    }
}
