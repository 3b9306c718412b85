using Specialized.Models.LinearAlgebra;
using Specialized.Numerics;

namespace Specialized.Models.Regression;

/// <summary>How the final coefficients were obtained.</summary>
public enum RidgeSolveMethod
{
    /// <summary>Cholesky factorisation of the Jacobi-scaled normal equations (primal, P×P) or kernel system (dual, N×N).</summary>
    Cholesky,
    /// <summary>Minimum-norm least squares (SVD) of the stacked system [Z; √λ I] (ill-conditioned or forced).</summary>
    LeastSquares,
}

/// <summary>Which form of the ridge system to solve.</summary>
public enum RidgeForm
{
    /// <summary>Primal (P×P) when P ≤ N rows, else dual (N×N).</summary>
    Auto,
    /// <summary>Normal equations in coefficient space.</summary>
    Primal,
    /// <summary>Kernel system in row space.</summary>
    Dual,
}

/// <summary>Options of <see cref="RidgeSolver.Fit"/>.</summary>
public sealed record RidgeOptions
{
    /// <summary>
    /// Candidate regularisations α, relative: the penalty is λ = α · s with s the mean diagonal of the
    /// (baseline-eliminated) normal matrix, so α is dimensionless and comparable between problems.
    /// With one value no cross-validation is run. Default: 10⁻¹⁰ … 10², one per decade.
    /// </summary>
    public IReadOnlyList<double> Alphas { get; init; } = LogGrid(-10, 2, 13);
    /// <summary>Number of cross-validation folds k (groups g go to fold g mod k); at most the number of groups.</summary>
    public int Folds { get; init; } = 5;
    /// <summary>Dense solver; null selects <see cref="DenseSolvers.Default"/>.</summary>
    public IDenseSolver? Solver { get; init; }
    /// <summary>
    /// Penalise the standardised coefficients: the penalty becomes λ Σ_c (d_c θ_c)² with d_c the root mean
    /// square of the weighted column c over all rows (ridge on features scaled to unit RMS). Default off
    /// (plain ridge, λ‖θ_P‖²).
    /// </summary>
    public bool StandardizeColumns { get; init; }
    /// <summary>Primal, dual or automatic (the smaller system; the solutions are identical up to rounding).</summary>
    public RidgeForm Form { get; init; } = RidgeForm.Auto;
    /// <summary>Skip Cholesky and always use the least-squares (SVD) path for the final solve.</summary>
    public bool ForceLeastSquares { get; init; }
    /// <summary>Progress messages (one line each), or null.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Validates the options; throws <see cref="InvalidParameterException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (Alphas is null || Alphas.Count == 0) throw new InvalidParameterException("alphas", "at least one regularisation value is needed");
        foreach (var a in Alphas)
            if (!(a >= 0) || !double.IsFinite(a)) throw new InvalidParameterException("alphas", $"{a} is not a non-negative number");
        if (Folds < 2) throw new InvalidParameterException("folds", $"must be at least 2, got {Folds}");
    }

    /// <summary><paramref name="count"/> values 10^e, e evenly spaced from <paramref name="fromExponent"/> to <paramref name="toExponent"/>.</summary>
    public static double[] LogGrid(double fromExponent, double toExponent, int count)
    {
        if (count < 1) throw new InvalidParameterException("count", $"must be at least 1, got {count}");
        var grid = new double[count];
        for (int k = 0; k < count; k++)
            grid[k] = Math.Pow(10, count == 1 ? fromExponent : fromExponent + (toExponent - fromExponent) * k / (count - 1));
        return grid;
    }
}

/// <summary>Cross-validation result for one regularisation value.</summary>
/// <param name="Alpha">Relative regularisation α.</param>
/// <param name="Lambda">Absolute penalty λ = α·s.</param>
/// <param name="Valid">False when some fold's system could not be solved stably (the value is then never chosen).</param>
/// <param name="Loss">Weighted squared error Σ w²(y − ŷ)² over all held-out rows, divided by the number of rows.</param>
/// <param name="Rmse">Per target kind: root-mean-square held-out error (target units).</param>
/// <param name="RmsePerAtom">Per target kind: RMSE of the error divided by the structure's atom count.</param>
/// <param name="Mae">Per target kind: mean absolute held-out error.</param>
public sealed record CrossValidationPoint(double Alpha, double Lambda, bool Valid, double Loss, double[] Rmse, double[] RmsePerAtom, double[] Mae);

