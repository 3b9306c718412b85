using System.Text.Json;
using Specialized.Cli;
using Specialized.Io;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Cli;

/// <summary>
/// The generated NICE / tensor-reduced kernels shipped with the CLI: selected (auto) when the fitted contractions match
/// their spec, and their output files agree with the generic path's (values, position, strain and cell gradients) to
/// 1e-12 relative; otherwise the generic path with the reason, and <c>--kernel generated</c> is a usage error.
/// </summary>
public class NiceGeneratedKernelCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    public static TheoryData<string> ShippedNames()
    {
        var data = new TheoryData<string>();
        foreach (var k in FeatureKernels.ShippedNice) data.Add(k.Name);
        return data;
    }

    /// <summary>
    /// Training and input files holding every species of shipped kernel <paramref name="name"/> (so the fitted species list
    /// is the spec's, or <paramref name="species"/> when given) and the options of its shape. The widths are small (they are
    /// run-time data of the model) and λ_max is left at its default (l_max), which the shipped specs use.
    /// </summary>
    private static (string Train, string Input, string[] Options) CaseFor(string name, string dir, int seed, int[]? species = null)
    {
        var spec = FeatureKernels.ShippedNice.Single(k => k.Name == name).Spec;
        species ??= spec.AtomicNumbers.ToArray();
        int atoms = Math.Max(4, species.Length);
        string train = Path.Combine(dir, name + ".train.xyz"), input = Path.Combine(dir, name + ".xyz");
        ExtendedXyz.WriteFile(train, [
            TestStructures.Periodic(seed, atoms, species, edge: 4.5, minDistance: 1.2),
            TestStructures.Periodic(seed + 100, atoms, species, edge: 4.5, minDistance: 1.2)]);
        ExtendedXyz.WriteFile(input, [TestStructures.Periodic(seed + 200, atoms, species, edge: 4.5, minDistance: 1.2)]);
        var options = new List<string>
        {
            "--representation", spec.SpeciesRank > 0 ? "tensor-reduced" : "nice",
            "--body-order", spec.BodyOrder.ToString(), "--l-max", spec.LMax.ToString(), "--n-max", spec.NMax.ToString(),
            "--cutoff", "3.7", "--cutoff-width", "0.6", "--density-width", "0.35",
            "--expand", "12/24", "--keep", "6/12", "--fit-on", train,
        };
        if (spec.SpeciesRank > 0) options.AddRange(["--species-rank", spec.SpeciesRank.ToString()]);
        return (train, input, [.. options]);
    }

    private static readonly string[] Suffixes = [".npy", ".gradients.npy", ".strain-gradients.npy", ".cell-gradients.npy"];

    [Theory]
    [MemberData(nameof(ShippedNames))]
    public void GeneratedAndGenericOutputFilesAgree(string name)
    {
        var dir = RepoPaths.TempDirectory();
        int index = Array.FindIndex(FeatureKernels.ShippedNice, k => k.Name == name);
        var (_, input, options) = CaseFor(name, dir, seed: 21 + index);
        string contractions = Path.Combine(dir, "model.nice");
        string[] common = [.. options, "--gradients", "positions,strain,cell"];

        // generic fits and saves the contractions; auto refits on the same training file (deterministic) into another file
        var generic = Run(["featurize", input, "-o", Path.Combine(dir, "generic.npy"), "--kernel", "generic", "--contractions", contractions, .. common]);
        Assert.True(generic.Code == 0, generic.Err);
        Assert.Contains("featurize: kernel generic: --kernel generic", generic.Err);
        var generated = Run(["featurize", input, "-o", Path.Combine(dir, "generated.npy"), .. common]);
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
    }

    [Fact]
    public void BenchReportsTheGeneratedKernelAndThreadsFallBackToGeneric()
    {
        var dir = RepoPaths.TempDirectory();
        var (_, input, options) = CaseFor("HcnoNice4", dir, seed: 3);
        (string Kernel, string Reason) Bench(params string[] extra)
        {
            var (code, stdout, stderr) = Run(["bench", input, .. options, "--repeat", "1", .. extra]);
            Assert.True(code == 0, stderr);
            Assert.Equal("", stderr);
            var json = JsonDocument.Parse(stdout).RootElement;
            return (json.GetProperty("kernel").GetString()!, stdout);
        }
        Assert.Equal("generated:HcnoNice4", Bench().Kernel);
        Assert.Equal("generated:HcnoNice4", Bench("--kernel", "generated").Kernel);
        Assert.Equal("generic", Bench("--kernel", "generic").Kernel);
        Assert.Equal("generic", Bench("--threads", "2").Kernel);

        var featurize = Run(["featurize", input, "-o", Path.Combine(dir, "t.npy"), "--threads", "2", .. options]);
        Assert.True(featurize.Code == 0, featurize.Err);
        Assert.Contains("featurize: kernel generic: generated:HcnoNice4 matches but runs on one thread (--threads 2", featurize.Err);
        var generated = Run(["featurize", input, "-o", Path.Combine(dir, "g.npy"), "--threads", "2", "--kernel", "generated", .. options]);
        Assert.Equal(2, generated.Code);
        Assert.Contains("--kernel generated: generated NICE / tensor-reduced kernels run on one thread", generated.Err);
        Assert.Single(generated.Err.TrimEnd('\n').Split('\n'));
    }

    /// <summary>
    /// A model of a shipped shape with another species list runs on the generic path with NiceDescriptor.Mismatch's
    /// reason (known after the fit); one with a λ_max no kernel has is rejected before fitting with --kernel generated.
    /// </summary>
    [Theory]
    [InlineData(true, "HcnoNice4 was generated for species = [1,6,7,8], but the NICE model has species = [1,6,8]",
        "HcnoNice4 was generated for species = [1,6,7,8], but the NICE model has species = [1,6,8]")]
    [InlineData(false, "no shipped generated kernel for nice, nu 4, l_max 4, n_max 6, lambda_max 3, species [1,6,7,8]",
        "no shipped generated kernel for nice, nu 4, l_max 4, n_max 6, lambda_max 3; shipped: ")]
    public void MismatchRunsGenericWithTheReasonAndGeneratedIsAUsageError(bool otherSpecies, string autoReason, string generatedReason)
    {
        var dir = RepoPaths.TempDirectory();
        var (_, input, options) = otherSpecies ? CaseFor("HcnoNice4", dir, 5, species: [1, 6, 8]) : CaseFor("HcnoNice4", dir, 5);
        string[] extra = otherSpecies ? [] : ["--max-lambda", "3"];

        var auto = Run(["featurize", input, "-o", Path.Combine(dir, "auto.npy"), .. options, .. extra]);
        Assert.True(auto.Code == 0, auto.Err);
        Assert.Contains("featurize: kernel generic: " + autoReason, auto.Err);

        // --quiet: no fitting progress line, so stderr is the one error line
        var generated = Run(["featurize", input, "-o", Path.Combine(dir, "generated.npy"), "--kernel", "generated", "--quiet", .. options, .. extra]);
        Assert.Equal(2, generated.Code);
        Assert.False(File.Exists(Path.Combine(dir, "generated.npy")));
        string line = Assert.Single(generated.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains("specialized: --kernel generated: " + generatedReason, line);
    }

    /// <summary>The NICE benchmark options on molecules.xyz (the tutorial density, ν = 4) select MoleculesNice4.</summary>
    [SharedFact]
    public void TutorialOptionsOnMoleculesSelectTheShippedKernel()
    {
        var (code, stdout, stderr) = Run("bench", SharedData.PathOf("bench", "molecules.xyz"), "--representation", "nice", "--body-order", "4",
            "--l-max", "5", "--n-max", "5", "--cutoff", "6.3", "--cutoff-width", "0.3", "--density-width", "0.05",
            "--fit-environments", "200", "--expand", "20/40", "--keep", "8/16", "--kernel", "generated", "--repeat", "1");
        Assert.True(code == 0, stderr);
        Assert.Equal("generated:MoleculesNice4", JsonDocument.Parse(stdout).RootElement.GetProperty("kernel").GetString());
    }
}
