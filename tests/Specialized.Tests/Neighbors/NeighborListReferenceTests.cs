using Specialized.Neighbors;
using Specialized.Structures;
using static Specialized.Tests.Neighbors.NeighborTestData;

namespace Specialized.Tests.Neighbors;

/// <summary>Reference cases of MATH.md §9.1 (featomic's neighbour-list tests, computed with ASE).</summary>
public class NeighborListReferenceTests
{
    [Fact]
    public void SmallCubicCellLargeCutoffGivesSixImages()
    {
        // 0.5 Å cubic cell, one atom, r_c = 0.6 > L: the atom sees its images at ±x, ±y, ±z.
        var list = NeighborList.Build(Hydrogens([0, 0, 0], UnitCell.Cubic(0.5)), 0.6);
        AssertWellFormed(list);
        Assert.Equal(6, list.PairCount);
        (int, int, int)[] expected = [(-1, 0, 0), (0, -1, 0), (0, 0, -1), (0, 0, 1), (0, 1, 0), (1, 0, 0)];
        for (int p = 0; p < 6; p++)
        {
            Assert.Equal(0, list.Neighbor(p));
            Assert.Equal(expected[p], list.Shift(p));
            var (s0, s1, s2) = expected[p];
            Assert.Equal((0.5 * s0, 0.5 * s1, 0.5 * s2), list.Vector(p));
            Assert.Equal(0.5, list.Distance(p));
        }
    }

    [Fact]
    public void FccPrimitiveCellHasTwelveNearestNeighbours()
    {
        var cell = new UnitCell([0, 1.5, 1.5, 1.5, 0, 1.5, 1.5, 1.5, 0]);
        var list = NeighborList.Build(Hydrogens([0, 0, 0], cell), 3.0);
        AssertWellFormed(list);
        Assert.Equal(12, list.PairCount);
        // featomic's half list (vector / 1.5, shift); the full list adds the inverses.
        ((double, double, double) V, (int, int, int) S)[] half =
        [
            ((1, 0, -1), (-1, 0, 1)), ((1, -1, 0), (-1, 1, 0)), ((0, 1, -1), (0, -1, 1)),
            ((1, 1, 0), (0, 0, 1)), ((1, 0, 1), (0, 1, 0)), ((0, 1, 1), (1, 0, 0)),
        ];
        var pairs = ByKey(list);
        foreach (var ((vx, vy, vz), (s0, s1, s2)) in half)
        {
            Assert.Equal((1.5 * vx, 1.5 * vy, 1.5 * vz), pairs[(0, 0, s0, s1, s2)]);
            Assert.Equal((-1.5 * vx, -1.5 * vy, -1.5 * vz), pairs[(0, 0, -s0, -s1, -s2)]);
        }
        for (int p = 0; p < 12; p++)
            Assert.Equal(2.1213203435596424, list.Distance(p), 1e-15);
    }

    [Fact]
    public void TriclinicFaceDistances()
    {
        var cell = new UnitCell(Triclinic(3, 4, 5, 90, 80, 100));
        var (a, b, c) = cell.FaceDistances();
        Assert.Equal(2.908132319388713, a, 1e-14);
        Assert.Equal(3.9373265973230853, b, 1e-14);
        Assert.Equal(4.921658246653857, c, 1e-14);
    }

    [Fact]
    public void TriclinicCutoffJustAboveAndBelowTheSmallestHeight()
    {
        // One atom: its images ±h_k are at |h_k|; the cutoff d_1 ± ε cannot reach any image
        // closer than the smallest face distance, and brute force agrees on everything.
        var h = Triclinic(3, 4, 5, 90, 80, 100);
        var structure = Hydrogens([0.3, 0.2, 0.1], new UnitCell(h));
        Assert.Equal(0, NeighborList.Build(structure, 2.9).PairCount);
        var list = NeighborList.Build(structure, 3.0 + 1e-9);
        AssertSameList(NeighborList.BuildBruteForce(structure, 3.0 + 1e-9), list, 1e-12, "r_c = 3");
        Assert.Equal(2, list.PairCount);
        Assert.Equal((-1, 0, 0), list.Shift(0));
        Assert.Equal((1, 0, 0), list.Shift(1));
    }

    [Fact]
    public void NonPeriodicFiveAtomReference()
    {
        double[] r =
        [
            0.134, 1.282, 1.701,
            -0.273, 1.026, -1.471,
            1.922, -0.124, 1.900,
            1.400, -0.464, 0.480,
            0.149, 1.865, 0.635,
        ];
        (int I, int J, double D)[] reference =
        [
            (0, 1, 3.2082345612501593), (0, 2, 2.283282943482914), (0, 3, 2.4783286706972505),
            (0, 4, 1.215100818862369), (1, 3, 2.9707625283755013), (1, 4, 2.3059143522689647),
            (2, 3, 1.550639867925496), (2, 4, 2.9495550511899244), (3, 4, 2.6482573515427084),
        ];
        foreach (var cell in new UnitCell?[] { null, new(new double[9], false, false, false), new(Triclinic(3, 3, 3, 90, 90, 90), false, false, false) })
        {
            var list = NeighborList.Build(Hydrogens(r, cell), 3.42);
            AssertWellFormed(list);
            Assert.Equal(2 * reference.Length, list.PairCount);
            var pairs = ByKey(list);
            foreach (var (i, j, d) in reference)
            {
                var (x, y, z) = pairs[(i, j, 0, 0, 0)];
                Assert.Equal(d, Math.Sqrt(x * x + y * y + z * z), 1e-15);
                Assert.Equal((-x, -y, -z), pairs[(j, i, 0, 0, 0)]);
            }
        }
    }

