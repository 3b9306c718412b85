namespace Specialized.Radial;

/// <summary>
/// Cyclic Jacobi eigen-solver for small real symmetric matrices in double-double arithmetic
/// (about 32 digits), so that the eigen-decomposition of an ill-conditioned matrix such as the
/// GTO overlap (cond ≈ 1e14 for N = 20) is exact to double precision when the matrix entries are.
/// Each rotation annihilates A[p,q]: θ = (A[q,q] − A[p,p]) / (2A[p,q]), t = sgn θ / (|θ| + √(θ²+1)),
/// c = 1/√(t²+1), s = t c; A ← Jᵀ A J, V ← V J. Sweeps stop when every off-diagonal element is
/// below 1e-33 of the geometric mean of its diagonal pair (or after 60 sweeps).
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Decomposes the symmetric n×n matrix <paramref name="matrix"/> (row-major, copied) as V diag(λ) Vᵀ.
    /// Returns eigenvalues (unsorted) and V (row-major, column k = eigenvector k).
    /// </summary>
    public static (DoubleDouble[] Values, DoubleDouble[] Vectors) Decompose(DoubleDouble[] matrix, int n)
    {
        if (matrix.Length != n * n) throw new ArgumentException("matrix must be n×n", nameof(matrix));
        var a = (DoubleDouble[])matrix.Clone();
        var v = new DoubleDouble[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) v[i * n + j] = i == j ? 1.0 : 0.0;
        }
        for (int sweep = 0; sweep < 60; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    var apq = a[p * n + q];
                    double scale = Math.Sqrt(Math.Abs(a[p * n + p].Hi * a[q * n + q].Hi));
                    if (Math.Abs(apq.Hi) <= 1e-33 * scale || apq.Hi == 0.0) continue;
                    rotated = true;
                    var theta = (a[q * n + q] - a[p * n + p]) / (apq * 2.0);
                    var root = DoubleDouble.Sqrt(theta * theta + 1.0);
                    var t = theta.Hi >= 0 ? 1.0 / (theta + root) : -1.0 / (root - theta);
                    var c = 1.0 / DoubleDouble.Sqrt(t * t + 1.0);
                    var s = t * c;
                    // A ← Jᵀ A J acting on rows/columns p and q
                    for (int k = 0; k < n; k++)
                    {
                        var akp = a[k * n + p];
                        var akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        var apk = a[p * n + k];
                        var aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                    a[p * n + q] = 0.0;
                    a[q * n + p] = 0.0;
                    for (int k = 0; k < n; k++)
                    {
                        var vkp = v[k * n + p];
                        var vkq = v[k * n + q];
                        v[k * n + p] = c * vkp - s * vkq;
                        v[k * n + q] = s * vkp + c * vkq;
                    }
                }
            }
            if (!rotated) break;
        }
        var values = new DoubleDouble[n];
        for (int i = 0; i < n; i++) values[i] = a[i * n + i];
        return (values, v);
    }
}
