using Specialized.Structures;

namespace Specialized.Models.Potentials;

/// <summary>
/// A full neighbour list over periodic images, found by brute force in O(N² · images): fine for the
/// small cells (≲ 100 atoms) that reference potentials label. Private to the potentials; the
/// library's general neighbour list lives elsewhere.
/// </summary>
/// <remarks>
/// <para>An entry of atom i is a pair (j, S) with integer cell shift S (zero along non-periodic axes),
/// displacement d = r_j + S·H − r_i (H has the lattice vectors as rows) and 0 &lt; |d| &lt; cutoff;
/// (i, 0) itself is excluded but other images of i are included. Every entry (i → j, d) has its
/// mirror (j → i, −d).</para>
/// <para>Atoms need not be wrapped: each is first translated by whole lattice vectors into the cell
/// along periodic axes (fractional coordinate f = r·H⁻¹ brought into [0, 1)), so two wrapped atoms
/// differ by |Δf_k| &lt; 1 and shifts |S_k| ≤ ⌈cutoff / d_k⌉ suffice, d_k being the distance between
/// the faces of the cell spanned by the other two lattice vectors.</para>
/// <para>Layout (CSR): the entries of atom i are e = Offsets[i] … Offsets[i+1] − 1, with neighbour
/// Neighbour[e], displacement (Vectors[3e], Vectors[3e+1], Vectors[3e+2]) and length Distance[e].</para>
/// </remarks>
internal sealed class ImageNeighbourList
{
    /// <summary>Refuse cells so thin that the brute-force search would visit more images than this.</summary>
    private const long MaxImages = 200_000;

    private ImageNeighbourList(int[] offsets, int[] neighbour, double[] vectors, double[] distance)
    {
        Offsets = offsets;
        Neighbour = neighbour;
        Vectors = vectors;
        Distance = distance;
    }

    /// <summary>Entries of atom i: Offsets[i] … Offsets[i+1] − 1 (length N + 1).</summary>
    public int[] Offsets { get; }

    /// <summary>Neighbour atom index of each entry.</summary>
    public int[] Neighbour { get; }

    /// <summary>Displacements d = r_j + S·H − r_i, flat [3e + axis].</summary>
    public double[] Vectors { get; }

    /// <summary>|d| of each entry.</summary>
    public double[] Distance { get; }

    /// <summary>Builds the list for <paramref name="structure"/> with a strict cutoff |d| &lt; <paramref name="cutoff"/>.</summary>
    public static ImageNeighbourList Build(Structure structure, double cutoff)
    {
        int n = structure.AtomCount;
        var wrapped = structure.Positions.ToArray();
        var shifts = new List<(double X, double Y, double Z, bool Zero)>();
        var cell = structure.Cell;

        if (cell is { AnyPeriodic: true })
        {
            var h = cell.Matrix;
            double scale = Norm(h[0], h[1], h[2]) * Norm(h[3], h[4], h[5]) * Norm(h[6], h[7], h[8]);
            if (!(cell.Volume > 1e-10 * scale))
                throw new InvalidStructureException($"the cell is singular (volume {cell.Volume:G6} Å³) but has periodic axes");
            var inv = cell.Inverse();
            var (da, db, dc) = cell.FaceDistances();
            Span<double> faces = [da, db, dc];
            Span<int> range = stackalloc int[3];
            long images = 1;
            for (int k = 0; k < 3; k++)
            {
                range[k] = cell.Pbc[k] ? (int)Math.Ceiling(cutoff / faces[k]) : 0;
                images *= 2L * range[k] + 1;
            }
            if (images > MaxImages)
                throw new InvalidStructureException($"the cell is too thin for a cutoff of {cutoff} Å (face distances {da:G4}, {db:G4}, {dc:G4} Å)");

            // Wrap along periodic axes: r ← r − Σ_k floor(f_k) h_k with f = r·H⁻¹.
            for (int i = 0; i < n; i++)
            {
                double x = wrapped[3 * i], y = wrapped[3 * i + 1], z = wrapped[3 * i + 2];
                for (int k = 0; k < 3; k++)
                {
                    if (!cell.Pbc[k]) continue;
                    double f = x * inv[k] + y * inv[3 + k] + z * inv[6 + k];
                    double t = Math.Floor(f);
                    wrapped[3 * i] -= t * h[3 * k];
                    wrapped[3 * i + 1] -= t * h[3 * k + 1];
                    wrapped[3 * i + 2] -= t * h[3 * k + 2];
                }
            }

            for (int s0 = -range[0]; s0 <= range[0]; s0++)
                for (int s1 = -range[1]; s1 <= range[1]; s1++)
                    for (int s2 = -range[2]; s2 <= range[2]; s2++)
                        shifts.Add((s0 * h[0] + s1 * h[3] + s2 * h[6],
                                    s0 * h[1] + s1 * h[4] + s2 * h[7],
                                    s0 * h[2] + s1 * h[5] + s2 * h[8],
                                    s0 == 0 && s1 == 0 && s2 == 0));
        }
        else
        {
            shifts.Add((0, 0, 0, true));
        }

        double cut2 = cutoff * cutoff;
        var offsets = new int[n + 1];
        var neighbour = new List<int>();
        var vectors = new List<double>();
        var distance = new List<double>();
        for (int i = 0; i < n; i++)
        {
            double xi = wrapped[3 * i], yi = wrapped[3 * i + 1], zi = wrapped[3 * i + 2];
            for (int j = 0; j < n; j++)
            {
                double bx = wrapped[3 * j] - xi, by = wrapped[3 * j + 1] - yi, bz = wrapped[3 * j + 2] - zi;
                foreach (var (sx, sy, sz, zero) in shifts)
                {
                    if (zero && j == i) continue;
                    double dx = bx + sx, dy = by + sy, dz = bz + sz;
                    double r2 = dx * dx + dy * dy + dz * dz;
                    if (r2 >= cut2) continue;
                    neighbour.Add(j);
                    vectors.Add(dx);
                    vectors.Add(dy);
                    vectors.Add(dz);
                    distance.Add(Math.Sqrt(r2));
                }
            }
            offsets[i + 1] = neighbour.Count;
        }
        return new ImageNeighbourList(offsets, [.. neighbour], [.. vectors], [.. distance]);
    }

    private static double Norm(double x, double y, double z) => Math.Sqrt(x * x + y * y + z * z);
}
