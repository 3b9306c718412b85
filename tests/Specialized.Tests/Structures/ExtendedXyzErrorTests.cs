using Specialized.Structures;

namespace Specialized.Tests.Structures;

/// <summary>Every malformed input names its line and reason; nothing is returned.</summary>
public class ExtendedXyzErrorTests
{
    private const string Source = "bad.xyz";

    /// <summary>Asserts that reading fails at <paramref name="line"/> with a reason containing <paramref name="reason"/>.</summary>
    private static ExtendedXyzFormatException Fails(string text, int line, string reason)
    {
        List<Structure>? result = null;
        var e = Assert.Throws<ExtendedXyzFormatException>(() => result = ExtendedXyz.Read(new StringReader(text), Source));
        Assert.Null(result);
        Assert.Equal(Source, e.SourceName);
        Assert.Equal(line, e.LineNumber);
        Assert.Contains(reason, e.Reason);
        Assert.Equal($"{Source}:{line}: {e.Reason}", e.Message);
        Assert.IsAssignableFrom<SpecializedException>(e);
        return e;
    }

    private const string GoodFrame = "1\nenergy=1\nH 0 0 0\n";

    // --- frame structure -------------------------------------------------------------------------

    [Fact]
    public void TruncatedFrameNamesTheMissingLine() =>
        Fails(GoodFrame + "3\nenergy=2\nH 0 0 0\nH 1 0 0\n", 8, "truncated frame: the file ends after 2 of 3 atom lines (atom count on line 4)");

    [Fact]
    public void TruncatedFrameWithoutAnyAtomLines() =>
        Fails("2\nenergy=2", 3, "truncated frame: the file ends after 0 of 2 atom lines");

    [Fact]
    public void MissingCommentLine() =>
        Fails(GoodFrame + "2\n", 5, "missing comment line: the file ends after the atom count 2");

    [Theory]
    [InlineData("abc", "atom count 'abc' is not an integer")]
    [InlineData("2.5", "atom count '2.5' is not an integer")]
    [InlineData("3 atoms", "atom count '3 atoms' is not an integer")]
    [InlineData("-1", "atom count -1 is negative")]
    [InlineData("99999999999", "atom count 99999999999 is too large")]
    public void BadAtomCount(string count, string reason) =>
        Fails(GoodFrame + count + "\n\nH 0 0 0\n", 4, reason);

    [Fact]
    public void AtomLinesBeyondTheCountAreReadAsTheNextAtomCount() =>
        Fails("1\n\nH 0 0 0\nH 1 0 0\n", 4, "atom count 'H 1 0 0' is not an integer");

    [Fact]
    public void BlankLineBetweenFrames() =>
        Fails(GoodFrame + "\n" + GoodFrame, 4, "blank line where the atom count of the next frame was expected");

    [Fact]
    public void BlankLineAmongAtomLines() =>
        Fails("2\n\nH 0 0 0\n\nH 1 0 0\n", 4, "atom 1: blank line where Properties=species:S:1:pos:R:3 implies 4 fields");

    // --- atom columns ----------------------------------------------------------------------------

    [Theory]
    [InlineData("H 0 0 0 1.2.3 0 0", "atom 1, column 'forces' (field 5): '1.2.3' is not a real number")]
    [InlineData("H 0 0 0 0 0 1,5", "atom 1, column 'forces' (field 7): '1,5' is not a real number")]
    [InlineData("H 0 0x1 0 0 0 0", "atom 1, column 'pos' (field 3): '0x1' is not a real number")]
    public void BadNumberInAColumn(string atomLine, string reason) =>
        Fails("2\nProperties=species:S:1:pos:R:3:forces:R:3\nH 0 0 0 0 0 0\n" + atomLine + "\n", 4, reason);

    [Theory]
    [InlineData("H 0 nan 0", "atom 1: position component y is 'nan' (column 'pos', field 3); positions must be finite")]
    [InlineData("H 0 0 NaN", "atom 1: position component z is 'NaN'")]
    [InlineData("H Infinity 0 0", "atom 1: position component x is 'Infinity'")]
    [InlineData("H -inf 0 0", "atom 1: position component x is '-inf'")]
    [InlineData("H 1e999 0 0", "atom 1: position component x is '1e999'")]
    public void NonFinitePositionsAreRejected(string atomLine, string reason) =>
        Fails("2\n\nH 0 0 0\n" + atomLine + "\n", 4, reason);

