using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Features;
using Specialized.Tests.Support;

namespace Specialized.Tests.Nice;

/// <summary>Contraction files: determinism, round trips, spec checks, corruption.</summary>
public class NicePersistenceTests
{
    private static readonly SpeciesList Species = new([1, 6, 8]);

    private static NiceModel Fit(NiceSpeciesMode mode) =>
        NiceModel.Fit(NiceEquivarianceTests.Training(), NiceEquivarianceTests.Fitted(mode), Species);

    [Theory]
    [InlineData(NiceSpeciesMode.PerSpecies)]
    [InlineData(NiceSpeciesMode.TensorReduced)]
    public void SameDataAndSeedGiveBitIdenticalFiles(NiceSpeciesMode mode)
    {
        var dir = RepoPaths.TempDirectory();
        string a = Path.Combine(dir, "a.nice"), b = Path.Combine(dir, "b.nice"), c = Path.Combine(dir, "c.nice");
        Fit(mode).Save(a);
        Fit(mode).Save(b);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        NiceModel.Load(a).Save(c);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(c));
        Assert.Equal(["a.nice", "b.nice", "c.nice"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        if (mode == NiceSpeciesMode.TensorReduced)
        {
            var other = NiceEquivarianceTests.Fitted(mode) with { Seed = 6 };
            NiceModel.Fit(NiceEquivarianceTests.Training(), other, Species).Save(c);
            Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(c));
        }
    }

    [Fact]
    public void LoadedModelGivesBitIdenticalFeaturesAndGradients()
    {
        var model = Fit(NiceSpeciesMode.PerSpecies);
        var path = Path.Combine(RepoPaths.TempDirectory(), "m.nice");
        model.Save(path);
        var loaded = NiceModel.Load(path, model.Parameters, Species);
        var s = TestStructures.Cluster(77, 7, [1, 6, 8]);
        var x = model.Transform(s, GradientKinds.Positions);
        var y = loaded.Transform(s, GradientKinds.Positions);
        Assert.Equal(x.Values, y.Values);
        Assert.Equal(x.PositionGradients, y.PositionGradients);
        Assert.Equal(model.Summary(), loaded.Summary());
    }

    [Fact]
    public void WriteToReadFromRoundTripsInsideALargerStream()
    {
        var model = Fit(NiceSpeciesMode.TensorReduced);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write("header of an enclosing model file");
            model.WriteTo(w);
            w.Write(12345);
        }
        ms.Position = 0;
        using var r = new BinaryReader(ms);
        Assert.Equal("header of an enclosing model file", r.ReadString());
        var copy = NiceModel.ReadFrom(r);
        Assert.Equal(12345, r.ReadInt32());
        var s = TestStructures.Cluster(78, 7, [1, 6, 8]);
        Assert.Equal(model.Transform(s).Values, copy.Transform(s).Values);
        var eq = model.CreateEquivariantCalculator(1, 1);
        var eqCopy = copy.CreateEquivariantCalculator(1, 1);
        Assert.Equal(new FeatureComputer(eq).Compute(s).Values, new FeatureComputer(eqCopy).Compute(s).Values);
    }

    [Fact]
    public void LoadingIntoADifferentSpecNamesTheDifference()
    {
        var model = Fit(NiceSpeciesMode.PerSpecies);
        var path = Path.Combine(RepoPaths.TempDirectory(), "m.nice");
        model.Save(path);
        var p = model.Parameters;
        var e = Assert.Throws<ContractionFileException>(() => NiceModel.Load(path, p with { Density = p.Density with { LMax = 4 } }, Species));
        Assert.Contains("l_max: fitted 3, requested 4", e.Message);
        Assert.Contains(path, e.Message);
        e = Assert.Throws<ContractionFileException>(() => NiceModel.Load(path, p, new SpeciesList([1, 8])));
        Assert.Contains("species: fitted [1,6,8], requested [1,8]", e.Message);
        e = Assert.Throws<ContractionFileException>(() => NiceModel.Load(path, p with { BodyOrder = 4 }, Species));
        Assert.Contains("body_order", e.Message);
        e = Assert.Throws<ContractionFileException>(() => NiceModel.Load(path, p with { Steps = [new NiceStep(61, 10, 80, 16)] }, Species));
        Assert.Contains("step_2: fitted expand 60/80, keep 10/16, requested expand 61/80, keep 10/16", e.Message);
        e = Assert.Throws<ContractionFileException>(() => NiceModel.Load(path, p with { SpeciesMode = NiceSpeciesMode.TensorReduced }, Species));
        Assert.Contains("species_mode", e.Message);
        Assert.Null(model.SpecDifference(p, Species));
    }

    [Fact]
    public void CorruptTruncatedAndForeignFilesAreRejected()
    {
        var dir = RepoPaths.TempDirectory();
        var path = Path.Combine(dir, "m.nice");
        Fit(NiceSpeciesMode.PerSpecies).Save(path);
        var bytes = File.ReadAllBytes(path);

        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, flipped);
        Assert.Contains("checksum", Assert.Throws<ContractionFileException>(() => NiceModel.Load(path)).Message);

        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 100).ToArray());
        Assert.Contains("truncated", Assert.Throws<ContractionFileException>(() => NiceModel.Load(path)).Message);

        File.WriteAllText(path, "Lattice=\"1 0 0 0 1 0 0 0 1\"\n");
        Assert.Contains("not a contraction file", Assert.Throws<ContractionFileException>(() => NiceModel.Load(path)).Message);

        Assert.Contains("cannot read", Assert.Throws<ContractionFileException>(() => NiceModel.Load(Path.Combine(dir, "missing.nice"))).Message);

        // A blob cut short inside ReadFrom.
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) Fit(NiceSpeciesMode.PerSpecies).WriteTo(w);
        var blob = ms.ToArray();
        using var r = new BinaryReader(new MemoryStream(blob.AsSpan(0, blob.Length / 3).ToArray()));
        Assert.Throws<ContractionFileException>(() => NiceModel.ReadFrom(r));
    }

    [Fact]
    public void MissingEquivariantBlockIsAClearError()
    {
        var p = NiceEquivarianceTests.Fitted(NiceSpeciesMode.PerSpecies) with { CovariantsAtLastOrder = false };
        var model = NiceModel.Fit(NiceEquivarianceTests.Training(), p, Species);
        Assert.Equal(2, model.CovariantOrder);
        Assert.Equal(3, model.CreateEquivariantCalculator(1, 1).ComponentCount);
        var e = Assert.Throws<InvalidParameterException>(() => model.CreateEquivariantCalculator(5, 1));
        Assert.Contains("no (λ=5, σ=+1) block at body order 2", e.Message);
    }
}
