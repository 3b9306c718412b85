using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Specialized.Kernels;

/// <summary>
/// Dense product for the NICE contractions of a batch of centres, Y ← Y·[accumulate] + α X V:
/// X row-major m × k (contiguous), V row-major k × n, and row r of Y at
/// <c>(r / rowsPerGroup)·groupStride + (r mod rowsPerGroup)·n</c> (one group per centre, whose block rows are
/// contiguous inside its own storage). Register-blocked 4 rows × 8 columns with 256-bit FMA: each V panel
/// (k × 8) is loaded once per four rows and stays in L1 across the whole batch. Only the inner indices listed in
/// <c>active</c> are visited (the columns of X that are not zero in every row: products with a density channel of a
/// species absent from every environment of the batch vanish exactly, and so do their contributions).
/// </summary>
internal static unsafe class NiceGemm
{
    /// <summary>Computes the product (see the type remarks).</summary>
    public static void Multiply(ReadOnlySpan<double> x, int m, int k, ReadOnlySpan<double> v, int n, Span<double> y,
        int rowsPerGroup, int groupStride, double alpha, bool accumulate, ReadOnlySpan<int> active)
    {
        if (m == 0 || n == 0) return;
        if (x.Length < m * k || v.Length < k * n) throw new ArgumentException("NiceGemm: an operand is shorter than its shape");
        int groups = (m - 1) / rowsPerGroup;
        if (y.Length < groups * groupStride + (m - 1 - groups * rowsPerGroup) * n + n) throw new ArgumentException("NiceGemm: Y is shorter than its shape");
        foreach (int q in active)
            if ((uint)q >= (uint)k) throw new ArgumentException("NiceGemm: an active index is outside the inner dimension");
        int count = active.Length;
        fixed (double* px = x, pv = v, py = y)
        fixed (int* pa = active)
        {
            int j = 0;
            if (Fma.IsSupported)
            {
                for (; j + 8 <= n; j += 8) Panel8(px, m, k, pa, count, pv + j, n, py + j, rowsPerGroup, groupStride, alpha, accumulate);
                for (; j + 4 <= n; j += 4) Panel4(px, m, k, pa, count, pv + j, n, py + j, rowsPerGroup, groupStride, alpha, accumulate);
            }
            for (; j < n; j++)
                for (int r = 0; r < m; r++)
                {
                    double sum = 0;
                    double* xr = px + (long)r * k;
                    for (int qi = 0; qi < count; qi++)
                    {
                        int q = pa[qi];
                        sum += xr[q] * pv[(long)q * n + j];
                    }
                    double* dst = Row(py, r, n, rowsPerGroup, groupStride) + j;
                    *dst = accumulate ? *dst + alpha * sum : alpha * sum;
                }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double* Row(double* y, int r, int n, int rowsPerGroup, int groupStride)
    {
        int g = r / rowsPerGroup;
        return y + (long)g * groupStride + (long)(r - g * rowsPerGroup) * n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(double* dst, Vector256<double> value, Vector256<double> alpha, bool accumulate)
    {
        var scaled = Avx.Multiply(value, alpha);
        Avx.Store(dst, accumulate ? Avx.Add(Avx.LoadVector256(dst), scaled) : scaled);
    }

    /// <summary>Columns [j, j + 8) of Y for every row (pv and py already offset by j).</summary>
    private static void Panel8(double* px, int m, int k, int* pa, int count, double* pv, int n, double* py, int rowsPerGroup, int groupStride, double alpha, bool accumulate)
    {
        var va = Vector256.Create(alpha);
        int r = 0;
        for (; r + 4 <= m; r += 4)
        {
            double* x0 = px + (long)r * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
            Vector256<double> a00 = default, a01 = default, a10 = default, a11 = default;
            Vector256<double> a20 = default, a21 = default, a30 = default, a31 = default;
            for (int qi = 0; qi < count; qi++)
            {
                int q = pa[qi];
                double* vp = pv + (long)q * n;
                var v0 = Avx.LoadVector256(vp);
                var v1 = Avx.LoadVector256(vp + 4);
                var b = Vector256.Create(x0[q]);
                a00 = Fma.MultiplyAdd(b, v0, a00);
                a01 = Fma.MultiplyAdd(b, v1, a01);
                b = Vector256.Create(x1[q]);
                a10 = Fma.MultiplyAdd(b, v0, a10);
                a11 = Fma.MultiplyAdd(b, v1, a11);
                b = Vector256.Create(x2[q]);
                a20 = Fma.MultiplyAdd(b, v0, a20);
                a21 = Fma.MultiplyAdd(b, v1, a21);
                b = Vector256.Create(x3[q]);
                a30 = Fma.MultiplyAdd(b, v0, a30);
                a31 = Fma.MultiplyAdd(b, v1, a31);
            }
            double* y0 = Row(py, r, n, rowsPerGroup, groupStride), y1 = Row(py, r + 1, n, rowsPerGroup, groupStride);
            double* y2 = Row(py, r + 2, n, rowsPerGroup, groupStride), y3 = Row(py, r + 3, n, rowsPerGroup, groupStride);
            Store(y0, a00, va, accumulate);
            Store(y0 + 4, a01, va, accumulate);
            Store(y1, a10, va, accumulate);
            Store(y1 + 4, a11, va, accumulate);
            Store(y2, a20, va, accumulate);
            Store(y2 + 4, a21, va, accumulate);
            Store(y3, a30, va, accumulate);
            Store(y3 + 4, a31, va, accumulate);
        }
        for (; r < m; r++)
        {
            // One row: even and odd inner indices in separate accumulators (four independent FMA chains).
            double* x0 = px + (long)r * k;
            Vector256<double> a0 = default, a1 = default, e0 = default, e1 = default;
            int qi = 0;
            for (; qi + 2 <= count; qi += 2)
            {
                int q = pa[qi], q2 = pa[qi + 1];
                double* vp = pv + (long)q * n, vp2 = pv + (long)q2 * n;
                var b = Vector256.Create(x0[q]);
                var b2 = Vector256.Create(x0[q2]);
                a0 = Fma.MultiplyAdd(b, Avx.LoadVector256(vp), a0);
                a1 = Fma.MultiplyAdd(b, Avx.LoadVector256(vp + 4), a1);
                e0 = Fma.MultiplyAdd(b2, Avx.LoadVector256(vp2), e0);
                e1 = Fma.MultiplyAdd(b2, Avx.LoadVector256(vp2 + 4), e1);
            }
            if (qi < count)
            {
                int q = pa[qi];
                double* vp = pv + (long)q * n;
                var b = Vector256.Create(x0[q]);
                a0 = Fma.MultiplyAdd(b, Avx.LoadVector256(vp), a0);
                a1 = Fma.MultiplyAdd(b, Avx.LoadVector256(vp + 4), a1);
            }
            double* y0 = Row(py, r, n, rowsPerGroup, groupStride);
            Store(y0, Avx.Add(a0, e0), va, accumulate);
            Store(y0 + 4, Avx.Add(a1, e1), va, accumulate);
        }
    }

    /// <summary>Columns [j, j + 4) of Y for every row.</summary>
    private static void Panel4(double* px, int m, int k, int* pa, int count, double* pv, int n, double* py, int rowsPerGroup, int groupStride, double alpha, bool accumulate)
    {
        var va = Vector256.Create(alpha);
        int r = 0;
        for (; r + 4 <= m; r += 4)
        {
            double* x0 = px + (long)r * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k;
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int qi = 0; qi < count; qi++)
            {
                int q = pa[qi];
                var v0 = Avx.LoadVector256(pv + (long)q * n);
                a0 = Fma.MultiplyAdd(Vector256.Create(x0[q]), v0, a0);
                a1 = Fma.MultiplyAdd(Vector256.Create(x1[q]), v0, a1);
                a2 = Fma.MultiplyAdd(Vector256.Create(x2[q]), v0, a2);
                a3 = Fma.MultiplyAdd(Vector256.Create(x3[q]), v0, a3);
            }
            Store(Row(py, r, n, rowsPerGroup, groupStride), a0, va, accumulate);
            Store(Row(py, r + 1, n, rowsPerGroup, groupStride), a1, va, accumulate);
            Store(Row(py, r + 2, n, rowsPerGroup, groupStride), a2, va, accumulate);
            Store(Row(py, r + 3, n, rowsPerGroup, groupStride), a3, va, accumulate);
        }
        for (; r < m; r++)
        {
            double* x0 = px + (long)r * k;
            Vector256<double> a0 = default;
            for (int qi = 0; qi < count; qi++)
            {
                int q = pa[qi];
                a0 = Fma.MultiplyAdd(Vector256.Create(x0[q]), Avx.LoadVector256(pv + (long)q * n), a0);
            }
            Store(Row(py, r, n, rowsPerGroup, groupStride), a0, va, accumulate);
        }
    }

    /// <summary>
    /// The inner indices q &lt; k for which some row of X (m × k) is not zero, ascending; returns their number.
    /// <paramref name="bits"/> (length ≥ k) is scratch: the OR over rows of each column's bits without the sign
    /// (zero exactly when every entry of the column is ±0).
    /// </summary>
    public static int ActiveColumns(ReadOnlySpan<double> x, int m, int k, Span<ulong> bits, Span<int> active)
    {
        if (x.Length < m * k || bits.Length < k || active.Length < k) throw new ArgumentException("NiceGemm: a buffer is shorter than the shape");
        const ulong magnitude = 0x7FFF_FFFF_FFFF_FFFFUL;
        fixed (double* px = x)
        fixed (ulong* pb = bits)
        {
            new Span<ulong>(pb, k).Clear();
            var mask = Vector256.Create(magnitude);
            for (int r = 0; r < m; r++)
            {
                ulong* row = (ulong*)(px + (long)r * k);
                int q = 0;
                for (; q + 4 <= k; q += 4)
                    Vector256.Store(Vector256.BitwiseOr(Vector256.Load(pb + q), Vector256.BitwiseAnd(Vector256.Load(row + q), mask)), pb + q);
                for (; q < k; q++) pb[q] |= row[q] & magnitude;
            }
        }
        int count = 0;
        for (int q = 0; q < k; q++)
            if (bits[q] != 0) active[count++] = q;
        return count;
    }

    /// <summary>0, 1, …, k − 1 (every inner index active).</summary>
    public static void All(Span<int> active, int k)
    {
        for (int q = 0; q < k; q++) active[q] = q;
    }
}
