// Portable: compiled into the runtime and linked into the source generator.
// (netstandard2.0 + C# latest: plain arithmetic, arrays, System.Numerics.BigInteger and System.Math only.)
#nullable enable
using System;
using System.Numerics;

namespace Specialized.Angular;

/// <summary>
/// Exact integer / rational helpers used to compute angular constants (Clebsch–Gordan coefficients,
/// spherical-harmonic prefactors) with a single rounding at the very end.
/// </summary>
/// <remarks>
/// All conversions to <see cref="double"/> are round-to-nearest-even of the exact value
/// (or, for square roots, of the value truncated to at least 64 significant bits, which
/// differs from correct rounding only when the exact root lies within 2⁻⁶⁴ relative of a tie).
/// </remarks>
internal static class ExactArithmetic
{
    private static readonly object s_factorialLock = new object();
    private static BigInteger[] s_factorials = BuildFactorials(64);

    private static BigInteger[] BuildFactorials(int n)
    {
        var f = new BigInteger[n + 1];
        f[0] = BigInteger.One;
        for (int k = 1; k <= n; k++) f[k] = f[k - 1] * k;
        return f;
    }

    /// <summary>n! as an exact integer (cached table, grown on demand).</summary>
    public static BigInteger Factorial(int n)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "factorial of a negative number");
        var table = s_factorials;
        if (n < table.Length) return table[n];
        lock (s_factorialLock)
        {
            if (n >= s_factorials.Length) s_factorials = BuildFactorials(Math.Max(n, 2 * s_factorials.Length));
            return s_factorials[n];
        }
    }

    /// <summary>Falling product hi!/lo! = (lo+1)(lo+2)…hi for 0 ≤ lo ≤ hi (1 when lo = hi).</summary>
    public static BigInteger FactorialRatio(int hi, int lo)
    {
        var p = BigInteger.One;
        for (int k = lo + 1; k <= hi; k++) p *= k;
        return p;
    }

    /// <summary>Number of significant bits of |n| (0 for n = 0).</summary>
    public static int BitLength(BigInteger n)
    {
        if (n.Sign < 0) n = -n;
        if (n.IsZero) return 0;
        byte[] bytes = n.ToByteArray(); // little-endian two's complement; positive ⇒ top byte may be 0
        int top = bytes.Length - 1;
        while (bytes[top] == 0) top--;
        int bits = 8 * top;
        for (int b = bytes[top]; b != 0; b >>= 1) bits++;
        return bits;
    }

    /// <summary>⌊√n⌋ for n ≥ 0 (Newton iteration from a double-precision starting point).</summary>
    public static BigInteger ISqrt(BigInteger n)
    {
        if (n.Sign < 0) throw new ArgumentOutOfRangeException(nameof(n), "square root of a negative number");
        if (n < new BigInteger(1L << 52))
        {
            long v = (long)n;
            long r = (long)Math.Sqrt(v);
            while (r * r > v) r--;
            while ((r + 1) * (r + 1) <= v) r++;
            return r;
        }
        // Start above the root: x0 = (√(n / 4^s) + 2) · 2^s with n / 4^s ≈ 2^100 (53 correct bits).
        int shift = Math.Max(0, (BitLength(n) - 100) / 2);
        double head = Math.Sqrt((double)(n >> (2 * shift)));
        var x = (new BigInteger(head) + 2) << shift;
        while (true)
        {
            var y = (x + n / x) >> 1;
            if (y >= x) return x;
            x = y;
        }
    }

    /// <summary>2^e as a double for −1022 ≤ e ≤ 1023 (exact).</summary>
    public static double Pow2(int e)
    {
        if (e < -1022 || e > 1023) throw new ArgumentOutOfRangeException(nameof(e), e, "outside the normal double range");
        return BitConverter.Int64BitsToDouble((long)(e + 1023) << 52);
    }

    /// <summary>
    /// n · 2^(−scaleBits) rounded to the nearest double (ties to even). <paramref name="inexact"/>
    /// says that n itself was already truncated below the exact value (a "sticky" bit).
    /// </summary>
    public static double ScaledToDouble(BigInteger n, int scaleBits, bool inexact = false)
    {
        if (n.IsZero) return 0.0;
        int sign = n.Sign;
        if (sign < 0) n = -n;
        int bits = BitLength(n);
        int drop = Math.Max(0, bits - 53);
        var mant = n >> drop;
        if (drop > 0)
        {
            var rem = n - (mant << drop);
            var half = BigInteger.One << (drop - 1);
            int cmp = rem.CompareTo(half);
            if (cmp > 0 || (cmp == 0 && (inexact || !mant.IsEven))) mant += 1;
        }
        // mant ≤ 2^53 is exact in a double; the power-of-two scaling is exact in the normal range.
        double result = (double)(long)mant;
        int e = drop - scaleBits;
        while (e > 1000) { result *= Pow2(1000); e -= 1000; }
        while (e < -1000) { result *= Pow2(-1000); e += 1000; }
        result *= Pow2(e);
        return sign < 0 ? -result : result;
    }

    /// <summary>num/den rounded once to the nearest double (den &gt; 0).</summary>
    public static double RatioToDouble(BigInteger num, BigInteger den)
    {
        if (den.Sign <= 0) throw new ArgumentOutOfRangeException(nameof(den), "denominator must be positive");
        if (num.IsZero) return 0.0;
        // q = ⌊|num| 2^s / den⌋ with ≥ 64 significant bits; the remainder is the sticky bit.
        int s = Math.Max(0, 66 - BitLength(num) + BitLength(den));
        var scaled = BigInteger.Abs(num) << s;
        var q = BigInteger.DivRem(scaled, den, out var rem);
        double v = ScaledToDouble(q, s, !rem.IsZero);
        return num.Sign < 0 ? -v : v;
    }

    /// <summary>⌊√(num/den) · 2^bits⌋ for num ≥ 0, den &gt; 0 (a fixed-point square root).</summary>
    public static BigInteger FixedSqrt(BigInteger num, BigInteger den, int bits)
    {
        // ⌊√⌊x⌋⌋ = ⌊√x⌋ for x ≥ 0, so the integer division before the root loses nothing.
        return ISqrt((num << (2 * bits)) / den);
    }

    /// <summary>√(num/den) rounded to the nearest double (to ≥ 64 significant bits before rounding).</summary>
    public static double SqrtRatioToDouble(BigInteger num, BigInteger den)
    {
        if (num.Sign < 0 || den.Sign <= 0) throw new ArgumentOutOfRangeException(nameof(num), "need num ≥ 0 and den > 0");
        if (num.IsZero) return 0.0;
        int bits = Math.Max(0, 70 + (BitLength(den) - BitLength(num)) / 2 + 1);
        var root = FixedSqrt(num, den, bits);
        bool exact = root * root * den == num << (2 * bits);
        return ScaledToDouble(root, bits, !exact);
    }

    /// <summary>
    /// ⌊π · 2^bits⌋ up to a few units in the last place (Machin: π = 16 atan(1/5) − 4 atan(1/239),
    /// each arctangent summed in fixed point with 16 guard bits).
    /// </summary>
    public static BigInteger PiFixed(int bits)
    {
        int work = bits + 16;
        var pi = 16 * AtanInverseFixed(5, work) - 4 * AtanInverseFixed(239, work);
        return pi >> 16;
    }

    /// <summary>atan(1/x) · 2^bits in fixed point (Taylor series, truncating each term).</summary>
    private static BigInteger AtanInverseFixed(int x, int bits)
    {
        var x2 = new BigInteger(x) * x;
        var power = (BigInteger.One << bits) / x; // 2^bits / x^(2k+1)
        var sum = BigInteger.Zero;
        for (int k = 0; !power.IsZero; k++)
        {
            var term = power / (2 * k + 1);
            if ((k & 1) == 0) sum += term;
            else sum -= term;
            power /= x2;
        }
        return sum;
    }
}
