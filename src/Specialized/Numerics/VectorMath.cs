using System.Numerics;
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
}
