using MathNet.Numerics.LinearAlgebra;
using Specialized.Models.LinearAlgebra;
using Specialized.Models.Regression;
using Specialized.Tests.Support;

namespace Specialized.Tests.Models;

public class RidgeSolverTests
{
    private static readonly string[] Kinds = ["energy", "forces"];

    /// <summary>
    /// A synthetic problem: groups of 1 "energy" row (with Q composition counts) and 3 "force" rows
    /// (free columns zero), Gaussian design, random positive weights.
    /// </summary>
    private sealed record Synthetic(RidgeProblem Problem, List<double[]> Rows, List<double> Targets, List<double> Weights);

    private static Synthetic Build(int seed, int groups, int p, int q, Func<double[], double> target, double[]? compositionPattern = null)
    {
        var rng = new Random(seed);
        var problem = new RidgeProblem(p, q, Kinds);
        var allRows = new List<double[]>();
        var allTargets = new List<double>();
        var allWeights = new List<double>();
        int n = p + q;
        for (int g = 0; g < groups; g++)
        {
            const int m = 4;
            var rows = new double[m * n];
            var y = new double[m];
            var w = new double[m];
            var kinds = new int[m];
            var atoms = new int[m];
            for (int r = 0; r < m; r++)
            {
                var row = new double[n];
                for (int c = 0; c < p; c++) row[c] = Gaussian(rng);
                if (r == 0)
                    for (int c = 0; c < q; c++) row[p + c] = compositionPattern?[c] ?? rng.Next(1, 6);
                y[r] = target(row);
                w[r] = 0.5 + 1.5 * rng.NextDouble();
                kinds[r] = r == 0 ? 0 : 1;
                atoms[r] = 3;
                row.CopyTo(rows, r * n);
                allRows.Add(row);
                allTargets.Add(y[r]);
                allWeights.Add(w[r]);
            }
            problem.AddGroup(rows, y, w, kinds, atoms);
        }
        return new Synthetic(problem, allRows, allTargets, allWeights);
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double[] RandomVector(int seed, int n)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Gaussian(rng)).ToArray();
    }

    public static TheoryData<string> Solvers() => OpenBlasDenseSolver.IsAvailable ? new TheoryData<string> { "managed", "openblas" } : new TheoryData<string> { "managed" };

    [Theory]
    [MemberData(nameof(Solvers))]
    public void ExactlyLinearTargetIsRecoveredByCholeskyAndByLeastSquares(string solverName)
    {
        var solver = DenseSolvers.Create(solverName);
        const int p = 12, q = 2;
        var truth = RandomVector(7, p + q);
        var data = Build(1, 20, p, q, row => RidgeSolver.Dot(row, truth));
        foreach (bool ls in new[] { false, true })
        {
            var result = RidgeSolver.Fit(data.Problem, new RidgeOptions { Alphas = [0], Solver = solver, ForceLeastSquares = ls });
            Assert.Equal(ls ? RidgeSolveMethod.LeastSquares : RidgeSolveMethod.Cholesky, result.Method);
            Featomic.AssertClose(truth, result.Coefficients, 1e-10, $"{solverName} {(ls ? "least squares" : "Cholesky")} coefficients");
        }
    }

    [Fact]
    public void MatchesAnIndependentStackedLeastSquaresSolution()
    {
        // Oracle: θ = argmin ‖W(y − Zθ)‖² + λ‖θ_P‖², solved by MathNet's QR on [WZ; √λ (I 0)].
        const int p = 9, q = 3;
        var noise = new Random(5);
        var truth = RandomVector(8, p + q);
        var data = Build(2, 15, p, q, row => RidgeSolver.Dot(row, truth) + 0.3 * Gaussian(noise));
        var result = RidgeSolver.Fit(data.Problem, new RidgeOptions { Alphas = [0.05], Solver = DenseSolvers.Managed });
        double lambda = result.Lambda;
        Assert.True(lambda > 0);
        int m = data.Rows.Count, n = p + q;
        var a = Matrix<double>.Build.Dense(m + p, n);
        var b = Vector<double>.Build.Dense(m + p);
        for (int r = 0; r < m; r++)
        {
            for (int c = 0; c < n; c++) a[r, c] = data.Weights[r] * data.Rows[r][c];
            b[r] = data.Weights[r] * data.Targets[r];
        }
        for (int c = 0; c < p; c++) a[m + c, c] = Math.Sqrt(lambda);
        var expected = a.QR().Solve(b).ToArray();
        Featomic.AssertClose(expected, result.Coefficients, 1e-10, "ridge coefficients vs stacked QR");
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(1.0)]
    public void PrimalAndDualFormsGiveTheSameCoefficients(double alpha)
    {
        const int p = 70, q = 2;
        var noise = new Random(3);
        var truth = RandomVector(9, p + q);
        var data = Build(4, 12, p, q, row => RidgeSolver.Dot(row, truth) + 0.1 * Gaussian(noise));
        Assert.True(data.Problem.RowCount < p); // the dual is the natural form here; the primal must agree
        var primal = RidgeSolver.Fit(data.Problem, new RidgeOptions { Alphas = [alpha], Form = RidgeForm.Primal });
        var dual = RidgeSolver.Fit(data.Problem, new RidgeOptions { Alphas = [alpha], Form = RidgeForm.Dual });
        Assert.False(primal.Dual);
        Assert.True(dual.Dual);
        Assert.Equal(primal.Scale, dual.Scale, 1e-9 * primal.Scale);
        Featomic.AssertClose(primal.Coefficients, dual.Coefficients, 1e-8, "primal vs dual");
        var ls = RidgeSolver.Fit(data.Problem, new RidgeOptions { Alphas = [alpha], Form = RidgeForm.Dual, ForceLeastSquares = true });
        Featomic.AssertClose(primal.Coefficients, ls.Coefficients, 1e-8, "primal vs dual least squares");
    }

    [Fact]
    public void CollinearCompositionColumnsGiveMinimumNormBaselines()
    {
        // Every structure has the same composition (2 of species 0, 3 of species 1): only 2b0 + 3b1 is
        // determined; the minimum-norm baselines are proportional to (2, 3).
        const int p = 6;
        var truth = RandomVector(10, p);
        var data = Build(5, 20, p, 2, row => RidgeSolver.Dot(row.AsSpan(0, p), truth) + row[p] * 1.5 + row[p + 1] * -0.7, [2, 3]);
        foreach (var form in new[] { RidgeForm.Primal, RidgeForm.Dual })
        {
            var result = RidgeSolver.Fit(data.Problem, new RidgeOptions { Alphas = [0], Form = form });
            var theta = result.Coefficients;
            Featomic.AssertClose(truth, theta.AsSpan(0, p), 1e-9, $"{form} feature weights");
            Assert.Equal(2 * 1.5 + 3 * -0.7, 2 * theta[p] + 3 * theta[p + 1], 1e-9);
            Assert.Equal(theta[p] / 2, theta[p + 1] / 3, 1e-9);
        }
    }

    [Fact]
    public void CrossValidationChoosesSmallAlphaForNoiselessDataAndLargeAlphaForNoise()
    {
        const int p = 10;
        var truth = RandomVector(11, p + 1);
        var grid = RidgeOptions.LogGrid(-8, 3, 12);
        var exact = RidgeSolver.Fit(Build(6, 30, p, 1, row => RidgeSolver.Dot(row, truth)).Problem, new RidgeOptions { Alphas = grid });
        Assert.Equal(grid[0], exact.Alpha);
        var noise = new Random(12);
        var random = RidgeSolver.Fit(Build(7, 30, p, 1, _ => Gaussian(noise)).Problem, new RidgeOptions { Alphas = grid });
        Assert.Equal(grid[^1], random.Alpha);
        Assert.Equal(grid.Length, random.CrossValidation.Count);
        Assert.All(random.CrossValidation, point => Assert.True(point.Valid));
    }

    [Theory]
    [InlineData(RidgeForm.Primal)]
    [InlineData(RidgeForm.Dual)]
    public void CrossValidationErrorsEqualExplicitFoldFits(RidgeForm form)
    {
        // Oracle: refit on the training groups of every fold from scratch and predict the held-out rows.
        const int p = 8, q = 2, folds = 3, groups = 10;
        var noise = new Random(13);
        var truth = RandomVector(14, p + q);
        var data = Build(8, groups, p, q, row => RidgeSolver.Dot(row, truth) + 0.2 * Gaussian(noise));
        double[] alphas = [1e-4, 1e-2, 1];
        var cv = RidgeSolver.Fit(data.Problem, new RidgeOptions { Alphas = alphas, Folds = folds, Form = form });
        var scale = RidgeSolver.Fit(data.Problem, new RidgeOptions { Alphas = [1], Form = form }).Scale;
        for (int t = 0; t < alphas.Length; t++)
        {
            var sq = new double[2];
            var count = new int[2];
            for (int f = 0; f < folds; f++)
            {
                var train = new RidgeProblem(p, q, Kinds);
                for (int g = 0; g < groups; g++)
                    if (g % folds != f) AddGroup(train, data, g, p + q);
                // The same absolute λ = α·s (s from all rows) as the cross-validation.
                var trainScale = RidgeSolver.Fit(train, new RidgeOptions { Alphas = [1], Form = form }).Scale;
                var fit = RidgeSolver.Fit(train, new RidgeOptions { Alphas = [alphas[t] * scale / trainScale], Form = form });
                for (int g = f; g < groups; g += folds)
                    for (int r = 0; r < 4; r++)
                    {
                        int row = 4 * g + r;
                        double e = data.Targets[row] - RidgeSolver.Dot(data.Rows[row], fit.Coefficients);
                        sq[r == 0 ? 0 : 1] += e * e;
                        count[r == 0 ? 0 : 1]++;
                    }
            }
            for (int k = 0; k < 2; k++)
                Assert.Equal(Math.Sqrt(sq[k] / count[k]), cv.CrossValidation[t].Rmse[k], 1e-9);
        }
    }

    private static void AddGroup(RidgeProblem problem, Synthetic data, int g, int n)
    {
        var rows = new double[4 * n];
        for (int r = 0; r < 4; r++) data.Rows[4 * g + r].CopyTo(rows, r * n);
        problem.AddGroup(rows, data.Targets.Skip(4 * g).Take(4).ToArray(), data.Weights.Skip(4 * g).Take(4).ToArray(), [0, 1, 1, 1], [3, 3, 3, 3]);
    }

    [Fact]
    public void StandardizedColumnsEqualRidgeOnScaledFeatures()
    {
        // Oracle: scaling column c by d_c and solving plain ridge gives θ'_c = d_c θ_c.
        const int p = 6;
        var truth = RandomVector(15, p);
        var data = Build(9, 12, p, 0, row => RidgeSolver.Dot(row, truth));
        var scales = new double[] { 1, 10, 0.1, 5, 0.5, 3 };
        var scaled = new RidgeProblem(p, 0, Kinds);
        var standardized = RidgeSolver.Fit(data.Problem, new RidgeOptions { Alphas = [0.1], StandardizeColumns = true });
        for (int g = 0; g < 12; g++)
        {
            var rows = new double[4 * p];
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < p; c++) rows[r * p + c] = data.Rows[4 * g + r][c] * scales[c];
            scaled.AddGroup(rows, data.Targets.Skip(4 * g).Take(4).ToArray(), data.Weights.Skip(4 * g).Take(4).ToArray(), [0, 1, 1, 1], [3, 3, 3, 3]);
        }
        var fromScaled = RidgeSolver.Fit(scaled, new RidgeOptions { Alphas = [0.1], StandardizeColumns = true });
        var back = fromScaled.Coefficients.Select((t, c) => t * scales[c]).ToArray();
        Featomic.AssertClose(standardized.Coefficients, back, 1e-9, "standardised ridge is invariant to column scaling");
    }

    [Fact]
    public void InvalidInputRaisesTypedErrors()
    {
        var problem = new RidgeProblem(2, 0, Kinds);
        Assert.Throws<InvalidParameterException>(() => problem.AddGroup([1, 2], [double.NaN], [1], [0], [1]));
        Assert.Throws<InvalidParameterException>(() => problem.AddGroup([1, 2], [1], [0], [0], [1]));
        Assert.Throws<InvalidParameterException>(() => problem.AddGroup([1, double.PositiveInfinity], [1], [1], [0], [1]));
        Assert.Throws<InvalidParameterException>(() => RidgeSolver.Fit(problem, new RidgeOptions()));
        problem.AddGroup([1, 2], [1], [1], [0], [1]);
        Assert.Throws<InvalidParameterException>(() => RidgeSolver.Fit(problem, new RidgeOptions { Alphas = [1e-3, 1e-2] }));
        Assert.Throws<InvalidParameterException>(() => RidgeSolver.Fit(problem, new RidgeOptions { Alphas = [-1] }));
        Assert.Throws<InvalidParameterException>(() => RidgeSolver.Fit(problem, new RidgeOptions { Folds = 1 }));
    }
}
