using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Specialized.Generators.Emit;
using Specialized.Generators.Model;

namespace Specialized.Generators;

/// <summary>
/// Incremental generator for <c>[Representation]</c> specs. Pipeline (each step named for the
/// incrementality tests, <see cref="TrackingNames"/>):
/// <list type="number">
/// <item><c>Spec</c>: <c>ForAttributeWithMetadataName</c> with a purely syntactic predicate, transformed into a
/// value-equatable <see cref="SpecModel"/> (no symbols or syntax kept);</item>
/// <item><c>Validated</c>: the spec with its problems (<see cref="SpecValidator"/>); the analyzer reports them,
/// the generator drops invalid specs (<c>Valid</c>) so that broken specs produce one clear diagnostic and no
/// cascade of compile errors;</item>
/// <item><c>Plan</c>: the derived data (output layout, CG coupling paths, spherical-harmonic constants), computed
/// with exact arithmetic by the runtime's own angular code — the expensive step, cached by value;</item>
/// <item>source output: <see cref="KernelEmitter"/> writes one file per concern.</item>
/// </list>
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class RepresentationGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var specs = context.SyntaxProvider.ForAttributeWithMetadataName(
                SpecReader.RepresentationAttribute,
                predicate: static (node, _) => node is StructDeclarationSyntax or RecordDeclarationSyntax,
                transform: static (ctx, ct) => SpecReader.Read((INamedTypeSymbol)ctx.TargetSymbol, ctx.Attributes[0], ct))
            .WithTrackingName(TrackingNames.Spec);

        var valid = specs
            .Select(static (spec, _) => new ValidatedSpec(spec, SpecValidator.Validate(spec)))
            .WithTrackingName(TrackingNames.Validated)
            .Where(static v => v.Problems.IsEmpty)
            .Select(static (v, _) => v.Spec)
            .WithTrackingName(TrackingNames.Valid);

        var plans = valid
            .Select(static (spec, _) => KernelPlan.Build(spec))
            .WithTrackingName(TrackingNames.Plan);

        context.RegisterSourceOutput(plans, static (spc, plan) =>
        {
            foreach (var file in KernelEmitter.Emit(plan))
                spc.AddSource(file.Hint + ".g.cs", file.Text);
        });
    }
}

/// <summary>A spec and its validation problems (value-equatable).</summary>
internal sealed record ValidatedSpec(SpecModel Spec, EquatableArray<SpecProblem> Problems);

/// <summary>Names of the pipeline steps (for <c>GeneratorDriverRunResult.Results[..].TrackedSteps</c>).</summary>
public static class TrackingNames
{
    /// <summary>The attribute transform producing a SpecModel.</summary>
    public const string Spec = "Spec";
    /// <summary>The spec with its validation problems.</summary>
    public const string Validated = "Validated";
    /// <summary>Valid specs only.</summary>
    public const string Valid = "Valid";
    /// <summary>The derived kernel plan.</summary>
    public const string Plan = "Plan";
}
