using Specialized.Neighbors;
using Specialized.Structures;
using static Specialized.Tests.Neighbors.NeighborTestData;

namespace Specialized.Tests.Neighbors;

/// <summary>Symmetry of the full list and invariance under wrapping atoms by lattice vectors.</summary>
public class NeighborListInvarianceTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 0; seed < 6; seed++) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EveryPairHasItsInverse(int seed)
    {
        var rng = new Random(500 + seed);
        foreach (var pbc in CellListVsBruteForceTests.Patterns)
        {
            var h = RandomLattice(rng);
            var cell = pbc is null ? null : new UnitCell(h, pbc[0], pbc[1], pbc[2]);
            var list = NeighborList.Build(Hydrogens(RandomPositions(rng, h, 1 + rng.Next(30), -0.5, 1.5), cell), 1.5 + 4 * rng.NextDouble());
            var pairs = ByKey(list);
            foreach (var ((i, j, s0, s1, s2), (x, y, z)) in pairs)
            {
                // (j, i, −S) with r_ji = −r_ij (exactly: both are differences of the same numbers).
                Assert.True(pairs.TryGetValue((j, i, -s0, -s1, -s2), out var inverse), $"({i}, {j}, ({s0}, {s1}, {s2})) has no inverse");
                Assert.Equal(-x, inverse.X, 1e-12);
                Assert.Equal(-y, inverse.Y, 1e-12);
                Assert.Equal(-z, inverse.Z, 1e-12);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void WrappingAtomsChangesOnlyTheShifts(int seed)
    {
        var rng = new Random(700 + seed);
        foreach (var pbc in CellListVsBruteForceTests.Patterns)
        {
            if (pbc is null) continue;
            var h = RandomLattice(rng);
            var cell = new UnitCell(h, pbc[0], pbc[1], pbc[2]);
            int n = 1 + rng.Next(25);
            var r = RandomPositions(rng, h, n, -0.5, 1.5);
            // Move atom i by m_i·H (m_i integer, zero on open axes); some by far more than a cell.
            int range = seed % 2 == 0 ? 2 : 60;
            var m = new int[3 * n];
            var moved = (double[])r.Clone();
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < 3; k++) m[3 * i + k] = pbc[k] ? rng.Next(-range, range + 1) : 0;
                var (dx, dy, dz) = ToCartesian(h, m[3 * i], m[3 * i + 1], m[3 * i + 2]);
                moved[3 * i] += dx;
                moved[3 * i + 1] += dy;
                moved[3 * i + 2] += dz;
            }
            double cutoff = 1.5 + 4 * rng.NextDouble();
            var before = ByKey(NeighborList.Build(Hydrogens(r, cell), cutoff));
            var after = ByKey(NeighborList.Build(Hydrogens(moved, cell), cutoff));
            Assert.Equal(before.Count, after.Count);
            // r'_j − r'_i + S'·H = r_j − r_i + S·H  ⇔  S' = S + m_i − m_j.
            double tolerance = 1e-12 * Math.Max(1, range);
            foreach (var ((i, j, s0, s1, s2), v) in before)
            {
                var key = (i, j, s0 + m[3 * i] - m[3 * j], s1 + m[3 * i + 1] - m[3 * j + 1], s2 + m[3 * i + 2] - m[3 * j + 2]);
                Assert.True(after.TryGetValue(key, out var w), $"pair ({i}, {j}, ({s0}, {s1}, {s2})) lost after wrapping");
                Assert.Equal(v.X, w.X, tolerance);
                Assert.Equal(v.Y, w.Y, tolerance);
                Assert.Equal(v.Z, w.Z, tolerance);
            }
        }
    }

    [Fact]
    public void RigidTranslationChangesNothing()
    {
        var rng = new Random(9);
        var h = RandomLattice(rng);
        var r = RandomPositions(rng, h, 20, 0, 1);
        var shifted = r.Select((x, q) => x + (q % 3 == 0 ? 0.37 : q % 3 == 1 ? -12.5 : 3.1)).ToArray();
        foreach (var pbc in CellListVsBruteForceTests.Patterns)
        {
            var cell = pbc is null ? null : new UnitCell(h, pbc[0], pbc[1], pbc[2]);
            var a = ByKey(NeighborList.Build(Hydrogens(r, cell), 3.7));
            var b = ByKey(NeighborList.Build(Hydrogens(shifted, cell), 3.7));
            // r_j − r_i, hence every (i, j, S), is unchanged; vectors agree to rounding.
            Assert.Equal(a.Keys.Order(), b.Keys.Order());
            foreach (var (key, v) in a)
            {
                Assert.Equal(v.X, b[key].X, 1e-12);
                Assert.Equal(v.Y, b[key].Y, 1e-12);
                Assert.Equal(v.Z, b[key].Z, 1e-12);
            }
        }
    }
}