    [Theory]
    [InlineData("2\nProperties=species:S:1:pos:R:3:tag:I:1\nH 0 0 0 1\nH 0 0 0 1.5\n", 4, "atom 1, column 'tag' (field 5): '1.5' is not an integer")]
    [InlineData("1\nProperties=species:S:1:pos:R:3:fixed:L:1\nH 0 0 0 yes\n", 3, "atom 0, column 'fixed' (field 5): 'yes' is not a logical (T or F)")]
    public void BadIntegerOrLogicalInAColumn(string text, int line, string reason) => Fails(text, line, reason);

    [Theory]
    [InlineData("Xx 0 0 0", "atom 1, column 'species' (field 1): unknown element symbol 'Xx'")]
    [InlineData("X 0 0 0", "unknown element symbol 'X'")]
    [InlineData("0 0 0 0", "atom 1, column 'species' (field 1): atomic number 0 is out of range (1 to 118)")]
    [InlineData("119 0 0 0", "atomic number 119 is out of range (1 to 118)")]
    public void UnknownElementOrAtomicNumberOutOfRange(string atomLine, string reason) =>
        Fails("2\n\nH 0 0 0\n" + atomLine + "\n", 4, reason);

    [Fact]
    public void AtomicNumberOutOfRangeInZColumn() =>
        Fails("1\nProperties=Z:I:1:pos:R:3\n-1 0 0 0\n", 3, "atom 0, column 'Z' (field 1): atomic number -1 is out of range (1 to 118)");

    [Theory]
    [InlineData("H 0 0", "atom 1: 3 fields where Properties=species:S:1:pos:R:3:forces:R:3 implies 7 fields")]
    [InlineData("H 0 0 0 0 0", "atom 1: 6 fields where Properties=species:S:1:pos:R:3:forces:R:3 implies 7 fields")]
    [InlineData("H 0 0 0 0 0 0 0", "atom 1: 8 fields where Properties=species:S:1:pos:R:3:forces:R:3 implies 7 fields")]
    public void WrongNumberOfFields(string atomLine, string reason) =>
        Fails("2\nProperties=species:S:1:pos:R:3:forces:R:3\nH 0 0 0 0 0 0\n" + atomLine + "\n", 4, reason);

    // --- comment line ----------------------------------------------------------------------------

    [Theory]
    [InlineData("species:S:1:pos:X:3", "unknown type 'X' for column 'pos' (expected S, R, I or L)")]
    [InlineData("species:S:1:pos:r:3", "unknown type 'r' for column 'pos'")]
    [InlineData("species:S:1:pos:R:three", "count 'three' of column 'pos' is not a positive integer")]
    [InlineData("species:S:1:pos:R:0", "count '0' of column 'pos' is not a positive integer")]
    [InlineData("species:S:1:pos:R:-3", "count '-3' of column 'pos' is not a positive integer")]
    [InlineData("species:S:1:forces:R:3", "no 'pos' column")]
    [InlineData("pos:R:3:forces:R:3", "neither a 'species' nor a 'Z' column")]
    [InlineData("species:S:1:pos:R", "expected name:type:count triples, got 5 ':'-separated fields")]
    [InlineData("species:S:1:pos:R:2", "column 'pos' must be R:3, got R:2")]
    [InlineData("species:R:1:pos:R:3", "column 'species' must be S:1 (or I:1), got R:1")]
    [InlineData("species:S:1:pos:R:3:pos:R:3", "column 'pos' appears twice")]
    [InlineData("species:S:1:pos:R:3::R:1", "empty column name in triple 3")]
    public void BadPropertiesSpec(string spec, string reason)
    {
        var e = Fails(GoodFrame + "1\nProperties=" + spec + "\nH 0 0 0\n", 5, reason);
        Assert.StartsWith($"bad Properties '{spec}'", e.Reason);
    }

