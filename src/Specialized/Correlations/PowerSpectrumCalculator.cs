using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Specialized.Density;
using Specialized.Features;
using Specialized.Numerics;

namespace Specialized.Correlations;

/// <summary>
/// SOAP power spectrum with featomic's normalisation (MATH §4.2):
/// <code>
///   p^i_{a1 a2; l n1 n2} = s_{a1 a2} (−1)^l / √(2l+1) Σ_m c^i_{a1 n1 l m} c^i_{a2 n2 l m},   s = √2 if a1 ≠ a2 else 1
/// </code>
/// stored for a1 ≤ a2 only, columns (neighbor_1_type, neighbor_2_type, l, n_1, n_2) with the
/// species pair slowest and n_2 fastest; p equals the λ=0 CG product c ⊗_0 c, and the √2 makes
/// dot products equal those of the full (a1, a2) + (a2, a1) product.
/// Pair gradient, b = a_j, g = ∂c/∂v of the pair (one species), computed through the products
/// M^a_{l n1 n2} = Σ_m g_{l m n1} c_{a n2 l m} (one per species a, each used by the blocks (b, a) and (a, b);
/// all species in one product per l, because the l block of c is a (2l+1) × (A·N_l) matrix):
/// <code>
///   ∂p_{a1 a2; l n1 n2}/∂v = s f_l Σ_m (δ_{a1 b} g_{l m n1} c_{a2 n2 l m} + δ_{a2 b} c_{a1 n1 l m} g_{l m n2})
///                          = s f_l (δ_{a1 b} M^{a2}_{l n1 n2} + δ_{a2 b} M^{a1}_{l n2 n1})
/// </code>
/// so only the A species-pair blocks containing b are non-zero (<see cref="PairGradientColumns"/>).
/// </summary>
public sealed class PowerSpectrumCalculator : IFeatureCalculator
{
    private readonly int[] _lOffsets;   // within one species pair: Σ_{l'<l} N_l'²
    private readonly int _pairBlock;    // Σ_l N_l²
    private readonly (int A1, int A2)[] _speciesPairs;
    private readonly ColumnRange[][] _gradientColumns; // [b] → blocks of the species pairs containing b

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
        _gradientColumns = new ColumnRange[species.Count][];
        for (int b = 0; b < species.Count; b++)
            _gradientColumns[b] = ColumnRange.Normalise(Enumerable.Range(0, _speciesPairs.Length)
                .Where(s => _speciesPairs[s].A1 == b || _speciesPairs[s].A2 == b)
                .Select(s => new ColumnRange(s * _pairBlock, _pairBlock)));

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

    /// <inheritdoc/>
    public ColumnRange[] PairGradientColumns(int neighbourSpecies) => _gradientColumns[neighbourSpecies];

    private sealed class Worker(PowerSpectrumCalculator owner) : ExpansionWorker(owner.Expansion, owner.FeatureCount)
    {
        private readonly double[] _products = new double[owner.Expansion.Layout.SpeciesCount * owner._pairBlock];
        private (int Lo, int Span) _present; // of the centre whose values were written last

        protected override void WriteValues(StructureContext context, int centre, Span<double> values)
        {
            var layout = owner.Expansion.Layout;
            int stride = layout.SpeciesCount;   // m-stride of c in units of N_l
            var c = Buffers.Coefficients;
            var present = Buffers.PresentSpecies(context, centre);
            _present = PresentRange(present);
            values[..owner.FeatureCount].Clear();
            for (int s = 0; s < owner._speciesPairs.Length; s++)
            {
                var (a1, a2) = owner._speciesPairs[s];
                if (!present[a1] || !present[a2]) continue; // c_{a} = 0 exactly: the block stays 0
                for (int l = 0; l <= layout.LMax; l++)
                {
                    int nl = layout.RadialCount(l);
                    VectorMath.AccumulateOuterProducts(c.AsSpan(layout.Index(l, -l, a1, 0)), stride * nl, c.AsSpan(layout.Index(l, -l, a2, 0)), stride * nl,
                        2 * l + 1, nl, nl, owner.Scale(a1, a2, l), values.Slice(owner.Column(s, l, 0, 0), nl * nl));
                }
            }
        }

