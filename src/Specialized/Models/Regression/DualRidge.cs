using Specialized.Models.LinearAlgebra;
using Specialized.Numerics;

namespace Specialized.Models.Regression;

/// <summary>
/// Ridge in the dual (N×N) form, for problems with more penalised columns than rows. With the weighted
/// rows Z = [Z_P, Z_Q] and targets y of the training set, U an orthonormal basis of span(Z_Q) and
/// Π = I − UUᵀ:
/// <code>
///   K̃ = Π Z_P Z_Pᵀ Π,   (K̃ + λI) a = Π y,   θ_P = Z_Pᵀ Π a,   θ_Q = Z_Q⁺ (y − Z_P θ_P)
/// </code>
/// which is the same θ as the primal Schur-complement solution (push-through identity). The Gram
/// matrix K = Z_P Z_Pᵀ of all rows is formed once; each fold takes its training block.
/// </summary>
internal sealed class DualRidge : IRidgeBackend
{
    private readonly RidgeProblem _problem;
    private readonly IDenseSolver _solver;
    private readonly int _folds;
    private readonly int _rows, _p, _q;
    private readonly double[] _zp, _zq, _y, _k;
    private readonly int[] _rowGroup;
    private readonly double[] _columnScale;
    private Fold? _current;

    /// <summary>The training set of one fold: row indices, projected kernel and targets, baseline basis.</summary>
    private sealed record Fold(int[] Rows, double[] Kernel, double[] Targets, double[] U, int Rank, double[] ZqPinvGram);

    public DualRidge(RidgeProblem problem, IDenseSolver solver, int folds, double[] columnScale)
    {
        _problem = problem;
        _solver = solver;
        _columnScale = columnScale;
        _folds = folds;
        _p = problem.PenalizedCount;
        _q = problem.FreeCount;
        _rows = problem.RowCount;
        int n = problem.ColumnCount;
        _zp = new double[_rows * _p];
        _zq = new double[_rows * _q];
        _y = new double[_rows];
        _rowGroup = new int[_rows];
        int row = 0;
        for (int g = 0; g < problem.GroupCount; g++)
        {
            var grp = problem.Groups[g];
            for (int r = 0; r < grp.RowCount; r++, row++)
            {
                double w = grp.Weights[r];
                for (int c = 0; c < _p; c++) _zp[row * _p + c] = w * columnScale[c] * grp.Rows[r * n + c];
                for (int c = 0; c < _q; c++) _zq[row * _q + c] = w * grp.Rows[r * n + _p + c];
                _y[row] = w * grp.Targets[r];
                _rowGroup[row] = g;
            }
        }
        _k = new double[_rows * _rows];
        solver.Multiply(_zp, _rows, _p, _zp, _rows, _k, transposeB: true);
        PrepareFold(-1);
        double trace = 0;
        int m = _current!.Rows.Length;
        for (int i = 0; i < m; i++) trace += _current.Kernel[i * m + i];
        Scale = _p > 0 && trace > 0 ? trace / _p : 1;
    }

    public double Scale { get; }

