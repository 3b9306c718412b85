using Specialized.Structures;

namespace Specialized.Neighbors;

/// <summary>
/// The frame in which the cell list bins atoms: a non-singular 3×3 matrix B whose rows b_k are
/// <list type="bullet">
/// <item>the lattice vector, b_k = h_k, on every periodic axis k, and</item>
/// <item>unit vectors orthogonal to all periodic lattice vectors (and to each other) on the
/// non-periodic axes. A lattice vector stored on a non-periodic axis (extended XYZ files carry
/// one with <c>pbc="F F F"</c>) is ignored: it may be zero or parallel to a periodic one.</item>
/// </list>
/// Fractional coordinates are f = r·B⁻¹. Because the periodic rows of B are the lattice vectors, a
/// cell shift S (non-zero on periodic axes only) moves f by exactly S, and a displacement Δr moves
/// f_k by at most |Δr| / d_k, where d_k = |det B| / |b_{k+1} × b_{k+2}| = 1 / |column k of B⁻¹| is
/// the distance between the lattice planes spanned by the other two rows. On non-periodic axes
/// d_k = 1 (Cartesian length along b_k); on periodic axes d_k is the true distance between lattice
/// planes of the periodic sub-lattice (the face distance for a fully periodic cell).
/// One instance is reused across updates, so re-filling it allocates nothing.
/// </summary>
internal sealed class BinningFrame
{
    /// <summary>
    /// Relative tolerance for linear dependence of the periodic lattice vectors:
    /// |det H| / (|h1||h2||h3|) (3 periodic axes) or |h_p × h_q| / (|h_p||h_q|) (2 periodic axes).
    /// </summary>
    internal const double SingularTolerance = 1e-10;

    /// <summary>B row-major, rows are b_k: Rows[3k + β] = (b_k)_β.</summary>
    public readonly double[] Rows = new double[9];

    /// <summary>B⁻¹ row-major, so f_k = Σ_β r_β · Inverse[3β + k].</summary>
    public readonly double[] Inverse = new double[9];

    /// <summary>
    /// The lattice used for cell shifts: Lattice[3k + β] = (h_k)_β on periodic axes and 0 on the
    /// others, so the translation S·H = Σ_k s_k h_k is well defined for any S.
    /// </summary>
    public readonly double[] Lattice = new double[9];

    /// <summary>Periodicity of each axis (all false without a cell).</summary>
    public readonly bool[] Periodic = new bool[3];

    /// <summary>Plane distances d_k of the frame (see the class summary).</summary>
    public readonly double[] PlaneDistance = new double[3];

    /// <summary>Number of periodic axes (0…3).</summary>
    public int PeriodicCount { get; private set; }

