// Portable: compiled into the runtime and linked into the source generator.
// (netstandard2.0 + C# latest: plain arithmetic, arrays, System.Numerics.BigInteger and System.Math only.)
#nullable enable
using System;
using System.Collections.Generic;
using System.Numerics;

namespace Specialized.Angular;

/// <summary>
/// Clebsch–Gordan coefficients for integer angular momenta, computed exactly.
/// </summary>
/// <remarks>
/// <para><b>Complex CG</b> (Condon–Shortley, = sympy <c>clebsch_gordan</c>, MATH §2.4):
/// <c>⟨l1 m1; l2 m2 | L M⟩</c>, non-zero only for <c>M = m1 + m2</c> and <c>|l1 − l2| ≤ L ≤ l1 + l2</c>.
/// Racah's formula</para>
/// <code>
/// ⟨l1 m1; l2 m2|L M⟩ = √[(2L+1) (l1+l2−L)! (l1−l2+L)! (−l1+l2+L)! / (l1+l2+L+1)!]
///                    · √[(l1+m1)! (l1−m1)! (l2+m2)! (l2−m2)! (L+M)! (L−M)!]
///                    · Σ_k (−1)^k / [k! (l1+l2−L−k)! (l1−m1−k)! (l2+m2−k)! (L−l2+m1+k)! (L−l1−m2+k)!]
/// </code>
/// <para>is evaluated with <see cref="BigInteger"/>: the sum is brought to one integer numerator over the
/// common multiple <c>W = kmax! (a−kmin)! (b−kmin)! (c−kmin)! (d+kmax)! (e+kmax)!</c> (every
/// <c>W / term denominator</c> is a product of integers), so the coefficient is exactly
/// <c>sign · √(rational)</c> (<see cref="SignedSqrtRational"/>) and is rounded once.</para>
/// <para><b>Real CG</b> (featomic convention, MATH §2.5): with the unitary <c>U^l</c> (<c>Y_real = U^l Y_complex</c>)</para>
/// <code>
/// m &lt; 0:  U[m, m] = i/√2,   U[m, −m] = −i (−1)^m/√2
/// m = 0:  U[0, 0] = 1
/// m &gt; 0:  U[m, −m] = 1/√2,   U[m,  m] = (−1)^m/√2
/// X[m1,m2,M] = Σ U^L[M,M'] ⟨l1 m1'; l2 m2'|L M'⟩ conj(U^{l1}[m1,m1']) conj(U^{l2}[m2,m2'])
/// C[m1,m2,M] = Re X  (l1+l2+L even),   −Im X  (l1+l2+L odd)
/// </code>
/// <para>Each row of U has at most two entries, so X is a sum of at most four terms
/// <c>(±1 or ±i) · s · √(r / 2^h)</c>. Every term is evaluated as a 120-bit fixed-point integer
/// (exact up to a few units of 2⁻¹²⁰), the terms are summed exactly, and the result is rounded once
/// to a double: the real coefficients are correct to ≲ 1 ulp. Terms of the part that must vanish
/// (Im X for even, Re X for odd) cancel exactly (same radicands, opposite signs); this is checked.</para>
/// <para>Coupling two real equivariants: <c>T_M = Σ_{m1,m2} C[m1,m2,M] A_{m1} B_{m2}</c> (MATH §2.5 "⊗_L").</para>
/// <para>Dense layout of a (l1, l2, L) tensor (real and complex):
/// <c>index = ((m1 + l1)·(2 l2 + 1) + (m2 + l2))·(2L + 1) + (M + L)</c>.
/// Sparse layout: entries with <c>|C| ≥ 1e-14</c> sorted by M, then m1, then m2 (MATH §11).</para>
/// <para>Real tables are cached (thread-safe); the first request for a triple costs a few BigInteger
/// evaluations per entry, later requests are a dictionary lookup. Complex tables are not cached.</para>
/// </remarks>
public static class ClebschGordan
{
    /// <summary>Largest angular momentum accepted (l1, l2, L).</summary>
    public const int MaxDegree = 64;

    /// <summary>Real-CG entries with a magnitude below this are treated as zero (MATH §11).</summary>
    public const double ZeroThreshold = 1e-14;

    /// <summary>Bits of the fixed-point accumulation used for the real coefficients.</summary>
    private const int FixedBits = 120;

    private static readonly object s_lock = new object();
    private static readonly Dictionary<long, RealCgTable> s_real = new Dictionary<long, RealCgTable>();

    /// <summary>True when <c>|l1 − l2| ≤ L ≤ l1 + l2</c> (all non-negative).</summary>
    public static bool IsTriangle(int l1, int l2, int L) =>
        l1 >= 0 && l2 >= 0 && L >= 0 && L >= Math.Abs(l1 - l2) && L <= l1 + l2;

