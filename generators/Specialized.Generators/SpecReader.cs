using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Specialized.Generators.Model;

namespace Specialized.Generators;

/// <summary>Reads a <see cref="SpecModel"/> from a symbol and its <c>[Representation]</c> attribute (shared by the generator and the analyzer).</summary>
internal static class SpecReader
{
    public const string RepresentationAttribute = "Specialized.Kernels.RepresentationAttribute";
    public const string EquivariantBlockAttribute = "Specialized.Kernels.EquivariantBlockAttribute";

    /// <summary>The model of <paramref name="symbol"/> declared with <paramref name="attribute"/>; only values are copied out.</summary>
    public static SpecModel Read(INamedTypeSymbol symbol, AttributeData attribute, CancellationToken ct)
    {
        var containing = new List<TypeHeader>();
        bool partial = IsPartial(symbol, ct);
        bool unsupported = symbol.IsGenericType || symbol.IsRefLikeType;
        for (var t = symbol.ContainingType; t is not null; t = t.ContainingType)
        {
            containing.Insert(0, new TypeHeader(t.TypeKind == TypeKind.Struct && t.IsReadOnly ? "readonly " : "", Keyword(t), t.Name));
            partial &= IsPartial(t, ct);
            unsupported |= t.IsGenericType;
        }

        var spec = new SpecModel
        {
            Namespace = symbol.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            ContainingTypes = new EquatableArray<TypeHeader>(containing.ToArray()),
            TypeName = symbol.Name,
            TypeKeyword = symbol.IsRecord ? "record struct" : "struct",
            TypeModifiers = symbol.IsReadOnly ? "readonly " : "",
            IsPartial = partial,
            IsUnsupportedShape = unsupported,
        };

        foreach (var arg in attribute.NamedArguments)
        {
            var v = arg.Value;
            switch (arg.Key)
            {
                case "LMax": spec = spec with { LMax = Int(v, SpecModel.Unset) }; break;
                case "NMax": spec = spec with { NMax = Int(v, SpecModel.Unset) }; break;
                case "BodyOrder": spec = spec with { BodyOrder = Int(v, 2) }; break;
                case "SpeciesRank": spec = spec with { SpeciesRank = Int(v, 0) }; break;
                case "MaxLambda": spec = spec with { MaxLambda = Int(v, SpecModel.Unset) }; break;
                case "SpeciesCount": spec = spec with { SpeciesCount = Int(v, 0) }; break;
                case "Invariants": spec = spec with { Invariants = v.Value is bool b ? b : true }; break;
                case "SphericalExpansion": spec = spec with { SphericalExpansion = v.Value is bool e && e }; break;
                case "Species":
                    var species = new List<int>();
                    if (v.Kind == TypedConstantKind.Array && !v.IsNull)
                        foreach (var item in v.Values) species.Add(Int(item, 0));
                    spec = spec with { Species = new EquatableArray<int>(species.ToArray()) };
                    break;
            }
        }

        var blocks = new List<BlockModel>();
        foreach (var a in symbol.GetAttributes())
        {
            ct.ThrowIfCancellationRequested();
            if (a.AttributeClass?.ToDisplayString() != EquivariantBlockAttribute) continue;
            var args = a.ConstructorArguments;
            int lambda = args.Length > 0 ? Int(args[0], -1) : -1;
            int sigma = args.Length > 1 ? Int(args[1], 1) : 1;
            blocks.Add(new BlockModel(lambda, sigma));
        }
        return spec with { Blocks = new EquatableArray<BlockModel>(blocks.ToArray()) };
    }

    /// <summary>The attribute data of <c>[Representation]</c> on <paramref name="symbol"/>, or null.</summary>
    public static AttributeData? FindAttribute(INamedTypeSymbol symbol)
    {
        foreach (var a in symbol.GetAttributes())
            if (a.AttributeClass?.ToDisplayString() == RepresentationAttribute) return a;
        return null;
    }

    private static int Int(TypedConstant c, int fallback) => c.Value is int i ? i : fallback;

    private static bool IsPartial(INamedTypeSymbol t, CancellationToken ct)
    {
        foreach (var r in t.DeclaringSyntaxReferences)
            if (r.GetSyntax(ct) is TypeDeclarationSyntax d && !d.Modifiers.Any(SyntaxKind.PartialKeyword)) return false;
        return true;
    }

    private static string Keyword(INamedTypeSymbol t) => t.TypeKind switch
    {
        TypeKind.Struct => t.IsRecord ? "record struct" : "struct",
        TypeKind.Interface => "interface",
        _ => t.IsRecord ? "record" : "class",
    };
}
