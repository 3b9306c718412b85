using System.Globalization;
using System.Text;

namespace Specialized.Structures;

/// <summary>
/// Writes frames in the layout ASE reads: the atom count; a comment line with
/// <c>Lattice="…"</c> (when there is a cell), <c>Properties=species:S:1:pos:R:3[:array…]</c>, the info
/// keys in order and <c>pbc="…"</c> (when there is a cell); then one line per atom, columns aligned.
/// Reals use the shortest round-trip text, so reading the output gives bit-identical doubles.
/// Lines end in <c>\n</c> on every platform.
/// </summary>
internal sealed class ExtendedXyzWriter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private readonly TextWriter _writer;
    private readonly StringBuilder _sb = new();
    private readonly char[] _buffer = new char[64];

    public ExtendedXyzWriter(TextWriter writer) => _writer = writer;

    /// <summary>Writes one frame; <paramref name="index"/> numbers it in error messages. Nothing is written when the frame cannot be represented.</summary>
    public void WriteFrame(Structure frame, int index)
    {
        var columns = Columns(frame, index);
        string comment = CommentLine(frame, columns, index);
        _writer.Write(frame.AtomCount.ToString(Invariant));
        _writer.Write('\n');
        _writer.Write(comment);
        _writer.Write('\n');
        WriteAtoms(frame.AtomCount, columns);
    }

    private static InvalidParameterException Invalid(int frame, string reason) => new("frames", $"frame {frame}: {reason}");

    /// <summary>Species, positions and the per-atom arrays, validated for what an atom line can hold.</summary>
    private static List<(string Name, AtomProperty Values)> Columns(Structure frame, int index)
    {
        int n = frame.AtomCount;
        var symbols = new string[n];
        for (int a = 0; a < n; a++) symbols[a] = Elements.Symbol(frame.AtomicNumbers[a]);
        var columns = new List<(string, AtomProperty)>(2 + frame.Arrays.Count)
        {
            ("species", AtomProperty.Text(1, symbols)),
            ("pos", AtomProperty.Real(3, frame.Positions.ToArray())),
        };

        foreach (var (name, values) in frame.Arrays)
        {
            if (name.Length == 0 || name.AsSpan().IndexOfAny(" \t\r\n:\"'=,\\") >= 0 || name.Any(char.IsWhiteSpace))
                throw Invalid(index, $"array name '{name}' cannot appear in Properties (empty, or has whitespace, ':', quotes, '=', ',' or '\\')");
            if (name is "species" or "pos" or "Z")
                throw Invalid(index, $"array name '{name}' is reserved for species, positions or atomic numbers");
            if (values.Length != checked(n * values.Columns))
                throw Invalid(index, $"array '{name}' holds {values.Length} values, expected {n} atoms × {values.Columns} columns");
            if (values.Kind == PropertyKind.String)
                foreach (var s in values.Strings!)
                    if (string.IsNullOrEmpty(s) || s.Any(char.IsWhiteSpace))
                        throw Invalid(index, $"array '{name}' holds the string '{s}'; atom columns cannot hold empty strings or whitespace");
            columns.Add((name, values));
        }
        return columns;
    }

    private string CommentLine(Structure frame, List<(string Name, AtomProperty Values)> columns, int index)
    {
        var sb = _sb.Clear();
        if (frame.Cell is { } cell)
        {
            sb.Append("Lattice=\"");
            var h = cell.Matrix;
            for (int k = 0; k < 9; k++)
            {
                if (k > 0) sb.Append(' ');
                XyzValues.AppendReal(sb, h[k]);
            }
            sb.Append("\" ");
        }

        sb.Append("Properties=");
        for (int c = 0; c < columns.Count; c++)
        {
            if (c > 0) sb.Append(':');
            var (name, values) = columns[c];
            sb.Append(name).Append(':').Append(XyzProperties.TypeLetter(values.Kind)).Append(':').Append(values.Columns.ToString(Invariant));
        }

        foreach (var (key, value) in frame.Info)
        {
            if (key.Length == 0) throw Invalid(index, "info has an empty key");
            if (ExtendedXyzReader.SpecialKey(key) is { } special)
                throw Invalid(index, $"info key '{key}' clashes with the extended XYZ key '{special}' (set Structure.Cell instead)");
            if (value.Kind == PropertyKind.String && Array.IndexOf(value.Strings!, null) >= 0)
                throw Invalid(index, $"info '{key}' holds a null string");
            if (value.Length == 0 && value.Kind != PropertyKind.String)
                throw Invalid(index, $"info '{key}' is an empty {value.Kind} vector, which extended XYZ cannot tell from an empty string list");
            sb.Append(' ');
            AppendKey(sb, key);
            sb.Append('=');
            AppendInfoValue(sb, value);
        }

        if (frame.Cell is { } c2)
            sb.Append(" pbc=\"").Append(XyzValues.Logical(c2.Pbc[0])).Append(' ')
              .Append(XyzValues.Logical(c2.Pbc[1])).Append(' ').Append(XyzValues.Logical(c2.Pbc[2])).Append('"');
        return sb.ToString();
    }

    private static void AppendKey(StringBuilder sb, string key)
    {
        bool bare = !key.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '=' or '\\');
        if (bare) sb.Append(key);
        else XyzValues.AppendQuoted(sb, key);
    }

    /// <summary>
    /// Scalars bare, vectors quoted and space-separated. A string is written bare when safe, quoted when
    /// it would otherwise split, and as a bracketed list of quoted strings when plain text would be read
    /// back as a number, a logical or a vector (e.g. the string "12", or several strings).
    /// </summary>
    private static void AppendInfoValue(StringBuilder sb, InfoValue value)
    {
        int n = value.Length;
        if (value.Kind == PropertyKind.String)
        {
            var strings = value.Strings!;
            if (n == 1 && XyzValues.IsSafeBare(strings[0]))
            {
                sb.Append(strings[0]);
            }
            else if (n == 1 && XyzValues.InferNonString(XyzValues.SplitElements(strings[0])) is null)
            {
                XyzValues.AppendQuoted(sb, strings[0]);
            }
            else
            {
                sb.Append('[');
                for (int k = 0; k < n; k++)
                {
                    if (k > 0) sb.Append(", ");
                    XyzValues.AppendQuoted(sb, strings[k]);
                }
                sb.Append(']');
            }
            return;
        }

        if (n > 1) sb.Append('"');
        for (int k = 0; k < n; k++)
        {
            if (k > 0) sb.Append(' ');
            switch (value.Kind)
            {
                case PropertyKind.Real: XyzValues.AppendReal(sb, value.Reals![k]); break;
                case PropertyKind.Integer: sb.Append(value.Integers![k].ToString(Invariant)); break;
                default: sb.Append(XyzValues.Logical(value.Logicals![k])); break;
            }
        }
        if (n > 1) sb.Append('"');
    }

    /// <summary>
    /// Atom lines: the species left-aligned, every other field right-aligned to its column's widest entry.
    /// A first pass measures the widths, a second formats and writes (no per-field strings are kept).
    /// </summary>
    private void WriteAtoms(int atoms, List<(string Name, AtomProperty Values)> columns)
    {
        int fieldCount = columns.Sum(c => c.Values.Columns);
        var widths = new int[fieldCount];
        for (int a = 0; a < atoms; a++)
        {
            int f = 0;
            foreach (var (_, values) in columns)
                for (int k = 0; k < values.Columns; k++, f++)
                    widths[f] = Math.Max(widths[f], Field(values, a * values.Columns + k).Length);
        }

        var sb = _sb;
        for (int a = 0; a < atoms; a++)
        {
            sb.Clear();
            int f = 0;
            foreach (var (_, values) in columns)
            {
                for (int k = 0; k < values.Columns; k++, f++)
                {
                    var text = Field(values, a * values.Columns + k);
                    if (f == 0)
                    {
                        sb.Append(text).Append(' ', widths[0] - text.Length);
                    }
                    else
                    {
                        sb.Append(' ', 2 + widths[f] - text.Length).Append(text);
                    }
                }
            }
            sb.Append('\n');
            _writer.Write(sb);
        }
    }

    /// <summary>Text of one stored value; reals and integers are formatted into the shared buffer.</summary>
    private ReadOnlySpan<char> Field(AtomProperty values, int index)
    {
        switch (values.Kind)
        {
            case PropertyKind.Real:
                return _buffer.AsSpan(0, XyzValues.FormatReal(_buffer, values.Reals![index]));
            case PropertyKind.Integer:
                values.Integers![index].TryFormat(_buffer, out int n, default, Invariant);
                return _buffer.AsSpan(0, n);
            case PropertyKind.Logical:
                _buffer[0] = XyzValues.Logical(values.Logicals![index]);
                return _buffer.AsSpan(0, 1);
            default:
                return values.Strings![index];
        }
    }
}
