namespace Specialized.Radial;

/// <summary>
/// Radial integral of a Gaussian atomic density with the orthonormalised GTO basis (featomic's
/// default SOAP radial basis; MATH §3.2). Every channel has the same size N (= featomic max_radial + 1).
/// <para>Definitions (α = 1/(2σ²) for the density width σ; σ_n = r_0 max(√n, 1)/N, β_n = 1/(2σ_n²), c_n = α + β_n):</para>
/// <code>
/// density     g(x) = (πσ²)^(−3/4) exp(−x²/(2σ²))
/// primitives  φ_n(x) = 𝒩_n x^n exp(−β_n x²),   𝒩_n = √(2 / (σ_n^(2n+3) Γ(n+3/2)))   (∫ x² φ_n² dx = 1)
/// overlap     S_nm = ∫ x² φ_n φ_m dx = Γ(k/2)/√(Γ(n+3/2)Γ(m+3/2)) · [(4 t_n t_m/(t_n+t_m)²)^k (t_m/t_n)^(n−m)]^(1/4)
///             with k = n+m+3, t_n = max(n,1) (= (N σ_n / r_0)²): S depends on N only
/// basis       R_n = Σ_m M_nm φ_m, M = S^(−1/2) (Löwdin)           ⇒ ∫ x² R_n R_m dx = δ_nm
/// primitive   P_nl(r) = 𝒩_n (π/σ²)^(3/4) e^(−α r²) (α r)^l c_n^(−A) Γ(A)/Γ(B) ₁F₁(A; B; z),
///             A = (n+l+3)/2, B = l+3/2, z = Z_n r², Z_n = α²/c_n
///                     = K̂_nl · r^l · e^(−E_n r²) · M̃(A; B; z),   E_n = α β_n/c_n,   M̃ = e^(−z) ₁F₁
///             K̂_nl = (π/σ²)^(3/4) √(2/Γ(n+3/2)) σ_n^(3/2) (σ_n² c_n)^(−(n+3)/2) Γ(A)/Γ(B) (α/√c_n)^l
/// derivative  dP_nl/dr = K̂_nl e^(−E_n r²) { [l r^(l−1) − 2 E_n r^(l+1)] M̃(A; B; z) − 2 Z_n r^(l+1) ((B−A)/B) M̃(A; B+1; z) }
///             (from d/dz M̃(A;B;z) = −((B−A)/B) M̃(A;B+1;z), which avoids the cancellation of the textbook
///             form; exact at r = 0, where I = 0 for l &gt; 0 and only l = 1 has a non-zero slope)
/// result      I_nl(r) = Σ_m M_nm P_ml(r)
/// </code>
/// <para>Numerics: S has condition number ≈ 1e6 for N = 10 and ≈ 1e14 for N = 20; in plain double precision
/// S^(−1/2) would then be wrong at the 1% level. S is therefore formed and diagonalised in double-double
/// arithmetic (Jacobi), so M is correct to double rounding. The cancellation in Σ_m M_nm P_ml (|M| up to
/// ≈ 1e6 for N = 20) amplifies the primitives' rounding errors, so those are kept at a few ulp: K̂_nl,
/// E_n, Z_n are formed in double-double from the exact inputs and rounded once, and r^l and E_n r² are
/// evaluated in double-double. Construction fails if the smallest eigenvalue of S is ≤ 1e-15 (N ≥ 23).</para>
/// <para>featomic's <c>Gto</c> uses r_0 = cutoff; librascal uses r_0 = cutoff − smooth width: pass <c>basisRadius</c>.</para>
/// </summary>
public sealed class GtoRadialIntegral : IRadialIntegral
{
    /// <summary>Smallest admissible eigenvalue of the overlap matrix S.</summary>
    public const double MinOverlapEigenvalue = 1e-15;

    private readonly int _n;
    private readonly double[] _orthonormalization; // M = S^(−1/2), N×N row-major
    private readonly DoubleDouble[] _expCoefficient; // E_n = α β_n / c_n (double-double: e^(−E_n r²) has condition E_n r² ≈ 10…100)
    private readonly DoubleDouble[] _zCoefficient;   // Z_n = α² / c_n
    private readonly double[] _expCoefficientDouble; // E_n rounded (derivative formula)
    private readonly double[] _zCoefficientDouble;   // Z_n rounded (derivative formula)
    private readonly double[] _prefactor;            // K̂_nl = K_nl q_n^l at [l·N + n], formed in double-double and rounded once
    private readonly double[] _ratioBA;              // (B − A)/B at [l·N + n]

