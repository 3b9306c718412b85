using Specialized.Neighbors;
using Specialized.Structures;
using static Specialized.Tests.Neighbors.NeighborTestData;

namespace Specialized.Tests.Neighbors;

/// <summary>
/// Linear cost at fixed density, checked by counting the candidate pairs the cell list examines
/// (no timing): a quadratic search would examine ~N² candidates.
/// </summary>
public class NeighborListScalingTests
{
    private const double A = 4.0;       // fcc conventional lattice constant (Å), 4 atoms per cube
    private const double Cutoff = 3.0;  // beyond the 12 nearest neighbours at A/√2 = 2.83 Å

    /// <summary>fcc positions of a k×k×k supercell of the conventional cube.</summary>
    private static double[] Fcc(int k)
    {
        double[][] basis = [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]];
        var r = new List<double>();
        for (int x = 0; x < k; x++)
            for (int y = 0; y < k; y++)
                for (int z = 0; z < k; z++)
                    foreach (var b in basis)
                        r.AddRange([A * (x + b[0]), A * (y + b[1]), A * (z + b[2])]);
        return [.. r];
    }

    [Fact]
    public void PeriodicSupercellsExamineCandidatesLinearInAtoms()
    {
        var perAtom = new List<double>();
        for (int k = 1; k <= 4; k++)
        {
            var structure = Hydrogens(Fcc(k), UnitCell.Cubic(k * A));
            var list = NeighborList.Build(structure, Cutoff);
            int n = structure.AtomCount;
            Assert.Equal(12 * n, list.PairCount);
            // Bins are r_c / 2 … 2 Å wide (k = 1: 2 bins per 4 Å axis) and each centre examines
            // 5 × 5 × 5 of them: at most (10 Å)³ · 1/16 Å⁻³ = 62.5 candidates per atom; 108 (27 bins
            // of one 4-atom cube) is the classic cell list's bound.
            Assert.InRange(list.CandidatesExamined, n, 108L * n);
            perAtom.Add((double)list.CandidatesExamined / n);
            // Images are stored once per structure: a margin of s = 2 bins around the n bins of each
            // axis holds (1 + 4 / n)³ − 1 images per atom, at most 7 once n ≥ 4 (k ≥ 2).
            if (k >= 2) Assert.InRange(list.ImageCount, n, 8L * n);
            // Bin memory is proportional to the atoms and images (CellList.MaxBins, uniform density).
            Assert.InRange(list.BinCount, 1, 8L * list.ImageCount + 64);
        }
        // Per-atom work does not grow with N (a quadratic search would grow 64-fold from k=1 to 4).
        Assert.True(perAtom[3] <= perAtom[0], string.Join(", ", perAtom));
        // Bins of r_c / 2 examine fewer candidates than the classic 27 bins of ≥ r_c: those are
        // 3.2 Å wide for k = 4 (5 per 16 Å axis), i.e. 27 · 3.2³ / 16 = 55.3 candidates per atom.
        Assert.True(perAtom[3] < 55.3, string.Join(", ", perAtom));
    }

    [Fact]
    public void IsolatedClustersExamineCandidatesLinearInAtoms()
    {
        // The same crystal without a cell: bins span the atoms' bounding box.
        for (int k = 1; k <= 4; k++)
        {
            var structure = Hydrogens(Fcc(k), null);
            var list = NeighborList.Build(structure, Cutoff);
            int n = structure.AtomCount;
            Assert.InRange(list.CandidatesExamined, n, 108L * n);
            AssertSameList(NeighborList.BuildBruteForce(structure, Cutoff), list, 0, $"cluster {k}");
        }
    }

    [Fact]
    public void SparseSystemsKeepTheBinCountBounded()
    {
        // Two atoms 1000 Å apart: bins of r_c would number ~10⁹; the cap keeps them O(N).
        var structure = Hydrogens([0, 0, 0, 1000, 1000, 1000], null);
        var list = NeighborList.Build(structure, 1.0);
        Assert.Equal(0, list.PairCount);
        Assert.True(list.BinCount <= 2 * 2 + 64, $"{list.BinCount} bins");

        // One atom in a huge periodic cell.
        list = NeighborList.Build(Hydrogens([1, 2, 3], UnitCell.Cubic(5000)), 1.0);
        Assert.Equal(0, list.PairCount);
        Assert.True(list.BinCount <= 2 + 64, $"{list.BinCount} bins");
    }
}
