using System.Globalization;

namespace Specialized.Structures;

/// <summary>What a per-atom column group is used for.</summary>
internal enum XyzColumnRole
{
    /// <summary><c>species:S:1</c> (element symbols, or atomic numbers written as integers) or <c>species:I:1</c>.</summary>
    Species,
    /// <summary><c>Z:I:1</c>, atomic numbers (ASE writes this when asked for numbers).</summary>
    AtomicNumber,
    /// <summary><c>pos:R:3</c>, Cartesian positions in Å.</summary>
    Position,
    /// <summary>Anything else (forces, charges, …): goes to <see cref="Structure.Arrays"/>.</summary>
    Array,
}

/// <summary>One <c>name:type:count</c> triple of the <c>Properties</c> key.</summary>
internal sealed record XyzColumn(string Name, PropertyKind Kind, int Count, XyzColumnRole Role);

/// <summary>
/// The <c>Properties</c> key: per-atom columns as <c>name:type:count</c> triples, type one of
/// S (string), R (real), I (integer), L (logical, T/F). Each atom line holds the columns in this order,
/// whitespace-separated. A frame needs <c>pos:R:3</c> and one of <c>species</c> or <c>Z</c>;
/// without a Properties key the columns are <c>species:S:1:pos:R:3</c>.
/// </summary>
internal sealed class XyzProperties
{
    /// <summary>The columns of a plain XYZ file.</summary>
    public static readonly XyzProperties Default = new(
    [
        new XyzColumn("species", PropertyKind.String, 1, XyzColumnRole.Species),
        new XyzColumn("pos", PropertyKind.Real, 3, XyzColumnRole.Position),
    ]);

    private XyzProperties(List<XyzColumn> columns)
    {
        Columns = columns;
        FieldCount = columns.Sum(c => c.Count);
    }

    /// <summary>Column groups in file order.</summary>
    public IReadOnlyList<XyzColumn> Columns { get; }

    /// <summary>Fields per atom line (sum of the counts).</summary>
    public int FieldCount { get; }

    /// <summary>The spec as written in a file, e.g. <c>species:S:1:pos:R:3</c>.</summary>
    public override string ToString() =>
        string.Join(':', Columns.Select(c => $"{c.Name}:{TypeLetter(c.Kind)}:{c.Count.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>The file letter of a kind.</summary>
    public static char TypeLetter(PropertyKind kind) => kind switch
    {
        PropertyKind.Real => 'R',
        PropertyKind.Integer => 'I',
        PropertyKind.Logical => 'L',
        _ => 'S',
    };

    /// <summary>Parses a Properties value; <paramref name="error"/> builds the exception for a reason.</summary>
    public static XyzProperties Parse(string spec, Func<string, Exception> error)
    {
        var parts = spec.Split(':');
        if (spec.Length == 0 || parts.Length % 3 != 0)
            throw error($"bad Properties '{spec}': expected name:type:count triples, got {parts.Length} ':'-separated fields");

        var columns = new List<XyzColumn>(parts.Length / 3);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int p = 0; p < parts.Length; p += 3)
        {
            string name = parts[p], type = parts[p + 1], count = parts[p + 2];
            if (name.Length == 0) throw error($"bad Properties '{spec}': empty column name in triple {p / 3 + 1}");
            if (!names.Add(name)) throw error($"bad Properties '{spec}': column '{name}' appears twice");
            PropertyKind kind = type switch
            {
                "R" => PropertyKind.Real,
                "I" => PropertyKind.Integer,
                "L" => PropertyKind.Logical,
                "S" => PropertyKind.String,
                _ => throw error($"bad Properties '{spec}': unknown type '{type}' for column '{name}' (expected S, R, I or L)"),
            };
            if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1)
                throw error($"bad Properties '{spec}': count '{count}' of column '{name}' is not a positive integer");

            var role = name switch
            {
                "species" => XyzColumnRole.Species,
                "Z" => XyzColumnRole.AtomicNumber,
                "pos" => XyzColumnRole.Position,
                _ => XyzColumnRole.Array,
            };
            bool shapeOk = role switch
            {
                XyzColumnRole.Species => n == 1 && kind is PropertyKind.String or PropertyKind.Integer,
                XyzColumnRole.AtomicNumber => n == 1 && kind == PropertyKind.Integer,
                XyzColumnRole.Position => n == 3 && kind == PropertyKind.Real,
                _ => true,
            };
            if (!shapeOk)
            {
                string expected = role switch
                {
                    XyzColumnRole.Species => "S:1 (or I:1)",
                    XyzColumnRole.AtomicNumber => "I:1",
                    _ => "R:3",
                };
                throw error($"bad Properties '{spec}': column '{name}' must be {expected}, got {type}:{count}");
            }
            columns.Add(new XyzColumn(name, kind, n, role));
        }

        if (!columns.Exists(c => c.Role == XyzColumnRole.Position))
            throw error($"bad Properties '{spec}': no 'pos' column");
        if (!columns.Exists(c => c.Role is XyzColumnRole.Species or XyzColumnRole.AtomicNumber))
            throw error($"bad Properties '{spec}': neither a 'species' nor a 'Z' column");
        return new XyzProperties(columns);
    }
}
