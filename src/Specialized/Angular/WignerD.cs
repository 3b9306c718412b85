namespace Specialized.Angular;

/// <summary>
/// Real-basis Wigner D matrices and random rotations (runtime only; used by equivariance checks).
/// </summary>
/// <remarks>
/// <para>Rotations are 3×3 matrices stored row-major (<c>R[3 i + j]</c>) acting on column vectors,
/// <c>(R u)_i = Σ_j R_ij u_j</c>. <c>D^l(R)</c> is the real orthogonal <c>(2l+1)×(2l+1)</c> matrix with</para>
/// <code>Y_l(R u) = D^l(R) Y_l(u)   for all unit u          (MATH §2.3; Y_l the vector of Y_lm, m = −l..l)</code>
/// <para>stored row-major: <c>D[(M + l)(2l + 1) + (M' + l)]</c>.</para>
/// <para>Construction (exact up to rounding, no sampling, no Euler angles):
/// <c>D^0 = 1</c>; <c>D^1 = P R Pᵀ</c> with P the permutation (x, y, z) → (y, z, x) (since
/// <c>Y_1 ∝ (y, z, x)</c>), i.e. <c>D^1[a, b] = R[π(a), π(b)]</c>, π = (1, 2, 0); and for L ≥ 2</para>
/// <code>D^L = C_Lᵀ (D^{L−1} ⊗ D^1) C_L,    (C_L)[(m1, m2), M] = C^{L−1, 1, L}[m1, m2, M]</code>
/// <para>which follows from the equivariance of the real CG product, <c>C_Lᵀ (D^{L−1} ⊗ D^1) = D^L C_Lᵀ</c>,
/// and the orthonormality of the columns of C_L (<c>C_Lᵀ C_L = 1</c>). The recursion uses only the
/// representation property, so improper rotations (det R = −1, R = −Q) are handled too and give
/// <c>D^l(−Q) = (−1)^l D^l(Q)</c>. Error ≈ 1e-15 per step (≲ 1e-14 at l = 12).</para>
/// </remarks>
public static class WignerD
{
    /// <summary>Size (2l+1)² of one matrix.</summary>
    public static int Size(int l) => (2 * l + 1) * (2 * l + 1);

    /// <summary><c>D^l(R)</c> for one l (row-major (2l+1)×(2l+1), fresh array).</summary>
    public static double[] Compute(int l, ReadOnlySpan<double> rotation) => ComputeAll(l, rotation)[l];

