using System.Numerics;
using System.Runtime.InteropServices;

namespace Specialized.Models;

/// <summary>Small SIMD kernels (System.Numerics.Vector) used by the model code.</summary>
internal static class VectorMath
{
    /// <summary>Σ_k a_k b_k.</summary>
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

    /// <summary>y ← y + a x.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, k = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var va = new Vector<double>(a);
            for (int v = 0; v < vx.Length; v++) vy[v] += va * vx[v];
            k = vx.Length * Vector<double>.Count;
        }
        for (; k < n; k++) y[k] += a * x[k];
    }
}
