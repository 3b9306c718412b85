using System.Globalization;
using System.Text;

namespace Specialized.Structures;

/// <summary>
/// Scalar grammar of extended XYZ, shared by the comment line and the atom columns, and the ASE
/// type inference for comment-line values: a value that splits (on whitespace and commas) into
/// integers only is an integer vector, into numbers only a real vector, into T/F only a logical
/// vector, and anything else is a string. A vector of length 1 is a scalar.
/// </summary>
internal static class XyzValues
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // Sign, digits, decimal point, exponent: no surrounding blanks, no digit grouping, no currency.
    private const NumberStyles RealStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Parses a real: decimal or exponent notation, plus nan/inf/infinity in any case and sign (numpy spellings).</summary>
    public static bool TryParseReal(ReadOnlySpan<char> s, out double value)
    {
        if (s.IsEmpty) { value = 0; return false; }
        if (double.TryParse(s, RealStyle, Invariant, out value)) return true;
        var body = s[0] is '+' or '-' ? s[1..] : s;
        bool negative = s[0] == '-';
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase)) { value = double.NaN; return true; }
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>Parses an integer: optional sign and decimal digits, fitting in 64 bits.</summary>
    public static bool TryParseInteger(ReadOnlySpan<char> s, out long value) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, Invariant, out value);

    /// <summary>Parses a logical: T, F, True, False, TRUE, FALSE, true, false (the spellings ASE accepts).</summary>
    public static bool TryParseLogical(ReadOnlySpan<char> s, out bool value)
    {
        switch (s)
        {
            case "T" or "True" or "TRUE" or "true": value = true; return true;
            case "F" or "False" or "FALSE" or "false": value = false; return true;
            default: value = false; return false;
        }
    }

    /// <summary>Splits a value into its elements: separators are whitespace and commas (as in ASE).</summary>
    public static List<string> SplitElements(string text)
    {
        var parts = new List<string>();
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool separator = i == text.Length || char.IsWhiteSpace(text[i]) || text[i] == ',';
            if (separator)
            {
                if (start >= 0) parts.Add(text[start..i]);
                start = -1;
            }
            else if (start < 0)
            {
                start = i;
            }
        }
        return parts;
    }

    /// <summary>
    /// The typed value of a list of unquoted elements (integers, then reals, then logicals), or null when
    /// they are not all of one of these kinds (the caller then keeps the value as a string).
    /// </summary>
    public static InfoValue? InferNonString(IReadOnlyList<string> elements)
    {
        int n = elements.Count;
        if (n == 0) return null;

        var ints = new long[n];
        int k = 0;
        while (k < n && TryParseInteger(elements[k], out ints[k])) k++;
        if (k == n) return InfoValue.Integer(ints);

        var reals = new double[n];
        k = 0;
        while (k < n && TryParseReal(elements[k], out reals[k])) k++;
        if (k == n) return InfoValue.Real(reals);

        var bools = new bool[n];
        k = 0;
        while (k < n && TryParseLogical(elements[k], out bools[k])) k++;
        if (k == n) return InfoValue.Logical(bools);

        return null;
    }

    /// <summary>The value of a comment-line entry, with ASE type inference.</summary>
    public static InfoValue Infer(XyzCommentEntry entry) => entry.Form switch
    {
        XyzValueForm.Flag => InfoValue.Logical(true),
        // Bracketed arrays: quoted elements mark a string array; otherwise infer as usual.
        XyzValueForm.Bracketed => entry.HasQuotedElement
            ? InfoValue.Text([.. entry.Elements])
            : InferNonString(entry.Elements) ?? InfoValue.Text([.. entry.Elements]),
        // Bare or quoted: quoting only groups words, it does not make the value a string ("17 17 6" is ints).
        _ => InferNonString(SplitElements(entry.Text)) ?? InfoValue.Text(entry.Text),
    };

    /// <summary>
    /// Shortest round-trip text of a real, always recognisable as a real: "650" would read back as an
    /// integer, so integral values get a ".0" suffix.
    /// </summary>
    public static void AppendReal(StringBuilder sb, double x)
    {
        Span<char> buf = stackalloc char[64];
        int n = FormatReal(buf, x);
        sb.Append(buf[..n]);
    }

    /// <summary>Writes the round-trip ("R", invariant) text of <paramref name="x"/> into <paramref name="dest"/> (at least 32 chars); returns its length.</summary>
    public static int FormatReal(Span<char> dest, double x)
    {
        if (!x.TryFormat(dest, out int n, "R", Invariant)) throw new InvalidOperationException("real formatting buffer too small");
        if (dest[..n].IndexOfAny('.', 'E') < 0 && double.IsFinite(x))
        {
            dest[n++] = '.';
            dest[n++] = '0';
        }
        return n;
    }

    /// <summary>T or F.</summary>
    public static char Logical(bool b) => b ? 'T' : 'F';

    /// <summary>True when a string can be written without quotes and reads back as the same single string.</summary>
    public static bool IsSafeBare(string s)
    {
        if (s.Length == 0) return false;
        foreach (char c in s)
            if (char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or '=' or ',' or '[' or ']' or '{' or '}')
                return false;
        return InferNonString([s]) is null;
    }

    /// <summary>Appends <paramref name="s"/> in double quotes, escaping backslash, quote and line breaks.</summary>
    public static void AppendQuoted(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
    }
}
