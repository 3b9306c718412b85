using Specialized.Models.LinearAlgebra;
using Specialized.Numerics;

namespace Specialized.Models.Regression;

/// <summary>
/// Ridge in the primal (P×P) form, for problems with at least as many rows as penalised columns.
/// Normal equations A = ZᵀZ, b = Zᵀy are accumulated per fold (A = Σ_f A_f), so the training system of
/// fold f is A − A_f. The free columns Q are eliminated with the Schur complement
/// S = A_PP − A_PQ A_QQ⁺ A_QP, r = b_P − A_PQ A_QQ⁺ b_Q; after solving (S + λI) θ_P = r,
/// θ_Q = A_QQ⁺ (b_Q − A_QP θ_P).
/// </summary>
internal sealed class PrimalRidge : IRidgeBackend
{
    private readonly RidgeProblem _problem;
    private readonly IDenseSolver _solver;
    private readonly int _folds;
    private readonly double[][] _foldA, _foldB;
    private readonly double[] _totalA, _totalB;
    private readonly double[] _columnScale;
    private Eliminated? _system;
    private int _fold = -1;

    private sealed record Eliminated(double[] S, double[] R, double[] Pinv, double[] Aqp, double[] Bq);

    public PrimalRidge(RidgeProblem problem, IDenseSolver solver, int folds, double[] columnScale)
    {
        _problem = problem;
        _solver = solver;
        _columnScale = columnScale;
        _folds = folds;
        int n = problem.ColumnCount, blocks = Math.Max(folds, 1);
        _foldA = new double[blocks][];
        _foldB = new double[blocks][];
        _totalA = new double[n * n];
        _totalB = new double[n];
        for (int f = 0; f < blocks; f++)
        {
            int fold = f;
            (_foldA[f], _foldB[f]) = NormalEquations(g => blocks == 1 || g % blocks == fold);
            for (int k = 0; k < _totalA.Length; k++) _totalA[k] += _foldA[f][k];
            for (int k = 0; k < n; k++) _totalB[k] += _foldB[f][k];
        }
        PrepareFold(-1);
        int p = problem.PenalizedCount;
        double trace = 0;
        for (int i = 0; i < p; i++) trace += _system!.S[i * p + i];
        Scale = p > 0 && trace > 0 ? trace / p : 1;
    }

    public double Scale { get; }

    public void PrepareFold(int fold)
    {
        _fold = fold;
        if (fold < 0 || _folds < 2)
        {
            _system = Eliminate(_totalA, _totalB);
            return;
        }
        int n = _problem.ColumnCount;
        var a = new double[n * n];
        var b = new double[n];
        for (int k = 0; k < a.Length; k++) a[k] = _totalA[k] - _foldA[fold][k];
        for (int k = 0; k < n; k++) b[k] = _totalB[k] - _foldB[fold][k];
        _system = Eliminate(a, b);
    }

    public bool TrySolve(double lambda, double[] theta)
    {
        var system = _system!;
        int p = _problem.PenalizedCount;
        if (!RidgeSolver.TryScaledCholesky(_solver, system.S, p, lambda, system.R, theta.AsSpan(0, p))) return false;
        RecoverFree(system, theta);
        for (int c = 0; c < p; c++) theta[c] *= _columnScale[c];
        return true;
    }

    /// <summary>A = Σ_r w_r² z_r z_rᵀ and b = Σ_r w_r² y_r z_r over the groups selected by <paramref name="include"/>.</summary>
    private (double[] A, double[] B) NormalEquations(Func<int, bool> include)
    {
        int n = _problem.ColumnCount;
        var a = new double[n * n];
        var b = new double[n];
        // Weighted rows gathered in chunks of bounded size; their Gram matrices are accumulated.
        int chunkRows = Math.Max(64, (1 << 22) / Math.Max(n, 1));
        var z = new double[chunkRows * n];
        var y = new double[chunkRows];
        var gram = new double[n * n];
        var zy = new double[n];
        int m = 0;
        void Flush()
        {
            if (m == 0) return;
            _solver.Gram(z.AsSpan(0, m * n), m, n, gram);
            _solver.Multiply(z.AsSpan(0, m * n), n, m, y.AsSpan(0, m), 1, zy, transposeA: true);
            for (int k = 0; k < a.Length; k++) a[k] += gram[k];
            for (int k = 0; k < n; k++) b[k] += zy[k];
            m = 0;
        }
        for (int g = 0; g < _problem.GroupCount; g++)
        {
            if (!include(g)) continue;
            var grp = _problem.Groups[g];
            for (int r = 0; r < grp.RowCount; r++)
            {
                if (m == chunkRows) Flush();
                double w = grp.Weights[r];
                var src = grp.Rows.AsSpan(r * n, n);
                var dst = z.AsSpan(m * n, n);
                for (int c = 0; c < n; c++) dst[c] = w * _columnScale[c] * src[c];
                y[m] = w * grp.Targets[r];
                m++;
            }
        }
        Flush();
        return (a, b);
    }