/// <summary>Result of <see cref="RidgeSolver.Fit"/>.</summary>
public sealed class RidgeResult
{
    internal RidgeResult(double[] coefficients, double alpha, double lambda, double scale, RidgeSolveMethod method, bool dual, CrossValidationPoint[] table, int folds)
    {
        Dual = dual;
        Coefficients = coefficients;
        Alpha = alpha;
        Lambda = lambda;
        Scale = scale;
        Method = method;
        CrossValidation = table;
        Folds = folds;
    }

    /// <summary>θ: penalised coefficients first, then the free ones.</summary>
    public double[] Coefficients { get; }
    /// <summary>The chosen relative regularisation α.</summary>
    public double Alpha { get; }
    /// <summary>The absolute penalty λ = α·s used.</summary>
    public double Lambda { get; }
    /// <summary>The scale s (mean diagonal of the baseline-eliminated normal matrix).</summary>
    public double Scale { get; }
    /// <summary>How the final system was solved.</summary>
    public RidgeSolveMethod Method { get; }
    /// <summary>True when the problem was solved in the dual (row) space, because it has fewer rows than columns.</summary>
    public bool Dual { get; }
    /// <summary>Cross-validation table, one entry per candidate α (empty when only one α was given).</summary>
    public IReadOnlyList<CrossValidationPoint> CrossValidation { get; }
    /// <summary>Number of folds used (0 without cross-validation).</summary>
    public int Folds { get; }
}

/// <summary>
/// Solves <see cref="RidgeProblem"/>s (MATH §8.1). With Z the weighted rows (P penalised columns, then Q
/// free baseline columns) and y the weighted targets:
/// <list type="number">
/// <item>The free columns are eliminated exactly, with pseudo-inverses, so collinear composition columns
/// (e.g. a data set with a single stoichiometry) give the minimum-norm baselines.</item>
/// <item>Primal form when P ≤ N rows (<see cref="PrimalRidge"/>): normal equations A = ZᵀZ accumulated per
/// fold, Schur complement S = A_PP − A_PQ A_QQ⁺ A_QP, solve (S + λI) θ_P = r.
/// Dual form when P &gt; N (<see cref="DualRidge"/>): with Π the projector onto the complement of span(Z_Q),
/// solve (Π Z_P Z_Pᵀ Π + λI) a = Π y and θ_P = Z_Pᵀ Π a. Both give the same θ.</item>
/// <item>Systems are Jacobi-scaled (D M D with D = diag(M)^{-1/2}) and solved by Cholesky; when that fails or
/// is ill-conditioned (squared ratio of the largest to the smallest pivot above <see cref="ConditionLimit"/>)
/// the final solve uses the minimum-norm least-squares (SVD) solution instead
/// (primal: [Z̃_P; √λ I] θ_P = [ỹ; 0]; dual: the minimum-norm [θ_P; e] of [Z̃_P, √λ I][θ_P; e] = ỹ).
/// Cross-validation folds that cannot be solved by Cholesky mark their α invalid.</item>
/// <item>λ = α·s with s = tr(Z̃_Pᵀ Z̃_P)/P the mean diagonal of the baseline-eliminated normal matrix.</item>
/// </list>
/// Folds are unions of whole groups: group g belongs to fold g mod k.
/// </summary>
public static class RidgeSolver
{
    /// <summary>Largest accepted squared pivot ratio of the scaled Cholesky factor.</summary>
    public const double ConditionLimit = 1e12;

    /// <summary>Chooses α by k-fold cross-validation (when several are given) and solves on all rows.</summary>
    public static RidgeResult Fit(RidgeProblem problem, RidgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (problem.GroupCount == 0) throw new InvalidParameterException("problem", "no training rows");
        var solver = options.Solver ?? DenseSolvers.Default;
        int folds = options.Alphas.Count > 1 ? Math.Min(options.Folds, problem.GroupCount) : 0;
        if (options.Alphas.Count > 1 && folds < 2)
            throw new InvalidParameterException("folds", $"cross-validation needs at least 2 structures, got {problem.GroupCount}");

        bool dual = options.Form switch
        {
            RidgeForm.Primal => false,
            RidgeForm.Dual => true,
            _ => problem.PenalizedCount > problem.RowCount,
        };
        var columnScale = ColumnScale(problem, options.StandardizeColumns);
        IRidgeBackend backend = dual ? new DualRidge(problem, solver, folds, columnScale) : new PrimalRidge(problem, solver, folds, columnScale);
        double scale = backend.Scale;
        var table = new List<CrossValidationPoint>();
        double alpha = options.Alphas[0];
        if (folds >= 2)
        {
            var points = CrossValidate(problem, backend, options, scale, folds);
            table.AddRange(points);
            var best = points.Where(p => p.Valid).OrderBy(p => p.Loss).FirstOrDefault()
                ?? throw new SpecializedException("ridge: no regularisation value in the grid gives a solvable system in every fold; use larger alphas");
            alpha = best.Alpha;
        }

        double lambda = alpha * scale;
        var theta = new double[problem.ColumnCount];
        var method = RidgeSolveMethod.Cholesky;
        backend.PrepareFold(-1);
        if (options.ForceLeastSquares || !backend.TrySolve(lambda, theta))
        {
            method = RidgeSolveMethod.LeastSquares;
            if (!options.ForceLeastSquares) options.Log?.Invoke($"ridge: system ill-conditioned at alpha={alpha:G3}; solving by least squares (SVD)");
            backend.SolveLeastSquares(lambda, theta);
        }
        return new RidgeResult(theta, alpha, lambda, scale, method, dual, [.. table], folds);
    }

