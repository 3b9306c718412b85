using Specialized.Density;
using Specialized.Features;

namespace Specialized.Correlations;

/// <summary>
/// SOAP power spectrum with featomic's normalisation (MATH §4.2):
/// <code>
///   p^i_{a1 a2; l n1 n2} = s_{a1 a2} (−1)^l / √(2l+1) Σ_m c^i_{a1 n1 l m} c^i_{a2 n2 l m},   s = √2 if a1 ≠ a2 else 1
/// </code>
/// stored for a1 ≤ a2 only, columns (neighbor_1_type, neighbor_2_type, l, n_1, n_2) with the
/// species pair slowest and n_2 fastest; p equals the λ=0 CG product c ⊗_0 c, and the √2 makes
/// dot products equal those of the full (a1, a2) + (a2, a1) product.
/// Pair gradient: ∂p/∂v = s f_l Σ_m (δ_{a1 b} g_{l m n1} c_{a2 n2 l m} + δ_{a2 b} c_{a1 n1 l m} g_{l m n2}), b = a_j.
/// </summary>
public sealed class PowerSpectrumCalculator : IFeatureCalculator
{
    private readonly int[] _lOffsets;   // within one species pair: Σ_{l'<l} N_l'²
    private readonly int _pairBlock;    // Σ_l N_l²
    private readonly (int A1, int A2)[] _speciesPairs;

    /// <summary>Creates the calculator.</summary>
    public PowerSpectrumCalculator(SoapParameters parameters, SpeciesList species)
    {
        Expansion = new SphericalExpansion(parameters, species);
        var layout = Expansion.Layout;
        _lOffsets = new int[layout.LMax + 2];
        for (int l = 0; l <= layout.LMax; l++) _lOffsets[l + 1] = _lOffsets[l] + layout.RadialCount(l) * layout.RadialCount(l);
        _pairBlock = _lOffsets[layout.LMax + 1];
        var pairs = new List<(int, int)>();
        for (int a1 = 0; a1 < species.Count; a1++)
            for (int a2 = a1; a2 < species.Count; a2++) pairs.Add((a1, a2));
        _speciesPairs = [.. pairs];

        var labels = new int[_speciesPairs.Length * _pairBlock][];
        for (int s = 0; s < _speciesPairs.Length; s++)
            for (int l = 0; l <= layout.LMax; l++)
            {
                int nl = layout.RadialCount(l);
                for (int n1 = 0; n1 < nl; n1++)
                    for (int n2 = 0; n2 < nl; n2++)
                        labels[Column(s, l, n1, n2)] =
                            [species.AtomicNumbers[_speciesPairs[s].A1], species.AtomicNumbers[_speciesPairs[s].A2], l, n1, n2];
            }
        Properties = new FeatureLabels(["neighbor_1_type", "neighbor_2_type", "l", "n_1", "n_2"], labels);
    }

    /// <summary>The ν=1 expansion the spectrum is built from.</summary>
    public SphericalExpansion Expansion { get; }
    /// <inheritdoc/>
    public SpeciesList Species => Expansion.Species;
    /// <inheritdoc/>
    public string Name => "power-spectrum";
    /// <inheritdoc/>
    public double Cutoff => Expansion.Parameters.Cutoff;
    /// <inheritdoc/>
    public int FeatureCount => _speciesPairs.Length * _pairBlock;
    /// <inheritdoc/>
    public int ComponentCount => 1;
    /// <inheritdoc/>
    public FeatureLabels Properties { get; }

    private int Column(int speciesPair, int l, int n1, int n2) =>
        speciesPair * _pairBlock + _lOffsets[l] + n1 * Expansion.Layout.RadialCount(l) + n2;

    /// <inheritdoc/>
    public ICentreWorker CreateWorker() => new Worker(this);

    private sealed class Worker(PowerSpectrumCalculator owner) : ICentreWorker
    {
        private readonly SphericalExpansion.Scratch _scratch = owner.Expansion.CreateScratch();
        private readonly double[] _c = new double[owner.Expansion.Layout.Size];
        private double[] _g = [];

        public void Compute(StructureContext context, int centre, Span<double> values, Span<double> pairGradients)
        {
            var layout = owner.Expansion.Layout;
            int pairs = context.PairCount(centre);
            int ps = layout.PairSize;
            bool gradients = !pairGradients.IsEmpty;
            if (gradients && _g.Length < pairs * 3 * ps) _g = new double[pairs * 3 * ps];
            owner.Expansion.ComputeCentre(context, centre, _c, gradients ? _g.AsSpan(0, pairs * 3 * ps) : [], _scratch);
            var c = _c;

            for (int s = 0; s < owner._speciesPairs.Length; s++)
            {
                var (a1, a2) = owner._speciesPairs[s];
                double pairScale = a1 == a2 ? 1.0 : Math.Sqrt(2.0);
                for (int l = 0; l <= layout.LMax; l++)
                {
                    int nl = layout.RadialCount(l);
                    double scale = pairScale * ((l & 1) == 0 ? 1.0 : -1.0) / Math.Sqrt(2 * l + 1);
                    for (int n1 = 0; n1 < nl; n1++)
                        for (int n2 = 0; n2 < nl; n2++)
                        {
                            double sum = 0;
                            for (int m = -l; m <= l; m++)
                                sum += c[layout.Index(l, m, a1, n1)] * c[layout.Index(l, m, a2, n2)];
                            values[owner.Column(s, l, n1, n2)] = scale * sum;
                        }
                }
            }

            if (!gradients) return;
            int f = owner.FeatureCount;
            pairGradients[..(pairs * 3 * f)].Clear();
            int start = context.Neighbors.Offsets[centre];
            for (int q = 0; q < pairs; q++)
            {
                int b = context.SpeciesIndex[context.Neighbors.Neighbors[start + q]];
                for (int d = 0; d < 3; d++)
                {
                    var g = _g.AsSpan((q * 3 + d) * ps, ps);
                    var dst = pairGradients.Slice((q * 3 + d) * f, f);
                    for (int s = 0; s < owner._speciesPairs.Length; s++)
                    {
                        var (a1, a2) = owner._speciesPairs[s];
                        if (a1 != b && a2 != b) continue;
                        double pairScale = a1 == a2 ? 1.0 : Math.Sqrt(2.0);
                        for (int l = 0; l <= layout.LMax; l++)
                        {
                            int nl = layout.RadialCount(l);
                            double scale = pairScale * ((l & 1) == 0 ? 1.0 : -1.0) / Math.Sqrt(2 * l + 1);
                            for (int n1 = 0; n1 < nl; n1++)
                                for (int n2 = 0; n2 < nl; n2++)
                                {
                                    double sum = 0;
                                    for (int m = -l; m <= l; m++)
                                    {
                                        if (a1 == b) sum += g[layout.PairIndex(l, m, n1)] * c[layout.Index(l, m, a2, n2)];
                                        if (a2 == b) sum += c[layout.Index(l, m, a1, n1)] * g[layout.PairIndex(l, m, n2)];
                                    }
                                    dst[owner.Column(s, l, n1, n2)] = scale * sum;
                                }
                        }
                    }
                }
            }
        }
    }
}