    private Eliminated Eliminate(double[] a, double[] b)
    {
        int p = _problem.PenalizedCount, q = _problem.FreeCount, n = p + q;
        var s = new double[p * p];
        var r = new double[p];
        for (int i = 0; i < p; i++)
        {
            a.AsSpan(i * n, p).CopyTo(s.AsSpan(i * p, p));
            r[i] = b[i];
        }
        var aqp = new double[q * p];
        var bq = new double[q];
        if (q == 0) return new Eliminated(s, r, [], aqp, bq);
        var aqq = new double[q * q];
        for (int i = 0; i < q; i++)
        {
            a.AsSpan((p + i) * n, p).CopyTo(aqp.AsSpan(i * p, p));
            a.AsSpan((p + i) * n + p, q).CopyTo(aqq.AsSpan(i * q, q));
            bq[i] = b[p + i];
        }
        var pinv = RidgeSolver.PseudoInverse(_solver, aqq, q);
        // T = A_QQ⁺ A_QP (q×p);  S −= A_QPᵀ T;  r −= Tᵀ b_Q.
        var t = new double[q * p];
        _solver.Multiply(pinv, q, q, aqp, p, t);
        var correction = new double[p * p];
        _solver.Multiply(aqp, p, q, t, p, correction, transposeA: true);
        for (int k = 0; k < s.Length; k++) s[k] -= correction[k];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < i; j++)
            {
                double avg = 0.5 * (s[i * p + j] + s[j * p + i]);
                s[i * p + j] = avg;
                s[j * p + i] = avg;
            }
        for (int i = 0; i < p; i++)
        {
            double acc = 0;
            for (int k = 0; k < q; k++) acc += t[k * p + i] * bq[k];
            r[i] -= acc;
        }
        return new Eliminated(s, r, pinv, aqp, bq);
    }

    private void RecoverFree(Eliminated system, double[] theta)
    {
        int p = _problem.PenalizedCount, q = _problem.FreeCount;
        var rhs = new double[q];
        for (int k = 0; k < q; k++) rhs[k] = system.Bq[k] - RidgeSolver.Dot(system.Aqp.AsSpan(k * p, p), theta.AsSpan(0, p));
        for (int k = 0; k < q; k++)
        {
            double acc = 0;
            for (int l = 0; l < q; l++) acc += system.Pinv[k * q + l] * rhs[l];
            theta[p + k] = acc;
        }
    }

    /// <summary>
    /// Minimum-norm least squares on the training rows: span(Z_Q) projected out of the weighted rows, then
    /// [Z̃_P; √λ I] θ_P = [ỹ; 0] by SVD, then θ_Q = Z_Q⁺ (y − Z_P θ_P).
    /// </summary>
    public void SolveLeastSquares(double lambda, double[] theta)
    {
        int p = _problem.PenalizedCount, q = _problem.FreeCount, n = p + q;
        var groups = TrainingGroups().ToList();
        int m = groups.Sum(g => g.RowCount);
        var zp = new double[(m + p) * p];
        var zq = new double[m * q];
        var y = new double[m + p];
        int row = 0;
        foreach (var grp in groups)
            for (int r = 0; r < grp.RowCount; r++, row++)
            {
                double w = grp.Weights[r];
                for (int c = 0; c < p; c++) zp[row * p + c] = w * _columnScale[c] * grp.Rows[r * n + c];
                for (int c = 0; c < q; c++) zq[row * q + c] = w * grp.Rows[r * n + p + c];
                y[row] = w * grp.Targets[r];
            }
        var (u, rank) = RidgeSolver.ColumnBasis(_solver, zq, m, q);
        Project(u, rank, m, zp, p, y);
        double root = Math.Sqrt(lambda);
        for (int c = 0; c < p; c++) zp[(m + c) * p + c] = root;
        var thetaP = new double[p];
        if (p > 0) _solver.SolveLeastSquares(zp, m + p, p, y, 1, thetaP, -1);
        for (int c = 0; c < p; c++) thetaP[c] *= _columnScale[c];
        thetaP.CopyTo(theta, 0);
        if (q == 0) return;
        var residual = new double[m];
        row = 0;
        foreach (var grp in groups)
            for (int r = 0; r < grp.RowCount; r++, row++)
                residual[row] = grp.Weights[r] * (grp.Targets[r] - RidgeSolver.Dot(grp.Rows.AsSpan(r * n, p), thetaP));
        var thetaQ = new double[q];
        _solver.SolveLeastSquares(zq, m, q, residual, 1, thetaQ, -1);
        thetaQ.CopyTo(theta, p);
    }

    private IEnumerable<RidgeProblem.Group> TrainingGroups()
    {
        for (int g = 0; g < _problem.GroupCount; g++)
            if (_fold < 0 || _folds < 2 || g % _folds != _fold) yield return _problem.Groups[g];
    }

    /// <summary>Z ← (I − UUᵀ) Z and y ← (I − UUᵀ) y on the first m rows (U m×r with orthonormal columns).</summary>
    internal static void Project(double[] u, int rank, int m, double[] z, int cols, double[] y)
    {
        var proj = new double[cols];
        for (int k = 0; k < rank; k++)
        {
            Array.Clear(proj);
            double py = 0;
            for (int i = 0; i < m; i++)
            {
                double ui = u[i * rank + k];
                VectorMath.Axpy(ui, z.AsSpan(i * cols, cols), proj);
                py += ui * y[i];
            }
            for (int i = 0; i < m; i++)
            {
                double ui = u[i * rank + k];
                VectorMath.Axpy(-ui, proj, z.AsSpan(i * cols, cols));
                y[i] -= ui * py;
            }
        }
    }
}