    /// <summary>Number of radial functions N per channel (featomic max_radial + 1).</summary>
    public int RadialCount => _n;

    /// <inheritdoc/>
    public int MaxAngular { get; }

    /// <inheritdoc/>
    public double Cutoff { get; }

    /// <summary>Gaussian density width σ (Å).</summary>
    public double DensityWidth { get; }

    /// <summary>Radius r_0 that sets the GTO widths σ_n = r_0 max(√n, 1)/N.</summary>
    public double BasisRadius { get; }

    /// <summary>Smallest eigenvalue of the GTO overlap matrix (a conditioning indicator; depends on N only).</summary>
    public double SmallestOverlapEigenvalue { get; }

    /// <inheritdoc/>
    public int TotalCount => (MaxAngular + 1) * _n;

    /// <summary>Creates the GTO radial integral.</summary>
    /// <param name="radialCount">N ≥ 1, number of radial functions per channel (featomic max_radial + 1).</param>
    /// <param name="maxAngular">l_max ≥ 0.</param>
    /// <param name="cutoff">Spherical cutoff r_c (Å), the largest r evaluated; also the default basis radius.</param>
    /// <param name="densityWidth">Gaussian density width σ &gt; 0 (Å).</param>
    /// <param name="basisRadius">GTO radius r_0 (default: <paramref name="cutoff"/>, as featomic; librascal uses cutoff − smooth width).</param>
    /// <exception cref="InvalidParameterException">a parameter is out of range, or the basis is numerically linearly dependent (N too large).</exception>
    public GtoRadialIntegral(int radialCount, int maxAngular, double cutoff, double densityWidth, double? basisRadius = null)
    {
        if (radialCount < 1) throw new InvalidParameterException(nameof(radialCount), $"the number of radial functions must be ≥ 1, got {radialCount}");
        if (maxAngular < 0) throw new InvalidParameterException(nameof(maxAngular), $"must be ≥ 0, got {maxAngular}");
        if (!double.IsFinite(cutoff) || cutoff <= 0) throw new InvalidParameterException(nameof(cutoff), $"must be finite and > 0, got {cutoff}");
        if (!double.IsFinite(densityWidth) || densityWidth <= 0) throw new InvalidParameterException(nameof(densityWidth), $"the Gaussian density width must be finite and > 0, got {densityWidth}");
        double r0 = basisRadius ?? cutoff;
        if (!double.IsFinite(r0) || r0 <= 0) throw new InvalidParameterException(nameof(basisRadius), $"must be finite and > 0, got {r0}");

        _n = radialCount;
        MaxAngular = maxAngular;
        Cutoff = cutoff;
        DensityWidth = densityWidth;
        BasisRadius = r0;

        (_orthonormalization, double smallest) = ComputeOrthonormalization(radialCount);
        SmallestOverlapEigenvalue = smallest;
        if (!(smallest > MinOverlapEigenvalue))
        {
            throw new InvalidParameterException(nameof(radialCount),
                $"the GTO basis with {radialCount} radial functions is numerically linearly dependent: the smallest eigenvalue of its overlap matrix is {smallest:E3} ≤ {MinOverlapEigenvalue:E0}; use at most 22 radial functions");
        }

        // All constants in double-double from the exact double inputs σ and r_0, rounded once at the end.
        var sigma2 = new DoubleDouble(densityWidth) * densityWidth;
        var alpha = 1.0 / (sigma2 * 2.0);
        var piOverSigma2 = DoubleDouble.Pi / sigma2;
        var densityFactor = DoubleDouble.Sqrt(DoubleDouble.Sqrt(DoubleDouble.Pow(piOverSigma2, 3))); // (π/σ²)^(3/4)
        _expCoefficient = new DoubleDouble[_n];
        _zCoefficient = new DoubleDouble[_n];
        _expCoefficientDouble = new double[_n];
        _zCoefficientDouble = new double[_n];
        _prefactor = new double[(maxAngular + 1) * _n];
        _ratioBA = new double[(maxAngular + 1) * _n];
        for (int n = 0; n < _n; n++)
        {
            var sigmaN2 = new DoubleDouble(r0) * r0 * Math.Max(n, 1) / ((double)_n * _n); // σ_n² = r_0² max(n,1)/N²
            var beta = 1.0 / (sigmaN2 * 2.0);
            var c = alpha + beta;
            _expCoefficient[n] = alpha * beta / c;
            _zCoefficient[n] = alpha * alpha / c;
            _expCoefficientDouble[n] = (double)_expCoefficient[n];
            _zCoefficientDouble[n] = (double)_zCoefficient[n];
            // (π/σ²)^(3/4) √(2/Γ(n+3/2)) σ_n^(3/2) (σ_n² c)^(−(n+3)/2)
            var baseFactor = densityFactor
                * DoubleDouble.Sqrt(2.0 / SpecialFunctions.GammaHalfIntegerDD(2 * n + 3))
                * DoubleDouble.Sqrt(DoubleDouble.Sqrt(DoubleDouble.Pow(sigmaN2, 3)))
                / DoubleDouble.Sqrt(DoubleDouble.Pow(sigmaN2 * c, n + 3));
            for (int l = 0; l <= maxAngular; l++)
            {
                int twoA = n + l + 3, twoB = 2 * l + 3;
                // q^l = α^l / c^(l/2)
                var qPower = DoubleDouble.Pow(alpha, l) / DoubleDouble.Sqrt(DoubleDouble.Pow(c, l));
                var gammaRatio = SpecialFunctions.GammaHalfIntegerDD(twoA) / SpecialFunctions.GammaHalfIntegerDD(twoB);
                _prefactor[l * _n + n] = (double)(baseFactor * gammaRatio * qPower);
                _ratioBA[l * _n + n] = (twoB - twoA) / (double)twoB;
            }
        }
    }

