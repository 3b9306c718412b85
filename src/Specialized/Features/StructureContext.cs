using Specialized.Density;
using Specialized.Neighbors;
using Specialized.Structures;

namespace Specialized.Features;

/// <summary>
/// What every per-centre computation of one structure shares: the structure, its full neighbour
/// list, and the species channel of each atom.
/// </summary>
public sealed class StructureContext
{
    /// <summary>Builds the neighbour list for <paramref name="cutoff"/> and assigns species channels.</summary>
    public StructureContext(Structure structure, SpeciesList species, double cutoff)
    {
        Structure = structure;
        SpeciesIndex = species.Assign(structure);
        Neighbors = NeighborList.Build(structure, cutoff);
    }

    /// <summary>The structure.</summary>
    public Structure Structure { get; }
    /// <summary>Full neighbour list (pairs of centre i in [Offsets[i], Offsets[i+1])).</summary>
    public NeighborList Neighbors { get; }
    /// <summary>Species channel a_i of every atom.</summary>
    public int[] SpeciesIndex { get; }
    /// <summary>Number of atoms.</summary>
    public int AtomCount => SpeciesIndex.Length;
    /// <summary>Number of pairs of centre <paramref name="i"/>.</summary>
    public int PairCount(int i) => Neighbors.Offsets[i + 1] - Neighbors.Offsets[i];
}
