using Specialized.Structures;

namespace Specialized.Tests.Structures;

public class ExtendedXyzWriteTests
{
    private static string WriteToString(params Structure[] frames)
    {
        var sw = new StringWriter();
        ExtendedXyz.Write(sw, frames);
        return sw.ToString();
    }

    private static List<Structure> RoundTrip(params Structure[] frames) =>
        ExtendedXyz.Read(new StringReader(WriteToString(frames)), "roundtrip.xyz");

    private static Structure Water()
    {
        var s = new Structure([8, 1, 1], [0.0, 0.0, 0.1173, 0.0, 0.7572, -0.4692, 0.0, -0.7572, -0.4692],
            new UnitCell([10.0, 0, 0, 0, 11.0, 0, 0.5, 0, 12.0], true, true, false));
        s.Info["energy"] = InfoValue.Real(-14.25);
        s.Info["config_type"] = InfoValue.Text("water");
        s.Arrays["forces"] = AtomProperty.Real(3, [0.1, 0, -0.2, 0, 0, 0, 1e-17, -3, 650]);
        return s;
    }

    [Fact]
    public void WritesTheAseLayout()
    {
        string text = WriteToString(Water());
        string[] lines = text.Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Equal("3", lines[0]);
        Assert.Equal(
            "Lattice=\"10.0 0.0 0.0 0.0 11.0 0.0 0.5 0.0 12.0\" Properties=species:S:1:pos:R:3:forces:R:3 " +
            "energy=-14.25 config_type=water pbc=\"T T F\"", lines[1]);
        Assert.Equal("O  0.0      0.0   0.1173    0.1   0.0   -0.2", lines[2]);
        Assert.Equal("H  0.0   0.7572  -0.4692    0.0   0.0    0.0", lines[3]);
        Assert.Equal("H  0.0  -0.7572  -0.4692  1E-17  -3.0  650.0", lines[4]);
        Assert.Equal("", lines[5]);
    }

    [Fact]
    public void StructureWithoutCellHasNoLatticeOrPbc()
    {
        var s = new Structure([6], [1.5, 2.5, 3.5]);
        Assert.Equal("1\nProperties=species:S:1:pos:R:3\nC  1.5  2.5  3.5\n", WriteToString(s));
    }

    [Fact]
    public void AwkwardValuesRoundTripExactly()
    {
        var s = new Structure([1, 118, 6], [1e-300, -0.0, double.MaxValue, 0.1 + 0.2, -1.0 / 3.0, double.Epsilon, 650, -650, 1e22],
            new UnitCell([Math.PI, 0, 0, 1.0 / 3.0, Math.E, 0, -0.0, 1e-15, 1e15], false, false, false));
        s.Info["plain"] = InfoValue.Text("Pulay");
        s.Info["spaces"] = InfoValue.Text("650 eV");
        s.Info["number-like"] = InfoValue.Text("12");
        s.Info["bool-like"] = InfoValue.Text("T");
        s.Info["vector-like"] = InfoValue.Text("1 2 3");
        s.Info["empty"] = InfoValue.Text("");
        s.Info["blank"] = InfoValue.Text("  ");
        s.Info["quotes"] = InfoValue.Text("say \"hi\" and 'bye'");
        s.Info["escapes"] = InfoValue.Text("back\\slash\nnew line\r");
        s.Info["equals"] = InfoValue.Text("a=b");
        s.Info["brackets"] = InfoValue.Text("[x]{y}");
        s.Info["commas"] = InfoValue.Text("a,b");
        s.Info["several"] = InfoValue.Text("a", "b c", "3");
        s.Info["no strings"] = InfoValue.Text();
        s.Info["integral real"] = InfoValue.Real(650.0);
        s.Info["reals"] = InfoValue.Real(1.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 5e-324);
        s.Info["ints"] = InfoValue.Integer(long.MinValue, 0, long.MaxValue);
        s.Info["int"] = InfoValue.Integer(-3);
        s.Info["flag"] = InfoValue.Logical(true);
        s.Info["flags"] = InfoValue.Logical(true, false, false);
        s.Arrays["q"] = AtomProperty.Real(1, [double.NaN, double.PositiveInfinity, -1e-320]);
        s.Arrays["tags"] = AtomProperty.Integer(2, [1, -2, 3, long.MaxValue, 5, 6]);
        s.Arrays["mask"] = AtomProperty.Logical(1, [true, false, true]);
        s.Arrays["labels"] = AtomProperty.Text(1, ["T", "12", "x\"y"]);

        var back = Assert.Single(RoundTrip(s));
        StructureAssert.Identical(s, back);
        Assert.False(back.IsPeriodic);
    }

