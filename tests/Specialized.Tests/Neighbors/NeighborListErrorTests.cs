using Specialized.Neighbors;
using Specialized.Structures;
using static Specialized.Tests.Neighbors.NeighborTestData;

namespace Specialized.Tests.Neighbors;

/// <summary>Invalid cutoffs, singular cells and coincident atoms, for the cell list and the oracle.</summary>
public class NeighborListErrorTests
{
    private static readonly Func<Structure, double, NeighborList>[] Builders = [NeighborList.Build, NeighborList.BuildBruteForce];

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void RejectsBadCutoff(double cutoff)
    {
        var structure = Hydrogens([0, 0, 0, 1, 0, 0], UnitCell.Cubic(4));
        foreach (var build in Builders)
        {
            var e = Assert.Throws<InvalidParameterException>(() => build(structure, cutoff));
            Assert.Equal("cutoff", e.Parameter);
        }
    }

    public static TheoryData<double[], bool, bool, bool> SingularCells() => new()
    {
        { [1, 0, 0, 0, 1, 0, 1, 1, 0], true, true, true },     // coplanar
        { [2, 0, 0, 0, 3, 0, 0, 0, 0], true, true, true },     // zero h3
        { [2, 0, 0, 4, 0, 0, 0, 0, 5], true, true, false },    // h1 ∥ h2, both periodic
        { [0, 0, 0, 0, 3, 0, 0, 0, 5], true, false, false },   // the only periodic vector is zero
    };

    [Theory]
    [MemberData(nameof(SingularCells))]
    public void RejectsSingularCellOnPeriodicAxes(double[] h, bool p0, bool p1, bool p2)
    {
        var structure = Hydrogens([0, 0, 0, 1, 1, 1], new UnitCell(h, p0, p1, p2));
        foreach (var build in Builders)
        {
            var e = Assert.Throws<InvalidStructureException>(() => build(structure, 2));
            Assert.Contains("singular", e.Message);
        }
    }

    [Fact]
    public void AcceptsDegenerateVectorsOnOpenAxes()
    {
        // The same lattices are fine when the degenerate vectors are not periodic.
        var structure = Hydrogens([0, 0, 0, 1, 1, 1], new UnitCell([2, 0, 0, 4, 0, 0, 0, 0, 0], true, false, false));
        Assert.Equal(NeighborList.BuildBruteForce(structure, 2.5).PairCount, NeighborList.Build(structure, 2.5).PairCount);
    }

    [Fact]
    public void RejectsCoincidentAtomsNamingBoth()
    {
        double[] r = [0, 0, 0, 1, 1, 1, 2, 0, 0, 1 + 3e-7, 1, 1];
        foreach (var cell in new[] { null, UnitCell.Cubic(5) })
            foreach (var build in Builders)
            {
                var e = Assert.Throws<InvalidStructureException>(() => build(Hydrogens(r, cell), 3));
                Assert.Contains("atoms 1 and 3", e.Message);
            }
    }

    [Fact]
    public void RejectsAtomsCoincidingThroughAPeriodicImage()
    {
        // Atom 2 sits exactly one lattice vector away from atom 0.
        var h = Triclinic(3, 4, 5, 90, 80, 100);
        double[] r = [0.5, 0.5, 0.5, 1.5, 1, 1, 0.5 + h[3], 0.5 + h[4], 0.5 + h[5]];
        foreach (var build in Builders)
        {
            var e = Assert.Throws<InvalidStructureException>(() => build(Hydrogens(r, new UnitCell(h)), 2));
            Assert.Contains("atoms 0 and 2", e.Message);
        }
    }

    [Fact]
    public void CoincidenceDoesNotDependOnTheCutoff()
    {
        double[] r = [0, 0, 0, 5e-7, 0, 0];
        foreach (var build in Builders)
            Assert.Throws<InvalidStructureException>(() => build(Hydrogens(r, null), 1e-7));
    }

    [Fact]
    public void RejectsAtomCoincidingWithItsOwnImage()
    {
        var cell = new UnitCell([5, 0, 0, 0, 5, 0, 0, 0, 4e-7]);
        foreach (var build in Builders)
        {
            var e = Assert.Throws<InvalidStructureException>(() => build(Hydrogens([1, 1, 0], cell), 3));
            Assert.Contains("atom 0 and its own periodic image", e.Message);
        }
    }

    [Fact]
    public void RejectsNonFinitePositionsSetAfterConstruction()
    {
        var structure = Hydrogens([0, 0, 0, 1, 0, 0], null);
        structure.Positions[4] = double.NaN;
        var e = Assert.Throws<InvalidStructureException>(() => NeighborList.Build(structure, 2));
        Assert.Contains("atom 1", e.Message);
    }

    [Fact]
    public void FailedUpdateLeavesTheListEmpty()
    {
        var list = NeighborList.Build(Hydrogens([0, 0, 0, 1, 0, 0], null), 2);
        Assert.Equal(2, list.PairCount);
        Assert.Throws<InvalidStructureException>(() => list.Update(Hydrogens([0, 0, 0, 0, 0, 0], null), 2));
        Assert.Equal(0, list.AtomCount);
        Assert.Equal(0, list.PairCount);
        Assert.Equal([0], list.Offsets.ToArray());
    }
}
