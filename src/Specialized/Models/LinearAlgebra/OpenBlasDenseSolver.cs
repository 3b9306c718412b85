using static Specialized.Models.LinearAlgebra.OpenBlasNative;

namespace Specialized.Models.LinearAlgebra;

/// <summary>
/// <see cref="IDenseSolver"/> on the system OpenBLAS (<c>libopenblas.so.0</c>; Debian/Ubuntu package
/// <c>libopenblas0</c>) through source-generated P/Invoke: LAPACK dpotrf/dpotrs, dgelsd and dsyevd,
/// CBLAS dsyrk and dgemm. Check <see cref="IsAvailable"/> first, or use <see cref="DenseSolvers.Default"/>.
/// </summary>
/// <remarks>
/// <para>Layout: LAPACK is column-major. A symmetric matrix is the same in both orders; the row-major
/// lower triangle is the column-major upper triangle, so uplo = 'U' is passed. Other operands are
/// transposed into column-major scratch buffers.</para>
/// <para>Threads: unless OPENBLAS_NUM_THREADS, GOTO_NUM_THREADS or OMP_NUM_THREADS is set, OpenBLAS is told
/// to use <see cref="Environment.ProcessorCount"/> threads when first loaded; see <see cref="ThreadCount"/>.</para>
/// </remarks>
public sealed unsafe class OpenBlasDenseSolver : IDenseSolver
{
    private const byte UploUpper = (byte)'U', JobVectors = (byte)'V'; // Fortran CHARACTER arguments

    /// <summary>Creates the solver; throws <see cref="SpecializedException"/> when OpenBLAS is not available.</summary>
    public OpenBlasDenseSolver()
    {
        if (!IsAvailable)
            throw new SpecializedException($"OpenBLAS ({Library}) was not found or lacks LAPACK; install it (Debian/Ubuntu: apt-get install libopenblas0) or use the managed solver");
    }

    /// <summary>True when <c>libopenblas.so.0</c> loads and exports the CBLAS and LAPACK routines used.</summary>
    public static bool IsAvailable => OpenBlasNative.IsAvailable;

    /// <summary>
    /// Number of threads OpenBLAS uses (process-wide). Setting it overrides the environment; lower it
    /// when the caller already runs several solves in parallel.
    /// </summary>
    public static int ThreadCount
    {
        get => IsAvailable ? openblas_get_num_threads() : throw Unavailable();
        set
        {
            if (value < 1) throw new InvalidParameterException("ThreadCount", $"{value} is less than 1");
            if (!IsAvailable) throw Unavailable();
            openblas_set_num_threads(value);
        }
    }

    private static SpecializedException Unavailable() => new($"OpenBLAS ({Library}) is not available");

    /// <inheritdoc/>
    public string Name => "openblas";

    /// <inheritdoc/>
    public bool TrySolveSpd(Span<double> a, int n, Span<double> b, int k)
    {
        DenseChecks.Shape(a.Length, n, n, nameof(a));
        DenseChecks.Shape(b.Length, n, k, nameof(b));
        DenseChecks.RequireFinite(b, nameof(b));
        if (!DenseChecks.LowerFinite(a, n)) return false;
        if (n == 0) return true;

        int info, lda = n;
        byte uplo = UploUpper;
        fixed (double* pa = a)
        {
            dpotrf(&uplo, &n, pa, &lda, &info, 1);
            if (info < 0) throw new InvalidOperationException($"dpotrf rejected argument {-info}");
            if (info > 0) return false; // leading minor of order info is not positive definite
            for (int i = 0; i < n; i++)
                if (!(a[i * n + i] > 0) || !double.IsFinite(a[i * n + i])) return false;

            // B row-major n×k → column-major scratch (n×k, ldb = n); b itself changes only on success.
            var x = new double[b.Length];
            DenseChecks.Transpose(b, n, k, x);
            if (k > 0)
            {
                fixed (double* px = x)
                {
                    int nrhs = k, ldb = n;
                    dpotrs(&uplo, &n, &nrhs, pa, &lda, px, &ldb, &info, 1);
                }
                if (info != 0) throw new InvalidOperationException($"dpotrs rejected argument {-info}");
            }
            if (!DenseChecks.AllFinite(x)) return false;
            DenseChecks.Transpose(x, k, n, b);
        }
        // Row-major lower triangle holds L = Uᵀ; clear the untouched strict upper triangle.
        for (int i = 0; i < n; i++) a.Slice(i * n + i + 1, n - i - 1).Clear();
        return true;
    }