    /// <summary><c>D^0(R) … D^lMax(R)</c> (fresh arrays, each row-major).</summary>
    public static double[][] ComputeAll(int lMax, ReadOnlySpan<double> rotation)
    {
        if (lMax < 0 || lMax > ClebschGordan.MaxDegree)
            throw new ArgumentOutOfRangeException(nameof(lMax), lMax, $"must be in 0..{ClebschGordan.MaxDegree}");
        CheckOrthogonal(rotation);
        var d = new double[lMax + 1][];
        d[0] = [1.0];
        if (lMax == 0) return d;
        var d1 = new double[9];
        ReadOnlySpan<int> perm = [1, 2, 0]; // m = −1, 0, +1 ↔ y, z, x
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++) d1[3 * a + b] = rotation[3 * perm[a] + perm[b]];
        d[1] = d1;
        for (int L = 2; L <= lMax; L++) d[L] = Couple(L, d[L - 1], d1);
        return d;
    }

    /// <summary>One step <c>D^L = C_Lᵀ (D^{L−1} ⊗ D^1) C_L</c> with the sparse real CG table (L−1, 1, L).</summary>
    private static double[] Couple(int L, double[] dPrev, double[] d1)
    {
        var cg = ClebschGordan.Real(L - 1, 1, L);
        int nPrev = 2 * L - 1, n = 2 * L + 1, nPair = 3 * nPrev;
        // Z[(m1, m2), M'] = Σ_{(m1', m2', M') ∈ C} C · D^{L−1}[m1, m1'] D^1[m2, m2']   (pair index (m1+L−1)·3 + (m2+1))
        var z = new double[nPair * n];
        for (int k = 0; k < cg.Count; k++)
        {
            int c1 = cg.EntryM1(k) + L - 1, c2 = cg.EntryM2(k) + 1, cM = cg.EntryM(k) + L;
            double v = cg.EntryValue(k);
            for (int r1 = 0; r1 < nPrev; r1++)
            {
                double a = v * dPrev[r1 * nPrev + c1];
                int row = r1 * 3;
                z[(row + 0) * n + cM] += a * d1[0 * 3 + c2];
                z[(row + 1) * n + cM] += a * d1[1 * 3 + c2];
                z[(row + 2) * n + cM] += a * d1[2 * 3 + c2];
            }
        }
        // D^L[M, M'] = Σ_{(m1, m2, M) ∈ C} C · Z[(m1, m2), M']
        var d = new double[n * n];
        for (int k = 0; k < cg.Count; k++)
        {
            int pair = (cg.EntryM1(k) + L - 1) * 3 + (cg.EntryM2(k) + 1), rM = cg.EntryM(k) + L;
            double v = cg.EntryValue(k);
            for (int cM = 0; cM < n; cM++) d[rM * n + cM] += v * z[pair * n + cM];
        }
        return d;
    }

    /// <summary>
    /// Rotation matrix (row-major) of the quaternion (w, x, y, z), normalised first:
    /// <c>R = [[1−2(y²+z²), 2(xy−wz), 2(xz+wy)], [2(xy+wz), 1−2(x²+z²), 2(yz−wx)], [2(xz−wy), 2(yz+wx), 1−2(x²+y²)]]</c>.
    /// </summary>
    public static double[] RotationFromQuaternion(double w, double x, double y, double z)
    {
        double n = Math.Sqrt(w * w + x * x + y * y + z * z);
        if (!(n > 0.0) || double.IsInfinity(n)) throw new ArgumentException("quaternion must be non-zero and finite");
        w /= n;
        x /= n;
        y /= n;
        z /= n;
        return
        [
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
        ];
    }

    /// <summary>
    /// A uniformly distributed proper rotation (Haar measure on SO(3)) from <paramref name="random"/>:
    /// a quaternion of four standard normal deviates (Box–Muller), normalised.
    /// </summary>
    public static double[] RandomRotation(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double w = Normal(random), x = Normal(random), y = Normal(random), z = Normal(random);
        return RotationFromQuaternion(w, x, y, z);
    }

    /// <summary>The improper rotation <c>−R</c> (fresh array).</summary>
    public static double[] Improper(ReadOnlySpan<double> rotation)
    {
        var m = new double[9];
        for (int i = 0; i < 9; i++) m[i] = -rotation[i];
        return m;
    }

    /// <summary><c>R u</c> for a row-major 3×3 R.</summary>
    public static (double X, double Y, double Z) Apply(ReadOnlySpan<double> rotation, double x, double y, double z) =>
        (rotation[0] * x + rotation[1] * y + rotation[2] * z,
         rotation[3] * x + rotation[4] * y + rotation[5] * z,
         rotation[6] * x + rotation[7] * y + rotation[8] * z);

    private static double Normal(Random random)
    {
        double u1 = 1.0 - random.NextDouble(); // (0, 1]
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static void CheckOrthogonal(ReadOnlySpan<double> r)
    {
        if (r.Length != 9) throw new ArgumentException($"rotation must have 9 elements (3×3 row-major), got {r.Length}", nameof(r));
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double dot = r[3 * i] * r[3 * j] + r[3 * i + 1] * r[3 * j + 1] + r[3 * i + 2] * r[3 * j + 2];
                if (Math.Abs(dot - (i == j ? 1.0 : 0.0)) > 1e-10)
                    throw new ArgumentException("rotation must be orthogonal (R Rᵀ = 1 within 1e-10)", "rotation");
            }
        }
    }
}
