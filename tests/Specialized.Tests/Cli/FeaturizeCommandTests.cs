using System.Diagnostics;
using System.Text.Json;
using Specialized.Cli;
using Specialized.Density;
using Specialized.Features;
using Specialized.Io;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Cli;

public class FeaturizeCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public void PowerSpectrumOfTheExampleMatchesTheLibrary()
    {
        var dir = RepoPaths.TempDirectory();
        var output = Path.Combine(dir, "ethanol.npy");
        var (code, _, err) = Run("featurize", RepoPaths.Example("ethanol.xyz"), "-o", output, "--l-max", "3", "--n-max", "4", "--quiet");
        Assert.True(code == 0, err);

        var (shape, values) = NpyReader.ReadFile(output);
        var frames = ExtendedXyz.ReadFile(RepoPaths.Example("ethanol.xyz"));
        var calc = Representation.Create(RepresentationKind.PowerSpectrum, new SoapParameters { LMax = 3, RadialCount = 4 }, SpeciesList.From(frames));
        Assert.Equal([18L, calc.FeatureCount], shape);
        var expected = frames.SelectMany(f => new FeatureComputer(calc).Compute(f).Values).ToArray();
        Assert.Equal(expected, values);

        var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "ethanol.json"))).RootElement;
        Assert.Equal("power-spectrum", meta.GetProperty("representation").GetString());
        Assert.Equal(3, meta.GetProperty("hyperparameters").GetProperty("l_max").GetInt32());
        Assert.Equal([1, 6, 8], meta.GetProperty("species").EnumerateArray().Select(e => e.GetInt32()));
        var props = meta.GetProperty("properties");
        Assert.Equal(["neighbor_1_type", "neighbor_2_type", "l", "n_1", "n_2"], props.GetProperty("names").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(calc.FeatureCount, props.GetProperty("values").GetArrayLength());
        Assert.Equal([1, 6, 0, 0, 0], props.GetProperty("values")[calc.Properties.Values.TakeWhile(v => v[1] == 1).Count()].EnumerateArray().Select(e => e.GetInt32()));
        var samples = meta.GetProperty("samples").GetProperty("values");
        Assert.Equal(18, samples.GetArrayLength());
        Assert.Equal([1, 8], samples[17].EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void GradientFilesHaveTheDocumentedShapes()
    {
        var dir = RepoPaths.TempDirectory();
        var output = Path.Combine(dir, "si.npy");
        var (code, _, err) = Run("featurize", RepoPaths.Example("silicon.xyz"), "-o", output, "--representation", "lambda-soap",
            "--lambda", "2", "--sigma", "1", "--l-max", "2", "--n-max", "3", "--cutoff", "4", "--gradients", "positions,strain,cell", "--threads", "2", "--quiet");
        Assert.True(code == 0, err);
        var calc = new Specialized.Correlations.LambdaSoapCalculator(new SoapParameters { LMax = 2, RadialCount = 3, Cutoff = 4 }, new SpeciesList([14]), 2, 1);
        int props = calc.Properties.Count;
        Assert.Equal([8L, 5, props], NpyReader.ReadFile(output).Shape);
        var (gShape, g) = NpyReader.ReadFile(Path.Combine(dir, "si.gradients.npy"));
        Assert.Equal([8L, 3, 5, props], gShape);
        Assert.Contains(g, x => x != 0);
        Assert.Equal([8L, 3, 3, 5, props], NpyReader.ReadFile(Path.Combine(dir, "si.strain-gradients.npy")).Shape);
        Assert.Equal([8L, 3, 3, 5, props], NpyReader.ReadFile(Path.Combine(dir, "si.cell-gradients.npy")).Shape);
    }

    [Theory]
    [InlineData("--l-max", "-1", "l-max")]
    [InlineData("--cutoff", "abc", "--cutoff")]
    [InlineData("--representation", "bispectrum", "representation")]
    [InlineData("--gradients", "velocity", "--gradients")]
    [InlineData("--basis", "dvr", "--basis")]
    [InlineData("--species", "1,6", "not in the species list")]
    [InlineData("--frobnicate", "1", "unknown option --frobnicate")]
    public void BadOptionsExitWithCodeTwoAndOneLine(string option, string value, string expected)
    {
        var dir = RepoPaths.TempDirectory();
        var (code, _, err) = Run("featurize", RepoPaths.Example("ethanol.xyz"), "-o", Path.Combine(dir, "x.npy"), option, value, "--quiet");
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.False(File.Exists(Path.Combine(dir, "x.npy")), "no partial output after an error");
    }

    [Fact]
    public void MalformedInputNamesFileAndLine()
    {
        var dir = RepoPaths.TempDirectory();
        var input = Path.Combine(dir, "bad.xyz");
        File.WriteAllText(input, "2\nProperties=species:S:1:pos:R:3\nH 0 0 0\nH 0 0 abc\n");
        var (code, _, err) = Run("featurize", input, "-o", Path.Combine(dir, "x.npy"));
        Assert.Equal(2, code);
        Assert.Contains("bad.xyz:4", err);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void MissingInputAndMissingOutputAreUsageErrors()
    {
        Assert.Equal(2, Run("featurize", "/nonexistent/file.xyz", "-o", "/tmp/x.npy").Code);
        Assert.Equal(2, Run("featurize", RepoPaths.Example("ethanol.xyz")).Code);
        Assert.Equal(2, Run("frobnicate").Code);
        Assert.Equal(0, Run("featurize", "--help").Code);
    }

    [NumpyFact]
    public void NpyFilesLoadInNumpy()
    {
        var dir = RepoPaths.TempDirectory();
        var output = Path.Combine(dir, "e.npy");
        Assert.Equal(0, Run("featurize", RepoPaths.Example("ethanol.xyz"), "-o", output, "--l-max", "2", "--n-max", "2", "--quiet").Code);
        var expected = NpyReader.ReadFile(output);
        var psi = new ProcessStartInfo("/usr/bin/python3", ["-c", $"import numpy as np; a = np.load('{output}'); print(a.shape, a.dtype, repr(float(a.sum())))"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string outText = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Contains($"({expected.Shape[0]}, {expected.Shape[1]}) float64", outText);
        double sum = double.Parse(outText.Trim().Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected.Values.Sum(), sum, 1e-9);
    }

    [Fact]
    public void NpyHeaderIsVersionOneAlignedAndExact()
    {
        var h = NpyWriter.Header([5, 7]);
        Assert.Equal(0x93, h[0]);
        Assert.Equal("NUMPY", System.Text.Encoding.ASCII.GetString(h, 1, 5));
        Assert.Equal(1, h[6]);
        Assert.Equal(0, h[7]);
        Assert.Equal(0, h.Length % 64);
        string dict = System.Text.Encoding.ASCII.GetString(h, 10, h.Length - 10);
        Assert.StartsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (5, 7), }", dict);
        Assert.EndsWith("\n", dict);
        Assert.Contains("'shape': (4,), }", System.Text.Encoding.ASCII.GetString(NpyWriter.Header([4])));

        var path = Path.Combine(RepoPaths.TempDirectory(), "a.npy");
        NpyWriter.WriteFile(path, [1.5, -2, double.Epsilon], 3);
        var (shape, values) = NpyReader.ReadFile(path);
        Assert.Equal([3L], shape);
        Assert.Equal([1.5, -2, double.Epsilon], values);
    }
}
