using System.Runtime.CompilerServices;

namespace Specialized.Angular;

/// <summary>
/// Real spherical harmonics <c>Y_lm(v/|v|)</c> of an unnormalised vector and their Cartesian gradients
/// (runtime only; the constants come from the portable <see cref="SphericalHarmonicsConstants"/>).
/// </summary>
/// <remarks>
/// <para>Convention (MATH §2.1): orthonormal "Wikipedia real form" without Condon–Shortley phase, as in
/// featomic, sphericart and librascal: <c>Y_1 = √(3/4π) (y, z, x)</c> for m = (−1, 0, +1),
/// <c>Y_lm(ẑ) = √((2l+1)/4π) δ_m0</c>.</para>
/// <para>Storage: flat index <c>l² + l + m</c> (m = −l..l), <see cref="Count"/> = (lMax+1)² values.
/// Gradients: <c>gradients[d·Count(lMax) + l² + l + m] = ∂Y_lm(v/|v|)/∂v_d</c>, d = 0, 1, 2 for x, y, z.</para>
/// <para>Algorithm (MATH §2.2): the vector is normalised to u, the Cartesian recursion for
/// <c>Q_l^m(u)</c> and <c>c_m, s_m</c> runs one row l at a time (Q_l^l from Q_{l−1}^{l−1}, then m downward),
/// and <c>Y = K Q c</c>. The gradient of the solid harmonic <c>Ỹ = r^l Y</c> at u is</para>
/// <code>
/// ∂Ỹ_{l,m}/∂x = K (x Q_{l−1}^{m+1} c_m + m Q_l^m c_{m−1})     ∂Ỹ_{l,−m}/∂x = K (x Q_{l−1}^{m+1} s_m + m Q_l^m s_{m−1})
/// ∂Ỹ_{l,m}/∂y = K (y Q_{l−1}^{m+1} c_m − m Q_l^m s_{m−1})     ∂Ỹ_{l,−m}/∂y = K (y Q_{l−1}^{m+1} s_m + m Q_l^m c_{m−1})
/// ∂Ỹ_{l,m}/∂z = K (l+m) Q_{l−1}^m c_m                          ∂Ỹ_{l,−m}/∂z = K (l+m) Q_{l−1}^m s_m
/// </code>
/// <para>and, because Ỹ is homogeneous of degree l (u·∇Ỹ = l Y), the gradient with respect to the
/// unnormalised v is <c>∇_v Y_lm(v/|v|) = (∇Ỹ_lm(u) − l Y_lm(u) u) / |v|</c>: orthogonal to v and
/// regular at the poles. Accuracy (tests): 5e-15 absolute against mpmath values for l ≤ 30 and 3e-14 absolute
/// against an independent polar-coordinate recursion for l ≤ <see cref="MaxDegree"/> = 100. No allocation per
/// call (stackalloc'd rows; constant tables shared, built once per process for the largest degree requested —
/// the first call with a new, larger lMax pays for the exact constants, ~0.1 s at l = 100).</para>
/// </remarks>
[SkipLocalsInit] // every stackalloc'd scratch row is written before it is read (the Q rows are cleared explicitly)
public static class SphericalHarmonics
{
    /// <summary>Largest supported degree.</summary>
    public const int MaxDegree = SphericalHarmonicsConstants.MaxDegree;

    /// <summary>Constant tables (triangular index l(l+1)/2 + m) for all l ≤ LMax.</summary>
    private sealed class Tables
    {
        public Tables(int lMax)
        {
            LMax = lMax;
            K = SphericalHarmonicsConstants.Prefactors(lMax);
            A = SphericalHarmonicsConstants.RecursionAs(lMax);
            B = SphericalHarmonicsConstants.RecursionBs(lMax);
        }

        public readonly int LMax;
        public readonly double[] K;
        public readonly double[] A;
        public readonly double[] B;
    }

    private static readonly object s_lock = new();
    private static volatile Tables s_tables = new(16);

    private static Tables GetTables(int lMax)
    {
        var t = s_tables;
        if (t.LMax >= lMax) return t;
        lock (s_lock)
        {
            if (s_tables.LMax < lMax) s_tables = new Tables(Math.Min(MaxDegree, Math.Max(lMax, 2 * s_tables.LMax)));
            return s_tables;
        }
    }

