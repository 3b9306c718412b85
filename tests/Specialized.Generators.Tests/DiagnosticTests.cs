using Microsoft.CodeAnalysis;
using Specialized.Generators.Tests.Support;

namespace Specialized.Generators.Tests;

/// <summary>
/// Every spec diagnostic (stable ids SPEC001…SPEC008) for a spec that triggers it, with the reported location;
/// a valid spec reports nothing; an invalid spec generates no code (so the diagnostic is the only error).
/// </summary>
public class DiagnosticTests
{
    /// <summary>(id, source with the spec, the source text the diagnostic must point at).</summary>
    public static TheoryData<string, string, string> Cases() => new()
    {
        { "SPEC001", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 1)] public struct Whole;", "Whole" },
        { "SPEC001", "public class Outer { [Representation(LMax = 2, NMax = 3, SpeciesCount = 1)] public partial struct Inner; }", "Inner" },
        { "SPEC002", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 1)] public partial struct Generic<T>;", "Generic" },
        { "SPEC002", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 1)] public ref partial struct ByRef;", "ByRef" },
        { "SPEC003", "[Representation(NMax = 3, SpeciesCount = 1)] public partial struct S;", "Representation(NMax = 3, SpeciesCount = 1)" },
        { "SPEC003", "[Representation(LMax = 3, SpeciesCount = 1)] public partial struct S;", "Representation(LMax = 3, SpeciesCount = 1)" },
        { "SPEC003", "[Representation(LMax = 3, NMax = 4)] public partial struct S;", "Representation(LMax = 3, NMax = 4)" },
        { "SPEC004", "[Representation(LMax = -1, NMax = 3, SpeciesCount = 1)] public partial struct S;", "LMax = -1" },
        { "SPEC004", "[Representation(LMax = 21, NMax = 3, SpeciesCount = 1)] public partial struct S;", "LMax = 21" },
        { "SPEC004", "[Representation(LMax = 2, NMax = 0, SpeciesCount = 1)] public partial struct S;", "NMax = 0" },
        { "SPEC004", "[Representation(LMax = 2, NMax = 31, SpeciesCount = 1)] public partial struct S;", "NMax = 31" },
        { "SPEC004", "[Representation(LMax = 2, NMax = 3, BodyOrder = 0, SpeciesCount = 1)] public partial struct S;", "BodyOrder = 0" },
        { "SPEC004", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 65)] public partial struct S;", "SpeciesCount = 65" },
        { "SPEC004", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 1, SpeciesRank = -2)] public partial struct S;", "SpeciesRank = -2" },
        { "SPEC004", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 1)][EquivariantBlock(1, 2)] public partial struct S;", "EquivariantBlock(1, 2)" },
        { "SPEC004", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 1)][EquivariantBlock(-1)] public partial struct S;", "EquivariantBlock(-1)" },
        { "SPEC004", "[Representation(LMax = 2, NMax = 3, BodyOrder = 9, SpeciesCount = 1)] public partial struct S;", "BodyOrder = 9" },
        { "SPEC004", "[Representation(LMax = 2, NMax = 3, BodyOrder = 3, SpeciesCount = 1, MaxLambda = 7)] public partial struct S;", "MaxLambda = 7" },
        { "SPEC004", "[Representation(LMax = 2, NMax = 3, BodyOrder = 3, SpeciesCount = 1, MaxLambda = -1)] public partial struct S;", "MaxLambda = -1" },
        { "SPEC005", "[Representation(LMax = 2, NMax = 3, BodyOrder = 1, SpeciesCount = 4, SpeciesRank = 2)] public partial struct S;", "SpeciesRank = 2" },
        { "SPEC005", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 1, MaxLambda = 2)] public partial struct S;", "MaxLambda = 2" },
        { "SPEC005", "[Representation(LMax = 2, NMax = 3, BodyOrder = 3, SpeciesCount = 1, SphericalExpansion = true)] public partial struct S;", "SphericalExpansion = true" },
        { "SPEC005", "[Representation(LMax = 2, NMax = 3, BodyOrder = 4, SpeciesCount = 1, Invariants = false)] public partial struct S;", "Invariants = false" },
        { "SPEC005", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 3, SpeciesRank = 2)][EquivariantBlock(1)] public partial struct S;", "EquivariantBlock(1)" },
        { "SPEC005", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 1)][EquivariantBlock(0, -1)] public partial struct S;", "EquivariantBlock(0, -1)" },
        { "SPEC005", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 1)][EquivariantBlock(5)] public partial struct S;", "EquivariantBlock(5)" },
        { "SPEC005", "[Representation(LMax = 2, NMax = 3, BodyOrder = 1, SpeciesCount = 1)][EquivariantBlock(1, -1)] public partial struct S;", "EquivariantBlock(1, -1)" },
        { "SPEC005", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 1, Invariants = false)] public partial struct S;", "Invariants = false" },
        { "SPEC006", "[Representation(LMax = 2, NMax = 3, Species = new[] { 8, 1 })] public partial struct S;", "Species = new[] { 8, 1 }" },
        { "SPEC006", "[Representation(LMax = 2, NMax = 3, Species = new[] { 1, 1 })] public partial struct S;", "Species = new[] { 1, 1 }" },
        { "SPEC006", "[Representation(LMax = 2, NMax = 3, Species = new[] { 0 })] public partial struct S;", "Species = new[] { 0 }" },
        { "SPEC006", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 3, Species = new[] { 1, 8 })] public partial struct S;", "SpeciesCount = 3" },
        { "SPEC007", "[Representation(LMax = 2, NMax = 3, SpeciesCount = 1)][EquivariantBlock(1)][EquivariantBlock(1, +1)] public partial struct S;", "EquivariantBlock(1, +1)" },
        { "SPEC008", "[Representation(LMax = 20, NMax = 3, SpeciesCount = 1)][EquivariantBlock(10)] public partial struct S;", "LMax = 20" },
        { "SPEC008", "[Representation(LMax = 20, NMax = 3, BodyOrder = 3, SpeciesCount = 1)] public partial struct S;", "LMax = 20" },
    };

    private static string Source(string body) => "using Specialized.Kernels;\nnamespace Demo;\n" + body + "\n";

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InvalidSpec_ReportsItsDiagnostic(string id, string body, string at)
    {
        var diagnostics = await GeneratorHarness.Analyze(Source(body));
        var d = Assert.Single(diagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(at, d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
        Assert.False(string.IsNullOrWhiteSpace(d.GetMessage()));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void InvalidSpec_GeneratesNothing(string id, string body, string at)
    {
        _ = (id, at);
        var (files, _) = GeneratorHarness.Generate(Source(body));
        Assert.Empty(files);
    }

    [Theory]
    [InlineData("[Representation(LMax = 2, NMax = 3, SpeciesCount = 1)] public partial struct S;")]
    [InlineData("[Representation(LMax = 0, NMax = 1, BodyOrder = 1, Species = new[] { 1, 6, 8 }, SphericalExpansion = true)][EquivariantBlock(0)] public partial struct S;")]
    [InlineData("[Representation(LMax = 20, NMax = 30, SpeciesCount = 64)] public partial struct S;")]
    [InlineData("[Representation(LMax = 4, NMax = 3, SpeciesCount = 2, Invariants = false)][EquivariantBlock(8)][EquivariantBlock(0)][EquivariantBlock(7, -1)] public readonly partial record struct S;")]
    [InlineData("[Representation(LMax = 3, NMax = 4, BodyOrder = 4, SpeciesCount = 3)] public partial struct S;")]
    [InlineData("[Representation(LMax = 2, NMax = 3, BodyOrder = 2, Species = new[] { 1, 8 }, SpeciesRank = 4, MaxLambda = 4)] public partial struct S;")]
    [InlineData("[Representation(LMax = 2, NMax = 3, BodyOrder = 8, SpeciesCount = 2, SpeciesRank = 64, MaxLambda = 0)] public partial struct S;")]
    public async Task ValidSpec_ReportsNothing(string body)
    {
        Assert.Empty(await GeneratorHarness.Analyze(Source(body)));
    }

    [Fact]
    public void EveryIdHasACase()
    {
        var ids = Cases().Select(row => (string)row[0]).ToHashSet();
        for (int k = 1; k <= 8; k++) Assert.Contains($"SPEC{k:000}", ids);
    }
}
