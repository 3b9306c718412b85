using System.Runtime.CompilerServices;

namespace Specialized.Neighbors;

/// <summary>
/// Every atom in the unit cell of the <see cref="BinningFrame"/>, shared by the cell list and the
/// brute-force oracle so that both evaluate pair vectors with the same arithmetic. With
/// f = r·B⁻¹ the fractional coordinates:
/// <list type="bullet">
/// <item>periodic axis k: image index q_k = floor(f_k) and u_k = f_k − q_k ∈ [0, 1];</item>
/// <item>non-periodic axis k: q_k = 0 and u_k = f_k;</item>
/// <item>wrapped Cartesian position c = r − q·H (<see cref="Translation"/>, H = <see cref="BinningFrame.Lattice"/>).</item>
/// </list>
/// The canonical pair vector of (i, j, S) is then
/// <code>
///     r_ij = (c_j − c_i) + T·H,   T = S + q_j − q_i,
/// </code>
/// which equals r_j − r_i + S·H exactly in real arithmetic, and in floating point is exactly
/// antisymmetric: the vector of (j, i, −S) is the bitwise negation of that of (i, j, S) (IEEE
/// rounding is symmetric under negation). All buffers are kept between runs.
/// </summary>
internal sealed class WrappedAtoms
{
    /// <summary>
    /// Atoms whose fractional coordinate exceeds this (in cells) are rejected: their image index
    /// would not fit in an int shift and rounding would dominate the pair vectors.
    /// </summary>
    internal const double MaxCellsAway = 1e8;

    /// <summary>[3i + k]: u_k of atom i (see the class summary).</summary>
    public double[] U = [];

    /// <summary>[3i + k]: image index q_k of atom i (0 on non-periodic axes).</summary>
    public int[] Image = [];

    /// <summary>Wrapped Cartesian positions c_i = r_i − q_i·H, one array per component.</summary>
    public double[] X = [], Y = [], Z = [];

    /// <summary>Number of atoms of the last <see cref="Fill"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Computes u, q and c for the flat atom-major positions <paramref name="r"/>.</summary>
    /// <exception cref="InvalidStructureException">An atom lies more than <see cref="MaxCellsAway"/> cells away.</exception>
    public void Fill(ReadOnlySpan<double> r, BinningFrame frame)
    {
        int n = r.Length / 3;
        if (U.Length < 3 * n)
        {
            U = new double[3 * n];
            Image = new int[3 * n];
            X = new double[n];
            Y = new double[n];
            Z = new double[n];
        }
        Count = n;
        var h = frame.Lattice;
        for (int i = 0; i < n; i++)
        {
            double x = r[3 * i], y = r[3 * i + 1], z = r[3 * i + 2];
            for (int k = 0; k < 3; k++)
            {
                double f = frame.Fractional(k, x, y, z);
                if (frame.Periodic[k])
                {
                    if (!(Math.Abs(f) <= MaxCellsAway))
                        throw new InvalidStructureException($"atom {i} lies {f:G3} cells away from the origin along lattice vector {k + 1}; wrap it into the cell");
                    double q = Math.Floor(f);
                    Image[3 * i + k] = (int)q;
                    // f − q ∈ [0, 1]; it can round to exactly 1 for f just below an integer,
                    // which is consistent (q + u = f) and is clamped to the last bin by the cell list.
                    U[3 * i + k] = f - q;
                }
                else
                {
                    Image[3 * i + k] = 0;
                    U[3 * i + k] = f;
                }
            }
            Translation(h, Image[3 * i], Image[3 * i + 1], Image[3 * i + 2], out double tx, out double ty, out double tz);
            X[i] = x - tx;
            Y[i] = y - ty;
            Z[i] = z - tz;
        }
    }

    /// <summary>
    /// The lattice translation t·H = t1 h1 + t2 h2 + t3 h3, evaluated as ((t1 h1 + t2 h2) + t3 h3)
    /// per component. Every pair vector goes through this one expression.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Translation(double[] h, int t0, int t1, int t2, out double x, out double y, out double z)
    {
        x = t0 * h[0] + t1 * h[3] + t2 * h[6];
        y = t0 * h[1] + t1 * h[4] + t2 * h[7];
        z = t0 * h[2] + t1 * h[5] + t2 * h[8];
    }
}
