using Specialized.Numerics;
namespace Specialized.Models.Kernels;

/// <summary>Selection of representative rows (environments) from a list of unit-norm feature vectors.</summary>
public static class SparseSelector
{
    /// <summary>
    /// Farthest-point sampling: start with row 0, then repeatedly add the row whose smallest squared
    /// distance ‖x̂_i − x̂_m‖² to the selected rows is largest (ties: lowest index). Rows at distance zero
    /// from the selection (duplicates) are never added, so fewer than <paramref name="count"/> may be returned.
    /// </summary>
    public static int[] FarthestPoint(IReadOnlyList<double[]> rows, int count)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int n = rows.Count;
        count = Math.Min(count, n);
        if (count <= 0) return [];
        var selected = new List<int>(count) { 0 };
        var minDistance = new double[n];
        Array.Fill(minDistance, double.PositiveInfinity);
        int last = 0;
        while (selected.Count < count)
        {
            var anchor = rows[last];
            int best = -1;
            double bestDistance = 0;
            for (int i = 0; i < n; i++)
            {
                var x = rows[i];
                double d = 0;
                for (int k = 0; k < x.Length; k++)
                {
                    double t = x[k] - anchor[k];
                    d += t * t;
                }
                if (d < minDistance[i]) minDistance[i] = d;
                if (minDistance[i] > bestDistance)
                {
                    bestDistance = minDistance[i];
                    best = i;
                }
            }
            if (best < 0 || bestDistance <= 1e-24) break;
            selected.Add(best);
            last = best;
        }
        return [.. selected];
    }

    /// <summary>
    /// Deterministic CUR row selection (Imbalzano, Anelli, Giofré, Klees, Behler, Ceriotti, JCP 148, 241730 (2018)):
    /// with R the residual matrix (initially the rows), take u, the leading left singular vector of R
    /// (power iteration on R Rᵀ through R), select argmax_i u_i², then orthogonalise every row of R
    /// against the selected one. Stops early when the residual vanishes.
    /// </summary>
    public static int[] Cur(IReadOnlyList<double[]> rows, int count)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int n = rows.Count;
        count = Math.Min(count, n);
        if (count <= 0) return [];
        int f = rows[0].Length;
        var r = new double[n][];
        for (int i = 0; i < n; i++) r[i] = (double[])rows[i].Clone();
        double initial = 0;
        for (int i = 0; i < n; i++) initial += VectorMath.Dot(r[i], r[i]);
        var chosen = new List<int>(count);
        var taken = new bool[n];
        var u = new double[n];
        var v = new double[f];
        for (int step = 0; step < count; step++)
        {
            double residual = 0;
            for (int i = 0; i < n; i++)
                if (!taken[i]) residual += VectorMath.Dot(r[i], r[i]);
            if (residual <= 1e-20 * initial) break;
            LeadingLeftSingularVector(r, taken, u, v);
            int best = -1;
            double bestScore = -1;
            for (int i = 0; i < n; i++)
                if (!taken[i] && u[i] * u[i] > bestScore)
                {
                    bestScore = u[i] * u[i];
                    best = i;
                }
            var pivot = r[best];
            double norm = Math.Sqrt(VectorMath.Dot(pivot, pivot));
            if (!(norm > 1e-12)) break;
            chosen.Add(best);
            taken[best] = true;
            var e = new double[f];
            for (int k = 0; k < f; k++) e[k] = pivot[k] / norm;
            for (int i = 0; i < n; i++)
            {
                if (taken[i]) continue;
                double c = VectorMath.Dot(r[i], e);
                VectorMath.Axpy(-c, e, r[i]);
            }
        }
        return [.. chosen];
    }

    /// <summary>Power iteration: v ← Rᵀ(R v)/‖·‖ from a fixed start; u = R v/‖R v‖ (rows marked taken are ignored).</summary>
    private static void LeadingLeftSingularVector(double[][] r, bool[] taken, double[] u, double[] v)
    {
        int n = r.Length, f = v.Length;
        // Start from the column sums of |R| plus a fixed small ramp (deterministic, not orthogonal to the top vector in practice).
        Array.Clear(v);
        for (int i = 0; i < n; i++)
            if (!taken[i])
                for (int k = 0; k < f; k++) v[k] += Math.Abs(r[i][k]);
        for (int k = 0; k < f; k++) v[k] += 1e-3 * (k + 1) / f;
        Normalise(v);
        double previous = 0;
        for (int it = 0; it < 200; it++)
        {
            for (int i = 0; i < n; i++) u[i] = taken[i] ? 0 : VectorMath.Dot(r[i], v);
            Array.Clear(v);
            for (int i = 0; i < n; i++)
                if (!taken[i]) VectorMath.Axpy(u[i], r[i], v);
            double sigma2 = Normalise(v);
            if (Math.Abs(sigma2 - previous) <= 1e-10 * sigma2) break;
            previous = sigma2;
        }
        for (int i = 0; i < n; i++) u[i] = taken[i] ? 0 : VectorMath.Dot(r[i], v);
        Normalise(u);
    }

    private static double Normalise(double[] x)
    {
        double norm = Math.Sqrt(VectorMath.Dot(x, x));
        if (norm > 0)
            for (int k = 0; k < x.Length; k++) x[k] /= norm;
        return norm;
    }
}