    public void PrepareFold(int fold)
    {
        var rows = Enumerable.Range(0, _rows).Where(r => fold < 0 || _folds < 2 || _rowGroup[r] % _folds != fold).ToArray();
        int m = rows.Length;
        var k = new double[m * m];
        for (int i = 0; i < m; i++)
        {
            int ri = rows[i];
            for (int j = 0; j < m; j++) k[i * m + j] = _k[ri * _rows + rows[j]];
        }
        var y = new double[m];
        var zq = new double[m * _q];
        for (int i = 0; i < m; i++)
        {
            y[i] = _y[rows[i]];
            _zq.AsSpan(rows[i] * _q, _q).CopyTo(zq.AsSpan(i * _q, _q));
        }
        var (u, rank) = RidgeSolver.ColumnBasis(_solver, zq, m, _q);
        if (rank > 0)
        {
            // K̃ = Π K Π with Π = I − UUᵀ:  K̃ = K − U(KU)ᵀ − (KU)Uᵀ + U (UᵀKU) Uᵀ
            var ku = new double[m * rank];
            _solver.Multiply(k, m, m, u, rank, ku);
            var utku = new double[rank * rank];
            _solver.Multiply(u, rank, m, ku, rank, utku, transposeA: true);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++)
                {
                    double c = 0;
                    for (int a = 0; a < rank; a++)
                    {
                        c -= u[i * rank + a] * ku[j * rank + a] + ku[i * rank + a] * u[j * rank + a];
                        for (int b = 0; b < rank; b++) c += u[i * rank + a] * utku[a * rank + b] * u[j * rank + b];
                    }
                    k[i * m + j] += c;
                }
            for (int i = 0; i < m; i++)
                for (int j = 0; j < i; j++)
                {
                    double avg = 0.5 * (k[i * m + j] + k[j * m + i]);
                    k[i * m + j] = avg;
                    k[j * m + i] = avg;
                }
            ProjectVector(u, rank, m, y);
        }
        var gram = new double[_q * _q];
        if (_q > 0) _solver.Gram(zq, m, _q, gram);
        _current = new Fold(rows, k, y, u, rank, RidgeSolver.PseudoInverse(_solver, gram, _q));
    }

    public bool TrySolve(double lambda, double[] theta)
    {
        var fold = _current!;
        int m = fold.Rows.Length;
        var a = new double[m];
        if (!RidgeSolver.TryScaledCholesky(_solver, fold.Kernel, m, lambda, fold.Targets, a)) return false;
        ProjectVector(fold.U, fold.Rank, m, a);
        // θ_P = Σ_t a'_t z_t
        Array.Clear(theta);
        for (int i = 0; i < m; i++) VectorMath.Axpy(a[i], _zp.AsSpan(fold.Rows[i] * _p, _p), theta.AsSpan(0, _p));
        RecoverFree(fold, theta);
        Unscale(theta);
        return true;
    }

    /// <summary>Minimum-norm [θ_P; e] of [Z̃_P, √λ I] [θ_P; e] = ỹ, i.e. θ_P = Z̃_Pᵀ (Z̃_P Z̃_Pᵀ + λI)⁻¹ ỹ, by SVD.</summary>
    public void SolveLeastSquares(double lambda, double[] theta)
    {
        var fold = _current!;
        int m = fold.Rows.Length, cols = _p + m;
        var b = new double[m * cols];
        var zt = new double[m * _p];
        for (int i = 0; i < m; i++) _zp.AsSpan(fold.Rows[i] * _p, _p).CopyTo(zt.AsSpan(i * _p, _p));
        var dummy = new double[m];
        PrimalRidge.Project(fold.U, fold.Rank, m, zt, _p, dummy);
        double root = Math.Sqrt(lambda);
        for (int i = 0; i < m; i++)
        {
            zt.AsSpan(i * _p, _p).CopyTo(b.AsSpan(i * cols, _p));
            b[i * cols + _p + i] = root;
        }
        var x = new double[cols];
        _solver.SolveLeastSquares(b, m, cols, fold.Targets, 1, x, -1);
        Array.Clear(theta);
        x.AsSpan(0, _p).CopyTo(theta);
        RecoverFree(fold, theta);
        Unscale(theta);
    }

    /// <summary>θ_Q = (Z_QᵀZ_Q)⁺ Z_Qᵀ (y − Z_P θ_P) on the training rows.</summary>
    private void RecoverFree(Fold fold, double[] theta)
    {
        if (_q == 0) return;
        var rhs = new double[_q];
        foreach (int r in fold.Rows)
        {
            double residual = _y[r] - VectorMath.Dot(_zp.AsSpan(r * _p, _p), theta.AsSpan(0, _p));
            for (int c = 0; c < _q; c++) rhs[c] += _zq[r * _q + c] * residual;
        }
        for (int c = 0; c < _q; c++)
        {
            double acc = 0;
            for (int l = 0; l < _q; l++) acc += fold.ZqPinvGram[c * _q + l] * rhs[l];
            theta[_p + c] = acc;
        }
    }

    /// <summary>θ was solved for the scaled columns z_c·d_c; the coefficient of the original column is θ_c·d_c.</summary>
    private void Unscale(double[] theta)
    {
        for (int c = 0; c < _p; c++) theta[c] *= _columnScale[c];
    }

    private static void ProjectVector(double[] u, int rank, int m, double[] y)
    {
        for (int k = 0; k < rank; k++)
        {
            double py = 0;
            for (int i = 0; i < m; i++) py += u[i * rank + k] * y[i];
            for (int i = 0; i < m; i++) y[i] -= u[i * rank + k] * py;
        }
    }
}
