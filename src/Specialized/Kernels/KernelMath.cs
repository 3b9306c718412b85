using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Specialized.Kernels;

/// <summary>
/// The small dense loops generated kernels call for the n and species dimensions (the l and m
/// structure is unrolled in the generated code). Every operation is a separate multiply and add
/// (no fused multiply–add), vectorised with <see cref="Vector{T}"/> when available, so results
/// equal the scalar loops of the generic path to the last bit wherever the summation order matches.
/// Lengths are taken from the first operand; the others must be at least as long (checked).
/// </summary>
public static class KernelMath
{
    /// <summary>y[k] += a · x[k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length;
        if (y.Length < n) Throw();
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        int k = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = new Vector<double>(a);
            for (; k <= n - Vector<double>.Count; k += Vector<double>.Count)
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref yr, (nuint)k) + va * Vector.LoadUnsafe(ref xr, (nuint)k), ref yr, (nuint)k);
        }
        for (; k < n; k++) Unsafe.Add(ref yr, k) += a * Unsafe.Add(ref xr, k);
    }

    /// <summary>dst[k] = a · x[k] (overwrites).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScaleInto(double a, ReadOnlySpan<double> x, Span<double> dst)
    {
        int n = x.Length;
        if (dst.Length < n) Throw();
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double dr = ref MemoryMarshal.GetReference(dst);
        int k = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = new Vector<double>(a);
            for (; k <= n - Vector<double>.Count; k += Vector<double>.Count)
                Vector.StoreUnsafe(va * Vector.LoadUnsafe(ref xr, (nuint)k), ref dr, (nuint)k);
        }
        for (; k < n; k++) Unsafe.Add(ref dr, k) = a * Unsafe.Add(ref xr, k);
    }

    /// <summary>x[k] *= a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale(Span<double> x, double a)
    {
        int n = x.Length;
        ref double xr = ref MemoryMarshal.GetReference(x);
        int k = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = new Vector<double>(a);
            for (; k <= n - Vector<double>.Count; k += Vector<double>.Count)
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref xr, (nuint)k) * va, ref xr, (nuint)k);
        }
        for (; k < n; k++) Unsafe.Add(ref xr, k) *= a;
    }

    /// <summary>dst[k] = a · x[k] + b · y[k] (overwrites).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Combine(double a, ReadOnlySpan<double> x, double b, ReadOnlySpan<double> y, Span<double> dst)
    {
        int n = x.Length;
        if (y.Length < n || dst.Length < n) Throw();
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        ref double dr = ref MemoryMarshal.GetReference(dst);
        int k = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = new Vector<double>(a);
            var vb = new Vector<double>(b);
            for (; k <= n - Vector<double>.Count; k += Vector<double>.Count)
                Vector.StoreUnsafe(va * Vector.LoadUnsafe(ref xr, (nuint)k) + vb * Vector.LoadUnsafe(ref yr, (nuint)k), ref dr, (nuint)k);
        }
        for (; k < n; k++) Unsafe.Add(ref dr, k) = a * Unsafe.Add(ref xr, k) + b * Unsafe.Add(ref yr, k);
    }

    /// <summary>
    /// Rank-1 update of a row-major matrix: dst[i · v.Length + j] += u[i] · v[j]
    /// (i &lt; u.Length, j &lt; v.Length).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddOuter(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> dst) =>
        AddOuter(u, v, dst, v.Length);

    /// <summary>
    /// Rank-1 update of a strided matrix: dst[i · stride + j] += u[i] · v[j] (i &lt; u.Length, j &lt; v.Length).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddOuter(ReadOnlySpan<double> u, ReadOnlySpan<double> v, Span<double> dst, int stride)
    {
        int rows = u.Length, n = v.Length;
        if (rows == 0) return;
        if (stride < n || dst.Length < (rows - 1) * stride + n) Throw();
        ref double ur = ref MemoryMarshal.GetReference(u);
        ref double vr = ref MemoryMarshal.GetReference(v);
        ref double dr = ref MemoryMarshal.GetReference(dst);
        if (Vector.IsHardwareAccelerated && n == 2 * Vector<double>.Count)
        {
            // The common N = 8 (AVX2) case: v stays in two registers for all rows.
            var v0 = Vector.LoadUnsafe(ref vr);
            var v1 = Vector.LoadUnsafe(ref vr, (nuint)Vector<double>.Count);
            for (int i = 0; i < rows; i++)
            {
                var va = new Vector<double>(Unsafe.Add(ref ur, i));
                ref double row = ref Unsafe.Add(ref dr, i * stride);
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref row) + va * v0, ref row);
                Vector.StoreUnsafe(Vector.LoadUnsafe(ref row, (nuint)Vector<double>.Count) + va * v1, ref row, (nuint)Vector<double>.Count);
            }
            return;
        }
        for (int i = 0; i < rows; i++)
        {
            double a = Unsafe.Add(ref ur, i);
            ref double row = ref Unsafe.Add(ref dr, i * stride);
            int k = 0;
            if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
            {
                var va = new Vector<double>(a);
                for (; k <= n - Vector<double>.Count; k += Vector<double>.Count)
                    Vector.StoreUnsafe(Vector.LoadUnsafe(ref row, (nuint)k) + va * Vector.LoadUnsafe(ref vr, (nuint)k), ref row, (nuint)k);
            }
            for (; k < n; k++) Unsafe.Add(ref row, k) += a * Unsafe.Add(ref vr, k);
        }
    }

    /// <summary>
    /// Rank-2 update of a row-major matrix: dst[i · n + j] (= or +=) (a1 · u1[i]) · v1[j] + (a2 · u2[i]) · v2[j],
    /// n = v1.Length, i &lt; u1.Length (u2 at least as long as u1, v2 as v1); overwrites unless <paramref name="accumulate"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Outer2(double a1, ReadOnlySpan<double> u1, ReadOnlySpan<double> v1, double a2, ReadOnlySpan<double> u2, ReadOnlySpan<double> v2,
        Span<double> dst, bool accumulate)
    {
        int rows = u1.Length, n = v1.Length;
        if (u2.Length < rows || v2.Length < n || dst.Length < rows * n) Throw();
        ref double v1r = ref MemoryMarshal.GetReference(v1);
        ref double v2r = ref MemoryMarshal.GetReference(v2);
        ref double dr = ref MemoryMarshal.GetReference(dst);
        for (int i = 0; i < rows; i++)
        {
            double b1 = a1 * u1[i], b2 = a2 * u2[i];
            ref double row = ref Unsafe.Add(ref dr, i * n);
            int k = 0;
            if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
            {
                var vb1 = new Vector<double>(b1);
                var vb2 = new Vector<double>(b2);
                for (; k <= n - Vector<double>.Count; k += Vector<double>.Count)
                {
                    var v = vb1 * Vector.LoadUnsafe(ref v1r, (nuint)k) + vb2 * Vector.LoadUnsafe(ref v2r, (nuint)k);
                    if (accumulate) v = Vector.LoadUnsafe(ref row, (nuint)k) + v;
                    Vector.StoreUnsafe(v, ref row, (nuint)k);
                }
            }
            for (; k < n; k++)
            {
                double v = b1 * Unsafe.Add(ref v1r, k) + b2 * Unsafe.Add(ref v2r, k);
                Unsafe.Add(ref row, k) = accumulate ? Unsafe.Add(ref row, k) + v : v;
            }
        }
    }

    private static void Throw() => throw new ArgumentException("span too short for the kernel operation");
}
