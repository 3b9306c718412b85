using Specialized.Neighbors;
using Specialized.Structures;
using static Specialized.Tests.Neighbors.NeighborTestData;

namespace Specialized.Tests.Neighbors;

/// <summary>
/// The phased build used by multi-threaded descriptors (<see cref="NeighborList.BeginUpdate"/>, search parts, offsets,
/// row copies) gives the serial <see cref="NeighborList.Update(Structure, double)"/> list bit for bit, for any number of
/// parts and any split of the row copies, whatever order the parts run in; failures are the serial build's.
/// </summary>
public class PhasedNeighborListTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void PartsGiveTheSerialListBitForBit(int seed)
    {
        var rng = new Random(500 + seed);
        long pairs = 0;
        foreach (var pbc in CellListVsBruteForceTests.Patterns)
        {
            var h = RandomLattice(rng);
            int n = 1 + rng.Next(60);
            var cell = pbc is null ? null : new UnitCell(h, pbc[0], pbc[1], pbc[2]);
            var (d0, d1, d2) = new UnitCell(h).FaceDistances();
            double cutoff = (0.3 + 1.5 * rng.NextDouble()) * Math.Min(d0, Math.Min(d1, d2));
            var structure = Hydrogens(RandomPositions(rng, h, n, -0.6, 1.6), cell);
            var serial = NeighborList.Build(structure, cutoff);
            var phased = new NeighborList();
            foreach (int parts in new[] { 1, 2, 3, 7, 100 })
            {
                BuildInParts(phased, structure, cutoff, parts, reverse: parts % 2 == 1, copies: 1 + rng.Next(4));
                string context = $"seed {seed}, N {n}, {parts} parts";
                AssertWellFormed(phased);
                AssertBitwiseEqual(serial, phased, context);
                Assert.Equal(serial.CandidatesExamined, phased.CandidatesExamined);
            }
            pairs += serial.PairCount;
        }
        Assert.True(pairs > 100, $"only {pairs} pairs in all the cases");
    }

    [Fact]
    public void TheLargestStructureReusesBuffersAndStaysEqual()
    {
        // Shrinking then growing again (buffers kept between builds), on a cell with many bins per axis.
        var rng = new Random(77);
        var h = Triclinic(14, 15, 16, 75, 95, 110);
        var phased = new NeighborList();
        foreach (int n in new[] { 300, 20, 300, 1, 150 })
        {
            var structure = Hydrogens(RandomPositions(rng, h, n, -0.2, 1.2), new UnitCell(h));
            BuildInParts(phased, structure, 3.3, parts: 2, reverse: true, copies: 2);
            AssertBitwiseEqual(NeighborList.Build(structure, 3.3), phased, $"N {n}");
        }
    }

    [Fact]
    public void CoincidentAtomsThrowTheSerialBuildsErrorAndEmptyTheList()
    {
        // Two coincident pairs: atoms 0 and 1 (lowest indices, first part, last bin) and 5 and 6 (first bin, so the
        // serial search, in bin order, meets them first). The phased build must report 5 and 6 as well.
        double[] r = [4, 4, 4, 4, 4, 4 + 3e-7, 2, 2, 2, 3, 1, 2, 1, 3, 3, 0.2, 0.2, 0.2, 0.2 + 2e-7, 0.2, 0.2];
        var structure = Hydrogens(r, UnitCell.Cubic(5));
        var serial = Assert.Throws<InvalidStructureException>(() => NeighborList.Build(structure, 2.0));
        Assert.Contains("atoms 5 and 6", serial.Message);
        foreach (int parts in new[] { 2, 3, 7 })
        {
            var list = new NeighborList();
            list.BeginUpdate(structure, 2.0, parts);
            for (int t = parts - 1; t >= 0; t--) list.SearchPart(t);
            var e = Assert.Throws<InvalidStructureException>(list.EndSearch);
            Assert.Equal(serial.Message, e.Message);
            Assert.Equal(0, list.AtomCount);
            Assert.Equal(0, list.PairCount);
        }
    }

    /// <summary>The phases on one thread: parts searched in reverse order if asked, rows copied in <paramref name="copies"/> ranges, last range first.</summary>
    private static void BuildInParts(NeighborList list, Structure structure, double cutoff, int parts, bool reverse, int copies)
    {
        list.BeginUpdate(structure, cutoff, parts);
        for (int k = 0; k < parts; k++) list.SearchPart(reverse ? parts - 1 - k : k);
        list.EndSearch();
        int n = list.AtomCount;
        for (int k = copies - 1; k >= 0; k--) list.CopyRows(k * n / copies, (k + 1) * n / copies);
    }

    private static void AssertBitwiseEqual(NeighborList expected, NeighborList actual, string context)
    {
        Assert.Equal(expected.AtomCount, actual.AtomCount);
        Assert.Equal(expected.Cutoff, actual.Cutoff);
        Assert.True(expected.Offsets.SequenceEqual(actual.Offsets), $"{context}: offsets differ");
        Assert.True(expected.Centers.SequenceEqual(actual.Centers), $"{context}: centres differ");
        Assert.True(expected.Neighbors.SequenceEqual(actual.Neighbors), $"{context}: neighbours differ");
        Assert.True(expected.Shifts.SequenceEqual(actual.Shifts), $"{context}: shifts differ");
        Assert.True(expected.Vectors.SequenceEqual(actual.Vectors), $"{context}: vectors differ");
        Assert.True(expected.Distances.SequenceEqual(actual.Distances), $"{context}: distances differ");
    }
}
