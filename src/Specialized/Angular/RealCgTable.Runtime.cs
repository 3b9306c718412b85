namespace Specialized.Angular;

// Runtime-only half of RealCgTable (Span-based coupling); not linked into the source generator.
public sealed partial class RealCgTable
{
    /// <summary>The dense tensor, layout <c>((m1 + l1)(2 l2 + 1) + (m2 + l2))(2L + 1) + (M + L)</c>.</summary>
    public ReadOnlySpan<double> Dense => DenseArray;

    /// <summary>
    /// <c>t[M + L] = Σ_{m1,m2} C[m1, m2, M] a[m1 + l1] b[m2 + l2]</c> (MATH §2.5 "⊗_L"), overwriting t.
    /// a has 2 l1 + 1 elements, b 2 l2 + 1, t 2L + 1.
    /// </summary>
    public void Couple(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> t)
    {
        t.Slice(0, 2 * L + 1).Clear();
        CoupleAdd(a, b, t);
    }

    /// <summary><c>t[M + L] += scale · Σ_{m1,m2} C[m1, m2, M] a[m1 + l1] b[m2 + l2]</c>.</summary>
    public void CoupleAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> t, double scale = 1.0)
    {
        if (a.Length < 2 * L1 + 1) throw new ArgumentException($"a needs {2 * L1 + 1} elements", nameof(a));
        if (b.Length < 2 * L2 + 1) throw new ArgumentException($"b needs {2 * L2 + 1} elements", nameof(b));
        if (t.Length < 2 * L + 1) throw new ArgumentException($"t needs {2 * L + 1} elements", nameof(t));
        int[] m1 = _m1, m2 = _m2, m = _m;
        double[] v = _values;
        for (int k = 0; k < v.Length; k++)
            t[m[k] + L] += scale * v[k] * a[m1[k] + L1] * b[m2[k] + L2];
    }
}
