using Specialized.Correlations;
using Specialized.Density;
using Specialized.Features;
using Specialized.Models;
using Specialized.Models.Potentials;
using Specialized.Models.Regression;
using Specialized.Tests.Support;

namespace Specialized.Tests.Models;

/// <summary>
/// A deployed app computes features with another engine (a generated kernel) and hands them to the model:
/// <see cref="PotentialModel.Predict(Specialized.Structures.Structure, FeatureResult)"/> must equal the model's own
/// prediction on the generic path.
/// </summary>
public class PrecomputedFeaturePredictionTests
{
    private static readonly SoapParameters Parameters = new() { Cutoff = 4.0, CutoffWidth = 0.5, DensityWidth = 0.4, RadialCount = 4, LMax = 3 };

    [Fact]
    public void PrecomputedFeaturesGiveTheModelsOwnPrediction()
    {
        var data = SiliconDataset.Generate(12, seed: 5, largeCellFraction: 0);
        var species = new SpeciesList([14]);
        var spec = RepresentationSpec.For(RepresentationKind.PowerSpectrum, Parameters, species);
        var model = PotentialTrainer.Fit(spec, data.Take(8).ToList(),
            new PotentialFitOptions { VirialKey = "virial", Ridge = new RidgeOptions { Alphas = [1e-6] } }).Model;
        var computer = new FeatureComputer(new PowerSpectrumCalculator(Parameters, species));
        foreach (var s in data.Skip(8))
        {
            var expected = model.Predict(s);
            var actual = model.Predict(s, computer.Compute(s, GradientKinds.Positions | GradientKinds.Strain));
            Assert.Equal(expected.Energy!.Value, actual.Energy!.Value, 1e-10 * Math.Abs(expected.Energy.Value));
            Featomic.AssertClose(expected.Forces, actual.Forces, 1e-10, "forces");
            Featomic.AssertClose(expected.Virial, actual.Virial, 1e-10, "virial");
            Featomic.AssertClose(expected.Stress, actual.Stress, 1e-10, "stress");
        }
    }

    [Fact]
    public void MismatchedOrAmbiguousFeaturesAreRejected()
    {
        var species = new SpeciesList([1, 8]);
        var calculator = new PowerSpectrumCalculator(Parameters, species);
        var spec = RepresentationSpec.For(RepresentationKind.PowerSpectrum, Parameters, species);
        var rng = new Random(2);
        int f = calculator.FeatureCount;
        var model = new PotentialModel(spec, calculator, null,
            new LinearReadout(true, 2, f, [.. Enumerable.Range(0, 2 * f).Select(_ => rng.NextDouble())], [0.1, 0.2]), new ModelMetadata());
        var water = TestStructures.Cluster(3, 6, [8, 1]);

        var small = new FeatureComputer(new PowerSpectrumCalculator(Parameters with { LMax = 2 }, species)).Compute(water);
        Assert.Throws<Specialized.Serialization.ModelMismatchException>(() => model.Predict(water, small));

        // energies need no gradients and work with species-resolved weights ...
        var values = new FeatureComputer(calculator).Compute(water);
        Assert.Equal(model.Predict(water).Energy!.Value, model.Predict(water, values).Energy!.Value, 1e-10);
        // ... but summed position gradients cannot be split by centre species
        var withForces = new FeatureComputer(calculator).Compute(water, GradientKinds.Positions);
        var e = Assert.Throws<InvalidParameterException>(() => model.Predict(water, withForces));
        Assert.Contains("species", e.Message);
    }
}
