namespace Specialized.Radial;

/// <summary>
/// Laplacian-eigenstate (spherical Bessel) radial basis with a δ atomic density (Bigi et al., JCP 157,
/// 234101 (2022); featomic <c>LaplacianEigenstate</c>; MATH §3.3). With a δ density the radial integral is
/// the basis function itself:
/// <code>
/// I_nl(r) = R_nl(r) = 𝒩_nl j_l(z_nl r / r_c),   𝒩_nl = √(2/r_c³) / |j_{l+1}(z_nl)|     (∫_0^{r_c} r² R_nl R_n'l dr = δ_nn')
/// dI_nl/dr = 𝒩_nl (z_nl/r_c) j_l'(x),  j_l'(x) = (l/x) j_l(x) − j_{l+1}(x)  (j_l'(0) = ⅓ δ_l1)
/// </code>
/// where z_nl is the (n+1)-th positive zero of j_l and E_nl = (z_nl/r_c)² the Laplacian eigenvalue.
/// <para>Selection (featomic): with N_0 = featomic max_radial + 1 functions for l = 0, E_max = E_{N_0−1,0} =
/// (N_0 π / r_c)², and every (n, l) with E_nl ≤ E_max is kept, i.e. z_nl ≤ N_0 π. The basis is ragged:
/// Count(l) decreases with l, and the natural l_max is the largest l with at least one function. An explicit
/// l_max cap truncates the channels further (it never adds empty channels).</para>
/// <para>Zeros: those of j_0 are kπ; the zeros of j_l interlace those of j_{l−1}, so the n-th zero of j_l is
/// bracketed by the n-th and (n+1)-th zeros of j_{l−1} and found by safeguarded Newton–bisection to full
/// double precision.</para>
/// </summary>
public sealed class LaplacianEigenstateRadialIntegral : IRadialIntegral
{
    private readonly int[] _offsets; // _offsets[l] = Σ_{l'<l} Count(l'), length MaxAngular + 2
    private readonly double[] _zeros; // z_nl at Offset(l) + n
    private readonly double[] _normalization; // 𝒩_nl at Offset(l) + n

    /// <summary>Number of functions for l = 0 (featomic max_radial + 1); sets E_max.</summary>
    public int RadialCount { get; }

    /// <inheritdoc/>
    public int MaxAngular { get; }

    /// <inheritdoc/>
    public double Cutoff { get; }

    /// <inheritdoc/>
    public int TotalCount => _offsets[MaxAngular + 1];

    /// <summary>Creates the basis.</summary>
    /// <param name="radialCount">N_0 ≥ 1, number of functions in channel l = 0 (featomic max_radial + 1).</param>
    /// <param name="cutoff">Basis radius = spherical cutoff r_c (Å).</param>
    /// <param name="maxAngular">Optional cap on l_max (≥ 0); null keeps every channel with at least one function.</param>
    /// <exception cref="InvalidParameterException">a parameter is out of range.</exception>
    public LaplacianEigenstateRadialIntegral(int radialCount, double cutoff, int? maxAngular = null)
    {
        if (radialCount < 1) throw new InvalidParameterException(nameof(radialCount), $"the number of l = 0 radial functions must be ≥ 1, got {radialCount}");
        if (!double.IsFinite(cutoff) || cutoff <= 0) throw new InvalidParameterException(nameof(cutoff), $"must be finite and > 0, got {cutoff}");
        if (maxAngular is < 0) throw new InvalidParameterException(nameof(maxAngular), $"must be ≥ 0, got {maxAngular}");
        RadialCount = radialCount;
        Cutoff = cutoff;

        double zMax = radialCount * Math.PI; // z_nl ≤ N_0 π  ⇔  E_nl ≤ E_max
        // The first zero of j_l exceeds l, so no channel above l = zMax can contribute.
        int lBound = Math.Min(maxAngular ?? int.MaxValue, (int)zMax + 1);
        // Level l needs (its zeros ≤ zMax) + 1 further zero for each level above it; level l has
        // (level 0 count − l) zeros, so start with enough multiples of π.
        int levelZeroCount = radialCount + lBound + 2;
        var previous = new double[levelZeroCount];
        for (int k = 0; k < levelZeroCount; k++) previous[k] = (k + 1) * Math.PI;

        var zeros = new List<double>();
        var counts = new List<int>();
        for (int l = 0; l <= lBound; l++)
        {
            double[] current;
            if (l == 0)
            {
                current = previous;
            }
            else
            {
                current = new double[previous.Length - 1];
                for (int k = 0; k < current.Length; k++) current[k] = FindZero(l, previous[k], previous[k + 1]);
            }
            int count = 0;
            while (count < current.Length && current[count] <= zMax) count++;
            if (count == 0) break;
            counts.Add(count);
            for (int k = 0; k < count; k++) zeros.Add(current[k]);
            previous = current;
        }

        MaxAngular = counts.Count - 1;
        _offsets = new int[counts.Count + 1];
        for (int l = 0; l < counts.Count; l++) _offsets[l + 1] = _offsets[l] + counts[l];
        _zeros = [.. zeros];
        _normalization = new double[_zeros.Length];
        double prefactor = Math.Sqrt(2.0 / (cutoff * cutoff * cutoff));
        for (int l = 0; l <= MaxAngular; l++)
        {
            for (int i = _offsets[l]; i < _offsets[l + 1]; i++)
            {
                SpecialFunctions.SphericalBesselJ(l, _zeros[i], out _, out double next);
                _normalization[i] = prefactor / Math.Abs(next);
            }
        }
    }

