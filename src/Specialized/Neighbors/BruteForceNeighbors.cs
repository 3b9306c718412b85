namespace Specialized.Neighbors;

/// <summary>
/// The brute-force reference search behind <see cref="NeighborList.BuildBruteForce"/> (MATH.md
/// §1.2 [D]): every pair (i, j) and every cell shift in a box that provably contains all images
/// within the cutoff. It shares nothing with <see cref="CellList"/> except the pair arithmetic
/// (<see cref="NeighborList.Consider"/> on the <see cref="WrappedAtoms"/> positions, so that both
/// take bitwise identical decisions at the cutoff); in particular the shift bounds come from an
/// independent construction (the dual basis of the periodic sub-lattice, not the binning frame).
/// <para>
/// Let P be the set of periodic axes and G_{kl} = h_k · h_l (k, l ∈ P) their Gram matrix. The dual
/// vectors g_k = Σ_{l∈P} (G⁻¹)_{kl} h_l satisfy g_k · h_l = δ_kl, so with f_ik = r_i · g_k:
/// <code>
///     r_ij · g_k = f_jk − f_ik + s_k     and     |r_ij · g_k| ≤ |r_ij| |g_k| = |r_ij| / d_k,
/// </code>
/// where d_k = 1 / |g_k| is the distance between lattice planes. Hence |r_ij| &lt; ρ implies
/// |s_k| &lt; ρ / d_k + span_k (span_k = max_i f_ik − min_i f_ik), and the search uses
/// |s_k| ≤ ceil(ρ / d_k + span_k) + 1 with ρ = max(r_c, coincidence tolerance).
/// </para>
/// </summary>
internal static class BruteForceNeighbors
{
    /// <summary>
    /// Finds all pairs for <paramref name="list"/> (atom count and cutoff already set) and returns
    /// the number of candidates examined. Cell shifts are enumerated in ascending lexicographic
    /// order, so the pairs of each centre arrive already sorted.
    /// </summary>
    public static long Run(NeighborList list, ReadOnlySpan<double> r, BinningFrame frame, double cutoff)
    {
        int n = r.Length / 3;
        double rho = Math.Max(cutoff, NeighborList.CoincidenceTolerance);
        Span<int> bound = stackalloc int[3];
        ShiftBounds(r, frame.Lattice, frame.Periodic, rho, bound);

        long candidates = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
                for (int s0 = -bound[0]; s0 <= bound[0]; s0++)
                    for (int s1 = -bound[1]; s1 <= bound[1]; s1++)
                        for (int s2 = -bound[2]; s2 <= bound[2]; s2++)
                        {
                            candidates++;
                            list.Consider(i, j, s0, s1, s2);
                        }
            list.EndCentre(i);
        }
        return candidates;
    }

    /// <summary>bound[k] = ceil(ρ / d_k + span_k) + 1 on periodic axes, 0 on the others.</summary>
    private static void ShiftBounds(ReadOnlySpan<double> r, double[] h, bool[] periodic, double rho, Span<int> bound)
    {
        int n = r.Length / 3;
        Span<int> axes = stackalloc int[3];
        int m = 0;
        for (int k = 0; k < 3; k++)
        {
            bound[k] = 0;
            if (periodic[k]) axes[m++] = k;
        }
        if (m == 0) return;

        // Gram matrix of the periodic lattice vectors and its inverse.
        var gram = new double[m, m];
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++)
                gram[a, b] = Dot(h, axes[a], h, axes[b]);
        var inverse = Invert(gram);

        for (int a = 0; a < m; a++)
        {
            // g = Σ_b (G⁻¹)_{ab} h_{axes[b]}.
            double gx = 0, gy = 0, gz = 0;
            for (int b = 0; b < m; b++)
            {
                int l = axes[b];
                gx += inverse[a, b] * h[3 * l];
                gy += inverse[a, b] * h[3 * l + 1];
                gz += inverse[a, b] * h[3 * l + 2];
            }
            double planeDistance = 1.0 / Math.Sqrt(gx * gx + gy * gy + gz * gz);
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                double f = r[3 * i] * gx + r[3 * i + 1] * gy + r[3 * i + 2] * gz;
                min = Math.Min(min, f);
                max = Math.Max(max, f);
            }
            double span = n == 0 ? 0 : max - min;
            bound[axes[a]] = checked((int)Math.Ceiling(rho / planeDistance + span) + 1);
        }
    }

    private static double Dot(double[] u, int p, double[] v, int q) =>
        u[3 * p] * v[3 * q] + u[3 * p + 1] * v[3 * q + 1] + u[3 * p + 2] * v[3 * q + 2];

    /// <summary>Gauss–Jordan inverse with partial pivoting of a small non-singular matrix.</summary>
    private static double[,] Invert(double[,] a)
    {
        int m = a.GetLength(0);
        var w = (double[,])a.Clone();
        var inv = new double[m, m];
        for (int k = 0; k < m; k++) inv[k, k] = 1;
        for (int col = 0; col < m; col++)
        {
            int pivot = col;
            for (int row = col + 1; row < m; row++)
                if (Math.Abs(w[row, col]) > Math.Abs(w[pivot, col])) pivot = row;
            for (int c = 0; c < m; c++)
            {
                (w[col, c], w[pivot, c]) = (w[pivot, c], w[col, c]);
                (inv[col, c], inv[pivot, c]) = (inv[pivot, c], inv[col, c]);
            }
            double d = w[col, col];
            for (int c = 0; c < m; c++)
            {
                w[col, c] /= d;
                inv[col, c] /= d;
            }
            for (int row = 0; row < m; row++)
            {
                if (row == col) continue;
                double factor = w[row, col];
                for (int c = 0; c < m; c++)
                {
                    w[row, c] -= factor * w[col, c];
                    inv[row, c] -= factor * inv[col, c];
                }
            }
        }
        return inv;
    }
}
