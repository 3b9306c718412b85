using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Specialized.Numerics;

/// <summary>
/// Element-wise kernels on contiguous double spans, the only explicit SIMD of the generic path:
/// <see cref="Vector{T}"/> over the bulk, a scalar loop over the tail. Products and sums are rounded
/// separately (no fused multiply-add), so every element equals the plain scalar loop's result bit for
/// bit, whatever the vector width of the machine.
/// </summary>
internal static class VectorMath
{
    /// <summary>
    /// Σ_k a_k b_k. The bulk is summed in Vector&lt;double&gt; lanes and the lanes are added at the end, so
    /// unlike the element-wise kernels the rounding of a dot product depends on the vector width.
    /// </summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length, k = 0;
        double acc = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..n]);
            var sum = Vector<double>.Zero;
            for (int v = 0; v < va.Length; v++) sum += va[v] * vb[v];
            acc = Vector.Sum(sum);
            k = va.Length * Vector<double>.Count;
        }
        for (; k < n; k++) acc += a[k] * b[k];
        return acc;
    }

    /// <summary>y[k] += a · x[k] for k &lt; x.Length.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        y = y[..x.Length];
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            var av = new Vector<double>(a);
            for (int v = 0; v < xv.Length; v++) yv[v] += av * xv[v];
            k = xv.Length * Vector<double>.Count;
        }
        for (; k < x.Length; k++) y[k] += a * x[k];
    }

    /// <summary>z[k] += a · x[k] + b · y[k] for k &lt; z.Length.</summary>
    public static void Axpy2(double a, ReadOnlySpan<double> x, double b, ReadOnlySpan<double> y, Span<double> z)
    {
        int n = z.Length, k = 0;
        x = x[..n];
        y = y[..n];
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            var zv = MemoryMarshal.Cast<double, Vector<double>>(z);
            var av = new Vector<double>(a);
            var bv = new Vector<double>(b);
            for (int v = 0; v < zv.Length; v++) zv[v] = zv[v] + av * xv[v] + bv * yv[v];
            k = zv.Length * Vector<double>.Count;
        }
        for (; k < n; k++) z[k] += a * x[k] + b * y[k];
    }

    /// <summary>y[k] = a · x[k] for k &lt; x.Length.</summary>
    public static void Scale(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        y = y[..x.Length];
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            var av = new Vector<double>(a);
            for (int v = 0; v < xv.Length; v++) yv[v] = av * xv[v];
            k = xv.Length * Vector<double>.Count;
        }
        for (; k < x.Length; k++) y[k] = a * x[k];
    }

    /// <summary>y[k] += x[k] for k &lt; x.Length.</summary>
    public static void Add(ReadOnlySpan<double> x, Span<double> y)
    {
        y = y[..x.Length];
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            for (int v = 0; v < xv.Length; v++) yv[v] += xv[v];
            k = xv.Length * Vector<double>.Count;
        }
        for (; k < x.Length; k++) y[k] += x[k];
    }

    /// <summary>
    /// plus[k] += x[k], then minus[k] −= x[k], element by element for k &lt; x.Length: <see cref="Add"/> and
    /// <see cref="Subtract"/> in one pass over x (bitwise the same, also when plus and minus are the same span).
    /// </summary>
    public static void AddSubtract(ReadOnlySpan<double> x, Span<double> plus, Span<double> minus)
    {
        plus = plus[..x.Length];
        minus = minus[..x.Length];
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var pv = MemoryMarshal.Cast<double, Vector<double>>(plus);
            var mv = MemoryMarshal.Cast<double, Vector<double>>(minus);
            for (int v = 0; v < xv.Length; v++)
            {
                var xk = xv[v];
                pv[v] += xk;
                mv[v] -= xk;
            }
            k = xv.Length * Vector<double>.Count;
        }
        for (; k < x.Length; k++)
        {
            plus[k] += x[k];
            minus[k] -= x[k];
        }
    }

    /// <summary>y[k] −= x[k] for k &lt; x.Length.</summary>
    public static void Subtract(ReadOnlySpan<double> x, Span<double> y)
    {
        y = y[..x.Length];
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            for (int v = 0; v < xv.Length; v++) yv[v] -= xv[v];
            k = xv.Length * Vector<double>.Count;
        }
        for (; k < x.Length; k++) y[k] -= x[k];
    }

    /// <summary>dst[k] = a · x[k] + b · z[k] for k &lt; x.Length.</summary>
    public static void LinearCombination(double a, ReadOnlySpan<double> x, double b, ReadOnlySpan<double> z, Span<double> dst)
    {
        z = z[..x.Length];
        dst = dst[..x.Length];
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var zv = MemoryMarshal.Cast<double, Vector<double>>(z);
            var dv = MemoryMarshal.Cast<double, Vector<double>>(dst);
            var av = new Vector<double>(a);
            var bv = new Vector<double>(b);
            for (int v = 0; v < xv.Length; v++) dv[v] = av * xv[v] + bv * zv[v];
            k = xv.Length * Vector<double>.Count;
        }
        for (; k < x.Length; k++) dst[k] = a * x[k] + b * z[k];
    }

    /// <summary>
    /// output[i·n2 + j] += Σ_{k &lt; count} (scale · x[k·xStride + i]) · y[k·yStride + j] for i &lt; n1, j &lt; n2:
    /// a sum of <paramref name="count"/> scaled outer products (XᵀY for row-major X, Y with row strides).
    /// Each output element accumulates k = 0, 1, … in order, held in a register across k. The bulk runs
    /// on 2 rows × 4 vectors, then 2 rows × 2 vectors (eight or four independent accumulators, so
    /// consecutive k do not wait on one another's additions, and each y load serves two rows); the
    /// order of the sum of every element is the same as the one-row loop.
    /// </summary>
    public static void AccumulateOuterProducts(ReadOnlySpan<double> x, int xStride, ReadOnlySpan<double> y, int yStride,
        int count, int n1, int n2, double scale, Span<double> output)
    {
        if (count == 0) return;
        x = x[..((count - 1) * xStride + n1)];
        y = y[..((count - 1) * yStride + n2)];
        output = output[..(n1 * n2)];
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<double>.Count;
            // Bounds: the slices above hold every element read or written below.
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double yr = ref MemoryMarshal.GetReference(y);
            ref double or = ref MemoryMarshal.GetReference(output);
            for (; i + 2 <= n1; i += 2)
            {
                int j = 0;
                for (; j + 4 * width <= n2; j += 4 * width)
                {
                    ref double o0 = ref Unsafe.Add(ref or, i * n2 + j);
                    ref double o1 = ref Unsafe.Add(ref or, (i + 1) * n2 + j);
                    var a00 = Vector.LoadUnsafe(ref o0);
                    var a01 = Vector.LoadUnsafe(ref o0, (nuint)width);
                    var a02 = Vector.LoadUnsafe(ref o0, (nuint)(2 * width));
                    var a03 = Vector.LoadUnsafe(ref o0, (nuint)(3 * width));
                    var a10 = Vector.LoadUnsafe(ref o1);
                    var a11 = Vector.LoadUnsafe(ref o1, (nuint)width);
                    var a12 = Vector.LoadUnsafe(ref o1, (nuint)(2 * width));
                    var a13 = Vector.LoadUnsafe(ref o1, (nuint)(3 * width));
                    for (int k = 0; k < count; k++)
                    {
                        ref double yk = ref Unsafe.Add(ref yr, k * yStride + j);
                        ref double xk = ref Unsafe.Add(ref xr, k * xStride + i);
                        var s0 = new Vector<double>(scale * xk);
                        var s1 = new Vector<double>(scale * Unsafe.Add(ref xk, 1));
                        var y0 = Vector.LoadUnsafe(ref yk);
                        var y1 = Vector.LoadUnsafe(ref yk, (nuint)width);
                        var y2 = Vector.LoadUnsafe(ref yk, (nuint)(2 * width));
                        var y3 = Vector.LoadUnsafe(ref yk, (nuint)(3 * width));
                        a00 += s0 * y0;
                        a01 += s0 * y1;
                        a02 += s0 * y2;
                        a03 += s0 * y3;
                        a10 += s1 * y0;
                        a11 += s1 * y1;
                        a12 += s1 * y2;
                        a13 += s1 * y3;
                    }
                    a00.StoreUnsafe(ref o0);
                    a01.StoreUnsafe(ref o0, (nuint)width);
                    a02.StoreUnsafe(ref o0, (nuint)(2 * width));
                    a03.StoreUnsafe(ref o0, (nuint)(3 * width));
                    a10.StoreUnsafe(ref o1);
                    a11.StoreUnsafe(ref o1, (nuint)width);
                    a12.StoreUnsafe(ref o1, (nuint)(2 * width));
                    a13.StoreUnsafe(ref o1, (nuint)(3 * width));
                }
                for (; j + 2 * width <= n2; j += 2 * width)
                {
                    ref double o0 = ref Unsafe.Add(ref or, i * n2 + j);
                    ref double o1 = ref Unsafe.Add(ref or, (i + 1) * n2 + j);
                    var a00 = Vector.LoadUnsafe(ref o0);
                    var a01 = Vector.LoadUnsafe(ref o0, (nuint)width);
                    var a10 = Vector.LoadUnsafe(ref o1);
                    var a11 = Vector.LoadUnsafe(ref o1, (nuint)width);
                    for (int k = 0; k < count; k++)
                    {
                        ref double yk = ref Unsafe.Add(ref yr, k * yStride + j);
                        var y0 = Vector.LoadUnsafe(ref yk);
                        var y1 = Vector.LoadUnsafe(ref yk, (nuint)width);
                        ref double xk = ref Unsafe.Add(ref xr, k * xStride + i);
                        var s0 = new Vector<double>(scale * xk);
                        var s1 = new Vector<double>(scale * Unsafe.Add(ref xk, 1));
                        a00 += s0 * y0;
                        a01 += s0 * y1;
                        a10 += s1 * y0;
                        a11 += s1 * y1;
                    }
                    a00.StoreUnsafe(ref o0);
                    a01.StoreUnsafe(ref o0, (nuint)width);
                    a10.StoreUnsafe(ref o1);
                    a11.StoreUnsafe(ref o1, (nuint)width);
                }
                OuterProductRow(x, xStride, y, yStride, count, i, j, n2, scale, output);
                OuterProductRow(x, xStride, y, yStride, count, i + 1, j, n2, scale, output);
            }
        }
        for (; i < n1; i++) OuterProductRow(x, xStride, y, yStride, count, i, 0, n2, scale, output);
    }

    /// <summary>Row i, columns j ≥ <paramref name="from"/>, of <see cref="AccumulateOuterProducts"/>: one vector, then scalars.</summary>
    private static void OuterProductRow(ReadOnlySpan<double> x, int xStride, ReadOnlySpan<double> y, int yStride,
        int count, int i, int from, int n2, double scale, Span<double> output)
    {
        var row = output.Slice(i * n2, n2);
        int width = Vector.IsHardwareAccelerated ? Vector<double>.Count : int.MaxValue;
        int j = from;
        for (; j + width <= n2; j += width)
        {
            var acc = new Vector<double>(row[j..]);
            for (int k = 0; k < count; k++)
                acc += new Vector<double>(scale * x[k * xStride + i]) * new Vector<double>(y.Slice(k * yStride + j, width));
            acc.CopyTo(row[j..]);
        }
        for (; j < n2; j++)
        {
            double sum = row[j];
            for (int k = 0; k < count; k++) sum += scale * x[k * xStride + i] * y[k * yStride + j];
            row[j] = sum;
        }
    }
}
