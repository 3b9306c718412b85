using System.Numerics;
using MathNet.Numerics;
using MathNet.Numerics.Providers.LinearAlgebra;

namespace Specialized.Models.LinearAlgebra;

/// <summary>
/// <see cref="IDenseSolver"/> on MathNet.Numerics' managed (pure C#) provider, used directly through
/// <see cref="ManagedLinearAlgebraProvider.Instance"/>: no native code, and independent of MathNet's
/// process-wide provider selection (MathNet's <c>Control</c> and its <c>MathNetNumericsLAProvider</c>
/// environment variable). Works everywhere, including trimmed and Native AOT applications.
/// </summary>
/// <remarks>
/// MathNet's provider works on column-major arrays. A row-major r×c buffer read as column-major is
/// the c×r transpose, so symmetric matrices need no conversion and other operands are transposed
/// (or the product reordered) as noted at each call.
/// </remarks>
public sealed class ManagedDenseSolver : IDenseSolver
{
    private static ManagedLinearAlgebraProvider Provider => ManagedLinearAlgebraProvider.Instance;

    /// <inheritdoc/>
    public string Name => "managed";

    /// <inheritdoc/>
    public bool TrySolveSpd(Span<double> a, int n, Span<double> b, int k)
    {
        DenseChecks.Shape(a.Length, n, n, nameof(a));
        DenseChecks.Shape(b.Length, n, k, nameof(b));
        DenseChecks.RequireFinite(b, nameof(b));
        if (!DenseChecks.LowerFinite(a, n)) return false;
        if (n == 0) return true;

        // Symmetric, so the row-major lower triangle mirrored is also the column-major matrix.
        var factor = a.ToArray();
        DenseChecks.MirrorLower(factor, n);
        try
        {
            Provider.CholeskyFactor(factor, n); // column-major L in the lower triangle, upper zeroed
        }
        catch (ArgumentException)
        {
            return false; // MathNet reports a non-positive (or NaN) pivot this way
        }
        for (int i = 0; i < n; i++)
            if (!(factor[i * n + i] > 0) || !double.IsFinite(factor[i * n + i])) return false;

        var x = new double[b.Length];
        DenseChecks.Transpose(b, n, k, x); // column-major n×k
        if (k > 0) Provider.CholeskySolveFactored(factor, n, x, k);
        if (!DenseChecks.AllFinite(x)) return false;

        DenseChecks.Transpose(factor, n, n, a); // column-major L → row-major L
        DenseChecks.Transpose(x, k, n, b);
        return true;
    }

    /// <inheritdoc/>
    public int SolveLeastSquares(ReadOnlySpan<double> a, int m, int n, ReadOnlySpan<double> b, int k, Span<double> x, double rcond)
    {
        double cutoff = DenseChecks.LeastSquaresArguments(a, m, n, b, k, x, rcond);
        if (m == 0 || n == 0) return 0;

        // Thin SVD through a QR factorisation, so no m×m or n×n orthogonal factor of the long side is formed:
        //   m ≥ n: A = Q R (Q m×n, R n×n), R = U Σ Vᵀ            ⇒ X = V Σ⁺ Uᵀ (Qᵀ B)
        //   m < n: Aᵀ = Q R (Q n×m, R m×m), Rᵀ = U Σ Vᵀ          ⇒ A = U Σ (Q V)ᵀ, X = Q V Σ⁺ Uᵀ B
        bool tall = m >= n;
        int p = tall ? m : n, q = tall ? n : m; // the QR is of a p×q matrix
        var qr = new double[p * q];
        if (tall) DenseChecks.Transpose(a, m, n, qr); // column-major A
        else a.CopyTo(qr);                             // row-major A is column-major Aᵀ
        var r = new double[q * q];
        Provider.ThinQRFactor(qr, p, q, r, new double[q]); // qr ← Q (p×q), r ← R (q×q), column-major
        if (!tall)
        {
            var rt = new double[q * q];
            DenseChecks.Transpose(r, q, q, rt);
            r = rt; // Rᵀ (column-major)
        }

        var s = new double[q];
        var u = new double[q * q];
        var vt = new double[q * q];
        try
        {
            Provider.SingularValueDecomposition(true, r, q, q, s, u, vt); // s descending
        }
        catch (NonConvergenceException e)
        {
            throw new SpecializedException("least squares: the SVD did not converge", e);
        }
        int rank = 0;
        while (rank < q && s[rank] > cutoff * s[0]) rank++;
        if (k == 0) return rank;

        var bcm = new double[m * k];
        DenseChecks.Transpose(b, m, k, bcm); // column-major B (m×k)
        var c = bcm;
        if (tall)
        {
            c = new double[q * k];
            Provider.MatrixMultiplyWithUpdate(Transpose.Transpose, Transpose.DontTranspose, 1.0, qr, p, q, bcm, m, k, 0.0, c); // Qᵀ B
        }
        var y = new double[q * k];
        Provider.MatrixMultiplyWithUpdate(Transpose.Transpose, Transpose.DontTranspose, 1.0, u, q, q, c, q, k, 0.0, y); // Uᵀ c
        for (int col = 0; col < k; col++)
            for (int i = 0; i < q; i++) y[col * q + i] = i < rank ? y[col * q + i] / s[i] : 0.0;
        var z = new double[q * k];
        Provider.MatrixMultiplyWithUpdate(Transpose.Transpose, Transpose.DontTranspose, 1.0, vt, q, q, y, q, k, 0.0, z); // V Σ⁺ Uᵀ c
        var xcm = z;
        if (!tall)
        {
            xcm = new double[n * k];
            Provider.MatrixMultiplyWithUpdate(Transpose.DontTranspose, Transpose.DontTranspose, 1.0, qr, p, q, z, q, k, 0.0, xcm); // Q z
        }
        DenseChecks.Transpose(xcm, k, n, x);
        return rank;
    }

