using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Specialized.Angular;
using Specialized.Features;
using Specialized.Numerics;
using Specialized.Radial;

namespace Specialized.Density;

/// <summary>
/// ν=1 density coefficients of each centre (MATH §3.1):
/// <code>
///   c^i_{a n l m} = Σ_{(j,S) ∈ nl(i), a_j = a} F(r_ij) I_nl(r_ij) Y_lm(r̂_ij)  +  δ_{a a_i} w_c F(0) Y_00 I_n0(0)
/// </code>
/// stored in the <see cref="ExpansionLayout"/> order (l, m, a, n), which is featomic's column order.
/// Per-pair gradients (MATH §3.4) with respect to the pair vector v = r_ij:
/// <code>
///   ∂/∂v_d [F I_nl Y_lm] = (F' I_nl + F I'_nl) Y_lm v̂_d + F I_nl ∂Y_lm/∂v_d
/// </code>
/// are written in the single-species per-pair layout [d][PairIndex(l, m, n)] (species a_j implied).
/// </summary>
public sealed class SphericalExpansion
{
    private readonly double[] _selfTerm; // w_c F(0) Y_00 I_n0(0), n < N_0
    private readonly int[] _radialOffsets; // Radial.Offset(l), read per pair without an interface call

    /// <summary>Builds the radial integrals (splined if requested) for the given hyperparameters and species.</summary>
    public SphericalExpansion(SoapParameters parameters, SpeciesList species)
    {
        parameters.Validate();
        Parameters = parameters;
        Species = species;
        Radial = RadialIntegrals.Create(parameters.Basis, parameters.RadialCount, parameters.LMax,
            parameters.Cutoff, parameters.DensityWidth, parameters.SplineAccuracy);
        Layout = ExpansionLayout.For(Radial, species.Count);
        Weight = parameters.CreatePairWeight();
        _radialOffsets = [.. Enumerable.Range(0, Layout.LMax + 1).Select(Radial.Offset)];

        var i0 = new double[Radial.TotalCount];
        Radial.Compute(0.0, i0, []);
        double f0 = Weight.Value(0.0);
        double y00 = 0.5 / Math.Sqrt(Math.PI);
        _selfTerm = new double[Layout.RadialCount(0)];
        for (int n = 0; n < _selfTerm.Length; n++)
            _selfTerm[n] = parameters.CenterWeight * f0 * y00 * i0[Radial.Offset(0) + n];
    }

    /// <summary>Hyperparameters.</summary>
    public SoapParameters Parameters { get; }
    /// <summary>Species channels.</summary>
    public SpeciesList Species { get; }
    /// <summary>Radial integrals I_nl(r).</summary>
    public IRadialIntegral Radial { get; }
    /// <summary>Coefficient layout.</summary>
    public ExpansionLayout Layout { get; }
    /// <summary>F(r) = u(r) f_c(r).</summary>
    public PairWeight Weight { get; }
    /// <summary>Largest angular channel.</summary>
    public int LMax => Layout.LMax;

    /// <summary>Scratch buffers for one thread.</summary>
    public sealed class Scratch
    {
        internal Scratch(SphericalExpansion e)
        {
            int sh = SphericalHarmonics.Count(e.LMax);
            Radial = new double[e.Radial.TotalCount];
            RadialDerivative = new double[e.Radial.TotalCount];
            RadialProductDerivative = new double[e.Radial.TotalCount];
            Harmonics = new double[sh];
            HarmonicGradients = new double[3 * sh];
        }

        internal readonly double[] Radial, RadialDerivative, Harmonics, HarmonicGradients;
        internal readonly double[] RadialProductDerivative; // d(F I_nl)/dr = F' I_nl + F I'_nl
    }

    /// <summary>Creates scratch buffers for one thread.</summary>
    public Scratch CreateScratch() => new(this);

