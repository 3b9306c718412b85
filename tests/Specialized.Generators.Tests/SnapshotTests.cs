using Specialized.Generators.Tests.Support;

namespace Specialized.Generators.Tests;

/// <summary>
/// Whole-file snapshots of the generator's output for fixed specs (MATH §9.5: CG tables, coupling paths and
/// feature order must be byte-stable). Each case must also compile without errors or warnings.
/// Rewrite the baselines with <c>ACCEPT_SNAPSHOTS=1 dotnet test --filter SnapshotTests</c>.
/// </summary>
public class SnapshotTests
{
    /// <summary>Test id → source declaring one spec.</summary>
    public static readonly IReadOnlyDictionary<string, string> Cases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Tiny"] = """
            using Specialized.Kernels;
            namespace Demo;
            [Representation(LMax = 2, NMax = 3, BodyOrder = 2, SpeciesCount = 2)]
            [EquivariantBlock(1, +1)]
            public partial struct Tiny;
            """,
        ["SiliconPowerSpectrum"] = """
            using Specialized.Kernels;
            namespace Demo.Silicon;
            [Representation(LMax = 6, NMax = 8, BodyOrder = 2, Species = new[] { 14 })]
            public partial struct SiliconSoap;
            """,
        ["PseudotensorBlocks"] = """
            using Specialized.Kernels;
            namespace Demo;
            [Representation(LMax = 2, NMax = 2, BodyOrder = 2, SpeciesCount = 1, Invariants = false)]
            [EquivariantBlock(2, +1)]
            [EquivariantBlock(1, -1)]
            public readonly partial record struct Pseudo;
            """,
        ["NiceSmall"] = """
            using Specialized.Kernels;
            namespace Demo;
            [Representation(LMax = 1, NMax = 2, BodyOrder = 3, SpeciesCount = 2)]
            public partial struct NiceSmall;
            """,
        ["ReducedSmall"] = """
            using Specialized.Kernels;
            namespace Demo;
            [Representation(LMax = 1, NMax = 2, BodyOrder = 4, Species = new[] { 1, 6, 8 }, SpeciesRank = 2, MaxLambda = 2)]
            public partial struct ReducedSmall;
            """,
        ["DensityNestedGlobal"] = """
            using Specialized.Kernels;
            public static partial class Outer
            {
                public partial class Inner
                {
                    [Representation(LMax = 1, NMax = 2, BodyOrder = 1, Species = new[] { 1, 8 }, SphericalExpansion = true)]
                    [EquivariantBlock(1)]
                    internal partial struct Water;
                }
            }
            """,
    };

    public static TheoryData<string> Ids() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Ids))]
    public void GeneratedFilesMatchSnapshots(string testId)
    {
        var (files, diagnostics) = GeneratorHarness.Generate(Cases[testId]);
        Assert.Empty(diagnostics.Select(d => d.ToString()));
        Assert.NotEmpty(files);
        Snapshots.Verify(testId, files);
    }

    [Fact]
    public void NoStaleSnapshotDirectories() => Assert.Empty(Snapshots.StaleDirectories(Cases.Keys));
}
