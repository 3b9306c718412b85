using System.Text.Json;
using Specialized.Cli;
using Specialized.Features;
using Specialized.Io;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Cli;

/// <summary>
/// The generated kernels shipped with the CLI: selected when the options match their spec, and their output files
/// agree with the generic path's (values, position, strain and cell gradients) to 1e-12 relative.
/// </summary>
public class GeneratedKernelCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    public static TheoryData<string> ShippedNames()
    {
        var data = new TheoryData<string>();
        foreach (var k in FeatureKernels.Shipped) data.Add(k.Name);
        return data;
    }

    /// <summary>The featurize options that select shipped kernel <paramref name="name"/> for a structure of its species.</summary>
    private static (string Xyz, string[] Options) CaseFor(string name, string dir, int seed, params string[] overrides)
    {
        var spec = FeatureKernels.Shipped.Single(k => k.Name == name).Spec;
        int[] species = spec.AtomicNumbers.ToArray();
        var output = spec.Outputs[0];
        // A small periodic cell holding every species of the spec (so the file's species list is the spec's),
        // with continuous hyperparameters away from the defaults: they are runtime parameters of the descriptor.
        var structure = TestStructures.Periodic(seed, Math.Max(4, species.Length), species, edge: 4.5, minDistance: 1.2);
        string xyz = Path.Combine(dir, name + ".xyz");
        ExtendedXyz.WriteFile(xyz, [structure]);
        var options = new List<string>
        {
            "--representation", Representation.Name(output.Kind),
            "--l-max", spec.LMax.ToString(), "--n-max", spec.NMax.ToString(),
            "--cutoff", "3.7", "--cutoff-width", "0.6", "--density-width", "0.35", "--center-weight", "0.7",
        };
        if (output.Kind == RepresentationKind.LambdaSoap) options.AddRange(["--lambda", output.Lambda.ToString(), "--sigma", output.Sigma.ToString()]);
        for (int k = 0; k < overrides.Length; k += 2)
        {
            int at = options.IndexOf(overrides[k]);
            if (at >= 0) options[at + 1] = overrides[k + 1];
            else options.AddRange([overrides[k], overrides[k + 1]]);
        }
        return (xyz, [.. options]);
    }

    private static readonly string[] Suffixes = [".npy", ".gradients.npy", ".strain-gradients.npy", ".cell-gradients.npy"];

    [Theory]
    [MemberData(nameof(ShippedNames))]
    public void GeneratedAndGenericOutputFilesAgree(string name)
    {
        var dir = RepoPaths.TempDirectory();
        int index = Array.FindIndex(FeatureKernels.Shipped, k => k.Name == name);
        var (xyz, options) = CaseFor(name, dir, seed: 11 + index);
        string[] common = [.. options, "--gradients", "positions,strain,cell"];

        var generic = Run(["featurize", xyz, "-o", Path.Combine(dir, "generic.npy"), "--kernel", "generic", .. common]);
        Assert.True(generic.Code == 0, generic.Err);
        Assert.Contains("featurize: kernel generic: --kernel generic", generic.Err);
        // auto picks the shipped kernel; odd cases also run it on two threads
        var generated = Run(["featurize", xyz, "-o", Path.Combine(dir, "generated.npy"), "--threads", index % 2 == 1 ? "2" : "1", .. common]);
        Assert.True(generated.Code == 0, generated.Err);
        Assert.Contains($"featurize: kernel generated:{name}: generated for exactly", generated.Err);

        foreach (var suffix in Suffixes)
        {
            var (shapeA, a) = NpyReader.ReadFile(Path.Combine(dir, "generic" + suffix));
            var (shapeB, b) = NpyReader.ReadFile(Path.Combine(dir, "generated" + suffix));
            Assert.Equal(shapeA, shapeB);
            Assert.Contains(a, v => v != 0); // something was computed
            Featomic.AssertClose(a, b, 1e-12, name + suffix);
        }
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "generic.json")), File.ReadAllText(Path.Combine(dir, "generated.json")));
    }

    [Fact]
    public void RadialScalingStepCutoffAndExactIntegralsRunOnTheGeneratedKernelToo()
    {
        var dir = RepoPaths.TempDirectory();
        var (xyz, options) = CaseFor("SiPowerSpectrum", dir, seed: 5);
        string[] common = [.. options, "--gradients", "positions", "--cutoff-function", "step", "--spline-accuracy", "0",
            "--radial-scaling-rate", "1.5", "--radial-scaling-scale", "2", "--radial-scaling-exponent", "4"];
        var generic = Run(["featurize", xyz, "-o", Path.Combine(dir, "generic.npy"), "--kernel", "generic", "--quiet", .. common]);
        Assert.True(generic.Code == 0, generic.Err);
        var generated = Run(["featurize", xyz, "-o", Path.Combine(dir, "generated.npy"), "--kernel", "generated", "--quiet", .. common]);
        Assert.True(generated.Code == 0, generated.Err);
        Assert.Equal("", generated.Err);
        foreach (var suffix in Suffixes[..2])
            Featomic.AssertClose(NpyReader.ReadFile(Path.Combine(dir, "generic" + suffix)).Values,
                NpyReader.ReadFile(Path.Combine(dir, "generated" + suffix)).Values, 1e-12, suffix);
    }

    [Fact]
    public void BenchReportsTheKernelItUsed()
    {
        var dir = RepoPaths.TempDirectory();
        string Kernel(params string[] extra)
        {
            var (xyz, options) = CaseFor("WaterLambdaSoap", dir, 3, extra);
            var (code, stdout, stderr) = Run(["bench", xyz, .. options, "--repeat", "1"]);
            Assert.True(code == 0, stderr);
            return JsonDocument.Parse(stdout).RootElement.GetProperty("kernel").GetString()!;
        }
        Assert.Equal("generated:WaterLambdaSoap", Kernel());
        Assert.Equal("generated:WaterLambdaSoap", Kernel("--kernel", "generated", "--threads", "2"));
        Assert.Equal("generic", Kernel("--kernel", "generic"));
        Assert.Equal("generic", Kernel("--sigma", "-1"));       // another block: no shipped kernel
        Assert.Equal("generic", Kernel("--species", "1,6,8"));  // another species list
    }

    [Theory]
    [InlineData("--n-max", "7", "no shipped generated kernel for power-spectrum, l_max 6, n_max 7, species [14]")]
    [InlineData("--representation", "radial-spectrum", "no shipped generated kernel for radial-spectrum")]
    [InlineData("--basis", "laplacian-eigenstate", "no shipped generated kernel for power-spectrum, l_max 6, n_max 8, species [14], laplacian-eigenstate basis")]
    public void GeneratedWithoutAMatchingKernelIsAUsageError(string option, string value, string expected)
    {
        var dir = RepoPaths.TempDirectory();
        var (xyz, options) = CaseFor("SiPowerSpectrum", dir, 1, option, value);
        var (code, stdout, stderr) = Run(["bench", xyz, .. options, "--kernel", "generated", "--repeat", "1"]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("--kernel generated: " + expected, stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));

        // auto falls back to the generic path and says why
        var auto = Run(["featurize", xyz, "-o", Path.Combine(dir, "auto.npy"), .. options]);
        Assert.True(auto.Code == 0, auto.Err);
        Assert.Contains("featurize: kernel generic: " + expected, auto.Err);
    }

    [Fact]
    public void UnknownKernelChoiceIsAUsageError()
    {
        var (code, _, stderr) = Run("bench", RepoPaths.Example("silicon.xyz"), "--kernel", "fastest");
        Assert.Equal(2, code);
        Assert.Contains("--kernel: unknown 'fastest'", stderr);
    }

    [Fact]
    public void NiceWithoutAShippedShapeIsRejectedBeforeFitting()
    {
        var dir = RepoPaths.TempDirectory();
        var (code, _, stderr) = Run("featurize", RepoPaths.Example("ethanol.xyz"), "-o", Path.Combine(dir, "x.npy"), "--representation", "nice", "--kernel", "generated");
        Assert.Equal(2, code);
        Assert.Contains("--kernel generated: no shipped generated kernel for nice, nu 3", stderr);
        Assert.False(File.Exists(Path.Combine(dir, "x.npy")));
    }

    [Fact]
    public void BenchRunsNiceOnTheGenericPathWithUntimedFitting()
    {
        var dir = RepoPaths.TempDirectory();
        string[] options = ["--representation", "nice", "--body-order", "3", "--l-max", "2", "--n-max", "3", "--expand", "20/40", "--keep", "8/16"];
        var (code, stdout, stderr) = Run(["bench", RepoPaths.Example("ethanol.xyz"), .. options, "--repeat", "1"]);
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("nice", json.GetProperty("representation").GetString());
        Assert.Equal("generic", json.GetProperty("kernel").GetString());

        // the same contractions as featurize fits on the same input: as many columns as its output
        var featurize = Run(["featurize", RepoPaths.Example("ethanol.xyz"), "-o", Path.Combine(dir, "nice.npy"), .. options, "--quiet"]);
        Assert.True(featurize.Code == 0, featurize.Err);
        Assert.Equal(NpyReader.ReadFile(Path.Combine(dir, "nice.npy")).Shape[^1], json.GetProperty("features").GetInt64());

        var generated = Run(["bench", RepoPaths.Example("ethanol.xyz"), .. options, "--kernel", "generated"]);
        Assert.Equal(2, generated.Code);
        Assert.Contains("--kernel generated: no shipped generated kernel for nice, nu 3, l_max 2, n_max 3, lambda_max 2", generated.Err);
    }

    /// <summary>The benchmark rows with the default options (the SOAP hyperparameters) select the shipped kernels.</summary>
    [SharedFact]
    public void DefaultOptionsOnTheBenchmarkStructuresSelectTheShippedKernels()
    {
        foreach (var (file, kernel, extra) in new[]
        {
            ("si216.xyz", "SiPowerSpectrum", Array.Empty<string>()),
            ("water192.xyz", "WaterPowerSpectrum", []),
            ("si216.xyz", "SiSphericalExpansion", ["--representation", "spherical-expansion"]),
            ("water192.xyz", "WaterLambdaSoap", ["--representation", "lambda-soap"]),
        })
        {
            var (code, stdout, stderr) = Run(["bench", SharedData.PathOf("bench", file), "--repeat", "1", .. extra]);
            Assert.True(code == 0, stderr);
            Assert.Equal("generated:" + kernel, JsonDocument.Parse(stdout).RootElement.GetProperty("kernel").GetString());
        }
    }

    /// <summary>water192 (the benchmark file itself), values and position gradients: generated and generic files agree.</summary>
    [SharedFact]
    public void GeneratedAndGenericAgreeOnWater192()
    {
        var dir = RepoPaths.TempDirectory();
        string input = SharedData.PathOf("bench", "water192.xyz");
        foreach (var k in new[] { "generic", "generated" })
        {
            var (code, _, stderr) = Run("featurize", input, "-o", Path.Combine(dir, k + ".npy"), "--kernel", k, "--gradients", "positions", "--quiet");
            Assert.True(code == 0, stderr);
        }
        foreach (var suffix in Suffixes[..2])
            Featomic.AssertClose(NpyReader.ReadFile(Path.Combine(dir, "generic" + suffix)).Values,
                NpyReader.ReadFile(Path.Combine(dir, "generated" + suffix)).Values, 1e-12, "water192" + suffix);
    }
}