    /// <summary>The zero z_nl of j_l used by function (n, l).</summary>
    public double Zero(int l, int n)
    {
        if ((uint)n >= (uint)Count(l)) throw new ArgumentOutOfRangeException(nameof(n));
        return _zeros[_offsets[l] + n];
    }

    /// <summary>The Laplacian eigenvalue E_nl = (z_nl / r_c)².</summary>
    public double Eigenvalue(int l, int n)
    {
        double k = Zero(l, n) / Cutoff;
        return k * k;
    }

    /// <inheritdoc/>
    public int Count(int l)
    {
        if ((uint)l > (uint)MaxAngular) throw new ArgumentOutOfRangeException(nameof(l));
        return _offsets[l + 1] - _offsets[l];
    }

    /// <inheritdoc/>
    public int Offset(int l)
    {
        if ((uint)l > (uint)(MaxAngular + 1)) throw new ArgumentOutOfRangeException(nameof(l));
        return _offsets[l];
    }

    /// <inheritdoc/>
    public void Compute(double r, Span<double> values, Span<double> derivatives)
    {
        if (!(r >= 0) || !double.IsFinite(r)) throw new ArgumentOutOfRangeException(nameof(r), r, "the distance must be finite and ≥ 0");
        int total = TotalCount;
        if (values.Length < total) throw new ArgumentException($"needs at least {total} elements", nameof(values));
        bool withDerivatives = !derivatives.IsEmpty;
        if (withDerivatives && derivatives.Length < total) throw new ArgumentException($"needs at least {total} elements (or be empty)", nameof(derivatives));
        double inverseCutoff = 1.0 / Cutoff;
        for (int l = 0; l <= MaxAngular; l++)
        {
            for (int i = _offsets[l]; i < _offsets[l + 1]; i++)
            {
                double k = _zeros[i] * inverseCutoff;
                double x = k * r;
                SpecialFunctions.SphericalBesselJ(l, x, out double jl, out double jl1);
                values[i] = _normalization[i] * jl;
                if (withDerivatives)
                {
                    double slope = x > 0 ? l / x * jl - jl1 : (l == 1 ? 1.0 / 3.0 : 0.0);
                    derivatives[i] = _normalization[i] * k * slope;
                }
            }
        }
    }

    /// <summary>The zero of j_l in (lo, hi) (a sign change is guaranteed by interlacing), by safeguarded Newton–bisection.</summary>
    private static double FindZero(int l, double lo, double hi)
    {
        SpecialFunctions.SphericalBesselJ(l, lo, out double fLo, out _);
        SpecialFunctions.SphericalBesselJ(l, hi, out double fHi, out _);
        if (fLo == 0.0) return lo;
        if (fHi == 0.0) return hi;
        if (Math.Sign(fLo) == Math.Sign(fHi)) throw new InvalidOperationException($"no sign change of j_{l} in [{lo}, {hi}]");
        double x = 0.5 * (lo + hi);
        for (int iteration = 0; iteration < 200; iteration++)
        {
            SpecialFunctions.SphericalBesselJ(l, x, out double f, out double next);
            if (f == 0.0) return x;
            if (Math.Sign(f) == Math.Sign(fLo)) lo = x;
            else hi = x;
            double derivative = l / x * f - next;
            double newton = x - f / derivative;
            double candidate = newton > lo && newton < hi ? newton : 0.5 * (lo + hi);
            if (Math.Abs(candidate - x) <= 4e-16 * x || hi - lo <= 4e-16 * x)
            {
                return candidate;
            }
            x = candidate;
        }
        return x;
    }
}