    [Fact]
    public void LargeCellAtomsOutsidePairWithZeroShift()
    {
        double[] r = [0, 0, 0, 0, 2, 0, 0, 0, 2, -6, 0, 0, -6, -2, 0, -6, 0, -2];
        var list = NeighborList.Build(Hydrogens(r, UnitCell.Cubic(54)), 2.1);
        AssertWellFormed(list);
        (int, int)[] expected = [(0, 1), (0, 2), (1, 0), (2, 0), (3, 4), (3, 5), (4, 3), (5, 3)];
        Assert.Equal(expected.Length, list.PairCount);
        for (int p = 0; p < expected.Length; p++)
        {
            Assert.Equal(expected[p], (list.Centers[p], list.Neighbor(p)));
            Assert.Equal((0, 0, 0), list.Shift(p));
            Assert.Equal(2.0, list.Distance(p));
        }
    }

    [Fact]
    public void HexagonalSlabCellKeepsFarImages()
    {
        // featomic's non_cubic_cell test: 90 half pairs (180 in the full list), among them shifts
        // that an earlier featomic version missed.
        var cell = new UnitCell([4.26, -2.45951215, 0, 2.13, 1.22975607, 0, 0, 0, 50]);
        double[] r = [1.42, 0, 0, 2.84, 0, 0, 3.55, -1.22975607, 0, 4.97, -1.22975607, 0];
        var structure = Hydrogens(r, cell);
        var list = NeighborList.Build(structure, 6.4);
        AssertWellFormed(list);
        Assert.Equal(180, list.PairCount);
        var pairs = ByKey(list);
        foreach (var s1 in new[] { 0, 1, 2 })
        {
            Assert.True(pairs.ContainsKey((0, 3, -2, s1, 0)));
            Assert.True(pairs.ContainsKey((3, 0, 2, -s1, 0)));
        }
        AssertSameList(NeighborList.BuildBruteForce(structure, 6.4), list, 1e-12, "non-cubic");
    }

    [Fact]
    public void EmptyStructure()
    {
        var list = NeighborList.Build(Hydrogens([], UnitCell.Cubic(3)), 5);
        Assert.Equal(0, list.AtomCount);
        Assert.Equal(0, list.PairCount);
        Assert.Equal([0], list.Offsets.ToArray());
        Assert.Equal(0, NeighborList.BuildBruteForce(Hydrogens([], null), 5).PairCount);
    }

    [Fact]
    public void NonPeriodicAxesGetNoImagesWhateverTheirLatticeVector()
    {
        // A slab periodic in a and b: the lattice vector stored on the open axis (none, normal,
        // tilted, parallel to h1) must not matter.
        var rng = new Random(2);
        double[] h = [3.1, 0, 0, 1.2, 2.9, 0, 0, 0, 0];
        var r = RandomPositions(rng, [3.1, 0, 0, 1.2, 2.9, 0, 0, 0, 6], 12, -0.3, 1.3);
        var reference = NeighborList.Build(Hydrogens(r, new UnitCell(h, true, true, false)), 4.5);
        AssertWellFormed(reference);
        Assert.Contains(reference.Shifts.ToArray().Where((_, q) => q % 3 == 0), s => s != 0);
        for (int q = 2; q < reference.Shifts.Length; q += 3) Assert.Equal(0, reference.Shifts[q]);
        foreach (var third in new double[][] { [0, 0, 7], [1, 2, 3], [6.2, 0, 0] })
        {
            double[] other = [.. h[..6], .. third];
            var cell = new UnitCell(other, true, true, false);
            AssertSameList(reference, NeighborList.Build(Hydrogens(r, cell), 4.5), 0, $"h3 = ({string.Join(", ", third)})");
            AssertSameList(reference, NeighborList.BuildBruteForce(Hydrogens(r, cell), 4.5), 0, $"oracle, h3 = ({string.Join(", ", third)})");
        }
    }

    [Fact]
    public void ChainPeriodicAlongOneAxisOnly()
    {
        // A 1D chain: atoms every 1.1 Å along a 2.2 Å periodic axis, r_c well beyond the cell.
        var cell = new UnitCell([0, 0, 0, 0, 0, 2.2, 0, 0, 0], false, true, false);
        var list = NeighborList.Build(Hydrogens([0, 0, 0, 0, 0, 1.1], cell), 5.0);
        AssertWellFormed(list);
        // Per atom: the other atom's 4 images and its own 4 images within 5 Å (|d| ∈ {1.1, 2.2, 3.3, 4.4}).
        Assert.Equal(16, list.PairCount);
        for (int p = 0; p < list.PairCount; p++)
        {
            var (s0, _, s2) = list.Shift(p);
            Assert.Equal((0, 0), (s0, s2));
        }
    }
}
