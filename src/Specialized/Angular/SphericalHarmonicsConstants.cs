// Portable: compiled into the runtime and linked into the source generator.
// (netstandard2.0 + C# latest: plain arithmetic, arrays, System.Numerics.BigInteger and System.Math only.)
#nullable enable
using System;
using System.Numerics;

namespace Specialized.Angular;

/// <summary>
/// Constants of the Cartesian (sphericart-style) recursion for real spherical harmonics (MATH §2.2).
/// </summary>
/// <remarks>
/// <para>For a unit vector (x, y, z), <c>r_xy² = x² + y²</c>:</para>
/// <code>
/// c_0 = 1, s_0 = 0;   c_m = c_{m−1} x − s_{m−1} y;   s_m = c_{m−1} y + s_{m−1} x      (r_xy^m cos mφ, r_xy^m sin mφ)
/// Q_0^0 = 1
/// Q_l^l     = −(2l − 1) Q_{l−1}^{l−1}                                   (diagonal; integer factor, no table)
/// Q_l^{l−1} = −z Q_l^l
/// Q_l^m     = A_l^m z Q_l^{m+1} + B_l^m r_xy² Q_l^{m+2}                  (m = l−2 … 0, downward)
///     A_l^m = −2(m+1) / ((l+m+1)(l−m)),    B_l^m = −1 / ((l+m+1)(l−m))
/// Y_{l,0} = K_l^0 Q_l^0;   Y_{l,m} = K_l^m Q_l^m c_m;   Y_{l,−m} = K_l^m Q_l^m s_m        (m &gt; 0)
///     K_l^m = F_l^m = (−1)^m √((2l+1)/(2π) · (l−m)!/(l+m)!)   (m &gt; 0),     K_l^0 = F_l^0/√2 = √((2l+1)/(4π))
/// </code>
/// <para><c>Q_l^m = r^l r_xy^{−m} P_l^m(z/r)</c> includes the Condon–Shortley phase and the (−1)^m in
/// <c>F</c> removes it, giving the orthonormal "Wikipedia real form" without CS phase (MATH §2.1).
/// Derivatives used for gradients: <c>∂Q_l^m/∂x = x Q_{l−1}^{m+1}</c>, <c>∂Q_l^m/∂y = y Q_{l−1}^{m+1}</c>,
/// <c>∂Q_l^m/∂z = (l+m) Q_{l−1}^m</c>.</para>
/// <para>All constants are computed exactly and rounded once: <c>A</c>, <c>B</c> are exact rationals;
/// <c>K</c> is <c>√(rational · 1/(2π))</c> with 1/(2π) taken to 256 bits (Machin's formula), so each
/// constant is the correctly rounded double (no factorial overflow, no log-gamma).</para>
/// <para>Triangular index used by every table here: <c>l(l+1)/2 + m</c> for 0 ≤ m ≤ l.</para>
/// </remarks>
public static class SphericalHarmonicsConstants
{
    /// <summary>Largest degree for which constants are produced. (Q_l^l = ±(2l−1)!! overflows a double near l = 150.)</summary>
    public const int MaxDegree = 100;

    private const int PiBits = 256;
    private static readonly BigInteger s_invTwoPiFixed = (BigInteger.One << (2 * PiBits)) / (2 * ExactArithmetic.PiFixed(PiBits));

    /// <summary>Triangular index <c>l(l+1)/2 + m</c> (0 ≤ m ≤ l).</summary>
    public static int TriangularIndex(int l, int m) => l * (l + 1) / 2 + m;

    /// <summary>Number of (l, m ≥ 0) pairs with l ≤ lMax: <c>(lMax+1)(lMax+2)/2</c>.</summary>
    public static int TriangularCount(int lMax) => (lMax + 1) * (lMax + 2) / 2;

