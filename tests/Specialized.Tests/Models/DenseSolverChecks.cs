using Specialized.Models.LinearAlgebra;

namespace Specialized.Tests.Models;

/// <summary>
/// The contract of <see cref="IDenseSolver"/>, checked against hand-made truths (matrices built with a
/// known solution, SVD or spectrum, and naive loops). Each solver's test class calls every check.
/// </summary>
public static class DenseSolverChecks
{
    // ---- helpers (row-major, naive) ----

    public static double[] Random(Random rng, int count, double scale = 1)
    {
        var v = new double[count];
        for (int i = 0; i < count; i++) v[i] = scale * (2 * rng.NextDouble() - 1);
        return v;
    }

    /// <summary>C = op(A) op(B), A stored m×k (k×m if ta), B stored k×n (n×k if tb).</summary>
    public static double[] NaiveMultiply(double[] a, int m, int k, double[] b, int n, bool ta = false, bool tb = false)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int l = 0; l < k; l++) sum += (ta ? a[l * m + i] : a[i * k + l]) * (tb ? b[j * k + l] : b[l * n + j]);
                c[i * n + j] = sum;
            }
        return c;
    }

    public static double[] NaiveTranspose(double[] a, int rows, int cols)
    {
        var t = new double[a.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
        return t;
    }

    /// <summary>p×r matrix with orthonormal columns (modified Gram–Schmidt, applied twice, on random columns).</summary>
    public static double[] OrthonormalColumns(Random rng, int p, int r)
    {
        var q = Random(rng, p * r);
        for (int pass = 0; pass < 2; pass++)
            for (int j = 0; j < r; j++)
            {
                for (int l = 0; l < j; l++)
                {
                    double dot = 0;
                    for (int i = 0; i < p; i++) dot += q[i * r + j] * q[i * r + l];
                    for (int i = 0; i < p; i++) q[i * r + j] -= dot * q[i * r + l];
                }
                double norm = 0;
                for (int i = 0; i < p; i++) norm += q[i * r + j] * q[i * r + j];
                norm = Math.Sqrt(norm);
                for (int i = 0; i < p; i++) q[i * r + j] /= norm;
            }
        return q;
    }

    /// <summary>U diag(s) Vᵀ for U m×r, V n×r.</summary>
    public static double[] FromSvd(double[] u, double[] s, double[] v, int m, int n)
    {
        int r = s.Length;
        var us = (double[])u.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < r; j++) us[i * r + j] *= s[j];
        return NaiveMultiply(us, m, r, v, n, tb: true);
    }

    public static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (var x in v) s += x * x;
        return Math.Sqrt(s);
    }

    public static double RelativeError(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        var d = new double[expected.Length];
        for (int i = 0; i < d.Length; i++) d[i] = actual[i] - expected[i];
        double scale = Norm(expected);
        return scale == 0 ? Norm(d) : Norm(d) / scale;
    }

    /// <summary>Random SPD matrix MᵀM + n I (condition number of order 10).</summary>
    public static double[] RandomSpd(Random rng, int n)
    {
        var m = Random(rng, n * n);
        var a = NaiveMultiply(m, n, n, m, n, ta: true);
        for (int i = 0; i < n; i++) a[i * n + i] += n;
        return a;
    }

    // ---- SPD solve ----

    public static void SolvesSpdSystems(IDenseSolver solver)
    {
        var rng = new Random(101);
        foreach (var (n, k) in new[] { (1, 1), (5, 1), (40, 3), (150, 2), (7, 0) })
        {
            var a = RandomSpd(rng, n);
            var xTrue = Random(rng, n * k);
            var b = NaiveMultiply(a, n, n, xTrue, k);
            var factor = (double[])a.Clone();
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++) factor[i * n + j] = double.NaN; // the strict upper triangle is not read
            var x = (double[])b.Clone();
            Assert.True(solver.TrySolveSpd(factor, n, x, k), $"n = {n}");
            Assert.True(RelativeError(x, xTrue) < 1e-10, $"n = {n}: relative error {RelativeError(x, xTrue):E2}");

            // a now holds L (lower, strict upper zero) with L Lᵀ = A.
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++) Assert.Equal(0.0, factor[i * n + j]);
            var llt = NaiveMultiply(factor, n, n, factor, n, tb: true);
            Assert.True(RelativeError(llt, a) < 1e-13, $"n = {n}: L Lᵀ differs from A");
        }
    }

    public static void RejectsMatricesThatAreNotPositiveDefinite(IDenseSolver solver)
    {
        var cases = new (string Name, int N, double[] A)[]
        {
            ("indefinite", 3, [2, 0, 0, 0, -1, 0, 0, 0, 3]),
            ("negative definite", 2, [-2, 0.5, 0.5, -1]),
            ("zero", 2, [0, 0, 0, 0]),
            ("exactly singular", 2, [1, 1, 1, 1]),
            ("last minor fails", 3, [4, 2, 2, 2, 5, 1, 2, 1, 0.9]), // L33² = 0.9 − 1 − 0 < 0
            ("NaN in the lower triangle", 2, [1, 0, double.NaN, 1]),
            ("infinite diagonal", 2, [double.PositiveInfinity, 0, 0, 1]),
            ("solution overflows", 2, [1e-300, 0, 0, 1]),
        };
        foreach (var (name, n, a) in cases)
        {
            double[] b = Enumerable.Range(0, 2 * n).Select(i => 1e300 * (i + 1)).ToArray();
            var original = (double[])b.Clone();
            Assert.False(solver.TrySolveSpd((double[])a.Clone(), n, b, 2), name);
            Assert.Equal(original, b); // b is left unchanged on failure
            Assert.DoesNotContain(b, double.IsNaN);
        }
        Assert.True(solver.TrySolveSpd(Array.Empty<double>(), 0, Array.Empty<double>(), 3));
        Assert.Throws<InvalidParameterException>(() => solver.TrySolveSpd(new double[] { 1 }, 1, new[] { double.NaN }, 1));
    }

    // ---- least squares ----

    public static void SolvesFullRankLeastSquares(IDenseSolver solver)
    {
        var rng = new Random(202);
        const int m = 30, n = 6, k = 2;
        var a = Random(rng, m * n);
        var xTrue = Random(rng, n * k);
        var consistent = NaiveMultiply(a, m, n, xTrue, k);
        var x = new double[n * k];
        Assert.Equal(n, solver.SolveLeastSquares(a, m, n, consistent, k, x, -1));
        Assert.True(RelativeError(x, xTrue) < 1e-12, $"consistent system: {RelativeError(x, xTrue):E2}");

        // Inconsistent right-hand side: the residual is orthogonal to the columns, Aᵀ (A x − b) = 0.
        var b = Random(rng, m * k);
        solver.SolveLeastSquares(a, m, n, b, k, x, -1);
        var residual = NaiveMultiply(a, m, n, x, k);
        for (int i = 0; i < residual.Length; i++) residual[i] -= b[i];
        var normal = NaiveMultiply(a, n, m, residual, k, ta: true);
        Assert.True(Norm(normal) < 1e-12 * Norm(b) * m, $"Aᵀ r = {Norm(normal):E2}");
    }

    public static void GivesTheMinimumNormSolutionWhenRankDeficient(IDenseSolver solver)
    {
        var rng = new Random(303);
        // (m, n, singular values): tall rank-deficient, wide full-row-rank, wide rank-deficient.
        foreach (var (m, n, s) in new[] { (20, 8, new[] { 3.0, 2.0, 0.5 }), (4, 9, new[] { 5.0, 1.0, 0.7, 0.2 }), (6, 10, new[] { 1.0, 0.3 }) })
        {
            int r = s.Length, k = 2;
            var u = OrthonormalColumns(rng, m, r);
            var v = OrthonormalColumns(rng, n, r);
            var a = FromSvd(u, s, v, m, n);
            var b = Random(rng, m * k);
            // x* = V Σ⁻¹ Uᵀ b.
            var utb = NaiveMultiply(u, r, m, b, k, ta: true);
            for (int i = 0; i < r; i++)
                for (int j = 0; j < k; j++) utb[i * k + j] /= s[i];
            var expected = NaiveMultiply(v, n, r, utb, k);

            var x = new double[n * k];
            int rank = solver.SolveLeastSquares(a, m, n, b, k, x, 1e-10);
            Assert.Equal(r, rank);
            Assert.True(RelativeError(x, expected) < 1e-10, $"{m}×{n} rank {r}: {RelativeError(x, expected):E2}");
        }

        // By hand: two equal columns. Any x1 + x2 = aᵀb / aᵀa fits; the minimum norm splits it evenly.
        double[] col = [1, 2, -1, 0.5];
        double[] dup = [.. col.SelectMany(c => new[] { c, c })];
        double[] rhs = [0.3, -1, 2, 1];
        double t = col.Zip(rhs, (p, q) => p * q).Sum() / col.Sum(c => c * c);
        var xd = new double[2];
        Assert.Equal(1, solver.SolveLeastSquares(dup, 4, 2, rhs, 1, xd, -1));
        Assert.Equal(t / 2, xd[0], 14);
        Assert.Equal(t / 2, xd[1], 14);

        // rcond decides the rank: singular values 1 and 1e-8.
        double[] diag = [1, 0, 0, 1e-8, 0, 0];
        var xr = new double[2];
        Assert.Equal(1, solver.SolveLeastSquares(diag, 3, 2, [1.0, 1.0, 1.0], 1, xr, 1e-6));
        Assert.Equal(1.0, xr[0], 14);
        Assert.Equal(0.0, xr[1]);
        Assert.Equal(2, solver.SolveLeastSquares(diag, 3, 2, [1.0, 1.0, 1.0], 1, xr, 1e-12));
        Assert.Equal(1e8, xr[1], 1e-4);

        // The zero matrix has rank 0 and solution 0.
        var xz = new double[3];
        Assert.Equal(0, solver.SolveLeastSquares(new double[6], 2, 3, [1.0, 2.0], 1, xz, -1));
        Assert.Equal(new double[3], xz);
        Assert.Throws<InvalidParameterException>(() => solver.SolveLeastSquares([double.NaN], 1, 1, [1.0], 1, new double[1], -1));
    }

    // ---- eigen ----

    public static void DecomposesSymmetricMatrices(IDenseSolver solver)
    {
        var rng = new Random(404);
        foreach (int n in new[] { 1, 2, 7, 60 })
        {
            // A = Q diag(d) Qᵀ with known, distinct eigenvalues d.
            var q = OrthonormalColumns(rng, n, n);
            var d = Random(rng, n, 10).Order().ToArray();
            var a = FromSvd(q, d, q, n, n);
            var input = (double[])a.Clone();
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++) input[i * n + j] = double.NaN; // only the lower triangle is read
            var w = new double[n];
            var v = new double[n * n];
            solver.SymmetricEigen(input, n, w, v);

            Assert.True(RelativeError(w, d) < 1e-13, $"n = {n}: eigenvalues");
            for (int j = 1; j < n; j++) Assert.True(w[j] >= w[j - 1], "ascending");
            Assert.True(RelativeError(FromSvd(v, w, v, n, n), a) < 1e-13, $"n = {n}: V diag(w) Vᵀ ≠ A");
            var vtv = NaiveMultiply(v, n, n, v, n, ta: true);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) Assert.Equal(i == j ? 1.0 : 0.0, vtv[i * n + j], 12);
        }

        // Degenerate spectrum: the identity.
        var wi = new double[3];
        var vi = new double[9];
        solver.SymmetricEigen([1.0, 0, 0, 0, 1, 0, 0, 0, 1], 3, wi, vi);
        Assert.Equal([1.0, 1.0, 1.0], wi);
        Assert.Throws<InvalidParameterException>(() => solver.SymmetricEigen([double.NaN], 1, new double[1], new double[1]));
    }

    // ---- products ----

    public static void GramMatchesNaiveLoops(IDenseSolver solver)
    {
        var rng = new Random(505);
        foreach (var (m, n) in new[] { (1, 1), (7, 3), (3, 7), (50, 20), (0, 4) })
        {
            var a = Random(rng, m * n);
            var c = new double[n * n];
            Array.Fill(c, double.NaN);
            solver.Gram(a, m, n, c);
            var expected = NaiveMultiply(a, n, m, a, n, ta: true);
            for (int i = 0; i < n * n; i++) Assert.Equal(expected[i], c[i], 12);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < i; j++) Assert.Equal(c[i * n + j], c[j * n + i]); // exactly symmetric
        }
    }

    public static void MultiplyMatchesNaiveLoops(IDenseSolver solver)
    {
        var rng = new Random(606);
        foreach (var (m, k, n) in new[] { (1, 1, 1), (4, 3, 5), (17, 9, 2), (30, 40, 25), (3, 0, 2), (0, 2, 3) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    var a = Random(rng, m * k);
                    var b = Random(rng, k * n);
                    var c = new double[m * n];
                    Array.Fill(c, double.NaN);
                    solver.Multiply(a, m, k, b, n, c, ta, tb);
                    var expected = NaiveMultiply(a, m, k, b, n, ta, tb);
                    for (int i = 0; i < c.Length; i++) Assert.Equal(expected[i], c[i], 12);
                }
    }

    public static void RejectsWrongShapes(IDenseSolver solver)
    {
        Assert.Throws<ArgumentException>(() => solver.TrySolveSpd(new double[3], 2, new double[2], 1));
        Assert.Throws<ArgumentException>(() => solver.TrySolveSpd(new double[4], 2, new double[3], 1));
        Assert.Throws<ArgumentException>(() => solver.SolveLeastSquares(new double[6], 3, 2, new double[3], 1, new double[3], -1));
        Assert.Throws<ArgumentException>(() => solver.SymmetricEigen(new double[4], 2, new double[1], new double[4]));
        Assert.Throws<ArgumentException>(() => solver.Gram(new double[6], 3, 2, new double[6]));
        Assert.Throws<ArgumentException>(() => solver.Multiply(new double[6], 2, 3, new double[6], 2, new double[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => solver.Gram(new double[0], -1, 0, new double[0]));
    }
}