    /// <summary>
    /// Computes c^i into <paramref name="coefficients"/> (length Layout.Size) and, if
    /// <paramref name="pairGradients"/> is non-empty, the per-pair gradients as
    /// [local pair q][d][PairIndex] (length PairCount(i) · 3 · Layout.PairSize).
    /// </summary>
    public void ComputeCentre(StructureContext context, int centre, Span<double> coefficients, Span<double> pairGradients, Scratch scratch)
    {
        var layout = Layout;
        coefficients[..layout.Size].Clear();
        bool gradients = !pairGradients.IsEmpty;
        int pairSize = layout.PairSize;
        int sh = scratch.Harmonics.Length;
        var nl = context.Neighbors;
        int start = nl.Offsets[centre], end = nl.Offsets[centre + 1];
        var vectors = nl.Vectors;
        var distances = nl.Distances;
        var neighbors = nl.Neighbors;

        for (int p = start; p < end; p++)
        {
            double x = vectors[3 * p], y = vectors[3 * p + 1], z = vectors[3 * p + 2], r = distances[p];
            int b = context.SpeciesIndex[neighbors[p]];
            Weight.Evaluate(r, out double f, out double df);
            var radial = scratch.Radial;
            var dRadial = scratch.RadialDerivative;
            var ylm = scratch.Harmonics;
            var dYlm = scratch.HarmonicGradients;
            if (gradients)
            {
                Radial.Compute(r, radial, dRadial);
                SphericalHarmonics.ComputeWithGradients(LMax, x, y, z, ylm, dYlm);
            }
            else
            {
                Radial.Compute(r, radial, []);
                SphericalHarmonics.Compute(LMax, x, y, z, ylm);
            }

            // c_{b l m ·} += F Y_lm I_{· l}: one radial vector per (l, m)
            for (int l = 0; l <= LMax; l++)
            {
                var radialL = radial.AsSpan(_radialOffsets[l], layout.RadialCount(l));
                int step = layout.SpeciesCount * radialL.Length;
                AccumulateRadial(f, ylm.AsSpan(l * l, 2 * l + 1), radialL, coefficients[layout.Index(l, -l, b, 0)..], step);
            }

            if (!gradients) continue;
            // ∂/∂v_d [F I_nl Y_lm] = (F I_nl)' · Y_lm v̂_d + F ∂Y_lm/∂v_d · I_nl
            var dProduct = scratch.RadialProductDerivative;
            for (int k = 0; k < dProduct.Length; k++) dProduct[k] = df * radial[k] + f * dRadial[k];
            var g = pairGradients.Slice((p - start) * 3 * pairSize, 3 * pairSize);
            double inv = 1.0 / r;
            for (int d = 0; d < 3; d++)
            {
                double vHat = (d == 0 ? x : d == 1 ? y : z) * inv;
                var gd = g.Slice(d * pairSize, pairSize);
                for (int l = 0; l <= LMax; l++)
                {
                    int nCount = layout.RadialCount(l), rOff = _radialOffsets[l];
                    var radialL = radial.AsSpan(rOff, nCount);
                    var dProductL = dProduct.AsSpan(rOff, nCount);
                    int o = layout.PairIndex(l, -l, 0);
                    for (int m = -l; m <= l; m++, o += nCount)
                    {
                        int lm = l * l + l + m;
                        VectorMath.LinearCombination(ylm[lm] * vHat, dProductL, f * dYlm[d * sh + lm], radialL, gd.Slice(o, nCount));
                    }
                }
            }
        }

        int self = context.SpeciesIndex[centre];
        for (int n = 0; n < _selfTerm.Length; n++) coefficients[layout.Index(0, 0, self, n)] += _selfTerm[n];
    }

    /// <summary>
    /// c[k·step + n] += (f · y[k]) · radial[n] for k &lt; y.Length, n &lt; radial.Length: the element-wise
    /// expression of <see cref="VectorMath.Axpy"/> (bitwise the same), with the radial vector held in
    /// registers across the 2l + 1 values of m.
    /// </summary>
    private static void AccumulateRadial(double f, ReadOnlySpan<double> y, ReadOnlySpan<double> radial, Span<double> c, int step)
    {
        int nl = radial.Length, count = y.Length;
        if (count == 0 || nl == 0) return;
        c = c[..((count - 1) * step + nl)];
        int width = Vector<double>.Count;
        if (!Vector.IsHardwareAccelerated || nl != 2 * width)
        {
            for (int k = 0; k < count; k++) VectorMath.Axpy(f * y[k], radial, c.Slice(k * step, nl));
            return;
        }
        var r0 = new Vector<double>(radial);
        var r1 = new Vector<double>(radial[width..]);
        ref double dst = ref MemoryMarshal.GetReference(c); // bounds: c holds (count − 1)·step + nl elements
        for (int k = 0; k < count; k++)
        {
            var a = new Vector<double>(f * y[k]);
            ref double row = ref Unsafe.Add(ref dst, k * step);
            (Vector.LoadUnsafe(ref row) + a * r0).StoreUnsafe(ref row);
            (Vector.LoadUnsafe(ref row, (nuint)width) + a * r1).StoreUnsafe(ref row, (nuint)width);
        }
    }
}