    /// <summary>
    /// Index of <c>(m1, m2, M)</c> in a dense (l1, l2, L) tensor:
    /// <c>((m1 + l1)(2 l2 + 1) + (m2 + l2))(2L + 1) + (M + L)</c>.
    /// </summary>
    public static int DenseIndex(int l1, int l2, int L, int m1, int m2, int M) =>
        (((m1 + l1) * (2 * l2 + 1)) + (m2 + l2)) * (2 * L + 1) + (M + L);

    /// <summary>Number of entries of a dense (l1, l2, L) tensor, <c>(2l1+1)(2l2+1)(2L+1)</c>.</summary>
    public static int DenseLength(int l1, int l2, int L) => (2 * l1 + 1) * (2 * l2 + 1) * (2 * L + 1);

    /// <summary>
    /// Exact complex (Condon–Shortley) CG <c>⟨l1 m1; l2 m2 | L M⟩</c>; zero outside the selection rules.
    /// Not cached (use <see cref="ComplexDense"/> for whole tables, also not cached).
    /// </summary>
    public static SignedSqrtRational ComplexExact(int l1, int m1, int l2, int m2, int L, int M)
    {
        CheckDegree(l1, nameof(l1));
        CheckDegree(l2, nameof(l2));
        CheckDegree(L, nameof(L));
        if (Math.Abs(m1) > l1 || Math.Abs(m2) > l2 || Math.Abs(M) > L || M != m1 + m2 || !IsTriangle(l1, l2, L))
            return new SignedSqrtRational(0, BigInteger.Zero, BigInteger.One);
        return Racah(l1, m1, l2, m2, L, M);
    }

    /// <summary>Complex CG <c>⟨l1 m1; l2 m2 | L M⟩</c> rounded once to a double.</summary>
    public static double Complex(int l1, int m1, int l2, int m2, int L, int M) =>
        ComplexExact(l1, m1, l2, m2, L, M).ToDouble();

    /// <summary>
    /// Dense complex CG tensor for a triangle-allowed (l1, l2, L) (fresh array, layout
    /// <see cref="DenseIndex"/>; entries with <c>M ≠ m1 + m2</c> are zero).
    /// </summary>
    public static double[] ComplexDense(int l1, int l2, int L)
    {
        var table = ComplexTable(l1, l2, L);
        var dense = new double[DenseLength(l1, l2, L)];
        for (int m1 = -l1; m1 <= l1; m1++)
        {
            for (int m2 = -l2; m2 <= l2; m2++)
            {
                int M = m1 + m2;
                if (M < -L || M > L) continue;
                dense[DenseIndex(l1, l2, L, m1, m2, M)] = table[(m1 + l1) * (2 * l2 + 1) + (m2 + l2)].ToDouble();
            }
        }
        return dense;
    }

    /// <summary>Cached real-basis CG table for a triangle-allowed (l1, l2, L) (featomic convention).</summary>
    public static RealCgTable Real(int l1, int l2, int L)
    {
        CheckTriple(l1, l2, L);
        long key = Key(l1, l2, L);
        lock (s_lock)
        {
            if (s_real.TryGetValue(key, out var cached)) return cached;
        }
        var table = BuildReal(l1, l2, L);
        lock (s_lock)
        {
            if (s_real.TryGetValue(key, out var cached)) return cached;
            s_real[key] = table;
        }
        return table;
    }

    /// <summary>Dense real CG tensor (fresh copy; layout <see cref="DenseIndex"/>; dropped entries are exactly 0).</summary>
    public static double[] RealDense(int l1, int l2, int L) => Real(l1, l2, L).ToDense();

    /// <summary>Sparse non-zero real CG entries (fresh copy), sorted by M, then m1, then m2.</summary>
    public static CgEntry[] RealSparse(int l1, int l2, int L) => Real(l1, l2, L).ToEntries();

    /// <summary>Real CG <c>C^{l1 l2 L}[m1, m2, M]</c> (0 for dropped or forbidden entries).</summary>
    public static double RealValue(int l1, int m1, int l2, int m2, int L, int M)
    {
        if (!IsTriangle(l1, l2, L) || Math.Abs(m1) > l1 || Math.Abs(m2) > l2 || Math.Abs(M) > L) return 0.0;
        return Real(l1, l2, L)[m1, m2, M];
    }

    // ---------------------------------------------------------------------------------------------
    // Complex CG (Racah)

