using Specialized.Features;

namespace Specialized.Kernels;

/// <summary>
/// Run-time description of a generated kernel's spec: the shape-fixing numbers of its
/// <see cref="RepresentationAttribute"/> and the column range of every output.
/// </summary>
public sealed class RepresentationSpec
{
    private readonly int[] _atomicNumbers;
    private readonly OutputBlock[] _outputs;

    /// <summary>Creates the description (called by generated code).</summary>
    public RepresentationSpec(int lMax, int nMax, int bodyOrder, int speciesRank, int speciesCount, int[] atomicNumbers, OutputBlock[] outputs)
    {
        LMax = lMax;
        NMax = nMax;
        BodyOrder = bodyOrder;
        SpeciesRank = speciesRank;
        SpeciesCount = speciesCount;
        _atomicNumbers = atomicNumbers;
        _outputs = outputs;
        int total = 0;
        foreach (var o in outputs) total += o.Size;
        FeatureCount = total;
    }

    /// <summary>Largest angular channel l_max.</summary>
    public int LMax { get; }
    /// <summary>Radial functions per angular channel.</summary>
    public int NMax { get; }
    /// <summary>Body order ν.</summary>
    public int BodyOrder { get; }
    /// <summary>Species rank K (0 = one channel per species).</summary>
    public int SpeciesRank { get; }
    /// <summary>Number of species channels A.</summary>
    public int SpeciesCount { get; }
    /// <summary>The fixed species list of the spec (ascending atomic numbers), or empty when it is given at run time.</summary>
    public ReadOnlySpan<int> AtomicNumbers => _atomicNumbers;
    /// <summary>The outputs in column order.</summary>
    public ReadOnlySpan<OutputBlock> Outputs => _outputs;
    /// <summary>Total number of values per centre.</summary>
    public int FeatureCount { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Representation(LMax={LMax}, NMax={NMax}, BodyOrder={BodyOrder}, SpeciesRank={SpeciesRank}, SpeciesCount={SpeciesCount}; "
        + string.Join(", ", _outputs.Select(o => o.ToString())) + ")";
}

/// <summary>
/// One output of a generated kernel: columns [<see cref="Offset"/>, <see cref="Offset"/> + <see cref="Size"/>)
/// of each centre's values, in the layout of the generic calculator of the same <see cref="Kind"/>
/// (component-major, [μ][property], for equivariant blocks).
/// </summary>
/// <param name="Kind">Which representation (the generic calculator with the same layout).</param>
/// <param name="Lambda">λ of an equivariant block (0 for invariants and the full expansion).</param>
/// <param name="Sigma">σ of an equivariant block (+1 otherwise).</param>
/// <param name="Offset">First column.</param>
/// <param name="Components">Number of components 2λ+1 (1 for invariants and the full expansion).</param>
/// <param name="Properties">Number of properties per component.</param>
public readonly record struct OutputBlock(RepresentationKind Kind, int Lambda, int Sigma, int Offset, int Components, int Properties)
{
    /// <summary>Number of columns, <see cref="Components"/> × <see cref="Properties"/>.</summary>
    public int Size => Components * Properties;

    /// <summary>The block's columns in one centre's values.</summary>
    public ReadOnlySpan<double> Slice(ReadOnlySpan<double> centreValues) => centreValues.Slice(Offset, Size);

    /// <inheritdoc/>
    public override string ToString() => Kind == RepresentationKind.LambdaSoap || Components > 1
        ? $"{Representation.Name(Kind)}(λ={Lambda}, σ={(Sigma > 0 ? "+1" : "-1")})"
        : Representation.Name(Kind);
}
