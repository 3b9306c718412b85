namespace Specialized.Models.LinearAlgebra;

/// <summary>Argument checks and layout helpers shared by the <see cref="IDenseSolver"/> implementations.</summary>
internal static class DenseChecks
{
    /// <summary>Spacing of doubles at 1, 2⁻⁵² (LAPACK's dlamch('P')).</summary>
    public const double MachineEpsilon = 2.220446049250313E-16;

    /// <summary>Throws unless the dimensions are non-negative and the span holds exactly rows × cols values.</summary>
    public static void Shape(int length, int rows, int cols, string name)
    {
        if (rows < 0 || cols < 0) throw new ArgumentOutOfRangeException(name, $"{name}: dimensions {rows}×{cols} must be non-negative");
        if ((long)rows * cols != length)
            throw new ArgumentException($"{name} holds {length} values, expected {rows}×{cols} = {(long)rows * cols}", name);
    }

    /// <summary>True when every entry of the lower triangle of the n×n row-major matrix is finite.</summary>
    public static bool LowerFinite(ReadOnlySpan<double> a, int n)
    {
        for (int i = 0; i < n; i++)
            if (!AllFinite(a.Slice(i * n, i + 1))) return false;
        return true;
    }

    public static bool AllFinite(ReadOnlySpan<double> v)
    {
        foreach (double x in v)
            if (!double.IsFinite(x)) return false;
        return true;
    }

    public static void RequireFinite(ReadOnlySpan<double> v, string name)
    {
        if (!AllFinite(v)) throw new InvalidParameterException(name, "contains NaN or infinity");
    }

    /// <summary>The effective rcond: the caller's value, or ε · max(m, n) when negative.</summary>
    public static double Rcond(double rcond, int m, int n)
    {
        if (double.IsNaN(rcond)) throw new InvalidParameterException("rcond", "is NaN");
        return rcond < 0 ? MachineEpsilon * Math.Max(m, n) : rcond;
    }

    /// <summary>dst (cols×rows) = srcᵀ for src rows×cols, both row-major (equivalently: row-major ↔ column-major).</summary>
    public static void Transpose(ReadOnlySpan<double> src, int rows, int cols, Span<double> dst)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                dst[j * rows + i] = src[i * cols + j];
    }

    /// <summary>Copies the lower triangle of the n×n row-major matrix onto its strict upper triangle.</summary>
    public static void MirrorLower(Span<double> a, int n)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                a[j * n + i] = a[i * n + j];
    }

    /// <summary>
    /// Validates a least-squares call (A m×n, B m×k, X n×k, finite A and B), clears X and returns the
    /// singular-value cutoff for <paramref name="rcond"/>.
    /// </summary>
    public static double LeastSquaresArguments(ReadOnlySpan<double> a, int m, int n, ReadOnlySpan<double> b, int k, Span<double> x, double rcond)
    {
        Shape(a.Length, m, n, nameof(a));
        Shape(b.Length, m, k, nameof(b));
        Shape(x.Length, n, k, nameof(x));
        RequireFinite(a, nameof(a));
        RequireFinite(b, nameof(b));
        x.Clear();
        return Rcond(rcond, m, n);
    }

    /// <summary>
    /// Validates C (m×n) = op(A) op(B) with op(A) m×k and op(B) k×n (row-major, optionally transposed storage).
    /// Returns true when there is nothing to multiply (an empty C, or k = 0 after C is zeroed).
    /// </summary>
    public static bool MultiplyIsTrivial(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c,
        bool transposeA, bool transposeB)
    {
        if (transposeA) Shape(a.Length, k, m, nameof(a));
        else Shape(a.Length, m, k, nameof(a));
        if (transposeB) Shape(b.Length, n, k, nameof(b));
        else Shape(b.Length, k, n, nameof(b));
        Shape(c.Length, m, n, nameof(c));
        if (m == 0 || n == 0) return true;
        if (k != 0) return false;
        c.Clear();
        return true;
    }
}