    private static SignedSqrtRational Racah(int l1, int m1, int l2, int m2, int L, int M)
    {
        // Factorial arguments of the sum: k!, (a−k)!, (b−k)!, (c−k)!, (d+k)!, (e+k)!
        int a = l1 + l2 - L, b = l1 - m1, c = l2 + m2, d = L - l2 + m1, e = L - l1 - m2;
        int kmin = Math.Max(0, Math.Max(-d, -e));
        int kmax = Math.Min(a, Math.Min(b, c));
        // t_k = W / D_k is an integer; t_kmin = [kmax!/kmin!] [(d+kmax)!/(d+kmin)!] [(e+kmax)!/(e+kmin)!] and
        // t_{k+1} = t_k (a−k)(b−k)(c−k) / ((k+1)(d+k+1)(e+k+1))   (exact division: both sides are integers).
        var sum = BigInteger.Zero;
        var t = ExactArithmetic.FactorialRatio(kmax, kmin)
            * ExactArithmetic.FactorialRatio(d + kmax, d + kmin)
            * ExactArithmetic.FactorialRatio(e + kmax, e + kmin);
        for (int k = kmin; k <= kmax; k++)
        {
            if ((k & 1) == 0) sum += t;
            else sum -= t;
            if (k == kmax) break;
            t = t * ((long)(a - k) * (b - k) * (c - k)) / ((long)(k + 1) * (d + k + 1) * (e + k + 1));
        }
        if (sum.IsZero) return new SignedSqrtRational(0, BigInteger.Zero, BigInteger.One);
        var W = ExactArithmetic.Factorial(kmax) * ExactArithmetic.Factorial(a - kmin) * ExactArithmetic.Factorial(b - kmin)
            * ExactArithmetic.Factorial(c - kmin) * ExactArithmetic.Factorial(d + kmax) * ExactArithmetic.Factorial(e + kmax);
        // CG² = S² (2L+1) a! (l1−l2+L)! (−l1+l2+L)! (l1±m1)! (l2±m2)! (L±M)! / ((l1+l2+L+1)! W²)
        var num = sum * sum * (2 * L + 1)
            * ExactArithmetic.Factorial(a) * ExactArithmetic.Factorial(l1 - l2 + L) * ExactArithmetic.Factorial(-l1 + l2 + L)
            * ExactArithmetic.Factorial(l1 + m1) * ExactArithmetic.Factorial(l1 - m1)
            * ExactArithmetic.Factorial(l2 + m2) * ExactArithmetic.Factorial(l2 - m2)
            * ExactArithmetic.Factorial(L + M) * ExactArithmetic.Factorial(L - M);
        var den = ExactArithmetic.Factorial(l1 + l2 + L + 1) * W * W;
        return new SignedSqrtRational(sum.Sign, num, den);
    }

    /// <summary>Exact complex table (fresh, not cached), index (m1 + l1)(2 l2 + 1) + (m2 + l2), M = m1 + m2.</summary>
    internal static SignedSqrtRational[] ComplexTable(int l1, int l2, int L)
    {
        CheckTriple(l1, l2, L);
        var table = new SignedSqrtRational[(2 * l1 + 1) * (2 * l2 + 1)];
        for (int m1 = -l1; m1 <= l1; m1++)
        {
            for (int m2 = -l2; m2 <= l2; m2++)
            {
                int M = m1 + m2;
                table[(m1 + l1) * (2 * l2 + 1) + (m2 + l2)] = M < -L || M > L
                    ? new SignedSqrtRational(0, BigInteger.Zero, BigInteger.One)
                    : Racah(l1, m1, l2, m2, L, M);
            }
        }
        return table;
    }

    // ---------------------------------------------------------------------------------------------
    // Real CG

    /// <summary>
    /// One non-zero entry of row m of U^l: column m', phase i^p (p ∈ 0..3) and h ∈ {0, 1} factors of 1/√2.
    /// Returns the number of entries (1 for m = 0, else 2).
    /// </summary>
    private static int URow(int m, out int col0, out int phase0, out int col1, out int phase1, out int halves)
    {
        int oddM = (m & 1) != 0 ? 2 : 0; // (−1)^m as a phase i^oddM
        if (m == 0)
        {
            col0 = 0; phase0 = 0; col1 = 0; phase1 = 0; halves = 0;
            return 1;
        }
        halves = 1;
        if (m < 0)
        {
            col0 = m; phase0 = 1;                   // i/√2
            col1 = -m; phase1 = (3 + oddM) & 3;     // −i (−1)^m/√2
        }
        else
        {
            col0 = -m; phase0 = 0;                  // 1/√2
            col1 = m; phase1 = oddM;                // (−1)^m/√2
        }
        return 2;
    }

