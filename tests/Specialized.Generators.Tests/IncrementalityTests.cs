extern alias GeneratorAssembly;

using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Specialized.Generators.Tests.Support;
using TrackingNames = GeneratorAssembly::Specialized.Generators.TrackingNames;

namespace Specialized.Generators.Tests;

/// <summary>
/// The incremental pipeline caches by value: re-running on an unchanged compilation, or after a comment edit,
/// leaves every step Cached or Unchanged and re-emits nothing; editing the spec regenerates. The models held
/// by the steps contain no symbols, syntax nodes, compilations or locations.
/// </summary>
public class IncrementalityTests
{
    private const string Spec = """
        using Specialized.Kernels;
        namespace Demo;
        // A comment the test edits.
        [Representation(LMax = 2, NMax = 3, BodyOrder = 2, SpeciesCount = 2)]
        [EquivariantBlock(1, +1)]
        public partial struct Tiny;
        """;

    private const string Other = """
        namespace Demo;
        public static class Unrelated { public static int Answer => 42; }
        """;

    private static readonly string[] Steps = [TrackingNames.Spec, TrackingNames.Validated, TrackingNames.Valid, TrackingNames.Plan];

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.Compile(Spec, Other);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Equal(5, first.GeneratedSources.Length);
        foreach (var step in Steps) Assert.True(first.TrackedSteps.ContainsKey(step), $"step {step} is not tracked");
        return (driver, compilation);
    }

    private static CSharpCompilation ReplaceSpec(CSharpCompilation compilation, string text)
    {
        var old = compilation.SyntaxTrees.First(t => t.FilePath == "Spec0.cs");
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, path: "Spec0.cs"));
    }

    private static IEnumerable<(string Step, IncrementalStepRunReason Reason)> Reasons(GeneratorRunResult result) =>
        result.TrackedSteps.Where(kv => Steps.Contains(kv.Key))
            .SelectMany(kv => kv.Value.SelectMany(run => run.Outputs.Select(o => (kv.Key, o.Reason))))
            .Concat(result.TrackedOutputSteps.SelectMany(kv => kv.Value.SelectMany(run => run.Outputs.Select(o => (kv.Key, o.Reason)))));

    [Fact]
    public void UnchangedCompilation_EveryStepCached()
    {
        var (driver, compilation) = FirstRun();
        var second = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();
        var reasons = Reasons(second).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, r => Assert.True(r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{r.Step}: {r.Reason}"));
    }

    [Fact]
    public void CommentEdit_EveryStepCachedOrUnchanged()
    {
        var (driver, compilation) = FirstRun();
        var edited = ReplaceSpec(compilation, Spec.Replace("A comment the test edits.", "An edited comment, longer than before."));
        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();
        var reasons = Reasons(second).ToList();
        Assert.Contains(reasons, r => r.Step == TrackingNames.Spec);
        Assert.All(reasons, r => Assert.True(r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{r.Step}: {r.Reason}"));
    }

    [Fact]
    public void UnrelatedFileEdit_EveryStepCachedOrUnchanged()
    {
        var (driver, compilation) = FirstRun();
        var old = compilation.SyntaxTrees.First(t => t.FilePath == "Spec1.cs");
        var edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(Other.Replace("42", "43"), GeneratorHarness.ParseOptions, path: "Spec1.cs"));
        var reasons = Reasons(driver.RunGenerators(edited).GetRunResult().Results.Single()).ToList();
        Assert.All(reasons, r => Assert.True(r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{r.Step}: {r.Reason}"));
    }

    [Fact]
    public void SpecEdit_Regenerates()
    {
        var (driver, compilation) = FirstRun();
        var edited = ReplaceSpec(compilation, Spec.Replace("LMax = 2", "LMax = 3"));
        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();
        var reasons = Reasons(second).ToList();
        Assert.Contains(reasons, r => r.Step == TrackingNames.Spec && r.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(reasons, r => r.Step == TrackingNames.Plan && r.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(second.GeneratedSources, s => s.SourceText.ToString().Contains("public const int LMax = 3;", StringComparison.Ordinal));
    }

    [Fact]
    public void BlockEdit_Regenerates()
    {
        var (driver, compilation) = FirstRun();
        var edited = ReplaceSpec(compilation, Spec.Replace("[EquivariantBlock(1, +1)]", "[EquivariantBlock(2, -1)]"));
        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.Contains(Reasons(second), r => r.Step == TrackingNames.Plan && r.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(second.GeneratedSources, s => s.HintName == "Demo.Tiny.LambdaSoap.L2Minus.g.cs");
        Assert.DoesNotContain(second.GeneratedSources, s => s.HintName == "Demo.Tiny.LambdaSoap.L1Plus.g.cs");
    }

    private const string NiceSpec = """
        using Specialized.Kernels;
        namespace Demo;
        // A comment the test edits.
        [Representation(LMax = 2, NMax = 3, BodyOrder = 3, SpeciesCount = 2, SpeciesRank = 2)]
        public partial struct Reduced;
        """;

    [Fact]
    public void NiceSpec_CommentEditCached_MaxLambdaEditRegenerates()
    {
        var compilation = GeneratorHarness.Compile(NiceSpec, Other);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Contains(first.GeneratedSources, s => s.HintName == "Demo.Reduced.Nice.g.cs");

        var comment = ReplaceSpec(compilation, NiceSpec.Replace("A comment the test edits.", "An edited comment."));
        var cached = Reasons(driver.RunGenerators(comment).GetRunResult().Results.Single()).ToList();
        Assert.Contains(cached, r => r.Step == TrackingNames.Plan);
        Assert.All(cached, r => Assert.True(r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{r.Step}: {r.Reason}"));

        var capped = ReplaceSpec(compilation, NiceSpec.Replace("SpeciesRank = 2", "SpeciesRank = 2, MaxLambda = 1"));
        var second = driver.RunGenerators(capped).GetRunResult().Results.Single();
        Assert.Contains(Reasons(second), r => r.Step == TrackingNames.Plan && r.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(second.GeneratedSources, s => s.SourceText.ToString().Contains("public const int LambdaCap = 1;", StringComparison.Ordinal));
    }

    [Fact]
    public void Models_HoldNoSymbolsSyntaxCompilationsOrLocations()
    {
        var (driver, _) = FirstRun();
        var result = driver.GetRunResult().Results.Single();
        int walked = 0;
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        foreach (var step in Steps)
            foreach (var run in result.TrackedSteps[step])
                foreach (var (value, _) in run.Outputs)
                {
                    Walk(value, step, seen);
                    walked++;
                }
        Assert.True(walked >= Steps.Length, "every step produced a model to inspect");
        // The walk reaches deep into the models (spec, plan, coupling groups, CG terms), not just the top objects.
        Assert.Contains(seen, o => o.GetType().Name == "CouplingPlan");
        Assert.True(seen.Count > 20, $"only {seen.Count} objects visited");
    }

    private static readonly Type[] Forbidden = [typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(Location), typeof(SemanticModel), typeof(SyntaxTree)];

    /// <summary>Visits every field reachable from <paramref name="value"/> and fails on a forbidden type.</summary>
    private static void Walk(object? value, string path, HashSet<object> seen)
    {
        if (value is null) return;
        var type = value.GetType();
        foreach (var f in Forbidden)
            Assert.False(f.IsAssignableFrom(type), $"{path} holds a {type.FullName} (a {f.Name})");
        if (type.IsPrimitive || value is string || type.IsEnum) return;
        if (!type.IsValueType && !seen.Add(value)) return;
        if (value is IEnumerable items and not string)
        {
            int k = 0;
            foreach (var item in items) Walk(item, $"{path}[{k++}]", seen);
            if (type.IsArray) return;
        }
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                Walk(field.GetValue(value), path + "." + field.Name, seen);
    }
}
