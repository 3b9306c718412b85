using Specialized.Structures;

namespace Specialized.Tests.Structures;

public class ExtendedXyzReadTests
{
    internal static List<Structure> Parse(string text, string source = "test.xyz") =>
        ExtendedXyz.Read(new StringReader(text), source);

    // Two frames as ASE writes them, with the awkward cases of the comment line: quoted strings with
    // spaces and escaped quotes, a bare boolean key, integer and vector info, pbc="T T F", a species
    // symbol in the wrong case, and a second frame with Properties after other keys and no cell.
    private const string TwoFrames =
        "3\n" +
        "Lattice=\"5.0 0.0 0.0 0.0 6.0 0.0 0.0 0.0 7.0\" Properties=species:S:1:pos:R:3:forces:R:3:tag:I:1:fixed:L:1 " +
        "energy=-12.5 config_type=\"bulk water\" note=\"say \\\"hi\\\"\" relaxed nsteps=42 kpts=\"4 4 2\" " +
        "stress=\"1.0 0.5 0.25 0.5 2.0 0.125 0.25 0.125 3.0\" flags=\"T F T\" spin=F pbc=\"T T F\"\n" +
        "O    0.0     0.0    0.0     0.1    0.2    0.3     1  T\n" +
        "H    0.757   0.586  0.0    -0.1    0.0    1e-3    2  F\n" +
        "h   -0.757   0.586  0.0     0.0   -0.2   -0.301  -3  F\n" +
        "2\n" +
        "cut_off_energy=\"650 eV\" mu=[0.5, -1.5, 2] Properties=species:S:1:pos:R:3 label=CC\n" +
        "Si 1 2 3\n" +
        "SI 4.5 5.5 6.5\n";

    [Fact]
    public void HandWrittenTwoFrameFileReadsIntoExactValues()
    {
        var frames = Parse(TwoFrames);
        Assert.Equal(2, frames.Count);

        var a = frames[0];
        Assert.Equal([8, 1, 1], a.AtomicNumbers.ToArray());
        Assert.Equal([0.0, 0.0, 0.0, 0.757, 0.586, 0.0, -0.757, 0.586, 0.0], a.Positions.ToArray());
        Assert.NotNull(a.Cell);
        Assert.Equal([5.0, 0, 0, 0, 6.0, 0, 0, 0, 7.0], a.Cell!.Matrix.ToArray());
        Assert.Equal([true, true, false], a.Cell.Pbc);
        Assert.True(a.IsPeriodic);

        Assert.Equal(["energy", "config_type", "note", "relaxed", "nsteps", "kpts", "stress", "flags", "spin"], a.Info.Keys);
        StructureAssert.Same(InfoValue.Real(-12.5), a.Info["energy"]);
        StructureAssert.Same(InfoValue.Text("bulk water"), a.Info["config_type"]);
        StructureAssert.Same(InfoValue.Text("say \"hi\""), a.Info["note"]);
        StructureAssert.Same(InfoValue.Logical(true), a.Info["relaxed"]);
        StructureAssert.Same(InfoValue.Integer(42), a.Info["nsteps"]);
        StructureAssert.Same(InfoValue.Integer(4, 4, 2), a.Info["kpts"]);
        StructureAssert.Same(InfoValue.Real(1.0, 0.5, 0.25, 0.5, 2.0, 0.125, 0.25, 0.125, 3.0), a.Info["stress"]);
        StructureAssert.Same(InfoValue.Logical(true, false, true), a.Info["flags"]);
        StructureAssert.Same(InfoValue.Logical(false), a.Info["spin"]);

        Assert.Equal(["forces", "tag", "fixed"], a.Arrays.Keys);
        var forces = a.Arrays["forces"];
        Assert.Equal(PropertyKind.Real, forces.Kind);
        Assert.Equal(3, forces.Columns);
        Assert.Equal([0.1, 0.2, 0.3, -0.1, 0.0, 1e-3, 0.0, -0.2, -0.301], forces.Reals!);
        Assert.Equal(PropertyKind.Integer, a.Arrays["tag"].Kind);
        Assert.Equal([1L, 2L, -3L], a.Arrays["tag"].Integers!);
        Assert.Equal(PropertyKind.Logical, a.Arrays["fixed"].Kind);
        Assert.Equal([true, false, false], a.Arrays["fixed"].Logicals!);

        var b = frames[1];
        Assert.Equal([14, 14], b.AtomicNumbers.ToArray());
        Assert.Equal([1.0, 2, 3, 4.5, 5.5, 6.5], b.Positions.ToArray());
        Assert.Null(b.Cell);
        Assert.False(b.IsPeriodic);
        Assert.Equal(["cut_off_energy", "mu", "label"], b.Info.Keys);
        StructureAssert.Same(InfoValue.Text("650 eV"), b.Info["cut_off_energy"]);
        StructureAssert.Same(InfoValue.Real(0.5, -1.5, 2.0), b.Info["mu"]);
        StructureAssert.Same(InfoValue.Text("CC"), b.Info["label"]);
        Assert.Empty(b.Arrays);
    }

