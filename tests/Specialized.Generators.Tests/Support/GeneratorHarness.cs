extern alias GeneratorAssembly;

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Generator = GeneratorAssembly::Specialized.Generators.RepresentationGenerator;
using SpecAnalyzer = GeneratorAssembly::Specialized.Generators.RepresentationAnalyzer;

namespace Specialized.Generators.Tests.Support;

/// <summary>Runs the generator and the analyzer in-process on source text (references: the framework + Specialized).</summary>
public static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is var f && (f.StartsWith("System.", StringComparison.Ordinal) || f is "mscorlib.dll" or "netstandard.dll"))
            .Append(typeof(Specialized.Kernels.KernelMath).Assembly.Location)
            .Distinct();
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>A library compilation of the given sources (file names Spec0.cs, Spec1.cs, …).</summary>
    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create("SpecTests",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Spec{i}.cs")),
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>A driver for the generator, tracking the named pipeline steps.</summary>
    public static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create([new Generator().AsSourceGenerator()], parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once: generated files (hint name, text) and the output compilation's errors and warnings.</summary>
    public static (IReadOnlyList<(string Hint, string Text)> Files, ImmutableArray<Diagnostic> Diagnostics) Generate(params string[] sources)
    {
        var compilation = Compile(sources);
        var result = Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics).GetRunResult();
        var files = result.GeneratedTrees.Select(t => (Path.GetFileName(t.FilePath), t.GetText().ToString())).ToList();
        var diagnostics = generatorDiagnostics.AddRange(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        return (files, diagnostics);
    }

    /// <summary>The analyzer's diagnostics for the given sources.</summary>
    public static async Task<ImmutableArray<Diagnostic>> Analyze(params string[] sources)
    {
        var compilation = Compile(sources);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new SpecAnalyzer());
        return await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
    }
}
