using System.Text.Json;
using Specialized.Cli;
using Specialized.Correlations;
using Specialized.Density;
using Specialized.Tests.Support;

namespace Specialized.Tests.Cli;

public class BenchCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static JsonElement RunJson(params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        return JsonDocument.Parse(lines[0]).RootElement.Clone();
    }

    [Fact]
    public void PrintsOneConsistentJsonLine()
    {
        var json = RunJson("bench", RepoPaths.Example("silicon.xyz"), "--l-max", "2", "--n-max", "3", "--cutoff", "4", "--repeat", "3");

        var calc = new PowerSpectrumCalculator(new SoapParameters { LMax = 2, RadialCount = 3, Cutoff = 4 }, new SpeciesList([14]));
        Assert.Equal("silicon.xyz", json.GetProperty("input").GetString());
        Assert.Equal("power-spectrum", json.GetProperty("representation").GetString());
        Assert.Equal("generic", json.GetProperty("kernel").GetString());
        Assert.Equal([14], json.GetProperty("species").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(4.0, json.GetProperty("cutoff").GetDouble());
        Assert.Equal(3, json.GetProperty("n_max").GetInt32());
        Assert.Equal(2, json.GetProperty("l_max").GetInt32());
        Assert.Equal(0, json.GetProperty("gradients").GetArrayLength());
        Assert.Equal(1, json.GetProperty("threads").GetInt32());
        Assert.Equal(1, json.GetProperty("frames").GetInt32());
        Assert.Equal(8, json.GetProperty("atoms").GetInt32());
        Assert.Equal(calc.FeatureCount, json.GetProperty("features").GetInt32());
        Assert.Equal(3, json.GetProperty("repeat").GetInt32());

        double median = json.GetProperty("median_seconds").GetDouble();
        double min = json.GetProperty("min_seconds").GetDouble();
        Assert.True(min > 0 && min <= median, $"min {min} and median {median}");
        Assert.Equal(8 / median, json.GetProperty("atoms_per_second").GetDouble(), 1e-9 * (8 / median));
        Assert.True(json.GetProperty("peak_working_set_bytes").GetInt64() > 1 << 20, "peak working set is at least a megabyte");
        Assert.True(json.GetProperty("allocated_bytes_per_run").GetInt64() >= 0);
    }

    [Fact]
    public void GradientsThreadsRepresentationAndFramesAreReported()
    {
        var json = RunJson("bench", RepoPaths.Example("ethanol.xyz"), "--representation", "lambda-soap", "--lambda", "2",
            "--l-max", "2", "--n-max", "2", "--gradients", "cell,positions", "--threads", "2", "--repeat", "1", "--species", "H,C,O");

        var calc = new LambdaSoapCalculator(new SoapParameters { LMax = 2, RadialCount = 2 }, new SpeciesList([1, 6, 8]), 2, 1);
        Assert.Equal("lambda-soap", json.GetProperty("representation").GetString());
        Assert.Equal(["positions", "cell"], json.GetProperty("gradients").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, json.GetProperty("threads").GetInt32());
        Assert.Equal([1, 6, 8], json.GetProperty("species").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(calc.FeatureCount, json.GetProperty("features").GetInt32());
        var frames = Specialized.Structures.ExtendedXyz.ReadFile(RepoPaths.Example("ethanol.xyz"));
        Assert.Equal(frames.Count, json.GetProperty("frames").GetInt32());
        Assert.Equal(frames.Sum(f => f.AtomCount), json.GetProperty("atoms").GetInt32());
        // one timed pass: the median is that pass
        Assert.Equal(json.GetProperty("min_seconds").GetDouble(), json.GetProperty("median_seconds").GetDouble());
    }

    [Theory]
    [InlineData("--repeat", "0", "--repeat")]
    [InlineData("--repeat", "many", "--repeat")]
    [InlineData("--threads", "0", "--threads")]
    [InlineData("--l-max", "-1", "l-max")]
    [InlineData("--gradients", "velocity", "--gradients")]
    [InlineData("--representation", "bispectrum", "representation")]
    [InlineData("--species", "1,6", "not in the species list")]
    [InlineData("-o", "x.npy", "unknown option")]
    [InlineData("--output", "x.npy", "unknown option --output")]
    public void BadOptionsExitWithCodeTwoAndOneLine(string option, string value, string expected)
    {
        // small hyperparameters so that a wrongly accepted option finishes quickly
        string[] small = option == "--l-max" ? ["--n-max", "1"] : ["--l-max", "1", "--n-max", "1"];
        var (code, stdout, stderr) = Run(["bench", RepoPaths.Example("ethanol.xyz"), option, value, .. small]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void MissingOrExtraInputsAreUsageErrors()
    {
        var (code, stdout, stderr) = Run("bench", "/nonexistent/file.xyz");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("/nonexistent/file.xyz", stderr);
        Assert.Equal(2, Run("bench").Code);
        Assert.Equal(2, Run("bench", RepoPaths.Example("ethanol.xyz"), RepoPaths.Example("silicon.xyz")).Code);
        var help = Run("bench", "--help");
        Assert.Equal(0, help.Code);
        Assert.Contains("atoms_per_second", help.Out);
        Assert.Contains("--repeat", help.Out);
    }

    [Fact]
    public void MedianOfOddAndEvenCounts()
    {
        Assert.Equal(2.0, BenchCommand.Median([3.0, 1.0, 2.0]));
        Assert.Equal(2.5, BenchCommand.Median([4.0, 1.0, 3.0, 2.0]));
        Assert.Equal(7.0, BenchCommand.Median([7.0]));
    }
}
