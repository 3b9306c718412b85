extern alias GeneratorAssembly;

using GeneratorAssembly::Specialized.Generators.Emit;
using GeneratorAssembly::Specialized.Generators.Model;
using Xunit.Abstractions;

namespace Specialized.Generators.Tests;

/// <summary>The size estimate behind SPEC008 tracks the real generated size (within a factor of two).</summary>
public class EstimateTests(ITestOutputHelper output)
{
    public static TheoryData<int, int, int, int, string> Specs() => new()
    {
        { 2, 3, 2, 2, "1+" },
        { 6, 8, 2, 1, "" },
        { 8, 3, 2, 2, "1+ 3-" },
        { 4, 6, 1, 2, "2+" },
        { 10, 4, 2, 1, "5+" },
        { 12, 6, 2, 3, "" },
        { 6, 4, 2, 1, "0+ 1+ 1- 2+ 2- 3+ 3- 4+ 5- 12+" },
        { 2, 3, 3, 2, "" },
        { 4, 4, 4, 3, "" },
        { 5, 5, 4, 14, "" },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void EstimateIsWithinAFactorOfTwo(int lMax, int nMax, int bodyOrder, int species, string blocks)
    {
        var spec = new SpecModel
        {
            Namespace = "Demo",
            TypeName = "S",
            LMax = lMax,
            NMax = nMax,
            BodyOrder = bodyOrder,
            SpeciesCount = species,
            SphericalExpansion = bodyOrder == 1,
            Blocks = new EquatableArray<BlockModel>(blocks.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(b => new BlockModel(int.Parse(b[..^1]), b[^1] == '+' ? 1 : -1)).ToArray()),
        };
        Assert.Empty(SpecValidator.Validate(spec));
        long actual = KernelEmitter.Emit(KernelPlan.Build(spec)).Sum(f => (long)f.Text.Count(ch => ch == '\n'));
        long estimate = SpecValidator.EstimateLines(spec);
        output.WriteLine($"l_max {lMax}, blocks [{blocks}]: {actual} lines generated, estimate {estimate}");
        Assert.InRange(estimate / (double)actual, 0.5, 2.0);
    }
}