    /// <inheritdoc/>
    public int SolveLeastSquares(ReadOnlySpan<double> a, int m, int n, ReadOnlySpan<double> b, int k, Span<double> x, double rcond)
    {
        double cutoff = DenseChecks.LeastSquaresArguments(a, m, n, b, k, x, rcond);
        if (m == 0 || n == 0) return 0;

        // Column-major A (lda = m) and B padded to ldb = max(m, n) rows; X comes back in the first n rows.
        int lda = m, ldb = Math.Max(m, n), nrhs = k;
        var acm = new double[m * n];
        DenseChecks.Transpose(a, m, n, acm);
        var bcm = new double[ldb * Math.Max(k, 1)];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < k; j++) bcm[j * ldb + i] = b[i * k + j];
        var s = new double[Math.Min(m, n)];
        int rank, info, lwork = -1;
        double workSize;
        int iworkSize;
        fixed (double* pa = acm, pb = bcm, ps = s)
        {
            dgelsd(&m, &n, &nrhs, pa, &lda, pb, &ldb, ps, &cutoff, &rank, &workSize, &lwork, &iworkSize, &info); // workspace query
            if (info != 0) throw new InvalidOperationException($"dgelsd workspace query failed (info {info})");
            lwork = (int)Math.Ceiling(workSize);
            var work = new double[Math.Max(lwork, 1)];
            var iwork = new int[Math.Max(iworkSize, 1)];
            fixed (double* pw = work)
            fixed (int* piw = iwork)
                dgelsd(&m, &n, &nrhs, pa, &lda, pb, &ldb, ps, &cutoff, &rank, pw, &lwork, piw, &info);
        }
        if (info < 0) throw new InvalidOperationException($"dgelsd rejected argument {-info}");
        if (info > 0) throw new SpecializedException($"least squares: the SVD did not converge ({info} off-diagonal elements)");
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++) x[i * k + j] = bcm[j * ldb + i];
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

        a.CopyTo(eigenvectors); // symmetric: row-major lower = column-major upper ('U')
        byte jobz = JobVectors, uplo = UploUpper;
        int lda = n, info, lwork = -1, liwork = -1, iworkSize;
        double workSize;
        fixed (double* pa = eigenvectors, pw = eigenvalues)
        {
            dsyevd(&jobz, &uplo, &n, pa, &lda, pw, &workSize, &lwork, &iworkSize, &liwork, &info, 1, 1); // workspace query
            if (info != 0) throw new InvalidOperationException($"dsyevd workspace query failed (info {info})");
            lwork = (int)Math.Ceiling(workSize);
            liwork = iworkSize;
            var work = new double[Math.Max(lwork, 1)];
            var iwork = new int[Math.Max(liwork, 1)];
            fixed (double* pwork = work)
            fixed (int* piw = iwork)
                dsyevd(&jobz, &uplo, &n, pa, &lda, pw, pwork, &lwork, piw, &liwork, &info, 1, 1);
        }
        if (info < 0) throw new InvalidOperationException($"dsyevd rejected argument {-info}");
        if (info > 0) throw new SpecializedException($"symmetric eigensolver did not converge (info {info})");
        // Column-major eigenvectors (column j = v_j) → row-major with v_j as column j: transpose in place.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                (eigenvectors[i * n + j], eigenvectors[j * n + i]) = (eigenvectors[j * n + i], eigenvectors[i * n + j]);
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
        fixed (double* pa = a, pc = c)
            cblas_dsyrk(RowMajor, Lower, Trans, n, m, 1.0, pa, n, 0.0, pc, n); // lower triangle of AᵀA
        DenseChecks.MirrorLower(c, n);
    }

    /// <inheritdoc/>
    public void Multiply(ReadOnlySpan<double> a, int m, int k, ReadOnlySpan<double> b, int n, Span<double> c,
        bool transposeA = false, bool transposeB = false)
    {
        if (DenseChecks.MultiplyIsTrivial(a, m, k, b, n, c, transposeA, transposeB)) return;
        // Leading dimensions are the stored row lengths.
        fixed (double* pa = a, pb = b, pc = c)
            cblas_dgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k,
                1.0, pa, transposeA ? m : k, pb, transposeB ? k : n, 0.0, pc, n);
    }
}