    /// <inheritdoc/>
    public void SymmetricEigen(ReadOnlySpan<double> a, int n, Span<double> eigenvalues, Span<double> eigenvectors)
    {
        DenseChecks.Shape(a.Length, n, n, nameof(a));
        DenseChecks.Shape(eigenvalues.Length, n, 1, nameof(eigenvalues));
        DenseChecks.Shape(eigenvectors.Length, n, n, nameof(eigenvectors));
        if (!DenseChecks.LowerFinite(a, n)) throw new InvalidParameterException("a", "contains NaN or infinity");
        if (n == 0) return;

        var sym = a.ToArray();
        DenseChecks.MirrorLower(sym, n);
        var vectors = new double[n * n];
        var values = new Complex[n];
        try
        {
            Provider.EigenDecomp(true, n, sym, vectors, values, new double[n * n]); // ascending; vectors column-major
        }
        catch (NonConvergenceException e)
        {
            throw new SpecializedException("symmetric eigensolver did not converge", e);
        }
        for (int j = 0; j < n; j++)
        {
            if (!double.IsFinite(values[j].Real)) throw new SpecializedException("symmetric eigensolver failed (non-finite eigenvalue)");
            eigenvalues[j] = values[j].Real;
        }
        DenseChecks.Transpose(vectors, n, n, eigenvectors); // V[i * n + j] = (v_j)_i
    }

    /// <inheritdoc/>
    public void Gram(ReadOnlySpan<double> a, int m, int n, Span<double> c)
    {
        DenseChecks.Shape(a.Length, m, n, nameof(a));
        DenseChecks.Shape(c.Length, n, n, nameof(c));
        if (n == 0) return;
        if (m == 0)
        {
            c.Clear();
            return;
        }
        // The row-major buffer of A is column-major T = Aᵀ (n×m), and C = T Tᵀ.
        var t = a.ToArray();
        var result = new double[n * n];
        Provider.MatrixMultiplyWithUpdate(Transpose.DontTranspose, Transpose.Transpose, 1.0, t, n, m, t, n, m, 0.0, result);
        result.CopyTo(c);
        DenseChecks.MirrorLower(c, n); // exact symmetry
    }

    /// <inheritdoc/>
    public void Multiply(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c,
        bool transposeA = false, bool transposeB = false)
    {
        if (DenseChecks.MultiplyIsTrivial(a, m, k, b, n, c, transposeA, transposeB)) return;
        // Row-major C (m×n) is column-major Cᵀ = op(B)ᵀ op(A)ᵀ. A row-major buffer read column-major is the
        // transpose of the stored matrix, so op(B)ᵀ is B's buffer as is when B is not transposed (n×k),
        // and that buffer transposed when it is (buffer k×n); likewise for A.
        var result = new double[m * n];
        Provider.MatrixMultiplyWithUpdate(
            transposeB ? Transpose.Transpose : Transpose.DontTranspose,
            transposeA ? Transpose.Transpose : Transpose.DontTranspose,
            1.0,
            b.ToArray(), transposeB ? k : n, transposeB ? n : k,
            a.ToArray(), transposeA ? m : k, transposeA ? k : m,
            0.0, result);
        result.CopyTo(c);
    }
}
