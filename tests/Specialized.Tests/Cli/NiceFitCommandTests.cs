using Specialized.Cli;
using Specialized.Correlations.Nice;
using Specialized.Models;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Cli;

/// <summary><c>specialized fit --representation nice|tensor-reduced</c>, then predict and evaluate with the saved model.</summary>
public class NiceFitCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static readonly string[] QuickFit = ["--cutoff", "4", "--n-max", "3", "--l-max", "2", "--alphas", "-10:-4:4", "--folds", "3"];

    [Theory]
    [InlineData("nice")]
    [InlineData("tensor-reduced")]
    public void FitPredictEvaluateWithNiceContractions(string representation)
    {
        var dir = RepoPaths.TempDirectory();
        string model = Path.Combine(dir, "si.spz");
        string[] extra = representation == "tensor-reduced" ? ["--species-rank", "2", "--seed", "7"] : [];
        var (code, stdout, err) = Run(["fit", RepoPaths.Example("silicon-sw-train.xyz"), "-o", model, "--representation", representation,
            "--body-order", "3", "--expand", "20/40", "--keep", "6/12", .. extra, .. QuickFit]);
        Assert.True(code == 0, err);
        Assert.Contains("chosen alpha", stdout);
        Assert.Contains("fit: fitted the contractions on the input", err);
        Assert.Contains($"{representation} ν_max=3", err);

        var loaded = Assert.IsType<PotentialModel>(Model.Load(model));
        Assert.Equal(representation, loaded.Representation!.Kind);
        var nice = NiceRepresentation.Model(loaded.Representation);
        Assert.Equal(3, nice.BodyOrder);
        Assert.Equal(new NiceStep(20, 6, 40, 12), nice.Parameters.StepFor(2));
        Assert.Equal(4.0, nice.Parameters.Density.Cutoff);
        Assert.Equal(3, nice.Parameters.Density.RadialCount);
        if (representation == "tensor-reduced")
        {
            Assert.Equal(2, nice.Channels);
            Assert.Equal(7, nice.Parameters.Seed);
        }
        Assert.Equal(nice.FeatureCount, loaded.Calculator.FeatureCount);

        // The contractions were fitted on the training frames: refitting them directly gives the same blob.
        var train = ExtendedXyz.ReadFile(RepoPaths.Example("silicon-sw-train.xyz"));
        Assert.Equal(NiceRepresentation.Spec(NiceModel.Fit(train, nice.Parameters, nice.Species)).Extension, loaded.Representation.Extension);

        string predicted = Path.Combine(dir, "pred.xyz");
        (code, _, err) = Run("predict", model, RepoPaths.Example("silicon-sw-test.xyz"), "-o", predicted, "--prefix", "pred_");
        Assert.True(code == 0, err);
        var frames = ExtendedXyz.ReadFile(predicted);
        var reference = ExtendedXyz.ReadFile(RepoPaths.Example("silicon-sw-test.xyz"));
        for (int k = 0; k < frames.Count; k++)
        {
            var p = loaded.Predict(reference[k]);
            Assert.Equal(p.Energy!.Value, frames[k].Info["pred_energy"].Reals![0]);
            Assert.Equal(p.Forces, frames[k].Arrays["pred_forces"].Reals);
        }

        (code, stdout, err) = Run("evaluate", model, RepoPaths.Example("silicon-sw-test.xyz"), "--plots", Path.Combine(dir, "nice-test"));
        Assert.True(code == 0, err);
        var forces = Evaluation.Evaluate(loaded, reference).Single(e => e.Name == "forces");
        Assert.True(forces.Rmse < 0.5 * forces.ReferenceStd, $"force RMSE {forces.Rmse} vs std {forces.ReferenceStd}: the NICE model learns");
    }

    [Fact]
    public void NiceOptionsAreValidated()
    {
        var dir = RepoPaths.TempDirectory();
        string train = RepoPaths.Example("silicon-sw-train.xyz"), model = Path.Combine(dir, "m.spz");
        var (code, _, err) = Run(["fit", train, "-o", model, "--representation", "nice", "--species-rank", "3", .. QuickFit]);
        Assert.Equal(2, code);
        Assert.Contains("--species-rank applies to --representation tensor-reduced only", err);
        (code, _, err) = Run(["fit", train, "-o", model, "--representation", "nice", "--keep", "0/3", .. QuickFit]);
        Assert.Equal(2, code);
        Assert.Contains("--keep", err);
        (code, _, err) = Run(["fit", train, "-o", model, "--body-order", "3", .. QuickFit]);
        Assert.Equal(2, code);
        Assert.Contains("--body-order", err);
        Assert.False(File.Exists(model));
    }
}
