using Specialized.Density;
using Specialized.Neighbors;
using Specialized.Structures;

namespace Specialized.Features;

/// <summary>
/// What every per-centre computation of one structure shares: the structure, its full neighbour
/// list, and the species channel of each atom. A driver keeps one context and refills it per
/// structure (<see cref="Update"/>), reusing the neighbour list's buffers.
/// </summary>
public sealed class StructureContext
{
    private readonly SpeciesList _species;
    private readonly double _cutoff;

    /// <summary>Builds the neighbour list for <paramref name="cutoff"/> and assigns species channels.</summary>
    public StructureContext(Structure structure, SpeciesList species, double cutoff)
        : this(species, cutoff) => Update(structure);

    /// <summary>An empty context for <paramref name="species"/> and <paramref name="cutoff"/>; fill it with <see cref="Update"/>.</summary>
    internal StructureContext(SpeciesList species, double cutoff)
    {
        _species = species;
        _cutoff = cutoff;
    }

    /// <summary>The structure.</summary>
    public Structure Structure { get; private set; } = null!;
    /// <summary>Full neighbour list (pairs of centre i in [Offsets[i], Offsets[i+1])).</summary>
    public NeighborList Neighbors { get; } = new();
    private int[] _speciesIndex = [];

    /// <summary>Species channel a_i of every atom (length = number of atoms).</summary>
    public ReadOnlySpan<int> SpeciesIndex => _speciesIndex.AsSpan(0, AtomCount);
    /// <summary>Number of atoms.</summary>
    public int AtomCount { get; private set; }
    /// <summary>Number of pairs of centre <paramref name="i"/>.</summary>
    public int PairCount(int i) => Neighbors.Offsets[i + 1] - Neighbors.Offsets[i];

    /// <summary>Largest number of pairs of any centre.</summary>
    public int MaxPairCount { get; private set; }

    /// <summary>
    /// Refills the context for <paramref name="structure"/>: species channels first (an unknown
    /// species is an error naming the atom), then the neighbour list, rebuilt in place.
    /// Allocation-free once the buffers have grown to the largest structure seen.
    /// </summary>
    internal void Update(Structure structure)
    {
        int n = structure.AtomCount;
        AtomCount = 0;
        MaxPairCount = 0;
        if (_speciesIndex.Length < n) _speciesIndex = new int[n];
        _species.Assign(structure, _speciesIndex);
        Neighbors.Update(structure, _cutoff); // on error the list is left empty, and so is this context
        AtomCount = n;
        Structure = structure;
        int max = 0;
        for (int i = 0; i < n; i++) max = Math.Max(max, PairCount(i));
        MaxPairCount = max;
    }
}
