using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Specialized.Generators.Model;

namespace Specialized.Generators;

/// <summary>
/// Validates <c>[Representation]</c> specs and reports each problem with a stable id (SPEC001…SPEC008, see
/// <see cref="SpecDiagnostics"/>) at the offending attribute argument. The checks themselves live in
/// <see cref="SpecValidator"/> and are shared with the generator and the CLI.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RepresentationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => SpecDiagnostics.All;

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        var symbol = (INamedTypeSymbol)context.Symbol;
        var attribute = SpecReader.FindAttribute(symbol);
        if (attribute is null) return;
        var spec = SpecReader.Read(symbol, attribute, context.CancellationToken);
        foreach (var problem in SpecValidator.Validate(spec))
            context.ReportDiagnostic(Diagnostic.Create(SpecDiagnostics.ById(problem.Id), Locate(problem.Argument, symbol, attribute, context), problem.Message));
    }

    private static Location Locate(string argument, INamedTypeSymbol symbol, AttributeData attribute, SymbolAnalysisContext context)
    {
        var ct = context.CancellationToken;
        if (argument.StartsWith("EquivariantBlock#", System.StringComparison.Ordinal))
        {
            int k = int.Parse(argument.Substring("EquivariantBlock#".Length), System.Globalization.CultureInfo.InvariantCulture);
            var blocks = new List<AttributeData>();
            foreach (var a in symbol.GetAttributes())
                if (a.AttributeClass?.ToDisplayString() == SpecReader.EquivariantBlockAttribute) blocks.Add(a);
            if (k < blocks.Count && blocks[k].ApplicationSyntaxReference is { } r) return r.GetSyntax(ct).GetLocation();
        }
        else if (argument.Length > 0 && attribute.ApplicationSyntaxReference?.GetSyntax(ct) is AttributeSyntax syntax)
        {
            if (syntax.ArgumentList is { } list)
                foreach (var arg in list.Arguments)
                    if (arg.NameEquals?.Name.Identifier.ValueText == argument) return arg.GetLocation();
            return syntax.GetLocation();
        }
        return symbol.Locations.Length > 0 ? symbol.Locations[0] : Location.None;
    }
}

/// <summary>The diagnostic descriptors of spec validation (category "Specialized.Spec", all errors).</summary>
public static class SpecDiagnostics
{
    private const string Category = "Specialized.Spec";

    private static DiagnosticDescriptor Make(string id, string title) =>
        new(id, title, "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    /// <summary>SPEC001: the target or a containing type is not partial.</summary>
    public static readonly DiagnosticDescriptor NotPartial = Make(SpecIds.NotPartial, "Representation target must be partial");
    /// <summary>SPEC002: generic, nested in a generic type, or a ref struct.</summary>
    public static readonly DiagnosticDescriptor UnsupportedType = Make(SpecIds.UnsupportedType, "Representation target must be a non-generic struct");
    /// <summary>SPEC003: a required value is missing.</summary>
    public static readonly DiagnosticDescriptor Missing = Make(SpecIds.Missing, "Representation spec value missing");
    /// <summary>SPEC004: a value is negative or too large.</summary>
    public static readonly DiagnosticDescriptor OutOfRange = Make(SpecIds.OutOfRange, "Representation spec value out of range");
    /// <summary>SPEC005: unsupported combination or empty block.</summary>
    public static readonly DiagnosticDescriptor Unsupported = Make(SpecIds.Unsupported, "Representation spec combination not supported");
    /// <summary>SPEC006: invalid species list.</summary>
    public static readonly DiagnosticDescriptor InvalidSpecies = Make(SpecIds.InvalidSpecies, "Representation species list invalid");
    /// <summary>SPEC007: duplicate equivariant block.</summary>
    public static readonly DiagnosticDescriptor DuplicateBlock = Make(SpecIds.DuplicateBlock, "Equivariant block requested twice");
    /// <summary>SPEC008: generated code would be unreasonably large.</summary>
    public static readonly DiagnosticDescriptor TooLarge = Make(SpecIds.TooLarge, "Representation spec too large to generate");

    /// <summary>Every descriptor.</summary>
    public static ImmutableArray<DiagnosticDescriptor> All { get; } =
        ImmutableArray.Create(NotPartial, UnsupportedType, Missing, OutOfRange, Unsupported, InvalidSpecies, DuplicateBlock, TooLarge);

    /// <summary>The descriptor with the given id.</summary>
    public static DiagnosticDescriptor ById(string id)
    {
        foreach (var d in All)
            if (d.Id == id) return d;
        throw new System.ArgumentException("unknown diagnostic id " + id, nameof(id));
    }
}
