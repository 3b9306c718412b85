using System.Text.Json;
using Specialized.Cli;
using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Features;
using Specialized.Io;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Cli;

public class NiceFeaturizeTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static readonly string[] Small = ["--l-max", "2", "--n-max", "3", "--cutoff", "4", "--body-order", "3", "--expand", "40/60", "--keep", "8/12", "--quiet"];

    private static NiceParameters SmallParameters(NiceSpeciesMode mode, int rank = 8) => new()
    {
        Density = new SoapParameters { LMax = 2, RadialCount = 3, Cutoff = 4 },
        BodyOrder = 3,
        Steps = [new NiceStep(40, 8, 60, 12)],
        SpeciesMode = mode,
        SpeciesRank = rank,
    };

    [Fact]
    public void NiceFeaturesEqualTheLibraryAndTheContractionsAreSavedThenReused()
    {
        var dir = RepoPaths.TempDirectory();
        string output = Path.Combine(dir, "e.npy"), contractions = Path.Combine(dir, "e.nice");
        var (code, _, err) = Run(["featurize", RepoPaths.Example("ethanol.xyz"), "-o", output, "--representation", "nice", "--contractions", contractions, .. Small]);
        Assert.True(code == 0, err);

        var frames = ExtendedXyz.ReadFile(RepoPaths.Example("ethanol.xyz"));
        var model = NiceModel.Fit(frames, SmallParameters(NiceSpeciesMode.PerSpecies), SpeciesList.From(frames));
        var (shape, values) = NpyReader.ReadFile(output);
        Assert.Equal([18L, model.FeatureCount], shape);
        Assert.Equal(frames.SelectMany(f => model.Transform(f).Values).ToArray(), values);
        var expectedFile = Path.Combine(dir, "expected.nice");
        model.Save(expectedFile);
        Assert.Equal(File.ReadAllBytes(expectedFile), File.ReadAllBytes(contractions));

        var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "e.json"))).RootElement;
        Assert.Equal("nice", meta.GetProperty("representation").GetString());
        Assert.Equal("3", meta.GetProperty("nice").GetProperty("body_order").GetString());
        Assert.Equal(["order", "channel", "feature"], meta.GetProperty("properties").GetProperty("names").EnumerateArray().Select(e => e.GetString()));

        // Reuse: same options, the file is loaded (not refitted) and gives the same numbers on another input.
        string again = Path.Combine(dir, "again.npy");
        var reuse = Run(["featurize", RepoPaths.Example("ethanol.xyz"), "-o", again, "--representation", "nice", "--contractions", contractions, .. Small]);
        Assert.True(reuse.Code == 0, reuse.Err);
        Assert.Equal(values, NpyReader.ReadFile(again).Values);

        // A different spec is a one-line error naming the field.
        var bad = Run(["featurize", RepoPaths.Example("ethanol.xyz"), "-o", Path.Combine(dir, "bad.npy"), "--representation", "nice",
            "--contractions", contractions, .. Small.Select(a => a == "2" ? "3" : a)]);
        Assert.Equal(2, bad.Code);
        Assert.Contains("l_max: fitted 2, requested 3", bad.Err);
        Assert.Single(bad.Err.TrimEnd().Split('\n'));
        Assert.False(File.Exists(Path.Combine(dir, "bad.npy")));
    }

    [Fact]
    public void TensorReducedFitsOnATrainingFileAndWritesGradients()
    {
        var dir = RepoPaths.TempDirectory();
        string output = Path.Combine(dir, "si.npy");
        var (code, _, err) = Run(["featurize", RepoPaths.Example("ethanol.xyz"), "-o", output, "--representation", "tensor-reduced",
            "--species-rank", "4", "--seed", "3", "--fit-on", RepoPaths.Example("ethanol.xyz"), "--gradients", "positions,strain", "--purify", .. Small]);
        Assert.True(code == 0, err);
        var frames = ExtendedXyz.ReadFile(RepoPaths.Example("ethanol.xyz"));
        var parameters = SmallParameters(NiceSpeciesMode.TensorReduced, 4) with { Seed = 3, Purification = new NicePurification() };
        var model = NiceModel.Fit(frames, parameters, SpeciesList.From(frames));
        var (shape, values) = NpyReader.ReadFile(output);
        Assert.Equal([18L, model.FeatureCount], shape);
        Assert.Equal(0, model.FeatureCount % 4);
        Assert.Equal(frames.SelectMany(f => model.Transform(f).Values).ToArray(), values);
        var (gShape, g) = NpyReader.ReadFile(Path.Combine(dir, "si.gradients.npy"));
        Assert.Equal([18L, 3, model.FeatureCount], gShape);
        Assert.Equal(frames.SelectMany(f => model.Transform(f, GradientKinds.Positions).PositionGradients!).ToArray(), g);
        Assert.Equal([18L, 3, 3, model.FeatureCount], NpyReader.ReadFile(Path.Combine(dir, "si.strain-gradients.npy")).Shape);

        // The fitted (alchemical PCA) embedding.
        string fitted = Path.Combine(dir, "fitted.npy");
        var run = Run(["featurize", RepoPaths.Example("ethanol.xyz"), "-o", fitted, "--representation", "tensor-reduced",
            "--species-rank", "4", "--embedding", "fitted", .. Small]);
        Assert.True(run.Code == 0, run.Err);
        var fittedModel = NiceModel.Fit(frames, SmallParameters(NiceSpeciesMode.TensorReduced, 4) with { Embedding = SpeciesEmbeddingKind.Fitted }, SpeciesList.From(frames));
        Assert.Equal(frames.SelectMany(f => fittedModel.Transform(f).Values).ToArray(), NpyReader.ReadFile(fitted).Values);
    }

    [Theory]
    [InlineData("--expand", "abc", "--expand")]
    [InlineData("--keep", "0", "--keep")]
    [InlineData("--body-order", "0", "body-order")]
    [InlineData("--fit-on", "/nonexistent.xyz", "no such file")]
    [InlineData("--species-rank", "4", "applies to --representation tensor-reduced")]
    [InlineData("--max-lambda", "99", "max-lambda")]
    public void BadNiceOptionsExitWithCodeTwoAndOneLine(string option, string value, string expected)
    {
        var dir = RepoPaths.TempDirectory();
        var (code, _, err) = Run("featurize", RepoPaths.Example("ethanol.xyz"), "-o", Path.Combine(dir, "x.npy"), "--representation", "nice",
            "--l-max", "2", "--n-max", "2", option, value, "--quiet");
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.False(File.Exists(Path.Combine(dir, "x.npy")));
    }
}
