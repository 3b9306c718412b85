using Specialized.Structures;

namespace Specialized.Density;

/// <summary>
/// The global, ascending list of atomic numbers that index the species channels a = 0 … A−1
/// (featomic's sorted keys). Maps atomic numbers to channel indices in O(1).
/// </summary>
public sealed class SpeciesList
{
    private readonly int[] _numbers;
    private readonly int[] _index = new int[Elements.MaxAtomicNumber + 1];

    /// <summary>Creates the list; numbers are sorted and must be distinct elements.</summary>
    public SpeciesList(IEnumerable<int> atomicNumbers)
    {
        _numbers = [.. atomicNumbers.OrderBy(z => z)];
        if (_numbers.Length == 0) throw new InvalidParameterException("species", "the species list is empty");
        Array.Fill(_index, -1);
        for (int a = 0; a < _numbers.Length; a++)
        {
            int z = _numbers[a];
            if (z < 1 || z > Elements.MaxAtomicNumber) throw new InvalidParameterException("species", $"{z} is not an atomic number");
            if (_index[z] >= 0) throw new InvalidParameterException("species", $"{z} is listed twice");
            _index[z] = a;
        }
    }

    /// <summary>Every species present in any of the structures, ascending.</summary>
    public static SpeciesList From(IEnumerable<Structure> structures)
    {
        var set = new SortedSet<int>();
        foreach (var s in structures)
            foreach (var z in s.AtomicNumbers) set.Add(z);
        return new SpeciesList(set);
    }

    /// <summary>Number of species channels A.</summary>
    public int Count => _numbers.Length;

    /// <summary>Atomic numbers in channel order.</summary>
    public ReadOnlySpan<int> AtomicNumbers => _numbers;

    /// <summary>Channel of atomic number <paramref name="z"/>, or −1 when it is not in the list.</summary>
    public int IndexOf(int z) => z >= 0 && z < _index.Length ? _index[z] : -1;

    /// <summary>Channel index of every atom; throws naming the first atom whose species is not listed.</summary>
    public int[] Assign(Structure structure)
    {
        var result = new int[structure.AtomCount];
        Assign(structure, result);
        return result;
    }

    /// <summary>Writes the channel index of every atom into <paramref name="result"/> (length ≥ atoms); throws naming the first atom whose species is not listed.</summary>
    public void Assign(Structure structure, Span<int> result)
    {
        var numbers = structure.AtomicNumbers;
        for (int i = 0; i < numbers.Length; i++)
        {
            int a = IndexOf(numbers[i]);
            if (a < 0)
                throw new InvalidStructureException(
                    $"atom {i} is {Elements.Symbol(numbers[i])} (Z={numbers[i]}), which is not in the species list [{string.Join(",", _numbers)}]");
            result[i] = a;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(",", _numbers) + "]";

    /// <summary>
    /// channels[i] = index of atom i's species in this list, for every atom of <paramref name="structure"/> (the array grows
    /// when too short and is reused otherwise).
    /// </summary>
    /// <exception cref="InvalidStructureException">an atom's species is not in the list (names the atom).</exception>
    internal void AssignChannels(Structure structure, ref int[] channels)
    {
        var numbers = structure.AtomicNumbers;
        if (channels.Length < numbers.Length) channels = new int[numbers.Length];
        for (int i = 0; i < numbers.Length; i++)
        {
            int a = IndexOf(numbers[i]);
            if (a < 0)
                throw new InvalidStructureException(
                    $"atom {i} is {Elements.Symbol(numbers[i])} (Z={numbers[i]}), which is not in the species list {this}");
            channels[i] = a;
        }
    }
}
