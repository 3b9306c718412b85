namespace Specialized.Structures;

/// <summary>
/// One atomic configuration: positions (Å), atomic numbers, an optional cell with per-axis
/// periodicity, per-frame information (energy, virial, stress, dipole, …) and per-atom arrays
/// (forces, …). Positions are stored flat, atom-major: r_i = (P[3i], P[3i+1], P[3i+2]).
/// Atoms need not be wrapped into the cell.
/// </summary>
public sealed class Structure
{
    private readonly int[] _numbers;
    private readonly double[] _positions;

    /// <summary>Creates a structure; validates lengths, atomic numbers (1…118) and finiteness.</summary>
    public Structure(ReadOnlySpan<int> atomicNumbers, ReadOnlySpan<double> positions, UnitCell? cell = null)
    {
        if (positions.Length != 3 * atomicNumbers.Length)
            throw new InvalidStructureException($"positions hold {positions.Length} numbers, expected 3 × {atomicNumbers.Length} atoms");
        for (int i = 0; i < atomicNumbers.Length; i++)
        {
            if (atomicNumbers[i] < 1 || atomicNumbers[i] > Elements.MaxAtomicNumber)
                throw new InvalidStructureException($"atom {i}: atomic number {atomicNumbers[i]} is not an element");
            for (int d = 0; d < 3; d++)
                if (!double.IsFinite(positions[3 * i + d]))
                    throw new InvalidStructureException($"atom {i}: position is NaN or infinite");
        }
        _numbers = atomicNumbers.ToArray();
        _positions = positions.ToArray();
        Cell = cell;
    }

    /// <summary>Number of atoms.</summary>
    public int AtomCount => _numbers.Length;

    /// <summary>Atomic numbers, one per atom.</summary>
    public ReadOnlySpan<int> AtomicNumbers => _numbers;

    /// <summary>Positions in Å, flat atom-major [3 * atom + axis]. Mutable so callers can displace atoms (finite differences, MD).</summary>
    public Span<double> Positions => _positions;

    /// <summary>The cell, or null for an isolated structure.</summary>
    public UnitCell? Cell { get; set; }

    /// <summary>True when a cell is present and at least one axis is periodic.</summary>
    public bool IsPeriodic => Cell is { AnyPeriodic: true };

    /// <summary>Per-frame values in file order (energy, virial, stress, dipole, config_type, …).</summary>
    public Dictionary<string, InfoValue> Info { get; } = new(StringComparer.Ordinal);

    /// <summary>Per-atom arrays other than species and positions, in file order (forces, charges, …).</summary>
    public Dictionary<string, AtomProperty> Arrays { get; } = new(StringComparer.Ordinal);

    /// <summary>Position of atom <paramref name="i"/>.</summary>
    public (double X, double Y, double Z) Position(int i) => (_positions[3 * i], _positions[3 * i + 1], _positions[3 * i + 2]);

    /// <summary>Sorted distinct atomic numbers present.</summary>
    public int[] Species()
    {
        var s = new SortedSet<int>(_numbers);
        return [.. s];
    }

    /// <summary>Deep copy (positions, cell, info and arrays).</summary>
    public Structure Clone()
    {
        var c = Cell is null ? null : new UnitCell(Cell.Matrix, Cell.Pbc[0], Cell.Pbc[1], Cell.Pbc[2]);
        var s = new Structure(_numbers, _positions, c);
        foreach (var (k, v) in Info) s.Info[k] = v;
        foreach (var (k, v) in Arrays) s.Arrays[k] = v;
        return s;
    }
}
