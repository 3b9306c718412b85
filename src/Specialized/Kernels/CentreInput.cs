namespace Specialized.Kernels;

/// <summary>
/// What a generated kernel needs about one centre i: its neighbour pairs and the runtime radial data.
/// <list type="bullet">
/// <item><see cref="Vectors"/> [q][3]: pair vectors v_q = r_j − r_i + S·H (Å), q = 0 … <see cref="PairCount"/> − 1;</item>
/// <item><see cref="NeighbourChannels"/> [q]: species channel a_j of each neighbour;</item>
/// <item><see cref="Radial"/> [q][l][n]: F(r_q) I_nl(r_q), the pair weight (cutoff × radial scaling) times the radial integral;</item>
/// <item><see cref="RadialDerivatives"/> [q][l][n]: d/dr [F I_nl] at r_q, or empty when no gradients are wanted;</item>
/// <item><see cref="CentreChannel"/>: species channel a_i of the centre;</item>
/// <item><see cref="SelfTerm"/> [n]: the centre's own density w_c F(0) Y_00 I_n0(0), added to c_{a_i n 0 0} (MATH §1.5).</item>
/// </list>
/// </summary>
public readonly ref struct CentreInput
{
    /// <summary>Bundles the spans (no copies).</summary>
    public CentreInput(ReadOnlySpan<double> vectors, ReadOnlySpan<int> neighbourChannels, ReadOnlySpan<double> radial,
        ReadOnlySpan<double> radialDerivatives, int centreChannel, ReadOnlySpan<double> selfTerm)
    {
        Vectors = vectors;
        NeighbourChannels = neighbourChannels;
        Radial = radial;
        RadialDerivatives = radialDerivatives;
        CentreChannel = centreChannel;
        SelfTerm = selfTerm;
    }

    /// <summary>Pair vectors [q][3] (Å).</summary>
    public ReadOnlySpan<double> Vectors { get; }

    /// <summary>Species channel of the neighbour of each pair.</summary>
    public ReadOnlySpan<int> NeighbourChannels { get; }

    /// <summary>F(r) I_nl(r) per pair, [q][l][n].</summary>
    public ReadOnlySpan<double> Radial { get; }

    /// <summary>d/dr [F(r) I_nl(r)] per pair, [q][l][n]; empty for values only.</summary>
    public ReadOnlySpan<double> RadialDerivatives { get; }

    /// <summary>Species channel of the centre.</summary>
    public int CentreChannel { get; }

    /// <summary>The centre's own contribution to c_{a_i n 0 0}, [n].</summary>
    public ReadOnlySpan<double> SelfTerm { get; }

    /// <summary>Number of neighbour pairs.</summary>
    public int PairCount => NeighbourChannels.Length;
}