        protected override void WritePairGradient(StructureContext context, int centre, int b, ReadOnlySpan<double> g, Span<double> gradient)
        {
            var layout = owner.Expansion.Layout;
            int f = owner.FeatureCount, ps = layout.PairSize, species = layout.SpeciesCount;
            // every non-zero c_a of this centre has lo ≤ a < lo + span (molecules: a few of 14 channels)
            var (lo, span) = _present;
            var c = Buffers.Coefficients;
            var products = _products.AsSpan();
            for (int d = 0; d < 3; d++)
            {
                var gd = g.Slice(d * ps, ps);
                var dst = gradient.Slice(d * f, f);
                // P_l[n1][a − lo][n2] = M^a_{l n1 n2} = Σ_m g_{l m n1} c_{a l m n2}: all species at once, since c's
                // l block is a (2l+1) × (A·N_l) matrix
                products.Clear();
                for (int l = 0; l <= layout.LMax; l++)
                {
                    int nl = layout.RadialCount(l);
                    VectorMath.AccumulateOuterProducts(gd[layout.PairIndex(l, -l, 0)..], nl, c.AsSpan(layout.Index(l, -l, lo, 0)), species * nl,
                        2 * l + 1, nl, span * nl, 1.0, products.Slice(span * owner._lOffsets[l], nl * span * nl));
                }
                // only the blocks (a1, a2) with b ∈ {a1, a2} are non-zero; each is written once
                for (int s = 0; s < owner._speciesPairs.Length; s++)
                {
                    var (a1, a2) = owner._speciesPairs[s];
                    if (a1 != b && a2 != b) continue;
                    int partner = a1 == b ? a2 : a1;
                    for (int l = 0; l <= layout.LMax; l++)
                    {
                        int nl = layout.RadialCount(l);
                        var output = dst.Slice(owner.Column(s, l, 0, 0), nl * nl);
                        if (partner < lo || partner >= lo + span)
                        {
                            output.Clear(); // M^{partner} = 0
                            continue;
                        }
                        var p = products.Slice(span * owner._lOffsets[l], nl * span * nl);
                        double scale = owner.Scale(a1, a2, l);
                        if (a1 == b) // s M^{a2} (+ s (M^{a2})ᵀ when a1 = a2 = b)
                            WriteScaled(scale, p, a2 - lo, span, a2 == b, nl, output);
                        else         // s (M^{a1})ᵀ
                            WriteScaledTranspose(scale, p, a1 - lo, span, nl, output);
                    }
                }
            }
        }

        /// <summary>The smallest channel range [lo, lo + span) holding every present species.</summary>
        private static (int Lo, int Span) PresentRange(ReadOnlySpan<bool> present)
        {
            int lo = present.IndexOf(true), hi = present.LastIndexOf(true);
            return (lo, hi - lo + 1);
        }
    }

    /// <summary>
    /// output = scale · M^a, or scale · (M^a + (M^a)ᵀ) when <paramref name="symmetrise"/>, where
    /// M^a[n1, n2] = p[(n1·species + a)·n + n2] (the [n1][a][n2] product layout over <paramref name="species"/> channels).
    /// </summary>
    private static void WriteScaled(double scale, ReadOnlySpan<double> p, int a, int species, bool symmetrise, int n, Span<double> output)
    {
        // Bounds: every M^a element read lies in p[a·n, ((n − 1)·species + a + 1)·n), every write in output[0, n²).
        p = p[..(((n - 1) * species + a + 1) * n)];
        output = output[..(n * n)];
        ref double src = ref MemoryMarshal.GetReference(p);
        ref double dst = ref MemoryMarshal.GetReference(output);
        int rowStride = species * n;
        if (symmetrise)
        {
            for (int n1 = 0; n1 < n; n1++)
            {
                ref double mRow = ref Unsafe.Add(ref src, (n1 * species + a) * n);
                ref double mColumn = ref Unsafe.Add(ref src, a * n + n1);
                ref double row = ref Unsafe.Add(ref dst, n1 * n);
                for (int n2 = 0; n2 < n; n2++)
                    Unsafe.Add(ref row, n2) = scale * (Unsafe.Add(ref mRow, n2) + Unsafe.Add(ref mColumn, n2 * rowStride));
            }
            return;
        }
        for (int n1 = 0; n1 < n; n1++)
            VectorMath.Scale(scale, p.Slice((n1 * species + a) * n, n), output.Slice(n1 * n, n));
    }

    /// <summary>output = scale · (M^a)ᵀ, M^a as in <see cref="WriteScaled"/>.</summary>
    private static void WriteScaledTranspose(double scale, ReadOnlySpan<double> p, int a, int species, int n, Span<double> output)
    {
        p = p[..(((n - 1) * species + a + 1) * n)];
        output = output[..(n * n)];
        ref double src = ref MemoryMarshal.GetReference(p);
        ref double dst = ref MemoryMarshal.GetReference(output);
        int rowStride = species * n;
        // output[n1, n2] = scale · M^a[n2, n1]: read M^a row by row (contiguous), write output columns.
        for (int n2 = 0; n2 < n; n2++)
        {
            ref double mRow = ref Unsafe.Add(ref src, (n2 * species + a) * n);
            ref double column = ref Unsafe.Add(ref dst, n2);
            for (int n1 = 0; n1 < n; n1++)
                Unsafe.Add(ref column, n1 * n) = scale * Unsafe.Add(ref mRow, n1);
        }
    }

    /// <summary>s_{a1 a2} (−1)^l / √(2l+1).</summary>
    private double Scale(int a1, int a2, int l) => (a1 == a2 ? 1.0 : Math.Sqrt(2.0)) * ((l & 1) == 0 ? 1.0 : -1.0) / Math.Sqrt(2 * l + 1);
}
