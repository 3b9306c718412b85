using Specialized.Neighbors;
using Specialized.Structures;

namespace Specialized.Tests.Neighbors;

/// <summary>Cells, random structures and list comparisons shared by the neighbour-list tests.</summary>
internal static class NeighborTestData
{
    /// <summary>
    /// Cell from lengths a, b, c (Å) and angles α, β, γ (degrees), built the standard ASE way
    /// (<c>cellpar_to_cell</c>): h1 along x, h2 in the xy plane, exact zeros for 90° angles.
    /// </summary>
    public static double[] Triclinic(double a, double b, double c, double alpha, double beta, double gamma)
    {
        static double Cos(double deg) => Math.Abs(Math.Abs(deg) - 90) < 1e-13 ? 0 : Math.Cos(deg * Math.PI / 180);
        double ca = Cos(alpha), cb = Cos(beta), cg = Cos(gamma);
        double sg = Math.Abs(gamma - 90) < 1e-13 ? 1 : Math.Sin(gamma * Math.PI / 180);
        double cx = cb;
        double cy = (ca - cb * cg) / sg;
        double cz = Math.Sqrt(1 - cx * cx - cy * cy);
        return [a, 0, 0, b * cg, b * sg, 0, c * cx, c * cy, c * cz];
    }

    /// <summary>Cartesian position f·H of fractional coordinates f for row-major H.</summary>
    public static (double X, double Y, double Z) ToCartesian(double[] h, double f0, double f1, double f2) =>
        (f0 * h[0] + f1 * h[3] + f2 * h[6], f0 * h[1] + f1 * h[4] + f2 * h[7], f0 * h[2] + f1 * h[5] + f2 * h[8]);

    /// <summary>
    /// A random, reasonably shaped triclinic lattice: lengths 1.5–6 Å, angles 60°–120°, normalised
    /// volume above 0.35, randomly rotated half of the time.
    /// </summary>
    public static double[] RandomLattice(Random rng)
    {
        while (true)
        {
            double a = 1.5 + 4.5 * rng.NextDouble(), b = 1.5 + 4.5 * rng.NextDouble(), c = 1.5 + 4.5 * rng.NextDouble();
            double alpha = 60 + 60 * rng.NextDouble(), beta = 60 + 60 * rng.NextDouble(), gamma = 60 + 60 * rng.NextDouble();
            double cx = Math.Cos(beta * Math.PI / 180);
            double cy = (Math.Cos(alpha * Math.PI / 180) - cx * Math.Cos(gamma * Math.PI / 180)) / Math.Sin(gamma * Math.PI / 180);
            if (1 - cx * cx - cy * cy < 0.35 * 0.35) continue;
            var h = Triclinic(a, b, c, alpha, beta, gamma);
            return rng.Next(2) == 0 ? h : Rotate(h, rng);
        }
    }

    /// <summary>Applies a uniformly random rotation (random unit quaternion) to the rows of h.</summary>
    public static double[] Rotate(double[] h, Random rng)
    {
        double w, x, y, z, n;
        do
        {
            w = 2 * rng.NextDouble() - 1; x = 2 * rng.NextDouble() - 1;
            y = 2 * rng.NextDouble() - 1; z = 2 * rng.NextDouble() - 1;
            n = Math.Sqrt(w * w + x * x + y * y + z * z);
        } while (n < 0.1 || n > 1);
        w /= n; x /= n; y /= n; z /= n;
        double[] rot =
        [
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
        ];
        var result = new double[9];
        for (int k = 0; k < 3; k++)
            for (int b = 0; b < 3; b++)
                result[3 * k + b] = rot[3 * b] * h[3 * k] + rot[3 * b + 1] * h[3 * k + 1] + rot[3 * b + 2] * h[3 * k + 2];
        return result;
    }

    /// <summary>
    /// <paramref name="count"/> atoms at random fractional coordinates in [lo, hi)³ of lattice h
    /// (so partly outside the cell when lo &lt; 0 or hi &gt; 1).
    /// </summary>
    public static double[] RandomPositions(Random rng, double[] h, int count, double lo, double hi)
    {
        var r = new double[3 * count];
        for (int i = 0; i < count; i++)
        {
            var (x, y, z) = ToCartesian(h,
                lo + (hi - lo) * rng.NextDouble(), lo + (hi - lo) * rng.NextDouble(), lo + (hi - lo) * rng.NextDouble());
            (r[3 * i], r[3 * i + 1], r[3 * i + 2]) = (x, y, z);
        }
        return r;
    }

