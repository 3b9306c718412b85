using Specialized.Neighbors;
using Specialized.Structures;
using static Specialized.Tests.Neighbors.NeighborTestData;

namespace Specialized.Tests.Neighbors;

/// <summary>
/// The cell list against the brute-force oracle (MATH.md §9.1 item 1) on random triclinic cells,
/// random atom counts, atoms inside and outside the cell, every periodicity pattern and cutoffs
/// from 0.3 to 2.5 times the smallest cell height.
/// </summary>
public class CellListVsBruteForceTests
{
    /// <summary>Periodicity patterns: null = no cell at all.</summary>
    public static readonly bool[]?[] Patterns =
    [
        [true, true, true],
        [true, true, false],
        [true, false, true],
        [false, true, true],
        [true, false, false],
        [false, true, false],
        [false, false, true],
        [false, false, false],
        null,
    ];

    /// <summary>Cutoff factors × the smallest face distance; 2.5 is hit exactly.</summary>
    private static readonly double[] CutoffFactors = [0.3, 0.5, 1.0, 2.5];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 0; seed < 12; seed++) data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void CellListMatchesBruteForceOnRandomCells(int seed)
    {
        var rng = new Random(1000 + seed);
        foreach (var pbc in Patterns)
        {
            var h = RandomLattice(rng);
            // Mostly inside and just outside the cell; every third seed spreads fewer atoms over
            // five cells (the oracle's cost grows with the spread).
            bool spread = seed % 3 == 2;
            int n = 1 + rng.Next(spread ? 20 : 40);
            var r = spread ? RandomPositions(rng, h, n, -2, 3) : RandomPositions(rng, h, n, -0.6, 1.6);
            var cell = pbc is null ? null : new UnitCell(h, pbc[0], pbc[1], pbc[2]);
            var (d0, d1, d2) = new UnitCell(h).FaceDistances();
            double dMin = Math.Min(d0, Math.Min(d1, d2));
            // A fixed factor and a random one in [0.3, 2.5].
            double[] factors = [CutoffFactors[seed % CutoffFactors.Length], 0.3 + 2.2 * rng.NextDouble()];
            foreach (double factor in factors)
                Compare(Hydrogens(r, cell), factor * dMin,
                    $"seed {seed}, pbc {(pbc is null ? "none" : string.Concat(pbc.Select(p => p ? 'T' : 'F')))}, N {n}, r_c {factor:F3}·d_min");
        }
    }

    [Fact]
    public void CutoffOfExactly2Point5SmallestHeight()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 6; trial++)
        {
            var h = RandomLattice(rng);
            var cell = new UnitCell(h);
            var (d0, d1, d2) = cell.FaceDistances();
            double cutoff = 2.5 * Math.Min(d0, Math.Min(d1, d2));
            Compare(Hydrogens(RandomPositions(rng, h, 1 + rng.Next(12), -0.6, 1.6), cell), cutoff, $"trial {trial}");
        }
    }

    [Fact]
    public void CutoffExactlyAtIntegerMultiplesOfTheCellHeight()
    {
        // d / r_c integer makes the bin edge equal to r_c: the bound without margin is tight.
        var h = Triclinic(4, 4, 4, 90, 90, 90);
        var rng = new Random(3);
        var r = RandomPositions(rng, h, 30, 0, 1);
        // Atoms on lattice sites exactly r_c apart along x across the periodic boundary.
        double[] sites = [0, 0, 0, 2, 0, 0, 3.999999999999999, 1, 1, 1e-17, 2, 2];
        foreach (double cutoff in new[] { 1.0, 2.0, 4.0 })
        {
            Compare(Hydrogens(r, new UnitCell(h)), cutoff, $"random, r_c {cutoff}");
            Compare(Hydrogens(sites, new UnitCell(h)), cutoff, $"sites, r_c {cutoff}");
        }
    }

    [Fact]
    public void BinEdgeRoundingDoesNotLosePairs()
    {
        // r_c = L/2 makes the bin edge exactly r_c. Atom 0 sits a denormal below 0 (wrapped to
        // the top of image −1), atom 1 just inside −L/2, whose fractional coordinate rounds to
        // exactly −1/2: without a safety margin on the bin size the pair (0, 1, (1, 0, 0)) at
        // 0.98314369282831580 < r_c lands two bins apart and is lost.
        double length = 1.966287385656632;
        var structure = Hydrogens([-1e-323, 0.5, 0.5, -0.9831436928283163, 0.5, 0.5], UnitCell.Cubic(length));
        var list = NeighborList.Build(structure, length / 2);
        Assert.Equal(2, list.PairCount);
        Compare(structure, length / 2, "denormal edge case");

        // The same family at random: atoms a few ulps around bin edges, pair distances a few ulps
        // around r_c = L/m.
        var rng = new Random(1);
        for (int trial = 0; trial < 3000; trial++)
        {
            length = 1 + 9 * rng.NextDouble();
            int m = 2 + rng.Next(3); // m = 1 would put atom 1 on an image of atom 0
            double cutoff = length / m;
            double xa = Ulps(rng.Next(0, m + 1) * cutoff, rng.Next(-3, 4));
            double xb = Ulps(xa - cutoff, rng.Next(-3, 4));
            Compare(Hydrogens([xa, 0.5, 0.5, xb, 0.5, 0.5], UnitCell.Cubic(length)), cutoff, $"L {length:R}, x {xa:R} {xb:R}");
        }

        static double Ulps(double x, int k)
        {
            for (int q = 0; q < Math.Abs(k); q++) x = k > 0 ? Math.BitIncrement(x) : Math.BitDecrement(x);
            return x;
        }
    }

    [Fact]
    public void TriclinicReferenceCellWithSeveralCutoffs()
    {
        var h = Triclinic(3, 4, 5, 90, 80, 100);
        var rng = new Random(11);
        var r = RandomPositions(rng, h, 9, -0.4, 1.4);
        foreach (double cutoff in new[] { 1.0, 2.9, 3.0, 5.0, 8.0 })
            Compare(Hydrogens(r, new UnitCell(h)), cutoff, $"r_c {cutoff}");
    }

    [Fact]
    public void AtomsFarOutsideTheCell()
    {
        var rng = new Random(5);
        foreach (var pbc in Patterns)
        {
            var h = RandomLattice(rng);
            var r = RandomPositions(rng, h, 8, -8, 8);
            var cell = pbc is null ? null : new UnitCell(h, pbc[0], pbc[1], pbc[2]);
            Compare(Hydrogens(r, cell), 4.0, "far outside");
        }
    }

    [Fact]
    public void ManyAtomsInALargeBox()
    {
        // Enough atoms for many bins per axis (bins smaller than the cell), in a triclinic box.
        var rng = new Random(21);
        var h = Triclinic(14, 15, 16, 75, 95, 110);
        var r = RandomPositions(rng, h, 300, -0.2, 1.2);
        foreach (var pbc in new[] { new[] { true, true, true }, [true, false, true], [false, false, false] })
            Compare(Hydrogens(r, new UnitCell(h, pbc[0], pbc[1], pbc[2])), 3.3, $"pbc {string.Concat(pbc.Select(p => p ? 'T' : 'F'))}");
    }

    private static void Compare(Structure structure, double cutoff, string context)
    {
        var fast = NeighborList.Build(structure, cutoff);
        var oracle = NeighborList.BuildBruteForce(structure, cutoff);
        AssertWellFormed(fast);
        AssertWellFormed(oracle);
        AssertSameList(oracle, fast, 1e-12, context);
    }
}