    [Fact]
    public void WindowsLineEndingsAndTrailingBlankLinesAreAccepted()
    {
        var unix = Parse(TwoFrames);
        var windows = Parse(TwoFrames.Replace("\n", "\r\n") + "\r\n  \r\n\t\r\n");
        StructureAssert.Identical(unix, windows);
    }

    [Fact]
    public void EmptyInputHasNoFrames()
    {
        Assert.Empty(Parse(""));
        Assert.Empty(Parse("\n\n"));
    }

    [Fact]
    public void MissingPropertiesMeansSpeciesAndPositions()
    {
        var s = Assert.Single(Parse("2\nenergy=1.5\nC 0 0 0\nO 0 0 1.128\n"));
        Assert.Equal([6, 8], s.AtomicNumbers.ToArray());
        Assert.Equal(1.128, s.Positions[5]);
        Assert.Empty(s.Arrays);
        Assert.Null(s.Cell);
    }

    [Fact]
    public void EmptyCommentLineAndZeroAtomsAreAccepted()
    {
        var frames = Parse("1\n\nH 0 0 0\n0\nenergy=0\n");
        Assert.Equal(2, frames.Count);
        Assert.Empty(frames[0].Info);
        Assert.Equal(0, frames[1].AtomCount);
    }

    [Fact]
    public void LatticeWithoutPbcIsPeriodicAlongAllAxes()
    {
        var s = Assert.Single(Parse("1\nLattice=\"2 0 0 0 2 0 0 0 2\"\nH 0 0 0\n"));
        Assert.Equal([true, true, true], s.Cell!.Pbc);
    }

    [Fact]
    public void LatticeWithFalsePbcKeepsTheCellButIsNotPeriodic()
    {
        var s = Assert.Single(Parse("1\nLattice=\"2 0 0 0 2 0 0 0 2\" pbc=\"F F F\"\nH 0 0 0\n"));
        Assert.NotNull(s.Cell);
        Assert.False(s.IsPeriodic);
    }

    [Fact]
    public void FalsePbcWithoutLatticeHasNoCell()
    {
        var s = Assert.Single(Parse("1\npbc=\"F F F\"\nH 0 0 0\n"));
        Assert.Null(s.Cell);
        Assert.Empty(s.Info);
    }

    [Fact]
    public void SpecialKeysAreCaseInsensitiveOtherKeysAreNot()
    {
        var s = Assert.Single(Parse(
            "1\nlattice=\"2 0 0 0 3 0 0 0 4\" PROPERTIES=species:S:1:pos:R:3:q:R:1 PBC=\"T F T\" Energy=1 energy=2\nH 0 0 0 0.5\n"));
        Assert.Equal([2.0, 0, 0, 0, 3, 0, 0, 0, 4], s.Cell!.Matrix.ToArray());
        Assert.Equal([true, false, true], s.Cell.Pbc);
        Assert.Equal(["Energy", "energy"], s.Info.Keys);
        Assert.Equal([0.5], s.Arrays["q"].Reals!);
    }

    [Fact]
    public void SpeciesMayBeSymbolsInAnyCaseOrAtomicNumbers()
    {
        var s = Assert.Single(Parse("4\n\nSI 0 0 0\nsi 0 0 1\n6 0 0 2\nFe 0 0 3\n"));
        Assert.Equal([14, 14, 6, 26], s.AtomicNumbers.ToArray());
    }

    [Fact]
    public void ZColumnGivesAtomicNumbersAndMustAgreeWithSpecies()
    {
        var z = Assert.Single(Parse("2\nProperties=Z:I:1:pos:R:3\n8 0 0 0\n1 0 0 1\n"));
        Assert.Equal([8, 1], z.AtomicNumbers.ToArray());
        Assert.Empty(z.Arrays);

        var both = Assert.Single(Parse("1\nProperties=species:S:1:pos:R:3:Z:I:1\nO 0 0 0 8\n"));
        Assert.Equal([8], both.AtomicNumbers.ToArray());
        Assert.Empty(both.Arrays);

        var e = Assert.Throws<ExtendedXyzFormatException>(() => Parse("1\nProperties=species:S:1:pos:R:3:Z:I:1\nO 0 0 0 7\n"));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("disagrees with the Z column", e.Reason);
    }

