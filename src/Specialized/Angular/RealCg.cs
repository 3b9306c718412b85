namespace Specialized.Angular;

/// <summary>
/// Convenience coupling of two real equivariants with the cached real CG tables
/// (MATH §2.5 "⊗_L"; featomic convention). Hot paths should hold the <see cref="RealCgTable"/>
/// from <see cref="ClebschGordan.Real"/> instead of calling these (each call looks the table up).
/// </summary>
public static class RealCg
{
    /// <summary><c>t[M + L] = Σ_{m1,m2} C^{l1 l2 L}[m1, m2, M] a[m1 + l1] b[m2 + l2]</c>, overwriting t.</summary>
    public static void Couple(int l1, int l2, int L, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> t) =>
        ClebschGordan.Real(l1, l2, L).Couple(a, b, t);

    /// <summary>Returns <c>a ⊗_L b</c> as a fresh array of 2L + 1 values.</summary>
    public static double[] Couple(int l1, int l2, int L, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var t = new double[2 * L + 1];
        Couple(l1, l2, L, a, b, t);
        return t;
    }
}