    /// <summary>Number of harmonics with l ≤ lMax: (lMax + 1)².</summary>
    public static int Count(int lMax) => (lMax + 1) * (lMax + 1);

    /// <summary>
    /// <c>values[l² + l + m] = Y_lm(v/|v|)</c> for l ≤ <paramref name="lMax"/>, v = (x, y, z) ≠ 0. No allocation.
    /// </summary>
    public static void Compute(int lMax, double x, double y, double z, Span<double> values)
    {
        CheckDegree(lMax);
        int count = Count(lMax);
        if (values.Length < count) throw new ArgumentException($"values needs {count} elements for lMax = {lMax}, got {values.Length}", nameof(values));
        Normalise(x, y, z, out double ux, out double uy, out double uz);
        var t = GetTables(lMax);
        double[] K = t.K, A = t.A, B = t.B;

        values[0] = K[0];
        if (lMax == 0) return;

        Span<double> c = stackalloc double[lMax + 1];
        Span<double> s = stackalloc double[lMax + 1];
        CosSin(lMax, ux, uy, c, s);
        Span<double> q = stackalloc double[lMax + 1];
        double rxy2 = ux * ux + uy * uy;
        double qll = 1.0; // Q_{l}^{l}
        for (int l = 1; l <= lMax; l++)
        {
            qll *= -(2 * l - 1);
            FillRow(l, qll, uz, rxy2, A, B, q);
            int tri = l * (l + 1) / 2;
            int centre = l * l + l;
            values[centre] = K[tri] * q[0];
            for (int m = 1; m <= l; m++)
            {
                double kq = K[tri + m] * q[m];
                values[centre + m] = kq * c[m];
                values[centre - m] = kq * s[m];
            }
        }
    }

    /// <summary>
    /// Values as <see cref="Compute"/> and gradients
    /// <c>gradients[d·Count(lMax) + l² + l + m] = ∂Y_lm(v/|v|)/∂v_d</c> (d = 0, 1, 2 ↔ x, y, z). No allocation.
    /// </summary>
    public static void ComputeWithGradients(int lMax, double x, double y, double z, Span<double> values, Span<double> gradients)
    {
        CheckDegree(lMax);
        int count = Count(lMax);
        if (values.Length < count) throw new ArgumentException($"values needs {count} elements for lMax = {lMax}, got {values.Length}", nameof(values));
        if (gradients.Length < 3 * count) throw new ArgumentException($"gradients needs {3 * count} elements for lMax = {lMax}, got {gradients.Length}", nameof(gradients));
        double r = Normalise(x, y, z, out double ux, out double uy, out double uz);
        double invR = 1.0 / r;
        var t = GetTables(lMax);
        double[] K = t.K, A = t.A, B = t.B;
        var gx = gradients.Slice(0, count);
        var gy = gradients.Slice(count, count);
        var gz = gradients.Slice(2 * count, count);

        values[0] = K[0];
        gx[0] = 0.0;
        gy[0] = 0.0;
        gz[0] = 0.0;
        if (lMax == 0) return;

        Span<double> c = stackalloc double[lMax + 1];
        Span<double> s = stackalloc double[lMax + 1];
        CosSin(lMax, ux, uy, c, s);
        // Two rows of Q, each padded with two zeros so that Q_{l−1}^{m+1} with m + 1 > l − 1 reads 0.
        Span<double> rowA = stackalloc double[lMax + 3];
        Span<double> rowB = stackalloc double[lMax + 3];
        rowA.Clear();
        rowB.Clear();
        Span<double> prev = rowA, cur = rowB;
        prev[0] = 1.0; // Q_0^0
        double rxy2 = ux * ux + uy * uy;
        for (int l = 1; l <= lMax; l++)
        {
            FillRow(l, -(2 * l - 1) * prev[l - 1], uz, rxy2, A, B, cur);
            cur[l + 1] = 0.0;
            cur[l + 2] = 0.0;
            int tri = l * (l + 1) / 2;
            int centre = l * l + l;

            // m = 0: Ỹ = K Q_l^0; ∇Ỹ = K (x Q_{l−1}^1, y Q_{l−1}^1, l Q_{l−1}^0).
            double k0 = K[tri];
            double y0 = k0 * cur[0];
            values[centre] = y0;
            Project(k0 * ux * prev[1], k0 * uy * prev[1], k0 * l * prev[0], l * y0, ux, uy, uz, invR,
                out gx[centre], out gy[centre], out gz[centre]);

            for (int m = 1; m <= l; m++)
            {
                double k = K[tri + m];
                double qlm = cur[m];
                double qUp = prev[m + 1];     // Q_{l−1}^{m+1}
                double qSame = prev[m];       // Q_{l−1}^{m}
                double cm = c[m], sm = s[m], cm1 = c[m - 1], sm1 = s[m - 1];

                double yc = k * qlm * cm;
                values[centre + m] = yc;
                Project(k * (ux * qUp * cm + m * qlm * cm1), k * (uy * qUp * cm - m * qlm * sm1), k * (l + m) * qSame * cm,
                    l * yc, ux, uy, uz, invR, out gx[centre + m], out gy[centre + m], out gz[centre + m]);

                double ys = k * qlm * sm;
                values[centre - m] = ys;
                Project(k * (ux * qUp * sm + m * qlm * sm1), k * (uy * qUp * sm + m * qlm * cm1), k * (l + m) * qSame * sm,
                    l * ys, ux, uy, uz, invR, out gx[centre - m], out gy[centre - m], out gz[centre - m]);
            }
            var swap = prev;
            prev = cur;
            cur = swap;
        }
    }