    /// <summary>A structure of hydrogen atoms at <paramref name="positions"/>.</summary>
    public static Structure Hydrogens(double[] positions, UnitCell? cell) =>
        new(Enumerable.Repeat(1, positions.Length / 3).ToArray(), positions, cell);

    /// <summary>The pairs as (i, j, s1, s2, s3) → r_ij.</summary>
    public static Dictionary<(int I, int J, int S0, int S1, int S2), (double X, double Y, double Z)> ByKey(NeighborList list)
    {
        var map = new Dictionary<(int, int, int, int, int), (double, double, double)>();
        for (int i = 0; i < list.AtomCount; i++)
            for (int p = list.Offsets[i]; p < list.Offsets[i + 1]; p++)
            {
                var (s0, s1, s2) = list.Shift(p);
                Assert.True(map.TryAdd((i, list.Neighbor(p), s0, s1, s2), list.Vector(p)), $"pair ({i}, {list.Neighbor(p)}, ({s0}, {s1}, {s2})) listed twice");
            }
        return map;
    }

    /// <summary>
    /// Checks the list's internal consistency: CSR offsets, centres, canonical order within each
    /// centre (by j, then S), distances = |vector| and 0 &lt; distance &lt; cutoff.
    /// </summary>
    public static void AssertWellFormed(NeighborList list)
    {
        var offsets = list.Offsets;
        Assert.Equal(list.AtomCount + 1, offsets.Length);
        Assert.Equal(0, offsets[0]);
        Assert.Equal(list.PairCount, offsets[list.AtomCount]);
        Assert.Equal(list.PairCount, list.Neighbors.Length);
        Assert.Equal(3 * list.PairCount, list.Shifts.Length);
        Assert.Equal(3 * list.PairCount, list.Vectors.Length);
        Assert.Equal(list.PairCount, list.Distances.Length);
        for (int i = 0; i < list.AtomCount; i++)
        {
            Assert.True(offsets[i] <= offsets[i + 1]);
            Assert.Equal(offsets[i + 1] - offsets[i], list.NeighborCount(i));
            for (int p = offsets[i]; p < offsets[i + 1]; p++)
            {
                Assert.Equal(i, list.Centers[p]);
                var (x, y, z) = list.Vector(p);
                Assert.Equal(Math.Sqrt(x * x + y * y + z * z), list.Distance(p), 15);
                Assert.InRange(list.Distance(p), NeighborList.CoincidenceTolerance, list.Cutoff);
                Assert.True(list.Distance(p) < list.Cutoff);
                if (p > offsets[i])
                {
                    var previous = (list.Neighbor(p - 1), list.Shift(p - 1));
                    var current = (list.Neighbor(p), list.Shift(p));
                    Assert.True(previous.CompareTo(current) < 0, $"centre {i}: pairs {p - 1} and {p} out of order");
                }
            }
        }
    }

    /// <summary>Identical (i, j, S) sequences and vectors/distances within <paramref name="tolerance"/>.</summary>
    public static void AssertSameList(NeighborList expected, NeighborList actual, double tolerance, string context)
    {
        Assert.Equal(expected.AtomCount, actual.AtomCount);
        Assert.True(expected.PairCount == actual.PairCount, $"{context}: {expected.PairCount} pairs expected, {actual.PairCount} found");
        Assert.True(expected.Offsets.SequenceEqual(actual.Offsets), $"{context}: offsets differ");
        Assert.True(expected.Neighbors.SequenceEqual(actual.Neighbors), $"{context}: neighbours differ");
        Assert.True(expected.Shifts.SequenceEqual(actual.Shifts), $"{context}: shifts differ");
        for (int q = 0; q < 3 * expected.PairCount; q++)
            Assert.True(Math.Abs(expected.Vectors[q] - actual.Vectors[q]) <= tolerance, $"{context}: vector component {q} differs");
        for (int p = 0; p < expected.PairCount; p++)
            Assert.True(Math.Abs(expected.Distances[p] - actual.Distances[p]) <= tolerance, $"{context}: distance {p} differs");
    }
}
