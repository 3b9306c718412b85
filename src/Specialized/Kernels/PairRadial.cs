using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Specialized.Radial;

namespace Specialized.Kernels;

/// <summary>
/// The radial part of one pair for a generated kernel: R_nl(r) = F(r) I_nl(r) and dR/dr = F' I + F I'
/// in the flattened (l, n) layout, F the pair weight (cutoff × radial scaling). For the usual
/// <see cref="SplinedRadialIntegral"/>, F is folded into the four Hermite weights (MATH §3.5), so one
/// vectorised pass over the knot data gives both arrays:
/// <code>
///   F I  = (F h00) p_k + (F h10 Δ) m_k + (F h01) p_{k+1} + (F h11 Δ) m_{k+1}
///   (F I)' = (F' h00 + F d00) p_k + (F' h10 Δ + F d10) m_k + (F' h01 − F d00) p_{k+1} + (F' h11 Δ + F d11) m_{k+1}
///   d00 = 6(t² − t)/Δ,  d10 = 3t² − 4t + 1,  d11 = 3t² − 2t
/// </code>
/// Other radial integrals are evaluated through <see cref="IRadialIntegral"/> and scaled.
/// </summary>
internal sealed class PairRadial
{
    private readonly IRadialIntegral _radial;
    private readonly SplinedRadialIntegral? _spline;
    private readonly PairWeight _weight;
    private readonly int _total;
    private readonly int _intervals;
    private readonly double _spacing;
    private readonly double _inverseSpacing;
    private readonly double[] _exact;
    private readonly double[] _exactDerivatives;

    public PairRadial(IRadialIntegral radial, PairWeight weight)
    {
        _radial = radial;
        _spline = radial as SplinedRadialIntegral;
        _weight = weight;
        _total = radial.TotalCount;
        if (_spline is { } s)
        {
            _intervals = s.KnotCount - 1;
            _spacing = s.Cutoff / _intervals;
            _inverseSpacing = _intervals / s.Cutoff;
        }
        _exact = new double[_total];
        _exactDerivatives = new double[_total];
    }

    /// <summary>A copy with its own scratch (one per thread).</summary>
    public PairRadial Clone() => new(_radial, _weight);

    /// <summary>values = F I(r); when <paramref name="derivatives"/> is not empty, derivatives = d(F I)/dr. 0 ≤ r ≤ cutoff.</summary>
    public void Evaluate(double r, Span<double> values, Span<double> derivatives)
    {
        _weight.Evaluate(r, out double f, out double df);
        if (_spline is null)
        {
            EvaluateGeneric(r, f, df, values, derivatives);
            return;
        }
        if (!(r >= 0) || r > _spline.Cutoff) throw new ArgumentOutOfRangeException(nameof(r), r, $"the spline covers [0, {_spline.Cutoff}]");
        int n = _total;
        if (values.Length < n || (!derivatives.IsEmpty && derivatives.Length < n)) throw new ArgumentException("radial buffers too short");
        double u = r * _inverseSpacing;
        int k = (int)u;
        if (k >= _intervals) k = _intervals - 1;
        double t = u - k, t2 = t * t, t3 = t2 * t;
        double h00 = 2 * t3 - 3 * t2 + 1, h10 = (t3 - 2 * t2 + t) * _spacing, h01 = -2 * t3 + 3 * t2, h11 = (t3 - t2) * _spacing;
        var data = _spline.KnotData.Slice(2 * k * n, 4 * n);
        ref double p0 = ref MemoryMarshal.GetReference(data);
        ref double m0 = ref Unsafe.Add(ref p0, n);
        ref double p1 = ref Unsafe.Add(ref p0, 2 * n);
        ref double m1 = ref Unsafe.Add(ref p0, 3 * n);
        Hermite(n, f * h00, f * h10, f * h01, f * h11, ref p0, ref m0, ref p1, ref m1, ref MemoryMarshal.GetReference(values));
        if (derivatives.IsEmpty) return;
        double d00 = 6 * (t2 - t) * _inverseSpacing, d10 = 3 * t2 - 4 * t + 1, d11 = 3 * t2 - 2 * t;
        Hermite(n, df * h00 + f * d00, df * h10 + f * d10, df * h01 - f * d00, df * h11 + f * d11,
            ref p0, ref m0, ref p1, ref m1, ref MemoryMarshal.GetReference(derivatives));
    }

    /// <summary>dst[i] = a p0[i] + b m0[i] + c p1[i] + d m1[i], i &lt; n (fused multiply–adds with AVX2+FMA).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Hermite(int n, double a, double b, double c, double d,
        ref double p0, ref double m0, ref double p1, ref double m1, ref double dst)
    {
        int i = 0;
        if (Fma.IsSupported)
        {
            var va = Vector256.Create(a);
            var vb = Vector256.Create(b);
            var vc = Vector256.Create(c);
            var vd = Vector256.Create(d);
            for (; i <= n - 4; i += 4)
            {
                nuint o = (nuint)i;
                var v = Fma.MultiplyAdd(vd, Vector256.LoadUnsafe(ref m1, o), Fma.MultiplyAdd(vc, Vector256.LoadUnsafe(ref p1, o),
                    Fma.MultiplyAdd(vb, Vector256.LoadUnsafe(ref m0, o), va * Vector256.LoadUnsafe(ref p0, o))));
                v.StoreUnsafe(ref dst, o);
            }
        }
        else if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = new Vector<double>(a);
            var vb = new Vector<double>(b);
            var vc = new Vector<double>(c);
            var vd = new Vector<double>(d);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                nuint o = (nuint)i;
                var v = va * Vector.LoadUnsafe(ref p0, o) + vb * Vector.LoadUnsafe(ref m0, o)
                    + vc * Vector.LoadUnsafe(ref p1, o) + vd * Vector.LoadUnsafe(ref m1, o);
                Vector.StoreUnsafe(v, ref dst, o);
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref dst, i) = a * Unsafe.Add(ref p0, i) + b * Unsafe.Add(ref m0, i) + c * Unsafe.Add(ref p1, i) + d * Unsafe.Add(ref m1, i);
    }

    private void EvaluateGeneric(double r, double f, double df, Span<double> values, Span<double> derivatives)
    {
        bool gradients = !derivatives.IsEmpty;
        _radial.Compute(r, _exact, gradients ? _exactDerivatives : []);
        for (int k = 0; k < _total; k++) values[k] = f * _exact[k];
        if (!gradients) return;
        for (int k = 0; k < _total; k++) derivatives[k] = df * _exact[k] + f * _exactDerivatives[k];
    }
}
