using System.Text;

namespace Specialized.Generators.Model;

/// <summary>
/// The value-equatable model of one <c>[Representation]</c> declaration: the attribute values and the
/// shape of the target declaration, and nothing else. It holds no <c>ISymbol</c>, <c>SyntaxNode</c>,
/// <c>Location</c> or <c>Compilation</c>, so the incremental pipeline can cache it and compare it by value
/// (an edit that leaves this record unchanged re-emits nothing). The CLI builds the same record from
/// command-line options.
/// </summary>
internal sealed record SpecModel
{
    /// <summary>Namespace of the target ("" for the global namespace).</summary>
    public string Namespace { get; init; } = "";

    /// <summary>Containing types, outermost first (nested targets are emitted inside them).</summary>
    public EquatableArray<TypeHeader> ContainingTypes { get; init; } = EquatableArray<TypeHeader>.Empty;

    /// <summary>Name of the target struct.</summary>
    public string TypeName { get; init; } = "";

    /// <summary>Declaration keywords after <c>partial</c>: "struct" or "record struct".</summary>
    public string TypeKeyword { get; init; } = "struct";

    /// <summary>Modifiers that every partial part must repeat ("readonly " or "").</summary>
    public string TypeModifiers { get; init; } = "";

    /// <summary>True when the target and every containing type are declared <c>partial</c>.</summary>
    public bool IsPartial { get; init; } = true;

    /// <summary>True when the target is a ref struct or generic (or nested in a generic type): not supported.</summary>
    public bool IsUnsupportedShape { get; init; }

    /// <summary>Value of a required number that was not given in the attribute.</summary>
    public const int Unset = int.MinValue;

    /// <summary><c>LMax</c>: largest angular channel (<see cref="Unset"/> when not given).</summary>
    public int LMax { get; init; } = Unset;

    /// <summary><c>NMax</c>: radial functions per channel (<see cref="Unset"/> when not given).</summary>
    public int NMax { get; init; } = Unset;

    /// <summary><c>BodyOrder</c> ν.</summary>
    public int BodyOrder { get; init; } = 2;

    /// <summary><c>SpeciesRank</c> K (0 = one channel per species).</summary>
    public int SpeciesRank { get; init; }

    /// <summary><c>MaxLambda</c>: NICE's cap λ_max on every equivariant block (<see cref="Unset"/> when not given: l_max).</summary>
    public int MaxLambda { get; init; } = Unset;

    /// <summary>
    /// True for a NICE / tensor-reduced spec (BodyOrder ≥ 3 or SpeciesRank &gt; 0): the generator emits the ν=1
    /// part plus every CG coupling path of the body-order iteration, run with a fitted model by <c>NiceDescriptor</c>.
    /// </summary>
    public bool IsNice => BodyOrder >= 3 || SpeciesRank > 0;

    /// <summary>λ_max in effect for a NICE spec: <see cref="MaxLambda"/>, or l_max when not given.</summary>
    public int LambdaCap => MaxLambda == Unset ? LMax : MaxLambda;

    /// <summary><c>SpeciesCount</c> (0 when not given).</summary>
    public int SpeciesCount { get; init; }

    /// <summary><c>Species</c>: fixed atomic numbers in declaration order (empty when not given).</summary>
    public EquatableArray<int> Species { get; init; } = EquatableArray<int>.Empty;

    /// <summary><c>Invariants</c>: emit the radial spectrum (ν=1) or power spectrum (ν=2).</summary>
    public bool Invariants { get; init; } = true;

    /// <summary><c>SphericalExpansion</c>: emit the ν=1 coefficients.</summary>
    public bool SphericalExpansion { get; init; }

    /// <summary>The <c>[EquivariantBlock(λ, σ)]</c> requests in declaration order.</summary>
    public EquatableArray<BlockModel> Blocks { get; init; } = EquatableArray<BlockModel>.Empty;

    /// <summary>Number of species channels A (the species list's length when given).</summary>
    public int Channels => Species.Count > 0 ? Species.Count : SpeciesCount;

    /// <summary>Dotted name (namespace, containing types, type), used for hint names and messages.</summary>
    public string FullName
    {
        get
        {
            var sb = new StringBuilder();
            if (Namespace.Length > 0) sb.Append(Namespace).Append('.');
            foreach (var t in ContainingTypes) sb.Append(t.Name).Append('.');
            return sb.Append(TypeName).ToString();
        }
    }

    /// <summary>The attribute as it would be written, for generated comments.</summary>
    public string AttributeText()
    {
        var sb = new StringBuilder("[Representation(LMax = ").Append(LMax).Append(", NMax = ").Append(NMax)
            .Append(", BodyOrder = ").Append(BodyOrder);
        if (SpeciesRank != 0) sb.Append(", SpeciesRank = ").Append(SpeciesRank);
        if (MaxLambda != Unset) sb.Append(", MaxLambda = ").Append(MaxLambda);
        if (SpeciesCount != 0) sb.Append(", SpeciesCount = ").Append(SpeciesCount);
        if (Species.Count > 0) sb.Append(", Species = new[] { ").Append(string.Join(", ", Species)).Append(" }");
        if (!Invariants) sb.Append(", Invariants = false");
        if (SphericalExpansion) sb.Append(", SphericalExpansion = true");
        sb.Append(")]");
        foreach (var b in Blocks) sb.Append(" [EquivariantBlock(").Append(b.Lambda).Append(", ").Append(b.Sigma > 0 ? "+1" : "-1").Append(")]");
        return sb.ToString();
    }
}

/// <summary>
/// One containing type: modifiers every partial part repeats ("readonly " or ""), declaration keyword
/// ("class", "struct", "record", "record struct", "interface") and name.
/// </summary>
internal readonly record struct TypeHeader(string Modifiers, string Keyword, string Name);

/// <summary>One requested equivariant block (λ, σ).</summary>
internal readonly record struct BlockModel(int Lambda, int Sigma);

/// <summary>
/// A spec problem found by <see cref="SpecValidator"/>: a stable diagnostic id, the attribute argument it
/// concerns ("" = the type declaration, "EquivariantBlock#k" = the k-th block attribute) and the message.
/// </summary>
internal readonly record struct SpecProblem(string Id, string Argument, string Message);
