using Specialized.Models.LinearAlgebra;

namespace Specialized.Contraction;

/// <summary>
/// Accumulates second moments of row-major data in fixed-size batches through <see cref="IDenseSolver"/>
/// (G += Xᵀ X, optionally cross moments Rᵀ X and Rᵀ R with a second matrix R of the same rows), in a
/// deterministic order.
/// </summary>
internal sealed class MomentAccumulator
{
    private readonly IDenseSolver _solver;
    private readonly int _columns;
    private readonly int _regressors;
    private readonly bool _full;
    private readonly int _capacity;
    private readonly double[] _x;
    private readonly double[] _r;
    private readonly double[] _scratch;
    private int _rows;

    /// <summary>
    /// Accumulator for <paramref name="columns"/> columns; <paramref name="full"/> keeps the whole Xᵀ X (otherwise
    /// only its diagonal); <paramref name="regressors"/> &gt; 0 also accumulates Rᵀ R and Rᵀ X.
    /// </summary>
    public MomentAccumulator(IDenseSolver solver, int columns, bool full, int regressors = 0)
    {
        _solver = solver;
        _columns = columns;
        _regressors = regressors;
        _full = full;
        _capacity = Math.Max(64, Math.Min(4096, (1 << 22) / Math.Max(1, columns + regressors)));
        _x = new double[_capacity * columns];
        _r = new double[_capacity * regressors];
        Moment = new double[full ? columns * columns : columns];
        if (regressors > 0)
        {
            RegressorMoment = new double[regressors * regressors];
            CrossMoment = new double[regressors * columns];
        }
        _scratch = new double[Math.Max(full ? columns * columns : 0, regressors > 0 ? Math.Max(regressors * regressors, regressors * columns) : 0)];
    }

    /// <summary>Σ Xᵀ X (columns²) or its diagonal (columns).</summary>
    public double[] Moment { get; }
    /// <summary>Σ Rᵀ R.</summary>
    public double[]? RegressorMoment { get; }
    /// <summary>Σ Rᵀ X (regressors × columns).</summary>
    public double[]? CrossMoment { get; }
    /// <summary>Rows added so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Adds <paramref name="rows"/> rows of X (and of R when regressors are accumulated).</summary>
    public void Add(ReadOnlySpan<double> x, ReadOnlySpan<double> r, int rows)
    {
        for (int k = 0; k < rows; k++)
        {
            if (_rows == _capacity) Flush();
            x.Slice(k * _columns, _columns).CopyTo(_x.AsSpan(_rows * _columns));
            if (_regressors > 0) r.Slice(k * _regressors, _regressors).CopyTo(_r.AsSpan(_rows * _regressors));
            _rows++;
        }
        RowCount += rows;
    }

    /// <summary>Adds the buffered rows into the moments.</summary>
    public void Flush()
    {
        int n = _rows;
        if (n == 0) return;
        var x = _x.AsSpan(0, n * _columns);
        if (_full)
        {
            var g = _scratch.AsSpan(0, _columns * _columns);
            _solver.Gram(x, n, _columns, g);
            Add(Moment, g);
        }
        else
        {
            for (int row = 0; row < n; row++)
                for (int j = 0; j < _columns; j++) Moment[j] += x[row * _columns + j] * x[row * _columns + j];
        }
        if (_regressors > 0)
        {
            var r = _r.AsSpan(0, n * _regressors);
            var rr = _scratch.AsSpan(0, _regressors * _regressors);
            _solver.Gram(r, n, _regressors, rr);
            Add(RegressorMoment!, rr);
            var rx = _scratch.AsSpan(0, _regressors * _columns);
            _solver.Multiply(r, _regressors, n, x, _columns, rx, transposeA: true);
            Add(CrossMoment!, rx);
        }
        _rows = 0;
    }

    private static void Add(double[] target, ReadOnlySpan<double> source)
    {
        for (int k = 0; k < target.Length; k++) target[k] += source[k];
    }
}

/// <summary>
/// Uncentred PCA from a second-moment matrix (MATH §5.7 [D]): G = Σ_rows x xᵀ is decomposed exactly,
/// eigenvalues sorted descending (stable), components with eigenvalue ≤ 1e-12 · max dropped (they carry
/// nothing of the training data), each eigenvector's sign chosen so that its largest-magnitude entry (first
/// one on ties) is positive. Importance of component j = w_j / Σ_kept w.
/// </summary>
internal static class UncentredPca
{
    /// <summary>Relative eigenvalue below which a component is dropped.</summary>
    public const double RelativeCutoff = 1e-12;

    /// <summary>
    /// Fits up to <paramref name="keep"/> components of the n×n moment <paramref name="moment"/>; returns the
    /// projection V (row-major n × k) and importances.
    /// </summary>
    public static (double[] Projection, double[] Importances) Fit(double[] moment, int n, int keep, IDenseSolver solver)
    {
        if (n == 0) return ([], []);
        var w = new double[n];
        var v = new double[n * n];
        solver.SymmetricEigen(moment, n, w, v);
        double max = 0;
        for (int j = 0; j < n; j++) max = Math.Max(max, w[j]);
        var order = Enumerable.Range(0, n).OrderByDescending(j => w[j]).ToArray(); // LINQ OrderBy is stable
        int k = 0;
        while (k < Math.Min(keep, n) && max > 0 && w[order[k]] > RelativeCutoff * max) k++;
        var projection = new double[n * k];
        var importances = new double[k];
        double total = 0;
        for (int j = 0; j < k; j++) total += w[order[j]];
        for (int j = 0; j < k; j++)
        {
            int col = order[j];
            int best = 0;
            for (int i = 1; i < n; i++)
                if (Math.Abs(v[i * n + col]) > Math.Abs(v[best * n + col])) best = i;
            double sign = v[best * n + col] < 0 ? -1.0 : 1.0;
            for (int i = 0; i < n; i++) projection[i * k + j] = sign * v[i * n + col];
            importances[j] = w[col] / total;
        }
        return (projection, importances);
    }

    /// <summary>Importances of the identity contraction: the diagonal of the moment normalised to sum 1 (uniform when all zero).</summary>
    public static double[] DiagonalImportances(ReadOnlySpan<double> diagonal)
    {
        var result = new double[diagonal.Length];
        double total = 0;
        foreach (var d in diagonal) total += d;
        for (int j = 0; j < result.Length; j++) result[j] = total > 0 ? diagonal[j] / total : 1.0 / result.Length;
        return result;
    }
}
