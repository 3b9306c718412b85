using Specialized.Angular;

namespace Specialized.Models;

/// <summary>
/// Exact conversions between Cartesian tensors and the real spherical components used by λ-SOAP
/// (MATH §2.1, §2.5, §8.3). Component order is m = −λ … λ.
/// <list type="bullet">
/// <item>Vector (λ = 1): v^{(1)} = (v_y, v_z, v_x) (since Y_1 ∝ (y, z, x)).</item>
/// <item>Rank-2 tensor A (3×3, row-major): with a_{m1 m2} = A in the (y, z, x) order on both indices,
/// T^L_M = Σ_{m1 m2} C^{1 1 L}[m1, m2, M] a_{m1 m2} for L = 0, 1, 2. For a symmetric A, T^1 = 0,
/// T^0 = −Tr(A)/√3 and T^2 is the symmetric traceless part. The map is orthogonal (the real CG
/// matrix over (m1, m2) × (L, M) is), so a_{m1 m2} = Σ_{L M} C^{11L}[m1, m2, M] T^L_M is its exact inverse.</item>
/// </list>
/// Under a rotation R (A → R A Rᵀ, v → R v) the components transform with D^λ(R).
/// </summary>
public static class SphericalTensors
{
    private static readonly int[] Cartesian = [1, 2, 0]; // m = −1, 0, +1 → y, z, x
    private static readonly double[][] Cg = [ClebschGordan.RealDense(1, 1, 0), ClebschGordan.RealDense(1, 1, 1), ClebschGordan.RealDense(1, 1, 2)];

    /// <summary>(x, y, z) → (y, z, x).</summary>
    public static void VectorToSpherical(ReadOnlySpan<double> vector, Span<double> spherical)
    {
        for (int m = 0; m < 3; m++) spherical[m] = vector[Cartesian[m]];
    }

    /// <summary>(y, z, x) → (x, y, z).</summary>
    public static void SphericalToVector(ReadOnlySpan<double> spherical, Span<double> vector)
    {
        for (int m = 0; m < 3; m++) vector[Cartesian[m]] = spherical[m];
    }

    /// <summary>The λ = <paramref name="lambda"/> (0, 1 or 2) components of a 3×3 tensor (row-major).</summary>
    public static void MatrixToSpherical(ReadOnlySpan<double> matrix, int lambda, Span<double> spherical)
    {
        CheckLambda(lambda);
        var cg = Cg[lambda];
        for (int mu = -lambda; mu <= lambda; mu++)
        {
            double t = 0;
            for (int m1 = -1; m1 <= 1; m1++)
                for (int m2 = -1; m2 <= 1; m2++)
                    t += cg[ClebschGordan.DenseIndex(1, 1, lambda, m1, m2, mu)] * matrix[3 * Cartesian[m1 + 1] + Cartesian[m2 + 1]];
            spherical[mu + lambda] = t;
        }
    }

    /// <summary>Adds the 3×3 tensor (row-major) whose only spherical part is <paramref name="spherical"/> at λ = <paramref name="lambda"/>.</summary>
    public static void AddSphericalToMatrix(ReadOnlySpan<double> spherical, int lambda, Span<double> matrix)
    {
        CheckLambda(lambda);
        var cg = Cg[lambda];
        for (int m1 = -1; m1 <= 1; m1++)
            for (int m2 = -1; m2 <= 1; m2++)
            {
                double a = 0;
                for (int mu = -lambda; mu <= lambda; mu++)
                    a += cg[ClebschGordan.DenseIndex(1, 1, lambda, m1, m2, mu)] * spherical[mu + lambda];
                matrix[3 * Cartesian[m1 + 1] + Cartesian[m2 + 1]] += a;
            }
    }

    private static void CheckLambda(int lambda)
    {
        if (lambda is < 0 or > 2) throw new InvalidParameterException("lambda", $"a rank-2 tensor has λ = 0, 1, 2; got {lambda}");
    }
}