    /// <inheritdoc/>
    public int Count(int l)
    {
        if ((uint)l > (uint)MaxAngular) throw new ArgumentOutOfRangeException(nameof(l));
        return _n;
    }

    /// <inheritdoc/>
    public int Offset(int l)
    {
        if ((uint)l > (uint)(MaxAngular + 1)) throw new ArgumentOutOfRangeException(nameof(l));
        return l * _n;
    }

    /// <inheritdoc/>
    public void Compute(double r, Span<double> values, Span<double> derivatives)
    {
        CheckArguments(r, values, derivatives);
        bool withDerivatives = !derivatives.IsEmpty;
        int n = _n;
        Span<double> buffer = stackalloc double[4 * n]; // N ≤ 22 (larger N is rejected by the constructor)
        Span<double> primitive = buffer[..n];
        Span<double> dPrimitive = buffer.Slice(n, n);
        Span<double> exponential = buffer.Slice(2 * n, n);
        Span<double> z = buffer.Slice(3 * n, n);
        PrepareRadius(r, exponential, z);
        DoubleDouble rPower = 1.0; // r^l
        double rPowerPrevious = 0.0; // r^(l−1)
        for (int l = 0; l <= MaxAngular; l++)
        {
            PrimitiveChannel(l, (double)rPower, rPowerPrevious, (double)(rPower * r), exponential, z, primitive, withDerivatives ? dPrimitive : []);
            int offset = l * n;
            for (int row = 0; row < n; row++)
            {
                ReadOnlySpan<double> m = _orthonormalization.AsSpan(row * n, n);
                double sum = 0;
                for (int col = 0; col < n; col++) sum += m[col] * primitive[col];
                values[offset + row] = sum;
                if (withDerivatives)
                {
                    double dSum = 0;
                    for (int col = 0; col < n; col++) dSum += m[col] * dPrimitive[col];
                    derivatives[offset + row] = dSum;
                }
            }
            rPowerPrevious = (double)rPower;
            rPower *= r;
        }
    }

    /// <summary>e^(−E_n r²) and z_n = Z_n r² with the products in double-double.</summary>
    private void PrepareRadius(double r, Span<double> exponential, Span<double> z)
    {
        var r2 = new DoubleDouble(r) * r;
        for (int i = 0; i < _n; i++)
        {
            var x = _expCoefficient[i] * r2;
            exponential[i] = Math.Exp(-x.Hi) * (1.0 - x.Lo); // e^(−hi−lo) = e^(−hi)(1 − lo), |lo| ≤ ulp(hi)/2
            z[i] = (double)(_zCoefficient[i] * r2);
        }
    }

    /// <summary>
    /// Normalised primitives P_nl(r) = K̂_nl r^l e^(−E_n r²) M̃(A; B; z_n) of channel l, and their derivatives
    /// K̂_nl e^(−E_n r²) {[l r^(l−1) − 2E_n r^(l+1)] M̃(A; B; z) − 2 Z_n r^(l+1) ((B−A)/B) M̃(A; B+1; z)}.
    /// </summary>
    private void PrimitiveChannel(int l, double rPower, double rPowerPrevious, double rPowerNext,
        ReadOnlySpan<double> exponential, ReadOnlySpan<double> z, Span<double> primitive, Span<double> dPrimitive)
    {
        double b = l + 1.5;
        int n = _n;
        for (int i = 0; i < n; i++)
        {
            double a = 0.5 * (i + l + 3);
            Hypergeometric.Hyp1F1ScaledPair(a, b, z[i], out double m0, out double m1);
            double common = _prefactor[l * n + i] * exponential[i];
            primitive[i] = common * rPower * m0;
            if (!dPrimitive.IsEmpty)
            {
                double slope = l * rPowerPrevious - 2 * _expCoefficientDouble[i] * rPowerNext;
                dPrimitive[i] = common * (slope * m0 - 2 * _zCoefficientDouble[i] * rPowerNext * _ratioBA[l * n + i] * m1);
            }
        }
    }

