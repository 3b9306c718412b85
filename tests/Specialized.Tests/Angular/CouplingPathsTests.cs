using Specialized.Angular;

namespace Specialized.Tests.Angular;

public class CouplingPathsTests
{
    [Fact]
    public void TriplesAreOrderedWithParity()
    {
        var t = CouplingPaths.Triples(2, 1, 2);
        Assert.Equal(
            [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0), (1, 1, 1), (1, 1, 2), (2, 0, 2), (2, 1, 1), (2, 1, 2)],
            t.Select(x => (x.L1, x.L2, x.L)).ToArray());
        Assert.Equal([1, 1, 1, 1, -1, 1, 1, 1, -1], t.Select(x => x.Sigma).ToArray());
        Assert.Equal(
            [(1, 1, 1), (2, 1, 2)],
            CouplingPaths.Triples(2, 1, 2, -1).Select(x => (x.L1, x.L2, x.L)).ToArray());
        foreach (var x in CouplingPaths.Triples(6)) Assert.True(ClebschGordan.IsTriangle(x.L1, x.L2, x.L));
    }
}
