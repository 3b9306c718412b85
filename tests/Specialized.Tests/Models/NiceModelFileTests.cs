using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Models;
using Specialized.Models.Regression;
using Specialized.Serialization;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Models;

/// <summary>Potentials on NICE / tensor-reduced invariants in model files (contractions in the spec's extension).</summary>
public class NiceModelFileTests
{
    private static readonly SoapParameters Small = new() { Cutoff = 3.5, CutoffWidth = 0.5, RadialCount = 3, LMax = 2, DensityWidth = 0.4 };

    private static List<Structure> Training()
    {
        var list = new List<Structure>();
        for (int k = 0; k < 8; k++)
        {
            var s = TestStructures.Cluster(40 + k, 4 + k % 3, [1, 8, 6]);
            s.Info["energy"] = InfoValue.Real(-10.0 - k + 0.3 * Math.Sin(k));
            s.Arrays["forces"] = AtomProperty.Real(3, Enumerable.Range(0, 3 * s.AtomCount).Select(i => Math.Sin(i + k)).ToArray());
            list.Add(s);
        }
        return list;
    }

    private static NiceParameters Parameters(NiceSpeciesMode mode) => new()
    {
        Density = Small,
        BodyOrder = 3,
        Steps = [new NiceStep(30, 8, 40, 12)],
        SpeciesMode = mode,
        SpeciesRank = 3,
        Seed = 4,
    };

    private static (PotentialModel Model, NiceModel Nice) Fit(NiceSpeciesMode mode)
    {
        var data = Training();
        var nice = NiceModel.Fit(data, Parameters(mode), SpeciesList.From(data));
        var spec = NiceRepresentation.Spec(nice);
        var options = new PotentialFitOptions { Ridge = new RidgeOptions { Alphas = [1e-6, 1e-3], Folds = 2 } };
        return (PotentialTrainer.Fit(spec, data, options).Model, nice);
    }

    [Theory]
    [InlineData(NiceSpeciesMode.PerSpecies, "nice")]
    [InlineData(NiceSpeciesMode.TensorReduced, "tensor-reduced")]
    public void NicePotentialRoundTripsBitIdentically(NiceSpeciesMode mode, string kind)
    {
        var (model, nice) = Fit(mode);
        Assert.Equal(kind, model.Representation!.Kind);
        Assert.Equal(nice.FeatureCount, model.Calculator.FeatureCount);
        var dir = RepoPaths.TempDirectory();
        string path = Path.Combine(dir, "nice.spz"), again = Path.Combine(dir, "again.spz");
        model.Save(path);
        var loaded = Assert.IsType<PotentialModel>(Model.Load(path));
        Assert.Equal(kind, loaded.Representation!.Kind);
        Assert.Equal(model.Representation.Extension, loaded.Representation.Extension);
        loaded.Save(again);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
        foreach (var s in Training().Take(2).Append(TestStructures.Cluster(99, 6, [1, 6, 8])))
        {
            var a = model.Predict(s);
            var b = loaded.Predict(s);
            Assert.Equal(a.Energy, b.Energy);
            Assert.Equal(a.Forces, b.Forces);
        }
        // The model's forces are −∂E/∂r of its energy (central differences on one atom).
        var x = TestStructures.Cluster(98, 5, [1, 6, 8]);
        var forces = loaded.Predict(x).Forces!;
        const double h = 1e-5;
        for (int d = 0; d < 3; d++)
        {
            var plus = x.Clone();
            plus.Positions[d] += h;
            var minus = x.Clone();
            minus.Positions[d] -= h;
            double fd = -(loaded.PredictEnergy(plus) - loaded.PredictEnergy(minus)) / (2 * h);
            Assert.True(Math.Abs(fd - forces[d]) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"F[{d}] = {forces[d]} vs −dE/dr = {fd}");
        }
    }

    private static ModelFileException LoadBytes(byte[] bytes) =>
        Assert.Throws<ModelFileException>(() => ModelFile.FromBytes(bytes, "nice.spz"));

    /// <summary>A (consistently checksummed) model file whose NICE spec carries <paramref name="extension"/> and <paramref name="parameters"/>.</summary>
    private static byte[] WithExtension(PotentialModel model, string kind, SoapParameters parameters, byte[] extension)
    {
        var spec = new RepresentationSpec(kind, parameters, model.Representation!.Species, extension: extension);
        var copy = new PotentialModel(spec, model.Calculator, model.Kernel, model.Readout, model.Metadata);
        return ModelFile.ToBytes(copy);
    }

    [Fact]
    public void CorruptOrMismatchedContractionsAreRejected()
    {
        var (model, _) = Fit(NiceSpeciesMode.PerSpecies);
        var blob = model.Representation!.Extension;
        var good = ModelFile.ToBytes(model);
        Assert.Equal(ModelKind.Potential, ModelFile.FromBytes(good, "nice.spz").Kind);

        // A bit flip anywhere in the file (including inside the blob) fails the file checksum.
        var flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x10;
        Assert.Equal(ModelFileError.ChecksumMismatch, LoadBytes(flipped).Error);

        // Checksummed files with a bad blob: truncated, bad magic, trailing bytes, empty, wrong kind, other density.
        var cases = new (string What, byte[] Bytes, string Expected)[]
        {
            ("truncated", WithExtension(model, "nice", Small, blob[..(blob.Length / 2)]), "truncated"),
            ("bad magic", WithExtension(model, "nice", Small, [(byte)'X', .. blob[1..]]), "bad magic"),
            ("trailing bytes", WithExtension(model, "nice", Small, [.. blob, 0, 0]), "after the NICE model data"),
            ("empty", WithExtension(model, "nice", Small, []), "no fitted contractions"),
            ("wrong kind", WithExtension(model, "tensor-reduced", Small, blob), "carries nice contractions"),
            ("other density", WithExtension(model, "nice", Small with { DensityWidth = 0.5 }, blob), "other density hyperparameters"),
        };
        foreach (var (what, bytes, expected) in cases)
        {
            var e = LoadBytes(bytes);
            Assert.True(e.Error == ModelFileError.Malformed, $"{what}: {e.Error} {e.Message}");
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
            Assert.Contains("nice.spz", e.Message, StringComparison.Ordinal);
        }
    }
}
