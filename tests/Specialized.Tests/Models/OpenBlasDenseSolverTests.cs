using Specialized.Models.LinearAlgebra;
using static Specialized.Tests.Models.DenseSolverChecks;

namespace Specialized.Tests.Models;

/// <summary>A fact that needs libopenblas.so.0; skipped with the reason when it is absent.</summary>
public sealed class OpenBlasFactAttribute : FactAttribute
{
    public const string MissingMessage =
        "needs OpenBLAS (libopenblas.so.0 with LAPACK); not found on this machine. Debian/Ubuntu: apt-get install libopenblas0";

    public OpenBlasFactAttribute()
    {
        if (!OpenBlasDenseSolver.IsAvailable) Skip = MissingMessage;
    }
}

public class OpenBlasDenseSolverTests
{
    private static IDenseSolver Solver => new OpenBlasDenseSolver();
    private static readonly IDenseSolver Managed = new ManagedDenseSolver();

    [OpenBlasFact] public void SolvesSpdSystems() => DenseSolverChecks.SolvesSpdSystems(Solver);
    [OpenBlasFact] public void RejectsMatricesThatAreNotPositiveDefinite() => DenseSolverChecks.RejectsMatricesThatAreNotPositiveDefinite(Solver);
    [OpenBlasFact] public void SolvesFullRankLeastSquares() => DenseSolverChecks.SolvesFullRankLeastSquares(Solver);
    [OpenBlasFact] public void GivesTheMinimumNormSolutionWhenRankDeficient() => DenseSolverChecks.GivesTheMinimumNormSolutionWhenRankDeficient(Solver);
    [OpenBlasFact] public void DecomposesSymmetricMatrices() => DenseSolverChecks.DecomposesSymmetricMatrices(Solver);
    [OpenBlasFact] public void GramMatchesNaiveLoops() => DenseSolverChecks.GramMatchesNaiveLoops(Solver);
    [OpenBlasFact] public void MultiplyMatchesNaiveLoops() => DenseSolverChecks.MultiplyMatchesNaiveLoops(Solver);
    [OpenBlasFact] public void RejectsWrongShapes() => DenseSolverChecks.RejectsWrongShapes(Solver);

    [OpenBlasFact]
    public void UsesAtLeastOneThread()
    {
        Assert.Equal("openblas", Solver.Name);
        Assert.True(OpenBlasDenseSolver.ThreadCount >= 1);
    }

    [OpenBlasFact]
    public void AgreesWithManagedOnSpdSolvesAndFactors()
    {
        var rng = new Random(11);
        const int n = 120, k = 4;
        var a = RandomSpd(rng, n);
        var b = Random(rng, n * k);
        var (la, xa) = ((double[])a.Clone(), (double[])b.Clone());
        var (lb, xb) = ((double[])a.Clone(), (double[])b.Clone());
        Assert.True(Solver.TrySolveSpd(la, n, xa, k));
        Assert.True(Managed.TrySolveSpd(lb, n, xb, k));
        Assert.True(RelativeError(xa, xb) < 1e-12);
        Assert.True(RelativeError(la, lb) < 1e-13);
    }

    [OpenBlasFact]
    public void AgreesWithManagedOnLeastSquares()
    {
        var rng = new Random(12);
        foreach (var (m, n, r) in new[] { (80, 30, 30), (80, 30, 12), (25, 60, 25), (25, 60, 10) })
        {
            // Rank r with singular values spread over two decades.
            var s = Enumerable.Range(0, r).Select(i => Math.Pow(10, -2.0 * i / r)).ToArray();
            var a = FromSvd(OrthonormalColumns(rng, m, r), s, OrthonormalColumns(rng, n, r), m, n);
            var b = Random(rng, m * 3);
            var xa = new double[n * 3];
            var xb = new double[n * 3];
            Assert.Equal(r, Solver.SolveLeastSquares(a, m, n, b, 3, xa, 1e-9));
            Assert.Equal(r, Managed.SolveLeastSquares(a, m, n, b, 3, xb, 1e-9));
            Assert.True(RelativeError(xa, xb) < 1e-10, $"{m}×{n} rank {r}: {RelativeError(xa, xb):E2}");
        }
    }