    /// <summary>1/d_c for the penalised columns (d_c = RMS of the weighted column; 1 when d_c = 0) and 1 for the free ones.</summary>
    private static double[] ColumnScale(RidgeProblem problem, bool standardize)
    {
        int n = problem.ColumnCount, p = problem.PenalizedCount;
        var scale = new double[n];
        Array.Fill(scale, 1.0);
        if (!standardize || problem.RowCount == 0) return scale;
        var sum = new double[p];
        foreach (var grp in problem.Groups)
            for (int r = 0; r < grp.RowCount; r++)
            {
                double w2 = grp.Weights[r] * grp.Weights[r];
                var row = grp.Rows.AsSpan(r * n, p);
                for (int c = 0; c < p; c++) sum[c] += w2 * row[c] * row[c];
            }
        for (int c = 0; c < p; c++)
        {
            double rms = Math.Sqrt(sum[c] / problem.RowCount);
            scale[c] = rms > 0 ? 1 / rms : 1;
        }
        return scale;
    }

    private static CrossValidationPoint[] CrossValidate(RidgeProblem problem, IRidgeBackend backend, RidgeOptions options, double scale, int folds)
    {
        int n = problem.ColumnCount, kinds = problem.TargetNames.Count, alphas = options.Alphas.Count;
        var sq = new double[alphas, kinds];
        var sqAtom = new double[alphas, kinds];
        var abs = new double[alphas, kinds];
        var loss = new double[alphas];
        var valid = Enumerable.Repeat(true, alphas).ToArray();
        var count = new int[kinds];
        int rows = 0;
        var theta = new double[n];
        for (int f = 0; f < folds; f++)
        {
            backend.PrepareFold(f);
            for (int g = f; g < problem.GroupCount; g += folds)
            {
                var grp = problem.Groups[g];
                rows += grp.RowCount;
                for (int r = 0; r < grp.RowCount; r++) count[grp.Kinds[r]]++;
            }
            for (int t = 0; t < alphas; t++)
            {
                if (!valid[t]) continue;
                if (!backend.TrySolve(options.Alphas[t] * scale, theta))
                {
                    valid[t] = false;
                    continue;
                }
                for (int g = f; g < problem.GroupCount; g += folds)
                {
                    var grp = problem.Groups[g];
                    for (int r = 0; r < grp.RowCount; r++)
                    {
                        double e = grp.Targets[r] - Dot(grp.Rows.AsSpan(r * n, n), theta);
                        int kind = grp.Kinds[r];
                        sq[t, kind] += e * e;
                        double ea = e / Math.Max(grp.Atoms[r], 1);
                        sqAtom[t, kind] += ea * ea;
                        abs[t, kind] += Math.Abs(e);
                        loss[t] += grp.Weights[r] * grp.Weights[r] * e * e;
                    }
                }
            }
            options.Log?.Invoke($"ridge: cross-validation fold {f + 1}/{folds} done");
        }
        var points = new CrossValidationPoint[alphas];
        for (int t = 0; t < alphas; t++)
        {
            var rmse = new double[kinds];
            var rmseAtom = new double[kinds];
            var mae = new double[kinds];
            for (int k = 0; k < kinds; k++)
            {
                bool has = valid[t] && count[k] > 0;
                rmse[k] = has ? Math.Sqrt(sq[t, k] / count[k]) : double.NaN;
                rmseAtom[k] = has ? Math.Sqrt(sqAtom[t, k] / count[k]) : double.NaN;
                mae[k] = has ? abs[t, k] / count[k] : double.NaN;
            }
            points[t] = new CrossValidationPoint(options.Alphas[t], options.Alphas[t] * scale, valid[t],
                valid[t] ? loss[t] / Math.Max(rows, 1) : double.NaN, rmse, rmseAtom, mae);
        }
        return points;
    }