    [Fact]
    public void ManyFramesRoundTrip()
    {
        var frames = Enumerable.Range(0, 5).Select(i =>
        {
            var s = Water();
            s.Positions[0] = i * 0.1;
            s.Info["step"] = InfoValue.Integer(i);
            return s;
        }).ToArray();
        StructureAssert.Identical(frames, RoundTrip(frames));
    }

    [Theory]
    [InlineData("pbc")]
    [InlineData("PBC")]
    [InlineData("lattice")]
    [InlineData("Properties")]
    public void InfoKeysThatClashWithFormatKeysAreRejected(string key)
    {
        var s = Water();
        s.Info[key] = InfoValue.Integer(1);
        var e = Assert.Throws<InvalidParameterException>(() => WriteToString(s));
        Assert.Contains($"info key '{key}' clashes", e.Message);
    }

    [Theory]
    [InlineData("a:b")]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData("pos")]
    [InlineData("Z")]
    public void ArrayNamesThatCannotBeWrittenAreRejected(string name)
    {
        var s = Water();
        s.Arrays[name] = AtomProperty.Real(1, [1, 2, 3]);
        var e = Assert.Throws<InvalidParameterException>(() => WriteToString(s));
        Assert.Contains($"array name '{name}'", e.Message);
    }

    [Fact]
    public void UnwritableValuesAreRejected()
    {
        var spaces = Water();
        spaces.Arrays["label"] = AtomProperty.Text(1, ["a", "b c", "d"]);
        Assert.Contains("cannot hold empty strings or whitespace",
            Assert.Throws<InvalidParameterException>(() => WriteToString(spaces)).Message);

        var wrongLength = Water();
        wrongLength.Arrays["q"] = AtomProperty.Real(1, [1, 2]);
        Assert.Contains("array 'q' holds 2 values, expected 3 atoms × 1 columns",
            Assert.Throws<InvalidParameterException>(() => WriteToString(wrongLength)).Message);

        var emptyVector = Water();
        emptyVector.Info["v"] = InfoValue.Real();
        Assert.Contains("info 'v' is an empty Real vector",
            Assert.Throws<InvalidParameterException>(() => WriteToString(emptyVector)).Message);
    }

    [Fact]
    public void RejectedFrameWritesNothingOfItself()
    {
        var bad = Water();
        bad.Info["pbc"] = InfoValue.Integer(1);
        var sw = new StringWriter();
        Assert.Throws<InvalidParameterException>(() => ExtendedXyz.Write(sw, [Water(), bad]));
        StructureAssert.Identical([Water()], ExtendedXyz.Read(new StringReader(sw.ToString()), "partial.xyz"));
    }

    [Fact]
    public void WriteFileIsAtomicAndLeavesNoTemporaryFiles()
    {
        string dir = Directory.CreateTempSubdirectory("xyz-write-").FullName;
        try
        {
            string path = Path.Combine(dir, "out.xyz");
            ExtendedXyz.WriteFile(path, [Water()]);
            StructureAssert.Identical([Water()], ExtendedXyz.ReadFile(path));

            // Overwrite an existing file.
            var two = new[] { Water(), Water() };
            ExtendedXyz.WriteFile(path, two);
            StructureAssert.Identical(two, ExtendedXyz.ReadFile(path));
            string before = File.ReadAllText(path);

            // A failing write leaves the old file as it was.
            var bad = Water();
            bad.Info["Lattice"] = InfoValue.Integer(1);
            Assert.Throws<InvalidParameterException>(() => ExtendedXyz.WriteFile(path, [Water(), bad]));
            Assert.Equal(before, File.ReadAllText(path));

            Assert.Equal([path], Directory.GetFiles(dir));
            Assert.DoesNotContain('\r', before);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
