using System.Runtime.CompilerServices;

namespace Specialized.Radial;

/// <summary>
/// Minimal double-double number (unevaluated sum Hi + Lo with |Lo| ≤ ½ ulp(Hi), ~32 significant
/// digits) used where double precision is not enough: the GTO overlap matrix for N ≈ 20 has a
/// condition number ≈ 1e14, so its inverse square root must be formed with ~30 digits to be
/// correct to double precision. Error-free transformations: TwoSum (Knuth), TwoProd (FMA).
/// Only the operations needed by the radial code are provided.
/// </summary>
internal readonly struct DoubleDouble
{
    public readonly double Hi;
    public readonly double Lo;

    public DoubleDouble(double hi, double lo = 0.0)
    {
        Hi = hi;
        Lo = lo;
    }

    /// <summary>π to ~32 digits.</summary>
    public static readonly DoubleDouble Pi = new(3.141592653589793, 1.2246467991473532e-16);

    public static implicit operator DoubleDouble(double x) => new(x);

    public static explicit operator double(DoubleDouble x) => x.Hi + x.Lo;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DoubleDouble QuickTwoSum(double a, double b)
    {
        double s = a + b;
        return new DoubleDouble(s, b - (s - a));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DoubleDouble TwoSum(double a, double b)
    {
        double s = a + b;
        double bb = s - a;
        return new DoubleDouble(s, (a - (s - bb)) + (b - bb));
    }

    public static DoubleDouble operator +(DoubleDouble a, DoubleDouble b)
    {
        var s = TwoSum(a.Hi, b.Hi);
        var t = TwoSum(a.Lo, b.Lo);
        var u = QuickTwoSum(s.Hi, s.Lo + t.Hi);
        return QuickTwoSum(u.Hi, u.Lo + t.Lo);
    }

    public static DoubleDouble operator -(DoubleDouble a) => new(-a.Hi, -a.Lo);

    public static DoubleDouble operator -(DoubleDouble a, DoubleDouble b) => a + (-b);

    public static DoubleDouble operator *(DoubleDouble a, DoubleDouble b)
    {
        double p = a.Hi * b.Hi;
        double e = Math.FusedMultiplyAdd(a.Hi, b.Hi, -p);
        e += a.Hi * b.Lo + a.Lo * b.Hi;
        return QuickTwoSum(p, e);
    }

    public static DoubleDouble operator /(DoubleDouble a, DoubleDouble b)
    {
        // Two Newton-like correction steps of the quotient.
        double q1 = a.Hi / b.Hi;
        var r = a - b * q1;
        double q2 = r.Hi / b.Hi;
        r -= b * q2;
        double q3 = r.Hi / b.Hi;
        return QuickTwoSum(q1, q2) + q3;
    }

    public static bool operator <(DoubleDouble a, DoubleDouble b) => a.Hi < b.Hi || (a.Hi == b.Hi && a.Lo < b.Lo);

    public static bool operator >(DoubleDouble a, DoubleDouble b) => b < a;

    public static DoubleDouble Abs(DoubleDouble a) => a.Hi < 0 || (a.Hi == 0 && a.Lo < 0) ? -a : a;

    /// <summary>√a for a ≥ 0 (one Newton step from the double square root).</summary>
    public static DoubleDouble Sqrt(DoubleDouble a)
    {
        if (a.Hi <= 0) return new DoubleDouble(0.0);
        double y = Math.Sqrt(a.Hi);
        var y2 = new DoubleDouble(y) * y;
        double correction = (a - y2).Hi / (2.0 * y);
        return QuickTwoSum(y, correction);
    }

    /// <summary>a^k for integer k ≥ 0 by repeated squaring.</summary>
    public static DoubleDouble Pow(DoubleDouble a, int k)
    {
        DoubleDouble result = 1.0;
        var b = a;
        while (k > 0)
        {
            if ((k & 1) != 0) result *= b;
            b *= b;
            k >>= 1;
        }
        return result;
    }

    public override string ToString() => $"{Hi:R} + {Lo:R}";
}
