using System.Text;

namespace Specialized.Structures;

/// <summary>How a comment-line value was written.</summary>
internal enum XyzValueForm
{
    /// <summary>A key without <c>=</c>: a logical true (ASE).</summary>
    Flag,
    /// <summary>An unquoted word: <c>energy=-1.5</c>.</summary>
    Bare,
    /// <summary>A double- or single-quoted text: <c>cut_off_energy="650 eV"</c>, <c>Lattice="…"</c>.</summary>
    Quoted,
    /// <summary>An array in brackets or braces: <c>mu=[1, 2, 3]</c>, <c>mu={1 2 3}</c>.</summary>
    Bracketed,
}

/// <summary>
/// One key=value pair of a comment line. <see cref="Text"/> holds the unescaped value of bare and
/// quoted forms; <see cref="Elements"/> the elements of a bracketed array.
/// </summary>
internal sealed record XyzCommentEntry(string Key, XyzValueForm Form, string Text, IReadOnlyList<string> Elements, bool HasQuotedElement)
{
    /// <summary>The value split into elements: bracket elements, or the text split on whitespace and commas.</summary>
    public IReadOnlyList<string> ElementList() => Form == XyzValueForm.Bracketed ? Elements : XyzValues.SplitElements(Text);
}

/// <summary>
/// Tokeniser for the second line of a frame, the extended XYZ comment line:
/// whitespace-separated <c>key=value</c> pairs or bare keys. Whitespace around <c>=</c> is allowed
/// (as in ASE). Keys and values may be quoted with <c>"</c> or <c>'</c>; inside quotes a backslash
/// escapes the next character (<c>\"</c>, <c>\\</c>), with <c>\n</c> and <c>\r</c> standing for
/// line breaks. Values may also be arrays in <c>[…]</c> or <c>{…}</c>, elements separated by commas
/// or whitespace; nested brackets (2-D arrays) are flattened.
/// </summary>
internal sealed class XyzCommentLine
{
    private readonly string _line;
    private readonly Func<string, Exception> _error;
    private int _pos;

    private XyzCommentLine(string line, Func<string, Exception> error)
    {
        _line = line;
        _error = error;
    }

    /// <summary>Splits <paramref name="line"/> into entries in order; <paramref name="error"/> builds the exception for a reason.</summary>
    public static List<XyzCommentEntry> Parse(string line, Func<string, Exception> error)
    {
        var parser = new XyzCommentLine(line, error);
        var entries = new List<XyzCommentEntry>();
        while (parser.SkipWhitespace()) entries.Add(parser.ReadEntry());
        return entries;
    }

    private bool AtEnd => _pos >= _line.Length;

    /// <summary>Advances past whitespace; false at the end of the line.</summary>
    private bool SkipWhitespace()
    {
        while (_pos < _line.Length && char.IsWhiteSpace(_line[_pos])) _pos++;
        return _pos < _line.Length;
    }

    private int Column => _pos + 1;

    private XyzCommentEntry ReadEntry()
    {
        int keyColumn = Column;
        string key = ReadKey();
        if (key.Length == 0) throw _error($"column {keyColumn}: empty key");

        int afterKey = _pos;
        if (!SkipWhitespace() || _line[_pos] != '=')
        {
            _pos = afterKey;
            return new XyzCommentEntry(key, XyzValueForm.Flag, "", [], false);
        }
        _pos++; // '='
        if (!SkipWhitespace()) return new XyzCommentEntry(key, XyzValueForm.Bare, "", [], false);

        char c = _line[_pos];
        if (c is '"' or '\'')
        {
            string text = ReadQuoted($"value of '{key}'");
            ExpectSeparator(key);
            return new XyzCommentEntry(key, XyzValueForm.Quoted, text, [], false);
        }
        if (c is '[' or '{')
        {
            var (elements, quoted) = ReadBracketed(key);
            ExpectSeparator(key);
            return new XyzCommentEntry(key, XyzValueForm.Bracketed, "", elements, quoted);
        }
        return new XyzCommentEntry(key, XyzValueForm.Bare, ReadBareValue(key), [], false);
    }