    private static RealCgTable BuildReal(int l1, int l2, int L)
    {
        var complex = ComplexTable(l1, l2, L);
        // Signed fixed-point roots of each complex CG: root0 = ⌊√r 2^F⌋, root1 = ⌊√(r/2) 2^F⌋ (sign applied), so
        // that s √(r / 2^h) 2^F = root_(h mod 2) >> (h / 2) up to one unit. Equal radicands give equal integers,
        // which is what makes the vanishing part cancel exactly.
        var root0 = new BigInteger[complex.Length];
        var root1 = new BigInteger[complex.Length];
        for (int i = 0; i < complex.Length; i++)
        {
            var cg = complex[i];
            if (cg.Sign == 0) continue;
            root0[i] = ExactArithmetic.FixedSqrt(cg.Numerator, cg.Denominator, FixedBits);
            root1[i] = ExactArithmetic.FixedSqrt(cg.Numerator, cg.Denominator << 1, FixedBits);
            if (cg.Sign < 0)
            {
                root0[i] = -root0[i];
                root1[i] = -root1[i];
            }
        }
        bool even = ((l1 + l2 + L) & 1) == 0;
        var m1s = new List<int>();
        var m2s = new List<int>();
        var ms = new List<int>();
        var values = new List<double>();
        var cols1 = new int[2];
        var phases1 = new int[2];
        var cols2 = new int[2];
        var phases2 = new int[2];
        var colsL = new int[2];
        var phasesL = new int[2];
        for (int M = -L; M <= L; M++)
        {
            int nL = URow(M, out colsL[0], out phasesL[0], out colsL[1], out phasesL[1], out int hL);
            for (int m1 = -l1; m1 <= l1; m1++)
            {
                int n1 = URow(m1, out cols1[0], out phases1[0], out cols1[1], out phases1[1], out int h1);
                for (int m2 = -l2; m2 <= l2; m2++)
                {
                    int n2 = URow(m2, out cols2[0], out phases2[0], out cols2[1], out phases2[1], out int h2);
                    int h = hL + h1 + h2; // number of 1/√2 factors
                    var re = BigInteger.Zero;
                    var im = BigInteger.Zero;
                    bool any = false;
                    for (int i1 = 0; i1 < n1; i1++)
                    {
                        for (int i2 = 0; i2 < n2; i2++)
                        {
                            int mp = cols1[i1] + cols2[i2];
                            for (int iL = 0; iL < nL; iL++)
                            {
                                if (colsL[iL] != mp) continue;
                                int ci = (cols1[i1] + l1) * (2 * l2 + 1) + (cols2[i2] + l2);
                                if (complex[ci].Sign == 0) continue;
                                any = true;
                                // U^L[M,M'] · conj(U^{l1}[m1,m1']) · conj(U^{l2}[m2,m2']) = i^p / √2^h
                                int p = (phasesL[iL] - phases1[i1] - phases2[i2]) & 3;
                                var mag = ((h & 1) == 0 ? root0[ci] : root1[ci]) >> (h >> 1);
                                switch (p)
                                {
                                    case 0: re += mag; break;
                                    case 1: im += mag; break;
                                    case 2: re -= mag; break;
                                    default: im -= mag; break;
                                }
                            }
                        }
                    }
                    if (!any) continue;
                    var keep = even ? re : -im;
                    var vanish = even ? im : re;
                    if (BigInteger.Abs(vanish) > 16)
                        throw new InvalidOperationException(
                            "internal error: real CG (" + l1 + "," + l2 + "," + L + ")[" + m1 + "," + m2 + "," + M + "] is not purely "
                            + (even ? "real" : "imaginary"));
                    double v = ExactArithmetic.ScaledToDouble(keep, FixedBits);
                    if (Math.Abs(v) < ZeroThreshold) continue;
                    m1s.Add(m1);
                    m2s.Add(m2);
                    ms.Add(M);
                    values.Add(v);
                }
            }
        }
        return new RealCgTable(l1, l2, L, m1s.ToArray(), m2s.ToArray(), ms.ToArray(), values.ToArray());
    }

    // ---------------------------------------------------------------------------------------------

    private static long Key(int l1, int l2, int L) => ((long)l1 * 1024 + l2) * 1024 + L;

    private static void CheckDegree(int l, string name)
    {
        if (l < 0 || l > MaxDegree)
            throw new ArgumentOutOfRangeException(name, l, "angular momentum must be in 0.." + MaxDegree);
    }

    private static void CheckTriple(int l1, int l2, int L)
    {
        CheckDegree(l1, nameof(l1));
        CheckDegree(l2, nameof(l2));
        CheckDegree(L, nameof(L));
        if (!IsTriangle(l1, l2, L))
            throw new ArgumentException("(l1, l2, L) = (" + l1 + ", " + l2 + ", " + L + ") violates |l1 − l2| ≤ L ≤ l1 + l2", nameof(L));
    }
}
