namespace Specialized.Structures;

/// <summary>Element type of a frame property or per-atom column (extended XYZ letters R, I, L, S).</summary>
public enum PropertyKind
{
    /// <summary>Floating point (R).</summary>
    Real,
    /// <summary>Integer (I).</summary>
    Integer,
    /// <summary>Logical, T/F (L).</summary>
    Logical,
    /// <summary>Free text (S).</summary>
    String,
}

/// <summary>
/// A per-frame value (energy, virial, dipole, config_type, …): a scalar or a flat vector of one kind.
/// Exactly one of the arrays is non-null, matching <see cref="Kind"/>. Length 1 is a scalar.
/// </summary>
public sealed class InfoValue
{
    private InfoValue(PropertyKind kind, double[]? reals, long[]? ints, bool[]? bools, string[]? strings)
    {
        Kind = kind; Reals = reals; Integers = ints; Logicals = bools; Strings = strings;
    }

    /// <summary>Element kind.</summary>
    public PropertyKind Kind { get; }
    /// <summary>Values when <see cref="Kind"/> is Real.</summary>
    public double[]? Reals { get; }
    /// <summary>Values when <see cref="Kind"/> is Integer.</summary>
    public long[]? Integers { get; }
    /// <summary>Values when <see cref="Kind"/> is Logical.</summary>
    public bool[]? Logicals { get; }
    /// <summary>Values when <see cref="Kind"/> is String.</summary>
    public string[]? Strings { get; }

    /// <summary>Number of elements (1 for a scalar).</summary>
    public int Length => Kind switch
    {
        PropertyKind.Real => Reals!.Length,
        PropertyKind.Integer => Integers!.Length,
        PropertyKind.Logical => Logicals!.Length,
        _ => Strings!.Length,
    };

    /// <summary>A real scalar or vector.</summary>
    public static InfoValue Real(params double[] values) => new(PropertyKind.Real, values, null, null, null);
    /// <summary>An integer scalar or vector.</summary>
    public static InfoValue Integer(params long[] values) => new(PropertyKind.Integer, null, values, null, null);
    /// <summary>A logical scalar or vector.</summary>
    public static InfoValue Logical(params bool[] values) => new(PropertyKind.Logical, null, null, values, null);
    /// <summary>A string (or several).</summary>
    public static InfoValue Text(params string[] values) => new(PropertyKind.String, null, null, null, values);

    /// <summary>The values as doubles (integers converted); null for strings and logicals.</summary>
    public double[]? AsReals() => Kind switch
    {
        PropertyKind.Real => Reals,
        PropertyKind.Integer => Array.ConvertAll(Integers!, x => (double)x),
        _ => null,
    };
}

/// <summary>
/// A per-atom column group (forces, charges, masks, …): <see cref="Columns"/> values per atom,
/// stored atom-major (value of atom i, column c at [i * Columns + c]).
/// </summary>
public sealed class AtomProperty
{
    private AtomProperty(PropertyKind kind, int columns, double[]? reals, long[]? ints, bool[]? bools, string[]? strings)
    {
        if (columns < 1) throw new InvalidParameterException("columns", "must be at least 1");
        Kind = kind; Columns = columns; Reals = reals; Integers = ints; Logicals = bools; Strings = strings;
    }

    /// <summary>Element kind.</summary>
    public PropertyKind Kind { get; }
    /// <summary>Values per atom.</summary>
    public int Columns { get; }
    /// <summary>Values when <see cref="Kind"/> is Real.</summary>
    public double[]? Reals { get; }
    /// <summary>Values when <see cref="Kind"/> is Integer.</summary>
    public long[]? Integers { get; }
    /// <summary>Values when <see cref="Kind"/> is Logical.</summary>
    public bool[]? Logicals { get; }
    /// <summary>Values when <see cref="Kind"/> is String.</summary>
    public string[]? Strings { get; }

    /// <summary>Total number of stored elements (atoms × columns).</summary>
    public int Length => Kind switch
    {
        PropertyKind.Real => Reals!.Length,
        PropertyKind.Integer => Integers!.Length,
        PropertyKind.Logical => Logicals!.Length,
        _ => Strings!.Length,
    };

    /// <summary>Real columns.</summary>
    public static AtomProperty Real(int columns, double[] values) => new(PropertyKind.Real, columns, values, null, null, null);
    /// <summary>Integer columns.</summary>
    public static AtomProperty Integer(int columns, long[] values) => new(PropertyKind.Integer, columns, null, values, null, null);
    /// <summary>Logical columns.</summary>
    public static AtomProperty Logical(int columns, bool[] values) => new(PropertyKind.Logical, columns, null, null, values, null);
    /// <summary>String columns.</summary>
    public static AtomProperty Text(int columns, string[] values) => new(PropertyKind.String, columns, null, null, null, values);
}