    /// <summary>
    /// Solves (M + λI) x = rhs for a symmetric positive semi-definite M (lower triangle read) by Jacobi-scaled
    /// Cholesky; false when not positive definite or the squared pivot ratio exceeds <see cref="ConditionLimit"/>.
    /// </summary>
    internal static bool TryScaledCholesky(IDenseSolver solver, ReadOnlySpan<double> matrix, int n, double lambda, ReadOnlySpan<double> rhs, Span<double> x)
    {
        if (n == 0) return true;
        var m = new double[n * n];
        var d = new double[n];
        var b = new double[n];
        for (int i = 0; i < n; i++)
        {
            double diag = matrix[i * n + i] + lambda;
            d[i] = diag > 0 ? 1 / Math.Sqrt(diag) : 1;
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++) m[i * n + j] = d[i] * matrix[i * n + j] * d[j];
            m[i * n + i] += lambda * d[i] * d[i];
            b[i] = d[i] * rhs[i];
        }
        if (!solver.TrySolveSpd(m, n, b, 1)) return false;
        double maxPivot = 0, minPivot = double.PositiveInfinity;
        for (int i = 0; i < n; i++)
        {
            double l = m[i * n + i];
            maxPivot = Math.Max(maxPivot, l);
            minPivot = Math.Min(minPivot, l);
        }
        double ratio = maxPivot / minPivot;
        if (!(ratio * ratio <= ConditionLimit)) return false;
        for (int i = 0; i < n; i++) x[i] = d[i] * b[i];
        return true;
    }

    /// <summary>Moore–Penrose pseudo-inverse of a small symmetric positive semi-definite matrix (eigenvalues ≤ 10⁻¹²·max dropped).</summary>
    internal static double[] PseudoInverse(IDenseSolver solver, double[] a, int n)
    {
        var result = new double[n * n];
        if (n == 0) return result;
        var w = new double[n];
        var v = new double[n * n];
        solver.SymmetricEigen(a, n, w, v);
        double max = w.Max(Math.Abs);
        for (int k = 0; k < n; k++)
        {
            if (!(w[k] > 1e-12 * max)) continue;
            double inv = 1 / w[k];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    result[i * n + j] += v[i * n + k] * inv * v[j * n + k];
        }
        return result;
    }

    /// <summary>
    /// Orthonormal basis of span(Z) for a tall m×q matrix Z (row-major), from the eigenvectors of ZᵀZ with
    /// eigenvalues above 10⁻¹²·max: columns u_k = Z v_k/√w_k, returned row-major m×r.
    /// </summary>
    internal static (double[] U, int Rank) ColumnBasis(IDenseSolver solver, ReadOnlySpan<double> z, int m, int q)
    {
        if (q == 0 || m == 0) return ([], 0);
        var g = new double[q * q];
        solver.Gram(z, m, q, g);
        var w = new double[q];
        var v = new double[q * q];
        solver.SymmetricEigen(g, q, w, v);
        double max = w.Max();
        var kept = Enumerable.Range(0, q).Where(k => w[k] > 1e-12 * max).ToArray();
        int r = kept.Length;
        var u = new double[m * r];
        for (int i = 0; i < m; i++)
            for (int c = 0; c < r; c++)
            {
                int k = kept[c];
                double acc = 0;
                for (int j = 0; j < q; j++) acc += z[i * q + j] * v[j * q + k];
                u[i * r + c] = acc / Math.Sqrt(w[k]);
            }
        return (u, r);
    }

    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => VectorMath.Dot(a, b);
}

/// <summary>One way of solving the ridge system for the training rows of a fold.</summary>
internal interface IRidgeBackend
{
    /// <summary>s: mean diagonal of the baseline-eliminated normal matrix of all rows.</summary>
    double Scale { get; }
    /// <summary>Makes the training set every group not in fold <paramref name="fold"/> (−1: all groups).</summary>
    void PrepareFold(int fold);
    /// <summary>Solves by scaled Cholesky into θ (P + Q); false when unstable.</summary>
    bool TrySolve(double lambda, double[] theta);
    /// <summary>Minimum-norm least-squares solve into θ (training set of the last <see cref="PrepareFold"/>).</summary>
    void SolveLeastSquares(double lambda, double[] theta);
}
