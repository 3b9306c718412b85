using Specialized.Structures;

namespace Specialized.Tests.Support;

/// <summary>Deterministic random structures for oracle tests.</summary>
public static class TestStructures
{
    /// <summary>A random cluster of <paramref name="atoms"/> atoms in a ball, no two closer than <paramref name="minDistance"/>.</summary>
    public static Structure Cluster(int seed, int atoms, int[] species, double radius = 2.5, double minDistance = 0.9)
    {
        var rng = new Random(seed);
        var positions = new List<double>();
        var numbers = new List<int>();
        while (numbers.Count < atoms)
        {
            double x = (2 * rng.NextDouble() - 1) * radius, y = (2 * rng.NextDouble() - 1) * radius, z = (2 * rng.NextDouble() - 1) * radius;
            if (x * x + y * y + z * z > radius * radius) continue;
            bool ok = true;
            for (int k = 0; k < numbers.Count && ok; k++)
            {
                double dx = positions[3 * k] - x, dy = positions[3 * k + 1] - y, dz = positions[3 * k + 2] - z;
                ok = dx * dx + dy * dy + dz * dz >= minDistance * minDistance;
            }
            if (!ok) continue;
            positions.AddRange([x, y, z]);
            numbers.Add(species[numbers.Count % species.Length]);
        }
        return new Structure(numbers.ToArray(), positions.ToArray());
    }

    /// <summary>A random triclinic periodic cell with atoms placed at random (min distance respected, images included).</summary>
    public static Structure Periodic(int seed, int atoms, int[] species, double edge = 4.0, double minDistance = 1.0)
    {
        var rng = new Random(seed);
        double[] h =
        [
            edge + rng.NextDouble() * 0.5, 0.3 * (rng.NextDouble() - 0.5), 0.3 * (rng.NextDouble() - 0.5),
            0.8 * (rng.NextDouble() - 0.5), edge + rng.NextDouble() * 0.5, 0.3 * (rng.NextDouble() - 0.5),
            0.8 * (rng.NextDouble() - 0.5), 0.8 * (rng.NextDouble() - 0.5), edge + rng.NextDouble() * 0.5,
        ];
        var positions = new List<double>();
        var numbers = new List<int>();
        int attempts = 0;
        while (numbers.Count < atoms)
        {
            if (++attempts > 100000) throw new InvalidOperationException("could not place atoms");
            double f0 = rng.NextDouble(), f1 = rng.NextDouble(), f2 = rng.NextDouble();
            double x = f0 * h[0] + f1 * h[3] + f2 * h[6], y = f0 * h[1] + f1 * h[4] + f2 * h[7], z = f0 * h[2] + f1 * h[5] + f2 * h[8];
            bool ok = true;
            for (int k = 0; k < numbers.Count && ok; k++)
                for (int s0 = -1; s0 <= 1 && ok; s0++)
                    for (int s1 = -1; s1 <= 1 && ok; s1++)
                        for (int s2 = -1; s2 <= 1 && ok; s2++)
                        {
                            double dx = positions[3 * k] + s0 * h[0] + s1 * h[3] + s2 * h[6] - x;
                            double dy = positions[3 * k + 1] + s0 * h[1] + s1 * h[4] + s2 * h[7] - y;
                            double dz = positions[3 * k + 2] + s0 * h[2] + s1 * h[5] + s2 * h[8] - z;
                            ok = dx * dx + dy * dy + dz * dz >= minDistance * minDistance;
                        }
            if (!ok) continue;
            positions.AddRange([x, y, z]);
            numbers.Add(species[numbers.Count % species.Length]);
        }
        return new Structure(numbers.ToArray(), positions.ToArray(), new UnitCell(h));
    }

    /// <summary>Applies r → M r to every position (and to the lattice vectors) of a copy.</summary>
    public static Structure Transform(Structure s, double[] m)
    {
        var p = s.Positions.ToArray();
        var q = new double[p.Length];
        for (int i = 0; i < s.AtomCount; i++)
            for (int a = 0; a < 3; a++)
                q[3 * i + a] = m[3 * a] * p[3 * i] + m[3 * a + 1] * p[3 * i + 1] + m[3 * a + 2] * p[3 * i + 2];
        UnitCell? cell = null;
        if (s.Cell is { } c)
        {
            var h = c.Matrix.ToArray();
            var g = new double[9];
            for (int k = 0; k < 3; k++)
                for (int a = 0; a < 3; a++)
                    g[3 * k + a] = m[3 * a] * h[3 * k] + m[3 * a + 1] * h[3 * k + 1] + m[3 * a + 2] * h[3 * k + 2];
            cell = new UnitCell(g, c.Pbc[0], c.Pbc[1], c.Pbc[2]);
        }
        return new Structure(s.AtomicNumbers, q, cell);
    }

    /// <summary>
    /// A dense random cluster of <paramref name="clustered"/> atoms followed by <paramref name="isolated"/> atoms
    /// 30 Å apart (no neighbours): the work per centre is very uneven along the atom order (thread partitions).
    /// </summary>
    public static Structure Lopsided(int seed, int clustered, int isolated, int[] species)
    {
        var cluster = Cluster(seed, clustered, species, radius: 3.0, minDistance: 1.0);
        var numbers = cluster.AtomicNumbers.ToArray().Concat(Enumerable.Range(0, isolated).Select(k => species[k % species.Length])).ToArray();
        var positions = cluster.Positions.ToArray().Concat(Enumerable.Range(0, isolated).SelectMany(k => new[] { 30.0 * (k + 1), 1.0, -2.0 })).ToArray();
        return new Structure(numbers, positions);
    }
}