    [Fact]
    public void TypeInferenceFollowsAse()
    {
        var s = Assert.Single(Parse(
            "1\n" +
            "i=-7 big=123456789012 r=1e-08 r2=5. huge=99999999999999999999 t=True f=FALSE word=Pulay " +
            "mixed=\"1 2.5\" ints=\"17 17 6\" words=\"1 two\" commas=1,2,3 nan=nan braces={1 2 3} " +
            "nested=[[1,2],[3,4]] strs=[\"a\", \"b c\"] quotedNum=[\"12\"] emptyq=\"\" empty=\n" +
            "H 0 0 0\n"));
        StructureAssert.Same(InfoValue.Integer(-7), s.Info["i"]);
        StructureAssert.Same(InfoValue.Integer(123456789012), s.Info["big"]);
        StructureAssert.Same(InfoValue.Real(1e-8), s.Info["r"]);
        StructureAssert.Same(InfoValue.Real(5.0), s.Info["r2"]);
        StructureAssert.Same(InfoValue.Real(1e20), s.Info["huge"]);
        StructureAssert.Same(InfoValue.Logical(true), s.Info["t"]);
        StructureAssert.Same(InfoValue.Logical(false), s.Info["f"]);
        StructureAssert.Same(InfoValue.Text("Pulay"), s.Info["word"]);
        StructureAssert.Same(InfoValue.Real(1, 2.5), s.Info["mixed"]);
        StructureAssert.Same(InfoValue.Integer(17, 17, 6), s.Info["ints"]);
        StructureAssert.Same(InfoValue.Text("1 two"), s.Info["words"]);
        StructureAssert.Same(InfoValue.Integer(1, 2, 3), s.Info["commas"]);
        Assert.True(double.IsNaN(s.Info["nan"].Reals![0]));
        StructureAssert.Same(InfoValue.Integer(1, 2, 3), s.Info["braces"]);
        StructureAssert.Same(InfoValue.Integer(1, 2, 3, 4), s.Info["nested"]);
        StructureAssert.Same(InfoValue.Text("a", "b c"), s.Info["strs"]);
        StructureAssert.Same(InfoValue.Text("12"), s.Info["quotedNum"]);
        StructureAssert.Same(InfoValue.Text(""), s.Info["emptyq"]);
        StructureAssert.Same(InfoValue.Text(""), s.Info["empty"]);
    }

    [Fact]
    public void CommentLineAcceptsSpacesAroundEqualsSingleQuotesEscapesAndQuotedKeys()
    {
        var s = Assert.Single(Parse(
            "1\n  a = 1   b='x y'  c=\"back\\\\slash \\\"q\\\" line\\nbreak\" \"my key\"=2 d=\"a=b\"  \n" +
            "H 0 0 0\n"));
        Assert.Equal(["a", "b", "c", "my key", "d"], s.Info.Keys);
        StructureAssert.Same(InfoValue.Integer(1), s.Info["a"]);
        StructureAssert.Same(InfoValue.Text("x y"), s.Info["b"]);
        StructureAssert.Same(InfoValue.Text("back\\slash \"q\" line\nbreak"), s.Info["c"]);
        StructureAssert.Same(InfoValue.Integer(2), s.Info["my key"]);
        StructureAssert.Same(InfoValue.Text("a=b"), s.Info["d"]);
    }

    [Fact]
    public void LatticeAndPbcMayBeBracketedArrays()
    {
        var s = Assert.Single(Parse("1\nLattice=[[1, 0, 0], [0, 2, 0], [0, 0, 3]] pbc=[T, F, T]\nH 0 0 0\n"));
        Assert.Equal([1.0, 0, 0, 0, 2, 0, 0, 0, 3], s.Cell!.Matrix.ToArray());
        Assert.Equal([true, false, true], s.Cell.Pbc);
    }

    [Fact]
    public void StringAndNonFiniteValuesAreAllowedInOtherColumns()
    {
        var s = Assert.Single(Parse("2\nProperties=species:S:1:pos:R:3:label:S:1:e:R:1\nH 0 0 0 site-a NaN\nH 0 0 1 T -inf\n"));
        Assert.Equal(["site-a", "T"], s.Arrays["label"].Strings!);
        Assert.True(double.IsNaN(s.Arrays["e"].Reals![0]));
        Assert.Equal(double.NegativeInfinity, s.Arrays["e"].Reals![1]);
    }

    [Fact]
    public void LazyReadingYieldsFramesBeforeAnError()
    {
        string text = "1\n\nH 0 0 0\n1\n\nXx 0 0 0\n";
        using var e = ExtendedXyz.ReadLazy(new StringReader(text), "lazy.xyz").GetEnumerator();
        Assert.True(e.MoveNext());
        Assert.Equal(1, e.Current.AtomicNumbers[0]);
        var error = Assert.Throws<ExtendedXyzFormatException>(() => e.MoveNext());
        Assert.Equal(6, error.LineNumber);
    }

    [Fact]
    public void ReadFileNamesTheFileInErrors()
    {
        string dir = Directory.CreateTempSubdirectory("xyz-read-").FullName;
        try
        {
            string path = Path.Combine(dir, "bad.xyz");
            File.WriteAllText(path, "1\n\nH 0 0 0\n2\n\nH 0 0 0\n");
            var e = Assert.Throws<ExtendedXyzFormatException>(() => ExtendedXyz.ReadFile(path));
            Assert.Equal(path, e.SourceName);
            Assert.Equal(7, e.LineNumber);
            Assert.StartsWith($"{path}:7: truncated frame", e.Message);

            File.WriteAllText(path, TwoFrames);
            StructureAssert.Identical(Parse(TwoFrames), ExtendedXyz.ReadFile(path));
            StructureAssert.Identical(Parse(TwoFrames), ExtendedXyz.ReadFileLazy(path).ToList());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
