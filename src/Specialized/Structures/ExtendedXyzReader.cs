using System.Globalization;

namespace Specialized.Structures;

/// <summary>
/// Reads extended XYZ frames one at a time. A frame is: a line with the atom count N; the comment
/// line (see <see cref="XyzCommentLine"/>); N atom lines with the fields listed by <c>Properties</c>.
/// Blank lines are allowed only after the last frame. Any malformed input raises
/// <see cref="ExtendedXyzFormatException"/> naming the line.
/// </summary>
internal sealed class ExtendedXyzReader
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private readonly TextReader _reader;
    private readonly string _source;
    private int _lineNumber; // 1-based number of the line most recently read

    public ExtendedXyzReader(TextReader reader, string sourceName)
    {
        _reader = reader;
        _source = sourceName;
    }

    /// <summary>All remaining frames, read as they are enumerated.</summary>
    public IEnumerable<Structure> Frames()
    {
        while (ReadFrame() is { } frame) yield return frame;
    }

    /// <summary>The next frame, or null at the end of the input.</summary>
    public Structure? ReadFrame()
    {
        int count = ReadAtomCount();
        if (count < 0) return null;
        int countLine = _lineNumber;

        string comment = NextLine()
            ?? throw Error(countLine + 1, $"missing comment line: the file ends after the atom count {count}");
        int commentLine = _lineNumber;
        var header = ParseHeader(comment, commentLine);

        // Collect the lines first, so a wrong count in a truncated file does not allocate N atoms up front.
        var lines = new List<string>(Math.Min(count, 4096));
        for (int a = 0; a < count; a++)
        {
            string line = NextLine()
                ?? throw Error(commentLine + 1 + a, $"truncated frame: the file ends after {a} of {count} atom lines (atom count on line {countLine})");
            lines.Add(line);
        }
        return BuildStructure(header, lines, commentLine + 1);
    }

    private ExtendedXyzFormatException Error(int line, string reason) => new(_source, line, reason);

    private string? NextLine()
    {
        string? line = _reader.ReadLine();
        if (line is not null) _lineNumber++;
        return line;
    }

    private static bool IsBlank(string line) => line.AsSpan().IsWhiteSpace();

    /// <summary>The atom count of the next frame, or -1 when only blank lines (or nothing) remain.</summary>
    private int ReadAtomCount()
    {
        string? line;
        int firstBlank = 0;
        while ((line = NextLine()) is not null && IsBlank(line))
            if (firstBlank == 0) firstBlank = _lineNumber;
        if (line is null) return -1;
        if (firstBlank != 0) throw Error(firstBlank, "blank line where the atom count of the next frame was expected");

        var text = line.AsSpan().Trim();
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, Invariant, out long count))
            throw Error(_lineNumber, $"atom count '{text}' is not an integer");
        if (count < 0) throw Error(_lineNumber, $"atom count {count} is negative");
        if (count > Array.MaxLength / 3) throw Error(_lineNumber, $"atom count {count} is too large");
        return (int)count;
    }

    /// <summary>The frame-level part of the comment line: columns, cell and info.</summary>
    private sealed record Header(XyzProperties Properties, UnitCell? Cell, List<KeyValuePair<string, InfoValue>> Info);

    private Header ParseHeader(string comment, int line)
    {
        Exception Fail(string reason) => Error(line, reason);
        var entries = XyzCommentLine.Parse(comment, Fail);

        var properties = XyzProperties.Default;
        double[]? lattice = null;
        bool[]? pbc = null;
        var info = new List<KeyValuePair<string, InfoValue>>(entries.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var entry in entries)
        {
            // Lattice, Properties and pbc are recognised in any letter case; other keys are case-sensitive.
            string? special = SpecialKey(entry.Key);
            if (!seen.Add(special ?? entry.Key)) throw Fail($"duplicate key '{entry.Key}'");
            switch (special)
            {
                case "Lattice": lattice = ParseLattice(entry, Fail); break;
                case "Properties": properties = ParseProperties(entry, Fail); break;
                case "pbc": pbc = ParsePbc(entry, Fail); break;
                default: info.Add(new(entry.Key, XyzValues.Infer(entry))); break;
            }
        }

        // ASE conventions: a Lattice without pbc is periodic along all three axes; a Lattice with
        // pbc="F F F" is kept as a non-periodic cell. Periodic axes need a Lattice.
        UnitCell? cell = null;
        if (lattice is not null)
            cell = pbc is null ? new UnitCell(lattice) : new UnitCell(lattice, pbc[0], pbc[1], pbc[2]);
        else if (pbc is not null && Array.IndexOf(pbc, true) >= 0)
            throw Fail($"pbc=\"{string.Join(' ', pbc.Select(XyzValues.Logical))}\" marks periodic axes but the frame has no Lattice");
        return new Header(properties, cell, info);
    }

    /// <summary>The canonical name of a case-insensitive special key, or null for an ordinary key.</summary>
    internal static string? SpecialKey(string key) =>
        key.Equals("Lattice", StringComparison.OrdinalIgnoreCase) ? "Lattice"
        : key.Equals("Properties", StringComparison.OrdinalIgnoreCase) ? "Properties"
        : key.Equals("pbc", StringComparison.OrdinalIgnoreCase) ? "pbc"
        : null;

    private static double[] ParseLattice(XyzCommentEntry entry, Func<string, Exception> fail)
    {
        var elements = entry.ElementList();
        if (entry.Form == XyzValueForm.Flag || elements.Count != 9)
            throw fail($"bad Lattice: expected 9 numbers (the three cell vectors as rows), got {elements.Count}");
        var h = new double[9];
        for (int k = 0; k < 9; k++)
        {
            if (!XyzValues.TryParseReal(elements[k], out h[k]))
                throw fail($"bad Lattice: '{elements[k]}' (number {k + 1} of 9) is not a real number");
            if (!double.IsFinite(h[k]))
                throw fail($"bad Lattice: number {k + 1} of 9 is '{elements[k]}'; cell vectors must be finite");
        }
        return h;
    }

    private static bool[] ParsePbc(XyzCommentEntry entry, Func<string, Exception> fail)
    {
        var elements = entry.ElementList();
        var pbc = new bool[3];
        bool ok = entry.Form != XyzValueForm.Flag && elements.Count == 3;
        for (int k = 0; ok && k < 3; k++) ok = XyzValues.TryParseLogical(elements[k], out pbc[k]);
        if (!ok)
            throw fail($"bad pbc '{(entry.Form == XyzValueForm.Bracketed ? string.Join(' ', elements) : entry.Text)}': expected 3 logical values such as \"T T F\"");
        return pbc;
    }

    private static XyzProperties ParseProperties(XyzCommentEntry entry, Func<string, Exception> fail) =>
        entry.Form is XyzValueForm.Bare or XyzValueForm.Quoted
            ? XyzProperties.Parse(entry.Text, fail)
            : throw fail("bad Properties: expected a value of name:type:count triples, such as species:S:1:pos:R:3");

    /// <summary>Parses the atom lines; <paramref name="firstLine"/> is the file line of atom 0.</summary>
    private Structure BuildStructure(Header header, List<string> lines, int firstLine)
    {
        int n = lines.Count;
        var spec = header.Properties;
        var columns = spec.Columns;
        bool hasSpecies = false, hasZ = false;
        foreach (var c in columns)
        {
            hasSpecies |= c.Role == XyzColumnRole.Species;
            hasZ |= c.Role == XyzColumnRole.AtomicNumber;
        }

        var numbers = new int[n];
        // When both species and Z are given, Z is checked against species.
        int[]? zColumn = hasSpecies && hasZ ? new int[n] : null;
        var positions = new double[3 * n];
        var stores = new Array?[columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            var col = columns[c];
            if (col.Role != XyzColumnRole.Array) continue;
            int size = checked(n * col.Count);
            stores[c] = col.Kind switch
            {
                PropertyKind.Real => new double[size],
                PropertyKind.Integer => new long[size],
                PropertyKind.Logical => new bool[size],
                _ => new string[size],
            };
        }

        var fields = new Range[spec.FieldCount + 1];
        for (int a = 0; a < n; a++)
        {
            string line = lines[a];
            int lineNumber = firstLine + a;
            int found = SplitFields(line, fields);
            if (found != spec.FieldCount)
            {
                string what = found == 0 ? "blank line" : $"{found} fields";
                throw Error(lineNumber, $"atom {a}: {what} where Properties={spec} implies {spec.FieldCount} fields");
            }

            int f = 0;
            for (int c = 0; c < columns.Count; c++)
            {
                var col = columns[c];
                for (int k = 0; k < col.Count; k++, f++)
                {
                    var text = line.AsSpan(fields[f]);
                    switch (col.Role)
                    {
                        case XyzColumnRole.Species:
                            numbers[a] = ParseSpecies(text, col, a, f, lineNumber);
                            break;
                        case XyzColumnRole.AtomicNumber:
                            (zColumn ?? numbers)[a] = ParseAtomicNumber(text, col, a, f, lineNumber);
                            break;
                        case XyzColumnRole.Position:
                            if (!XyzValues.TryParseReal(text, out positions[3 * a + k]))
                                throw FieldError(lineNumber, a, col, f, $"'{text}' is not a real number");
                            if (!double.IsFinite(positions[3 * a + k]))
                                throw Error(lineNumber, $"atom {a}: position component {"xyz"[k]} is '{text}' (column 'pos', field {f + 1}); positions must be finite");
                            break;
                        default:
                            ParseArrayField(text, col, stores[c]!, a * col.Count + k, a, f, lineNumber);
                            break;
                    }
                }
            }
            if (zColumn is not null && zColumn[a] != numbers[a])
                throw Error(lineNumber, $"atom {a}: species {Elements.Symbol(numbers[a])} (Z = {numbers[a]}) disagrees with the Z column ({zColumn[a]})");
        }

        var structure = new Structure(numbers, positions, header.Cell);
        foreach (var (key, value) in header.Info) structure.Info.Add(key, value);
        for (int c = 0; c < columns.Count; c++)
        {
            var col = columns[c];
            if (col.Role != XyzColumnRole.Array) continue;
            structure.Arrays.Add(col.Name, stores[c] switch
            {
                double[] r => AtomProperty.Real(col.Count, r),
                long[] i => AtomProperty.Integer(col.Count, i),
                bool[] b => AtomProperty.Logical(col.Count, b),
                _ => AtomProperty.Text(col.Count, (string[])stores[c]!),
            });
        }
        return structure;
    }

    /// <summary>
    /// Whitespace-separated fields of an atom line: fills <paramref name="fields"/> as far as it goes and
    /// returns the total number of fields (which may exceed its length).
    /// </summary>
    private static int SplitFields(string line, Range[] fields)
    {
        int count = 0, i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i == line.Length) return count;
            int start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i])) i++;
            if (count < fields.Length) fields[count] = start..i;
            count++;
        }
    }

    private ExtendedXyzFormatException FieldError(int line, int atom, XyzColumn col, int field, string reason) =>
        Error(line, $"atom {atom}, column '{col.Name}' (field {field + 1}): {reason}");

    /// <summary>A species field: an element symbol in any letter case, or an atomic number.</summary>
    private int ParseSpecies(ReadOnlySpan<char> text, XyzColumn col, int atom, int field, int line)
    {
        if (XyzValues.TryParseInteger(text, out long z)) return CheckAtomicNumber(z, col, atom, field, line);
        if (col.Kind == PropertyKind.Integer) throw FieldError(line, atom, col, field, $"'{text}' is not an integer");
        if (Elements.TryGetAtomicNumber(text.ToString(), out int number)) return number;
        throw FieldError(line, atom, col, field, $"unknown element symbol '{text}'");
    }

    private int ParseAtomicNumber(ReadOnlySpan<char> text, XyzColumn col, int atom, int field, int line) =>
        XyzValues.TryParseInteger(text, out long z)
            ? CheckAtomicNumber(z, col, atom, field, line)
            : throw FieldError(line, atom, col, field, $"'{text}' is not an integer");

    private int CheckAtomicNumber(long z, XyzColumn col, int atom, int field, int line) =>
        z is >= 1 and <= Elements.MaxAtomicNumber
            ? (int)z
            : throw FieldError(line, atom, col, field, $"atomic number {z} is out of range (1 to {Elements.MaxAtomicNumber})");

    private void ParseArrayField(ReadOnlySpan<char> text, XyzColumn col, Array store, int index, int atom, int field, int line)
    {
        switch (store)
        {
            case double[] reals:
                if (!XyzValues.TryParseReal(text, out reals[index]))
                    throw FieldError(line, atom, col, field, $"'{text}' is not a real number");
                break;
            case long[] ints:
                if (!XyzValues.TryParseInteger(text, out ints[index]))
                    throw FieldError(line, atom, col, field, $"'{text}' is not an integer");
                break;
            case bool[] bools:
                if (!XyzValues.TryParseLogical(text, out bools[index]))
                    throw FieldError(line, atom, col, field, $"'{text}' is not a logical (T or F)");
                break;
            default:
                ((string[])store)[index] = text.ToString();
                break;
        }
    }
}