    /// <summary>(g − (l Y) u) / |v|: gradient w.r.t. the unnormalised vector from the solid-harmonic gradient g at u.</summary>
    private static void Project(double gx, double gy, double gz, double lY, double ux, double uy, double uz, double invR,
        out double dx, out double dy, out double dz)
    {
        dx = (gx - lY * ux) * invR;
        dy = (gy - lY * uy) * invR;
        dz = (gz - lY * uz) * invR;
    }

    /// <summary>Row l of Q at the unit point: q[m] = Q_l^m for m = 0..l, given Q_l^l.</summary>
    private static void FillRow(int l, double qll, double uz, double rxy2, double[] A, double[] B, Span<double> q)
    {
        q[l] = qll;
        q[l - 1] = -uz * qll;
        int tri = l * (l + 1) / 2;
        for (int m = l - 2; m >= 0; m--)
            q[m] = A[tri + m] * uz * q[m + 1] + B[tri + m] * rxy2 * q[m + 2];
    }

    /// <summary>c_m = Re (x + i y)^m, s_m = Im (x + i y)^m for m ≤ lMax.</summary>
    private static void CosSin(int lMax, double x, double y, Span<double> c, Span<double> s)
    {
        c[0] = 1.0;
        s[0] = 0.0;
        for (int m = 1; m <= lMax; m++)
        {
            c[m] = c[m - 1] * x - s[m - 1] * y;
            s[m] = c[m - 1] * y + s[m - 1] * x;
        }
    }

    /// <summary>u = v/|v| and |v|; rescales first when |v|² would under- or overflow.</summary>
    private static double Normalise(double x, double y, double z, out double ux, out double uy, out double uz)
    {
        double r = Math.Sqrt(x * x + y * y + z * z);
        if (!(r > 1e-150 && r < 1e150))
        {
            double scale = Math.Max(Math.Abs(x), Math.Max(Math.Abs(y), Math.Abs(z)));
            if (!(scale > 0.0) || double.IsInfinity(scale) || double.IsNaN(r))
                throw new ArgumentException($"spherical harmonics need a non-zero finite vector, got ({x}, {y}, {z})");
            double sx = x / scale, sy = y / scale, sz = z / scale;
            double rs = Math.Sqrt(sx * sx + sy * sy + sz * sz);
            ux = sx / rs;
            uy = sy / rs;
            uz = sz / rs;
            return rs * scale;
        }
        ux = x / r;
        uy = y / r;
        uz = z / r;
        return r;
    }

    private static void CheckDegree(int lMax)
    {
        if (lMax < 0 || lMax > MaxDegree)
            throw new ArgumentOutOfRangeException(nameof(lMax), lMax, $"must be in 0..{MaxDegree}");
    }
}