    [OpenBlasFact]
    public void AgreesWithManagedOnEigenpairsUpToSign()
    {
        var rng = new Random(13);
        const int n = 50;
        var m = Random(rng, n * n);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) a[i * n + j] = m[i * n + j] + m[j * n + i];
        var (wa, va) = (new double[n], new double[n * n]);
        var (wb, vb) = (new double[n], new double[n * n]);
        Solver.SymmetricEigen(a, n, wa, va);
        Managed.SymmetricEigen(a, n, wb, vb);
        Assert.True(RelativeError(wa, wb) < 1e-13);
        for (int j = 0; j < n; j++)
        {
            double dot = 0;
            for (int i = 0; i < n; i++) dot += va[i * n + j] * vb[i * n + j];
            Assert.Equal(1.0, Math.Abs(dot), 9); // eigenvalues of a random matrix are well separated
        }
    }

    [OpenBlasFact]
    public void AgreesWithManagedOnProducts()
    {
        var rng = new Random(14);
        var a = Random(rng, 90 * 40);
        var b = Random(rng, 40 * 70);
        var (ga, gb) = (new double[40 * 40], new double[40 * 40]);
        Solver.Gram(a, 90, 40, ga);
        Managed.Gram(a, 90, 40, gb);
        Assert.True(RelativeError(ga, gb) < 1e-14);
        var (ca, cb) = (new double[90 * 70], new double[90 * 70]);
        Solver.Multiply(a, 90, 40, b, 70, ca);
        Managed.Multiply(a, 90, 40, b, 70, cb);
        Assert.True(RelativeError(ca, cb) < 1e-14);
    }
}

public class DenseSolversTests
{
    [Fact]
    public void SelectionFollowsTheSettingAndAvailability()
    {
        Assert.Equal("managed", DenseSolvers.Select(null, () => false).Name);
        Assert.Equal("managed", DenseSolvers.Select("", () => false).Name);
        Assert.Equal("managed", DenseSolvers.Select(" AUTO ", () => false).Name);
        Assert.Equal("managed", DenseSolvers.Select("Managed", () => true).Name);
        var ex = Assert.Throws<InvalidParameterException>(() => DenseSolvers.Select("openblas", () => false));
        Assert.Contains("SPECIALIZED_BLAS", ex.Message);
        Assert.Throws<InvalidParameterException>(() => DenseSolvers.Select("mkl", () => true));
        Assert.Same(DenseSolvers.Managed, DenseSolvers.Create("managed"));
        Assert.Throws<InvalidParameterException>(() => DenseSolvers.Create("lapack"));
    }

    [Fact]
    public void DefaultPrefersOpenBlasWhenAvailableUnlessOverridden()
    {
        string setting = (Environment.GetEnvironmentVariable(DenseSolvers.EnvironmentVariable) ?? "").Trim().ToLowerInvariant();
        switch (setting)
        {
            case "managed":
                Assert.Equal("managed", DenseSolvers.Default.Name);
                break;
            case "openblas" when OpenBlasDenseSolver.IsAvailable:
                Assert.Equal("openblas", DenseSolvers.Default.Name);
                break;
            case "" or "auto":
                Assert.Equal(OpenBlasDenseSolver.IsAvailable ? "openblas" : "managed", DenseSolvers.Default.Name);
                break;
            default: // a setting that cannot be honoured is an error, not a silent fallback
                Assert.Throws<InvalidParameterException>(() => DenseSolvers.Default);
                break;
        }
    }

    [OpenBlasFact]
    public void AutomaticSelectionPicksOpenBlasWhenPresent()
    {
        Assert.Equal("openblas", DenseSolvers.Select(null, () => OpenBlasDenseSolver.IsAvailable).Name);
        Assert.Equal("openblas", DenseSolvers.Create("OpenBLAS").Name);
    }
}
