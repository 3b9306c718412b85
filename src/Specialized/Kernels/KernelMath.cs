using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Specialized.Kernels;

/// <summary>
/// The small dense loops generated kernels call for the n and species dimensions (the l and m
/// structure is unrolled in the generated code), vectorised with <see cref="Vector{T}"/> when available.
/// Operations are separate multiplies and adds (results equal the generic path's scalar loops wherever the
/// summation order matches), except where a method says it fuses them (FMA, with AVX2+FMA only).
/// Lengths are taken from the first operand; the others must be at least as long (checked).
/// </summary>
public static class KernelMath
{
    /// <summary>Every lane = <paramref name="value"/> (a broadcast constant in the generated SIMD kernels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Broadcast(double value) => Vector256.Create(value);

    /// <summary>Stores the 4 lanes of <paramref name="value"/> at destination[offset … offset + 3] (unchecked: the caller sized the block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> value, ref double destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

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
    /// Scaled Gram matrix of two column blocks of a strided matrix (the per-l power-spectrum product), overwriting dst:
    /// <code>
    ///   dst[i · n + j] = scale · Σ_{m &lt; rows} c[m · stride + o1 + i] · c[m · stride + o2 + j],   i, j &lt; n
    /// </code>
    /// With AVX2+FMA and n = 8 the 8 × 8 result is accumulated in registers (two halves of four rows, fused multiply–adds).
    /// </summary>
    public static void Gram(ReadOnlySpan<double> c, int rows, int stride, int o1, int o2, int n, double scale, Span<double> dst)
    {
        if (rows <= 0 || o1 < 0 || o2 < 0 || dst.Length < n * n || c.Length < (rows - 1) * stride + Math.Max(o1, o2) + n) Throw();
        ref double cr = ref MemoryMarshal.GetReference(c);
        ref double dr = ref MemoryMarshal.GetReference(dst);
        if (Fma.IsSupported && n == 8)
        {
            var vs = Vector256.Create(scale);
            for (int half = 0; half < 8; half += 4)
            {
                ref double u = ref Unsafe.Add(ref cr, o1 + half);
                ref double v = ref Unsafe.Add(ref cr, o2);
                Vector256<double> a0 = default, b0 = default, a1 = default, b1 = default, a2 = default, b2 = default, a3 = default, b3 = default;
                for (int m = 0; m < rows; m++, u = ref Unsafe.Add(ref u, stride), v = ref Unsafe.Add(ref v, stride))
                {
                    var lo = Vector256.LoadUnsafe(ref v);
                    var hi = Vector256.LoadUnsafe(ref v, 4);
                    var x = Vector256.Create(u);
                    a0 = Fma.MultiplyAdd(x, lo, a0); b0 = Fma.MultiplyAdd(x, hi, b0);
                    x = Vector256.Create(Unsafe.Add(ref u, 1));
                    a1 = Fma.MultiplyAdd(x, lo, a1); b1 = Fma.MultiplyAdd(x, hi, b1);
                    x = Vector256.Create(Unsafe.Add(ref u, 2));
                    a2 = Fma.MultiplyAdd(x, lo, a2); b2 = Fma.MultiplyAdd(x, hi, b2);
                    x = Vector256.Create(Unsafe.Add(ref u, 3));
                    a3 = Fma.MultiplyAdd(x, lo, a3); b3 = Fma.MultiplyAdd(x, hi, b3);
                }
                ref double row = ref Unsafe.Add(ref dr, 8 * half);
                (a0 * vs).StoreUnsafe(ref row); (b0 * vs).StoreUnsafe(ref row, 4);
                (a1 * vs).StoreUnsafe(ref row, 8); (b1 * vs).StoreUnsafe(ref row, 12);
                (a2 * vs).StoreUnsafe(ref row, 16); (b2 * vs).StoreUnsafe(ref row, 20);
                (a3 * vs).StoreUnsafe(ref row, 24); (b3 * vs).StoreUnsafe(ref row, 28);
            }
            return;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int m = 0; m < rows; m++) sum += Unsafe.Add(ref cr, m * stride + o1 + i) * Unsafe.Add(ref cr, m * stride + o2 + j);
                Unsafe.Add(ref dr, i * n + j) = scale * sum;
            }
    }

    /// <summary>
    /// One n × n block of a power-spectrum pair gradient (MATH §4.2), added to <paramref name="plus"/> and, when not
    /// empty, subtracted from <paramref name="minus"/> (the neighbour's and the centre's position-gradient rows):
    /// <code>
    ///   X[i][j] = s (u_d R'[i] α[j] + R[i] β[j])          (β empty: 0)
    ///   w = X (transposed = 1: Xᵀ; transposed = 2: X + Xᵀ),   plus[i·n + j] += w[i][j],   minus[i·n + j] −= w[i][j]
    /// </code>
    /// With AVX2+FMA and n = 8 each row is one or two rank-2 updates of two vectors (fused multiply–adds).
    /// </summary>
    /// <param name="s">Block scale s_{a1a2} (−1)^l/√(2l+1).</param>
    /// <param name="ud">u_d = v_d/r.</param>
    /// <param name="dRadial">R' = d(F I_l)/dr, n values.</param>
    /// <param name="radial">R = F I_l, n values.</param>
    /// <param name="alpha">α = Σ_m Y_lm c_lm[a], n values.</param>
    /// <param name="beta">β = Σ_m ∂_d Y_lm c_lm[a], n values, or empty (l = 0).</param>
    /// <param name="transposed">0: X, 1: Xᵀ, 2: X + Xᵀ.</param>
    /// <param name="plus">Block receiving +w.</param>
    /// <param name="minus">Block receiving −w, or empty.</param>
    public static void AddPowerSpectrumPairGradient(double s, double ud, ReadOnlySpan<double> dRadial, ReadOnlySpan<double> radial,
        ReadOnlySpan<double> alpha, ReadOnlySpan<double> beta, int transposed, Span<double> plus, Span<double> minus)
    {
        int n = dRadial.Length;
        bool hasBeta = !beta.IsEmpty, hasMinus = !minus.IsEmpty;
        if (radial.Length < n || alpha.Length < n || (hasBeta && beta.Length < n) || plus.Length < n * n || (hasMinus && minus.Length < n * n)
            || (uint)transposed > 2) Throw();
        ref double drr = ref MemoryMarshal.GetReference(dRadial);
        ref double rr = ref MemoryMarshal.GetReference(radial);
        ref double ar = ref MemoryMarshal.GetReference(alpha);
        ref double br = ref hasBeta ? ref MemoryMarshal.GetReference(beta) : ref ar;   // unused (bs = 0) when absent
        ref double pr = ref MemoryMarshal.GetReference(plus);
        ref double mr = ref hasMinus ? ref MemoryMarshal.GetReference(minus) : ref pr;
        double sd = s * ud, bs = hasBeta ? s : 0.0;
        if (Fma.IsSupported && n == 8)
        {
            // row i of X: (s u_d R'[i]) α + (s R[i]) β;  row i of Xᵀ: α[i] (s u_d R') + β[i] (s R)
            var a0 = Vector256.LoadUnsafe(ref ar); var a1 = Vector256.LoadUnsafe(ref ar, 4);
            var b0 = hasBeta ? Vector256.LoadUnsafe(ref br) : default; var b1 = hasBeta ? Vector256.LoadUnsafe(ref br, 4) : default;
            var vsd = Vector256.Create(sd);
            var d0 = Vector256.LoadUnsafe(ref drr) * vsd; var d1 = Vector256.LoadUnsafe(ref drr, 4) * vsd;
            var vbs = Vector256.Create(bs);
            var r0 = Vector256.LoadUnsafe(ref rr) * vbs; var r1 = Vector256.LoadUnsafe(ref rr, 4) * vbs;
            for (int i = 0; i < 8; i++)
            {
                Vector256<double> w0, w1;
                if (transposed == 1)
                {
                    var x = Vector256.Create(Unsafe.Add(ref ar, i));
                    var y = Vector256.Create(hasBeta ? Unsafe.Add(ref br, i) : 0.0);
                    w0 = Fma.MultiplyAdd(x, d0, y * r0);
                    w1 = Fma.MultiplyAdd(x, d1, y * r1);
                }
                else
                {
                    var x = Vector256.Create(sd * Unsafe.Add(ref drr, i));
                    var y = Vector256.Create(bs * Unsafe.Add(ref rr, i));
                    w0 = Fma.MultiplyAdd(x, a0, y * b0);
                    w1 = Fma.MultiplyAdd(x, a1, y * b1);
                    if (transposed == 2)
                    {
                        x = Vector256.Create(Unsafe.Add(ref ar, i));
                        y = Vector256.Create(hasBeta ? Unsafe.Add(ref br, i) : 0.0);
                        w0 = Fma.MultiplyAdd(x, d0, Fma.MultiplyAdd(y, r0, w0));
                        w1 = Fma.MultiplyAdd(x, d1, Fma.MultiplyAdd(y, r1, w1));
                    }
                }
                ref double p = ref Unsafe.Add(ref pr, 8 * i);
                (Vector256.LoadUnsafe(ref p) + w0).StoreUnsafe(ref p);
                (Vector256.LoadUnsafe(ref p, 4) + w1).StoreUnsafe(ref p, 4);
                if (hasMinus)
                {
                    ref double m = ref Unsafe.Add(ref mr, 8 * i);
                    (Vector256.LoadUnsafe(ref m) - w0).StoreUnsafe(ref m);
                    (Vector256.LoadUnsafe(ref m, 4) - w1).StoreUnsafe(ref m, 4);
                }
            }
            return;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double w = 0;
                if (transposed != 1) w += sd * Unsafe.Add(ref drr, i) * Unsafe.Add(ref ar, j) + (hasBeta ? bs * Unsafe.Add(ref rr, i) * Unsafe.Add(ref br, j) : 0.0);
                if (transposed != 0) w += sd * Unsafe.Add(ref ar, i) * Unsafe.Add(ref drr, j) + (hasBeta ? bs * Unsafe.Add(ref br, i) * Unsafe.Add(ref rr, j) : 0.0);
                Unsafe.Add(ref pr, i * n + j) += w;
                if (hasMinus) Unsafe.Add(ref mr, i * n + j) -= w;
            }
    }

    /// <summary>
    /// The four contractions of one pair's harmonics of degree l with the l rows of c (power-spectrum gradients):
    /// <code>
    ///   result[w] = Σ_{m &lt; rows} ylm[4 m] c[m · width + w],   result[(1 + d) · width + w] = Σ_m dylm[d · directionStride + 4 m] c[m · width + w]
    /// </code>
    /// (ylm and dylm lane-strided as in a harmonics block). Vectorised over w, the four sums held in registers across m.
    /// </summary>
    public static void ContractHarmonics(ReadOnlySpan<double> c, int rows, int width, ReadOnlySpan<double> ylm, ReadOnlySpan<double> dylm,
        int directionStride, Span<double> result)
    {
        if (rows <= 0 || width <= 0 || c.Length < rows * width || ylm.Length <= 4 * (rows - 1) || dylm.Length <= 2 * directionStride + 4 * (rows - 1)
            || result.Length < 4 * width) Throw();
        ref double cr = ref MemoryMarshal.GetReference(c);
        ref double yr = ref MemoryMarshal.GetReference(ylm);
        ref double xr = ref MemoryMarshal.GetReference(dylm);
        ref double rr = ref MemoryMarshal.GetReference(result);
        int w = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; w <= width - 4; w += 4)
            {
                Vector256<double> a = default, bx = default, by = default, bz = default;
                for (int m = 0; m < rows; m++)
                {
                    var cv = Vector256.LoadUnsafe(ref cr, (nuint)(m * width + w));
                    a = MulAdd(Vector256.Create(Unsafe.Add(ref yr, 4 * m)), cv, a);
                    bx = MulAdd(Vector256.Create(Unsafe.Add(ref xr, 4 * m)), cv, bx);
                    by = MulAdd(Vector256.Create(Unsafe.Add(ref xr, directionStride + 4 * m)), cv, by);
                    bz = MulAdd(Vector256.Create(Unsafe.Add(ref xr, 2 * directionStride + 4 * m)), cv, bz);
                }
                a.StoreUnsafe(ref rr, (nuint)w);
                bx.StoreUnsafe(ref rr, (nuint)(width + w));
                by.StoreUnsafe(ref rr, (nuint)(2 * width + w));
                bz.StoreUnsafe(ref rr, (nuint)(3 * width + w));
            }
        }
        for (; w < width; w++)
        {
            double a = 0, bx = 0, by = 0, bz = 0;
            for (int m = 0; m < rows; m++)
            {
                double cv = Unsafe.Add(ref cr, m * width + w);
                a += Unsafe.Add(ref yr, 4 * m) * cv;
                bx += Unsafe.Add(ref xr, 4 * m) * cv;
                by += Unsafe.Add(ref xr, directionStride + 4 * m) * cv;
                bz += Unsafe.Add(ref xr, 2 * directionStride + 4 * m) * cv;
            }
            Unsafe.Add(ref rr, w) = a;
            Unsafe.Add(ref rr, width + w) = bx;
            Unsafe.Add(ref rr, 2 * width + w) = by;
            Unsafe.Add(ref rr, 3 * width + w) = bz;
        }
    }

    /// <summary>a · b + c, fused when the hardware has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> MulAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    /// <summary>
    /// Rank-2 update of an n × n accumulator (one pair's term of a position-gradient row, MATH §4.2):
    /// <code>
    ///   acc[i · n + j] += u_d R'[i] α[j] + R[i] β[j]
    /// </code>
    /// With AVX2+FMA and n = 8: two fused multiply–adds per half-row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateRank2(double ud, ReadOnlySpan<double> dRadial, ReadOnlySpan<double> radial, ReadOnlySpan<double> alpha,
        ReadOnlySpan<double> beta, Span<double> acc)
    {
        int n = dRadial.Length;
        if (radial.Length < n || alpha.Length < n || beta.Length < n || acc.Length < n * n) Throw();
        ref double drr = ref MemoryMarshal.GetReference(dRadial);
        ref double rr = ref MemoryMarshal.GetReference(radial);
        ref double ar = ref MemoryMarshal.GetReference(alpha);
        ref double br = ref MemoryMarshal.GetReference(beta);
        ref double pr = ref MemoryMarshal.GetReference(acc);
        if (Fma.IsSupported && n == 8)
        {
            var a0 = Vector256.LoadUnsafe(ref ar); var a1 = Vector256.LoadUnsafe(ref ar, 4);
            var b0 = Vector256.LoadUnsafe(ref br); var b1 = Vector256.LoadUnsafe(ref br, 4);
            for (int i = 0; i < 8; i++)
            {
                var x = Vector256.Create(ud * Unsafe.Add(ref drr, i));
                var y = Vector256.Create(Unsafe.Add(ref rr, i));
                ref double p = ref Unsafe.Add(ref pr, 8 * i);
                Fma.MultiplyAdd(x, a0, Fma.MultiplyAdd(y, b0, Vector256.LoadUnsafe(ref p))).StoreUnsafe(ref p);
                Fma.MultiplyAdd(x, a1, Fma.MultiplyAdd(y, b1, Vector256.LoadUnsafe(ref p, 4))).StoreUnsafe(ref p, 4);
            }
            return;
        }
        for (int i = 0; i < n; i++)
        {
            double x = ud * Unsafe.Add(ref drr, i), y = Unsafe.Add(ref rr, i);
            for (int j = 0; j < n; j++) Unsafe.Add(ref pr, i * n + j) += x * Unsafe.Add(ref ar, j) + y * Unsafe.Add(ref br, j);
        }
    }

    /// <summary>
    /// block[i · n + j] += s (x[i · n + j] + y[j · n + i]) for n × n matrices (n² = block length): a species-pair block of a
    /// power-spectrum gradient from its two accumulated halves.
    /// </summary>
    public static void AddSymmetrized(double s, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> block)
    {
        int nn = block.Length, n = (int)Math.Sqrt(nn);
        if (n * n != nn || x.Length < nn || y.Length < nn) Throw();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) block[i * n + j] += s * (x[i * n + j] + y[j * n + i]);
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
