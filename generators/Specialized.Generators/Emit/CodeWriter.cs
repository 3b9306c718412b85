using System;
using System.Globalization;
using System.Text;

namespace Specialized.Generators.Emit;

/// <summary>
/// Indented text writer for generated C#: four spaces per level, "\n" line endings on every platform
/// (so snapshots are byte-stable), and invariant, round-trip formatting of every number.
/// </summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    /// <summary>Writes one line at the current indentation (an empty string writes an empty line).</summary>
    public CodeWriter Line(string text = "")
    {
        if (text.Length > 0) _sb.Append(' ', 4 * _indent).Append(text);
        _sb.Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace, and indents.</summary>
    public CodeWriter Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>Unindents and writes a closing brace (plus an optional suffix such as ";").</summary>
    public CodeWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>Starts a named region.</summary>
    public CodeWriter Region(string name) => Line("#region " + name);

    /// <summary>Ends a region.</summary>
    public CodeWriter EndRegion() => Line("#endregion");

    /// <summary>Writes a block of lines (split on '\n'), each indented.</summary>
    public CodeWriter Lines(string text)
    {
        foreach (var line in text.Replace("\r\n", "\n").Split('\n')) Line(line);
        return this;
    }

    public override string ToString() => _sb.ToString();
}

/// <summary>Invariant, round-trip C# literals.</summary>
internal static class Lit
{
    /// <summary>
    /// A double literal that parses back to exactly <paramref name="value"/>: the shortest round-trip
    /// form ("R"), checked, falling back to 17 significant digits; always with a '.' or exponent.
    /// </summary>
    public static string D(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), "not a finite number");
        if (value == 0) return BitConverter.DoubleToInt64Bits(value) < 0 ? "-0.0" : "0.0";
        string s = value.ToString("R", CultureInfo.InvariantCulture);
        if (double.Parse(s, CultureInfo.InvariantCulture) != value) s = value.ToString("G17", CultureInfo.InvariantCulture);
        if (s.IndexOf('.') < 0 && s.IndexOf('E') < 0) s += ".0";
        return s;
    }

    /// <summary>Invariant integer text.</summary>
    public static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A signed magnetic index for comments and names: "-2", "0", "+1".</summary>
    public static string M(int m) => m > 0 ? "+" + I(m) : I(m);

    /// <summary>A magnetic index for identifiers: "m2" for −2, "0", "1".</summary>
    public static string MName(int m) => m < 0 ? "m" + I(-m) : I(m);

    /// <summary>σ as "+1" / "-1".</summary>
    public static string Sigma(int sigma) => sigma > 0 ? "+1" : "-1";
}