    /// <summary>
    /// The normalised primitive integrals P_nl(r) (before orthonormalisation) of channel l and their
    /// derivatives (for tests against independent quadrature).
    /// </summary>
    internal void ComputePrimitive(int l, double r, Span<double> values, Span<double> derivatives)
    {
        Span<double> exponential = stackalloc double[_n];
        Span<double> z = stackalloc double[_n];
        PrepareRadius(r, exponential, z);
        var rPower = DoubleDouble.Pow(r, l);
        double rPowerPrevious = l == 0 ? 0.0 : (double)DoubleDouble.Pow(r, l - 1);
        PrimitiveChannel(l, (double)rPower, rPowerPrevious, (double)(rPower * r), exponential, z, values, derivatives);
    }

    /// <summary>M = S^(−1/2) (row-major N×N), acting on the normalised primitives.</summary>
    internal ReadOnlySpan<double> Orthonormalization => _orthonormalization;

    /// <summary>The overlap matrix S of the normalised primitives (MATH §3.2) in double-double, row-major.</summary>
    internal static DoubleDouble[] OverlapMatrix(int count)
    {
        var s = new DoubleDouble[count * count];
        for (int n = 0; n < count; n++)
        {
            for (int m = 0; m < count; m++)
            {
                if (n == m)
                {
                    s[n * count + m] = 1.0;
                    continue;
                }
                int k = n + m + 3;
                double tn = Math.Max(n, 1), tm = Math.Max(m, 1);
                DoubleDouble gammaPart = SpecialFunctions.GammaHalfIntegerDD(k)
                    / DoubleDouble.Sqrt(SpecialFunctions.GammaHalfIntegerDD(2 * n + 3) * SpecialFunctions.GammaHalfIntegerDD(2 * m + 3));
                DoubleDouble sum = new DoubleDouble(tn) + tm;
                DoubleDouble geometric = new DoubleDouble(tn) * tm * 4.0 / (sum * sum); // (2√(t_n t_m)/(t_n+t_m))²
                DoubleDouble ratio = n >= m ? new DoubleDouble(tm) / tn : new DoubleDouble(tn) / tm;
                DoubleDouble x = DoubleDouble.Pow(geometric, k) * DoubleDouble.Pow(ratio, Math.Abs(n - m));
                s[n * count + m] = gammaPart * DoubleDouble.Sqrt(DoubleDouble.Sqrt(x));
            }
        }
        return s;
    }

    private static (double[] Matrix, double Smallest) ComputeOrthonormalization(int count)
    {
        var (values, vectors) = SymmetricEigen.Decompose(OverlapMatrix(count), count);
        double smallest = double.PositiveInfinity;
        foreach (var v in values) smallest = Math.Min(smallest, (double)v);
        var m = new double[count * count];
        if (!(smallest > MinOverlapEigenvalue)) return (m, smallest);
        var inverseSqrt = new DoubleDouble[count];
        for (int k = 0; k < count; k++) inverseSqrt[k] = 1.0 / DoubleDouble.Sqrt(values[k]);
        for (int i = 0; i < count; i++)
        {
            for (int j = i; j < count; j++)
            {
                DoubleDouble sum = 0.0;
                for (int k = 0; k < count; k++) sum += vectors[i * count + k] * inverseSqrt[k] * vectors[j * count + k];
                m[i * count + j] = m[j * count + i] = (double)sum;
            }
        }
        return (m, smallest);
    }

    private void CheckArguments(double r, Span<double> values, Span<double> derivatives)
    {
        if (!(r >= 0) || !double.IsFinite(r)) throw new ArgumentOutOfRangeException(nameof(r), r, "the distance must be finite and ≥ 0");
        if (values.Length < TotalCount) throw new ArgumentException($"needs at least {TotalCount} elements", nameof(values));
        if (!derivatives.IsEmpty && derivatives.Length < TotalCount) throw new ArgumentException($"needs at least {TotalCount} elements (or be empty)", nameof(derivatives));
    }
}
