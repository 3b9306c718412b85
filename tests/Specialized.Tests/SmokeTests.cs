using Specialized.Structures;

namespace Specialized.Tests;

public class SmokeTests
{
    [Fact]
    public void StructureRejectsBadAtomicNumber()
    {
        var e = Assert.Throws<InvalidStructureException>(() => new Structure([1, 0], new double[6]));
        Assert.Contains("atom 1", e.Message);
    }
}
