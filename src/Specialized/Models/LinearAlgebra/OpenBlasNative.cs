using System.Runtime.InteropServices;

namespace Specialized.Models.LinearAlgebra;

/// <summary>
/// Source-generated P/Invoke bindings to OpenBLAS (<c>libopenblas.so.0</c>): CBLAS for the products and
/// the Fortran LAPACK entry points for the factorisations.
/// </summary>
/// <remarks>
/// <para>Debian's libopenblas0 exports the Fortran LAPACK symbols (<c>dpotrf_</c>, …) but not LAPACKE
/// (that lives in the separate liblapacke package), so LAPACK is called with the Fortran ABI: every
/// argument by reference, column-major arrays, 32-bit integers (the LP64 build; the ILP64 build is
/// libopenblas64), and one hidden <c>size_t</c> length per CHARACTER argument appended after the
/// others (gfortran ≥ 8; OpenBLAS's own C implementations of some routines simply ignore them).</para>
/// <para>CBLAS enumerations: order RowMajor = 101; transpose NoTrans = 111, Trans = 112; triangle Upper = 121, Lower = 122.</para>
/// </remarks>
internal static unsafe partial class OpenBlasNative
{
    public const string Library = "libopenblas.so.0";

    public const int RowMajor = 101, NoTrans = 111, Trans = 112, Upper = 121, Lower = 122;

    /// <summary>Every symbol the solver calls; all must be exported for OpenBLAS to count as available.</summary>
    private static readonly string[] Symbols =
    [
        "cblas_dgemm", "cblas_dsyrk", "dpotrf_", "dpotrs_", "dgelsd_", "dsyevd_",
        "openblas_set_num_threads", "openblas_get_num_threads",
    ];

    private static readonly Lazy<bool> Loaded = new(Load);

    /// <summary>True when the library loads and exports every symbol used (checked once, then threads are configured).</summary>
    public static bool IsAvailable => Loaded.Value;

    private static bool Load()
    {
        // Same search as the runtime uses for the LibraryImport declarations below.
        if (!NativeLibrary.TryLoad(Library, typeof(OpenBlasNative).Assembly, null, out var handle)) return false;
        foreach (var symbol in Symbols)
            if (!NativeLibrary.TryGetExport(handle, symbol, out _)) return false;
        ConfigureThreads();
        return true;
    }

    /// <summary>
    /// OpenBLAS reads OPENBLAS_NUM_THREADS (then GOTO_NUM_THREADS, OMP_NUM_THREADS) when it loads; when
    /// none is set it uses every core it can see, which ignores container CPU quotas. In that case use
    /// <see cref="Environment.ProcessorCount"/>, which honours affinity and quotas.
    /// </summary>
    private static void ConfigureThreads()
    {
        foreach (var name in (ReadOnlySpan<string>)["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"])
            if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(name))) return;
        openblas_set_num_threads(Environment.ProcessorCount);
    }

    [LibraryImport(Library)]
    public static partial void openblas_set_num_threads(int count);

    [LibraryImport(Library)]
    public static partial int openblas_get_num_threads();

    /// <summary>C = α op(A) op(B) + β C.</summary>
    [LibraryImport(Library)]
    public static partial void cblas_dgemm(int order, int transA, int transB, int m, int n, int k,
        double alpha, double* a, int lda, double* b, int ldb, double beta, double* c, int ldc);

    /// <summary>C = α op(A) op(A)ᵀ + β C on one triangle of C (op(A) = Aᵀ for Trans: C = α AᵀA + βC).</summary>
    [LibraryImport(Library)]
    public static partial void cblas_dsyrk(int order, int uplo, int trans, int n, int k,
        double alpha, double* a, int lda, double beta, double* c, int ldc);

    /// <summary>Cholesky factorisation (column-major): uplo 'U' gives A = UᵀU in the upper triangle.</summary>
    [LibraryImport(Library, EntryPoint = "dpotrf_")]
    public static partial void dpotrf(byte* uplo, int* n, double* a, int* lda, int* info, nuint uploLength);

    /// <summary>Solves A X = B with the factor from dpotrf (column-major B, n×nrhs).</summary>
    [LibraryImport(Library, EntryPoint = "dpotrs_")]
    public static partial void dpotrs(byte* uplo, int* n, int* nrhs, double* a, int* lda, double* b, int* ldb, int* info, nuint uploLength);

    /// <summary>Minimum-norm least squares by divide-and-conquer SVD (column-major; B is max(m,n)×nrhs, X returned in its first n rows).</summary>
    [LibraryImport(Library, EntryPoint = "dgelsd_")]
    public static partial void dgelsd(int* m, int* n, int* nrhs, double* a, int* lda, double* b, int* ldb, double* s,
        double* rcond, int* rank, double* work, int* lwork, int* iwork, int* info);

    /// <summary>Symmetric eigendecomposition by divide and conquer (column-major; eigenvectors overwrite A as columns).</summary>
    [LibraryImport(Library, EntryPoint = "dsyevd_")]
    public static partial void dsyevd(byte* jobz, byte* uplo, int* n, double* a, int* lda, double* w, double* work, int* lwork,
        int* iwork, int* liwork, int* info, nuint jobzLength, nuint uploLength);
}