    /// <summary>
    /// The prefactor <c>K_l^m</c> (m ≥ 0) multiplying <c>Q_l^m c_m</c> / <c>Q_l^m s_m</c>:
    /// <c>(−1)^m √((2l+1)/(2π) (l−m)!/(l+m)!)</c> for m &gt; 0 and <c>√((2l+1)/(4π))</c> for m = 0.
    /// </summary>
    public static double Prefactor(int l, int m)
    {
        Check(l, m, 0);
        // K² = (2l+1) (l−m)!/(l+m)! · 1/(2π) · (1/2 if m = 0)
        var num = new BigInteger(2 * l + 1) * s_invTwoPiFixed;
        var den = ExactArithmetic.FactorialRatio(l + m, l - m) << PiBits;
        if (m == 0) den <<= 1;
        double k = ExactArithmetic.SqrtRatioToDouble(num, den);
        return (m & 1) == 0 ? k : -k;
    }

    /// <summary><c>A_l^m = −2(m+1)/((l+m+1)(l−m))</c> for 0 ≤ m ≤ l − 2 (correctly rounded).</summary>
    public static double RecursionA(int l, int m)
    {
        Check(l, m, 2);
        return ExactArithmetic.RatioToDouble(new BigInteger(-2 * (m + 1)), new BigInteger((long)(l + m + 1) * (l - m)));
    }

    /// <summary><c>B_l^m = −1/((l+m+1)(l−m))</c> for 0 ≤ m ≤ l − 2 (correctly rounded).</summary>
    public static double RecursionB(int l, int m)
    {
        Check(l, m, 2);
        return ExactArithmetic.RatioToDouble(BigInteger.MinusOne, new BigInteger((long)(l + m + 1) * (l - m)));
    }

    /// <summary>Diagonal factor <c>−(2l − 1)</c> of <c>Q_l^l = −(2l−1) Q_{l−1}^{l−1}</c> (l ≥ 1).</summary>
    public static double Diagonal(int l)
    {
        if (l < 1 || l > MaxDegree) throw new ArgumentOutOfRangeException(nameof(l), l, "need 1 ≤ l ≤ " + MaxDegree);
        return -(2 * l - 1);
    }

    /// <summary>All <see cref="Prefactor"/> values for l ≤ lMax, triangular index (fresh array).</summary>
    public static double[] Prefactors(int lMax)
    {
        var t = new double[TriangularCount(CheckMax(lMax))];
        for (int l = 0; l <= lMax; l++)
            for (int m = 0; m <= l; m++) t[TriangularIndex(l, m)] = Prefactor(l, m);
        return t;
    }

    /// <summary>All <see cref="RecursionA"/> values, triangular index (entries with m &gt; l − 2 are 0; fresh array).</summary>
    public static double[] RecursionAs(int lMax)
    {
        var t = new double[TriangularCount(CheckMax(lMax))];
        for (int l = 2; l <= lMax; l++)
            for (int m = 0; m <= l - 2; m++) t[TriangularIndex(l, m)] = RecursionA(l, m);
        return t;
    }

    /// <summary>All <see cref="RecursionB"/> values, triangular index (entries with m &gt; l − 2 are 0; fresh array).</summary>
    public static double[] RecursionBs(int lMax)
    {
        var t = new double[TriangularCount(CheckMax(lMax))];
        for (int l = 2; l <= lMax; l++)
            for (int m = 0; m <= l - 2; m++) t[TriangularIndex(l, m)] = RecursionB(l, m);
        return t;
    }

    private static int CheckMax(int lMax)
    {
        if (lMax < 0 || lMax > MaxDegree) throw new ArgumentOutOfRangeException(nameof(lMax), lMax, "need 0 ≤ lMax ≤ " + MaxDegree);
        return lMax;
    }

    private static void Check(int l, int m, int gap)
    {
        if (l < 0 || l > MaxDegree) throw new ArgumentOutOfRangeException(nameof(l), l, "need 0 ≤ l ≤ " + MaxDegree);
        if (m < 0 || m > l - gap) throw new ArgumentOutOfRangeException(nameof(m), m, "need 0 ≤ m ≤ l − " + gap);
    }
}