    [Fact]
    public void PropertiesWithoutValue() =>
        Fails("1\nProperties\nH 0 0 0\n", 2, "bad Properties: expected a value of name:type:count triples");

    [Theory]
    [InlineData("Lattice=\"1 0 0 0 1 0 0 0\"", "bad Lattice: expected 9 numbers (the three cell vectors as rows), got 8")]
    [InlineData("Lattice=\"1 0 0 0 1 0 0 0 1 0\"", "bad Lattice: expected 9 numbers (the three cell vectors as rows), got 10")]
    [InlineData("Lattice=\"1 0 0 0 one 0 0 0 1\"", "bad Lattice: 'one' (number 5 of 9) is not a real number")]
    [InlineData("Lattice=\"1 0 0 0 1 0 0 0 nan\"", "bad Lattice: number 9 of 9 is 'nan'; cell vectors must be finite")]
    [InlineData("Lattice", "bad Lattice: expected 9 numbers")]
    [InlineData("Lattice=5.0", "bad Lattice: expected 9 numbers (the three cell vectors as rows), got 1")]
    public void BadLattice(string pair, string reason) =>
        Fails("1\n" + pair + " energy=1\nH 0 0 0\n", 2, reason);

    [Theory]
    [InlineData("pbc=\"T T\"", "bad pbc 'T T': expected 3 logical values such as \"T T F\"")]
    [InlineData("pbc=\"T X F\"", "bad pbc 'T X F'")]
    [InlineData("pbc=\"1 1 1\"", "bad pbc '1 1 1'")]
    [InlineData("pbc=\"T T T T\"", "bad pbc 'T T T T'")]
    [InlineData("pbc", "bad pbc ''")]
    public void BadPbc(string pair, string reason) =>
        Fails("1\nLattice=\"1 0 0 0 1 0 0 0 1\" " + pair + "\nH 0 0 0\n", 2, reason);

    [Fact]
    public void PeriodicPbcWithoutLattice() =>
        Fails(GoodFrame + "1\npbc=\"T T F\"\nH 0 0 0\n", 5, "pbc=\"T T F\" marks periodic axes but the frame has no Lattice");

    [Theory]
    [InlineData("energy=1 name=\"abc", "column 15: unterminated quote (\" opened here, in the value of 'name')")]
    [InlineData("name='abc", "column 6: unterminated quote (' opened here, in the value of 'name')")]
    [InlineData("name=\"abc\\\"", "column 6: unterminated quote")]
    [InlineData("name=\"abc\\", "line ends in a backslash")]
    [InlineData("\"my key=1", "column 1: unterminated quote (\" opened here, in the key)")]
    [InlineData("mu=[1, 2", "column 4: unterminated array ([ opened here, in the value of 'mu')")]
    public void UnterminatedQuoteOrBracket(string comment, string reason) =>
        Fails(GoodFrame + "1\n" + comment + "\nH 0 0 0\n", 5, reason);

    [Theory]
    [InlineData("a=b=c", "column 4: value of 'a' contains '=' (quote values that contain '=')")]
    [InlineData("=5", "column 1: '=' without a key before it")]
    [InlineData("a=\"x\"y", "column 6: unexpected 'y' right after the value of 'a'")]
    [InlineData("a=x\"y\"", "column 4: unexpected quote inside the unquoted value of 'a'")]
    [InlineData("energy=1 energy=2", "duplicate key 'energy'")]
    [InlineData("Lattice=\"1 0 0 0 1 0 0 0 1\" LATTICE=\"1 0 0 0 1 0 0 0 1\"", "duplicate key 'LATTICE'")]
    public void MalformedCommentLine(string comment, string reason) =>
        Fails("1\n" + comment + "\nH 0 0 0\n", 2, reason);

    [Fact]
    public void ErrorLineNumbersCountWindowsLineEndingsOnce() =>
        Fails((GoodFrame + GoodFrame + "1\n\nH 0 0 zero\n").Replace("\n", "\r\n"), 9, "'zero' is not a real number");
}