    private string ReadKey()
    {
        char c = _line[_pos];
        if (c is '"' or '\'')
        {
            int column = Column;
            string quoted = ReadQuoted("key");
            if (!AtEnd && !char.IsWhiteSpace(_line[_pos]) && _line[_pos] != '=')
                throw _error($"column {Column}: unexpected '{_line[_pos]}' after the quoted key starting at column {column}");
            return quoted;
        }
        if (c == '=') throw _error($"column {Column}: '=' without a key before it");
        int start = _pos;
        while (!AtEnd && !char.IsWhiteSpace(_line[_pos]) && _line[_pos] != '=')
        {
            if (_line[_pos] is '"' or '\'')
                throw _error($"column {Column}: unexpected quote inside the key '{_line[start.._pos]}'");
            _pos++;
        }
        return _line[start.._pos];
    }

    private string ReadBareValue(string key)
    {
        int start = _pos;
        while (!AtEnd && !char.IsWhiteSpace(_line[_pos]))
        {
            char c = _line[_pos];
            if (c == '=')
                throw _error($"column {Column}: value of '{key}' contains '=' (quote values that contain '=')");
            if (c is '"' or '\'')
                throw _error($"column {Column}: unexpected quote inside the unquoted value of '{key}'");
            _pos++;
        }
        return _line[start.._pos];
    }

    /// <summary>Reads a quoted text starting at the opening quote; leaves the position after the closing quote.</summary>
    private string ReadQuoted(string what)
    {
        char quote = _line[_pos];
        int openColumn = Column;
        int start = ++_pos;
        int stop = _line.IndexOfAny([quote, '\\'], start);
        if (stop >= 0 && _line[stop] == quote)
        {
            // No escapes: the common case (Lattice, stress, "650 eV").
            _pos = stop + 1;
            return _line[start..stop];
        }

        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd) throw _error($"column {openColumn}: unterminated quote ({quote} opened here, in the {what})");
            char c = _line[_pos++];
            if (c == quote) return sb.ToString();
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (AtEnd) throw _error($"column {openColumn}: unterminated quote ({quote} opened here, in the {what}; line ends in a backslash)");
            char escaped = _line[_pos++];
            sb.Append(escaped switch { 'n' => '\n', 'r' => '\r', _ => escaped });
        }
    }

    /// <summary>Reads an array in brackets or braces; elements are separated by commas or whitespace and may be quoted.</summary>
    private (List<string> Elements, bool AnyQuoted) ReadBracketed(string key)
    {
        char open = _line[_pos];
        char close = open == '[' ? ']' : '}';
        int openColumn = Column;
        _pos++;
        int depth = 1;
        bool anyQuoted = false;
        var elements = new List<string>();
        int start = -1;

        static void Flush(List<string> list, ref int elementStart, int end, string line)
        {
            if (elementStart >= 0) list.Add(line[elementStart..end]);
            elementStart = -1;
        }

        while (true)
        {
            if (AtEnd) throw _error($"column {openColumn}: unterminated array ({open} opened here, in the value of '{key}')");
            char c = _line[_pos];
            if (char.IsWhiteSpace(c) || c == ',')
            {
                Flush(elements, ref start, _pos, _line);
                _pos++;
            }
            else if (c == open)
            {
                Flush(elements, ref start, _pos, _line);
                depth++;
                _pos++;
            }
            else if (c == close)
            {
                Flush(elements, ref start, _pos, _line);
                _pos++;
                if (--depth == 0) return (elements, anyQuoted);
            }
            else if (c is '"' or '\'')
            {
                if (start >= 0) throw _error($"column {Column}: unexpected quote inside an element of '{key}'");
                elements.Add(ReadQuoted($"value of '{key}'"));
                anyQuoted = true;
            }
            else
            {
                if (start < 0) start = _pos;
                _pos++;
            }
        }
    }

    /// <summary>A quoted or bracketed value must be followed by whitespace or the end of the line.</summary>
    private void ExpectSeparator(string key)
    {
        if (!AtEnd && !char.IsWhiteSpace(_line[_pos]))
            throw _error($"column {Column}: unexpected '{_line[_pos]}' right after the value of '{key}'");
    }
}