    /// <summary>Fills the frame for <paramref name="cell"/> (null = isolated structure).</summary>
    /// <exception cref="InvalidStructureException">The periodic lattice vectors are (nearly) linearly dependent.</exception>
    public void Set(UnitCell? cell)
    {
        Array.Clear(Rows);
        Array.Clear(Lattice);
        Span<int> periodicAxes = stackalloc int[3];
        Span<int> openAxes = stackalloc int[3];
        int m = 0, o = 0;
        for (int k = 0; k < 3; k++)
        {
            Periodic[k] = cell is not null && cell.Pbc[k];
            if (Periodic[k])
            {
                periodicAxes[m++] = k;
                for (int b = 0; b < 3; b++) Rows[3 * k + b] = Lattice[3 * k + b] = cell![k, b];
            }
            else
            {
                openAxes[o++] = k;
            }
        }
        PeriodicCount = m;

        switch (m)
        {
            case 3:
                {
                    double scale = Norm(Rows, 0) * Norm(Rows, 1) * Norm(Rows, 2);
                    if (!(Math.Abs(Determinant(Rows)) > SingularTolerance * scale))
                        throw Singular("the three periodic lattice vectors are (nearly) coplanar or one is zero");
                    break;
                }
            case 2:
                {
                    // b_open = (h_p × h_q) / |h_p × h_q|.
                    int p = periodicAxes[0], q = periodicAxes[1], k = openAxes[0];
                    Cross(Rows, p, q, out double x, out double y, out double z);
                    double n = Math.Sqrt(x * x + y * y + z * z);
                    if (!(n > SingularTolerance * Norm(Rows, p) * Norm(Rows, q)))
                        throw Singular($"the periodic lattice vectors h{p + 1} and h{q + 1} are (nearly) parallel or zero");
                    SetRow(k, x / n, y / n, z / n);
                    break;
                }
            case 1:
                {
                    // Two orthonormal vectors e1, e2 orthogonal to h_p: e1 ∝ h_p × e_c with e_c the
                    // Cartesian axis least aligned with h_p, then e2 = ĥ_p × e1.
                    int p = periodicAxes[0];
                    double hx = Rows[3 * p], hy = Rows[3 * p + 1], hz = Rows[3 * p + 2];
                    double h = Math.Sqrt(hx * hx + hy * hy + hz * hz);
                    if (!(h > 0))
                        throw Singular($"the periodic lattice vector h{p + 1} is zero");
                    hx /= h; hy /= h; hz /= h;
                    double ax = Math.Abs(hx), ay = Math.Abs(hy), az = Math.Abs(hz);
                    // h × e_x = (0, hz, −hy); h × e_y = (−hz, 0, hx); h × e_z = (hy, −hx, 0).
                    double e1x, e1y, e1z;
                    if (ax <= ay && ax <= az) (e1x, e1y, e1z) = (0, hz, -hy);
                    else if (ay <= az) (e1x, e1y, e1z) = (-hz, 0, hx);
                    else (e1x, e1y, e1z) = (hy, -hx, 0);
                    double e1 = Math.Sqrt(e1x * e1x + e1y * e1y + e1z * e1z);
                    e1x /= e1; e1y /= e1; e1z /= e1;
                    SetRow(openAxes[0], e1x, e1y, e1z);
                    SetRow(openAxes[1], hy * e1z - hz * e1y, hz * e1x - hx * e1z, hx * e1y - hy * e1x);
                    break;
                }
            default:
                SetRow(0, 1, 0, 0);
                SetRow(1, 0, 1, 0);
                SetRow(2, 0, 0, 1);
                break;
        }

        Invert(Rows, Inverse);
        for (int k = 0; k < 3; k++)
        {
            double c0 = Inverse[k], c1 = Inverse[3 + k], c2 = Inverse[6 + k];
            PlaneDistance[k] = 1.0 / Math.Sqrt(c0 * c0 + c1 * c1 + c2 * c2);
        }
    }

    /// <summary>Fractional coordinate f_k = Σ_β r_β (B⁻¹)_{βk} of the point (x, y, z).</summary>
    public double Fractional(int k, double x, double y, double z) =>
        x * Inverse[k] + y * Inverse[3 + k] + z * Inverse[6 + k];

    private void SetRow(int k, double x, double y, double z)
    {
        Rows[3 * k] = x;
        Rows[3 * k + 1] = y;
        Rows[3 * k + 2] = z;
    }

    private static InvalidStructureException Singular(string why) =>
        new($"the cell is singular on its periodic axes: {why}; neighbour images are undefined");

    private static double Norm(double[] m, int k) =>
        Math.Sqrt(m[3 * k] * m[3 * k] + m[3 * k + 1] * m[3 * k + 1] + m[3 * k + 2] * m[3 * k + 2]);

    /// <summary>Cross product of rows p and q of the row-major matrix <paramref name="m"/>.</summary>
    private static void Cross(double[] m, int p, int q, out double x, out double y, out double z)
    {
        x = m[3 * p + 1] * m[3 * q + 2] - m[3 * p + 2] * m[3 * q + 1];
        y = m[3 * p + 2] * m[3 * q] - m[3 * p] * m[3 * q + 2];
        z = m[3 * p] * m[3 * q + 1] - m[3 * p + 1] * m[3 * q];
    }

    private static double Determinant(double[] m) =>
        m[0] * (m[4] * m[8] - m[5] * m[7])
        - m[1] * (m[3] * m[8] - m[5] * m[6])
        + m[2] * (m[3] * m[7] - m[4] * m[6]);

    /// <summary>
    /// Inverse of a non-singular row-major 3×3 matrix: (M⁻¹)_{βk} = C_{kβ} / det M, with C the
    /// cofactor matrix. Column k of M⁻¹ is (b_{k+1} × b_{k+2}) / det M (indices mod 3).
    /// </summary>
    private static void Invert(double[] m, double[] inv)
    {
        double det = Determinant(m);
        for (int k = 0; k < 3; k++)
        {
            Cross(m, (k + 1) % 3, (k + 2) % 3, out double x, out double y, out double z);
            inv[k] = x / det;
            inv[3 + k] = y / det;
            inv[6 + k] = z / det;
        }
    }
}
