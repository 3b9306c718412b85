namespace Specialized.Models.LinearAlgebra;

/// <summary>
/// The dense linear algebra the fitting code needs, behind one small interface so that a native
/// LAPACK (<see cref="OpenBlasDenseSolver"/>) can replace the managed one (<see cref="ManagedDenseSolver"/>).
/// Pick one with <see cref="DenseSolvers.Default"/>.
/// </summary>
/// <remarks>
/// <para>Every matrix is a flat span in row-major order: entry (i, j) of an r×c matrix M is
/// M[i * c + j]. Span lengths must equal the stated shapes exactly; dimensions may be zero.</para>
/// <para>Implementations are stateless and safe to call from several threads at once on different data.</para>
/// <para>Errors: wrong span lengths or negative dimensions throw <see cref="ArgumentException"/>; NaN or
/// infinite inputs throw <see cref="InvalidParameterException"/> (except the matrix of
/// <see cref="TrySolveSpd"/>, which then returns false); a factorisation that fails to converge throws
/// <see cref="SpecializedException"/>.</para>
/// </remarks>
public interface IDenseSolver
{
    /// <summary>Short name of the implementation (<c>managed</c>, <c>openblas</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Solves A X = B for symmetric positive definite A by Cholesky factorisation A = L Lᵀ.
    /// </summary>
    /// <param name="a">A, n×n. Only the lower triangle (a[i * n + j], j ≤ i) is read. On success it is
    /// overwritten with L: lower triangle L, strict upper triangle zero. On failure its contents are unspecified.</param>
    /// <param name="n">Order of A.</param>
    /// <param name="b">B, n×k; overwritten with X on success, left unchanged on failure.</param>
    /// <param name="k">Number of right-hand sides.</param>
    /// <returns>False when A is not numerically positive definite (a pivot is not positive, or A or the
    /// solution is not finite); never returns true with a non-finite X.</returns>
    bool TrySolveSpd(Span<double> a, int n, Span<double> b, int k);

    /// <summary>
    /// Minimum-norm least squares: the X of smallest ‖X‖ among the minimisers of ‖A X − B‖ (Frobenius),
    /// X = V Σ⁺ Uᵀ B from the SVD A = U Σ Vᵀ, with singular values σ_i ≤ rcond · σ_max treated as zero.
    /// Works for any shape (over- and under-determined, rank deficient).
    /// </summary>
    /// <param name="a">A, m×n (not modified).</param>
    /// <param name="m">Rows of A.</param>
    /// <param name="n">Columns of A.</param>
    /// <param name="b">B, m×k (not modified).</param>
    /// <param name="k">Number of right-hand sides.</param>
    /// <param name="x">X, n×k (output).</param>
    /// <param name="rcond">Relative singular-value cutoff; a negative value selects ε · max(m, n), ε the machine epsilon.</param>
    /// <returns>The effective rank: the number of singular values above the cutoff.</returns>
    int SolveLeastSquares(ReadOnlySpan<double> a, int m, int n, ReadOnlySpan<double> b, int k, Span<double> x, double rcond);

    /// <summary>
    /// Eigendecomposition A = V diag(w) Vᵀ of a symmetric matrix, eigenvalues in ascending order.
    /// </summary>
    /// <param name="a">A, n×n; only the lower triangle is read (not modified).</param>
    /// <param name="n">Order of A.</param>
    /// <param name="eigenvalues">w, length n, ascending (output).</param>
    /// <param name="eigenvectors">V, n×n (output): column j, V[i * n + j] for i = 0 … n − 1, is the unit
    /// eigenvector of w_j. The sign of each eigenvector is unspecified.</param>
    void SymmetricEigen(ReadOnlySpan<double> a, int n, Span<double> eigenvalues, Span<double> eigenvectors);

    /// <summary>Gram matrix C = Aᵀ A (n×n, both triangles filled, exactly symmetric) of A (m×n).</summary>
    void Gram(ReadOnlySpan<double> a, int m, int n, Span<double> c);

    /// <summary>
    /// Matrix product C = op(A) op(B) with op(A) m×k, op(B) k×n and C m×n, where op(M) = Mᵀ when the
    /// transpose flag is set. A is stored m×k (k×m when <paramref name="transposeA"/>), B is stored
    /// k×n (n×k when <paramref name="transposeB"/>). Kernels X_A X_Bᵀ use <paramref name="transposeB"/>,
    /// normal-equation right-hand sides Xᵀ y use <paramref name="transposeA"/>.
    /// </summary>
    void Multiply(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c,
        bool transposeA = false, bool transposeB = false);
}
