using Specialized.Neighbors;
using Specialized.Structures;
using static Specialized.Tests.Neighbors.NeighborTestData;

namespace Specialized.Tests.Neighbors;

/// <summary>Rebuilding in place: same result as a fresh build, and no allocation in steady state.</summary>
public class NeighborListUpdateTests
{
    [Fact]
    public void UpdateMatchesFreshBuildAcrossGrowingAndShrinkingStructures()
    {
        var rng = new Random(42);
        var list = new NeighborList();
        Assert.Equal(0, list.AtomCount);
        Assert.Equal(0, list.PairCount);
        foreach (int n in new[] { 5, 60, 3, 40, 1, 0, 25 })
        {
            var h = RandomLattice(rng);
            var structure = Hydrogens(RandomPositions(rng, h, n, -0.5, 1.5), new UnitCell(h, true, rng.Next(2) == 0, true));
            double cutoff = 1 + 5 * rng.NextDouble();
            list.Update(structure, cutoff);
            Assert.Equal(cutoff, list.Cutoff);
            AssertWellFormed(list);
            AssertSameList(NeighborList.Build(structure, cutoff), list, 0, $"N {n}");
        }
    }

    [Fact]
    public void SpanOverloadMatchesStructureOverload()
    {
        var rng = new Random(8);
        var h = RandomLattice(rng);
        var cell = new UnitCell(h);
        var r = RandomPositions(rng, h, 17, 0, 1);
        var list = new NeighborList();
        list.Update(r, cell, 3.2);
        AssertSameList(NeighborList.Build(Hydrogens(r, cell), 3.2), list, 0, "span overload");
    }

    [Fact]
    public void SteadyStateUpdatesDoNotAllocate()
    {
        // A small MD-like loop: atoms jiggle back and forth, the list is rebuilt in place each step.
        var rng = new Random(1);
        var h = Triclinic(9, 9.5, 10, 85, 95, 100);
        var structure = Hydrogens(RandomPositions(rng, h, 80, 0, 1), new UnitCell(h));
        var list = NeighborList.Build(structure, 4.0);
        var step = new double[3 * structure.AtomCount];
        for (int q = 0; q < step.Length; q++) step[q] = 0.01 * (rng.NextDouble() - 0.5);

        // Warm up: both configurations once, so the buffers have their final size.
        for (int t = 0; t < 4; t++) Step(structure, t % 2 == 0 ? 1 : -1, step, list);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int t = 0; t < 20; t++) Step(structure, t % 2 == 0 ? 1 : -1, step, list);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);

        static void Step(Structure s, int sign, double[] step, NeighborList list)
        {
            var r = s.Positions;
            for (int q = 0; q < r.Length; q++) r[q] += sign * step[q];
            list.Update(s, 4.0);
        }
    }
}
