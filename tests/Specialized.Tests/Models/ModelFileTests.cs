using System.Buffers.Binary;
using System.Security.Cryptography;
using Specialized.Correlations;
using Specialized.Density;
using Specialized.Features;
using Specialized.Models;
using Specialized.Models.Kernels;
using Specialized.Models.Regression;
using Specialized.Serialization;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Models;

public class ModelFileTests
{
    private static readonly SoapParameters Small = new() { Cutoff = 3.5, CutoffWidth = 0.5, RadialCount = 3, LMax = 2, DensityWidth = 0.4 };

    private static List<Structure> Training()
    {
        var list = new List<Structure>();
        for (int k = 0; k < 6; k++)
        {
            var s = TestStructures.Cluster(k, 4 + k % 2, [1, 8, 6]);
            s.Info["energy"] = InfoValue.Real(-10.0 - k);
            s.Arrays["forces"] = AtomProperty.Real(3, Enumerable.Range(0, 3 * s.AtomCount).Select(i => Math.Sin(i + k)).ToArray());
            s.Info["mu"] = InfoValue.Real(0.1 * k, -0.2, 0.3 * Math.Cos(k));
            s.Info["alpha"] = InfoValue.Real(10 + k, 1, 0.5, 1, 12, 0.2 * k, 0.5, 0.2 * k, 11);
            list.Add(s);
        }
        return list;
    }

    public static TheoryData<string> Kinds() => ["ridge", "gpr", "dipole", "dipole-gpr", "polarizability", "polarizability-gpr"];

    private static Model Fit(string kind)
    {
        var data = Training();
        var species = SpeciesList.From(data);
        var ridge = new RidgeOptions { Alphas = [1e-6, 1e-3], Folds = 2 };
        switch (kind)
        {
            case "ridge":
            case "gpr":
                var spec = RepresentationSpec.For(RepresentationKind.PowerSpectrum, Small, species);
                var options = new PotentialFitOptions { Ridge = ridge, Kernel = kind == "gpr" ? new KernelOptions { SparsePoints = 5 } : null };
                var model = PotentialTrainer.Fit(spec, data, options).Model;
                model.Metadata.Set("energy_unit", "eV").Set("note", "ünïcødé ✓");
                return model;
            case "dipole":
                return TensorTrainer.FitDipole(BlockRepresentation.From(RepresentationSpec.For(RepresentationKind.LambdaSoap, Small, species, 1, 1)), data,
                    new TensorFitOptions { Key = "mu", Ridge = ridge }).Model;
            case "dipole-gpr":
                return TensorTrainer.FitDipole(BlockRepresentation.From(RepresentationSpec.For(RepresentationKind.LambdaSoap, Small, species, 1, 1)), data,
                    new TensorFitOptions { Key = "mu", Ridge = ridge, Kernel = new KernelOptions { SparsePoints = 4 } },
                    BlockRepresentation.From(RepresentationSpec.For(RepresentationKind.PowerSpectrum, Small, species))).Model;
            default:
                return TensorTrainer.FitPolarizability(BlockRepresentation.From(RepresentationSpec.For(RepresentationKind.PowerSpectrum, Small, species)),
                    BlockRepresentation.From(RepresentationSpec.For(RepresentationKind.LambdaSoap, Small, species, 2, 1)), data,
                    new TensorFitOptions { Key = "alpha", Ridge = ridge, Kernel = kind == "polarizability-gpr" ? new KernelOptions { SparsePoints = 4 } : null }).Model;
        }
    }

    private static readonly Dictionary<string, (Model Model, byte[] Bytes)> Cache = [];

    private static (Model Model, byte[] Bytes) Fitted(string kind)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(kind, out var entry))
            {
                var model = Fit(kind);
                Cache[kind] = entry = (model, ModelFile.ToBytes(model));
            }
            return entry;
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void RoundTripIsBitIdenticalAndPredictsTheSame(string kind)
    {
        var (model, bytes) = Fitted(kind);
        var dir = RepoPaths.TempDirectory();
        string path = Path.Combine(dir, "model.spz");
        model.Save(path);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        var loaded = Model.Load(path);
        Assert.Equal(model.Kind, loaded.Kind);
        Assert.Equal(model.Metadata.Entries, loaded.Metadata.Entries);
        string again = Path.Combine(dir, "again.spz");
        loaded.Save(again);
        Assert.Equal(bytes, File.ReadAllBytes(again));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        foreach (var s in Training().Take(3))
        {
            var a = model.Predict(s);
            var b = loaded.Predict(s);
            Assert.Equal(a.Energy, b.Energy);
            Assert.Equal(a.Forces, b.Forces);
            Assert.Equal(a.Dipole, b.Dipole);
            Assert.Equal(a.Polarizability, b.Polarizability);
        }
    }

    private static ModelFileException Load(byte[] bytes, RepresentationFactory? factory = null) =>
        Assert.Throws<ModelFileException>(() => ModelFile.FromBytes(bytes, "test.spz", factory));

    [Fact]
    public void CorruptFilesAreRejectedWithTheReason()
    {
        var (_, bytes) = Fitted("ridge");
        Assert.Equal(ModelFileError.NotAModelFile, Load("hello world, not a model"u8.ToArray()).Error);
        Assert.Equal(ModelFileError.Truncated, Load(bytes[..5]).Error);
        Assert.Equal(ModelFileError.Truncated, Load(bytes[..20]).Error);
        foreach (int cut in new[] { 24, bytes.Length / 2, bytes.Length - 1 })
            Assert.Equal(ModelFileError.Truncated, Load(bytes[..cut]).Error);
        Assert.Equal(ModelFileError.Malformed, Load([.. bytes, 0]).Error);

        // Every single-bit flip inside the payload or the checksum is detected.
        var rng = new Random(1);
        for (int trial = 0; trial < 40; trial++)
        {
            var copy = (byte[])bytes.Clone();
            int at = 24 + rng.Next(bytes.Length - 24);
            copy[at] ^= (byte)(1 << rng.Next(8));
            Assert.Equal(ModelFileError.ChecksumMismatch, Load(copy).Error);
        }

        var newer = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(newer.AsSpan(8), ModelFile.MajorVersion + 1);
        var e = Load(newer);
        Assert.Equal(ModelFileError.UnsupportedVersion, e.Error);
        Assert.Contains("test.spz", e.Message);
    }

    [Fact]
    public void AConsistentlyChecksummedButInvalidPayloadIsMalformed()
    {
        var (_, bytes) = Fitted("ridge");
        // Rename the first section tag and recompute the checksum: the container is intact, the content is not.
        var copy = (byte[])bytes.Clone();
        copy[24] = (byte)'X';
        Rehash(copy);
        Assert.Equal(ModelFileError.Malformed, Load(copy).Error);
        // Drop the last section (the readout) entirely.
        int last = LastSectionStart(bytes);
        var shorter = Container(bytes.AsSpan(24, last - 24).ToArray());
        var error = Load(shorter);
        Assert.Equal(ModelFileError.Malformed, error.Error);
        Assert.Contains("LINR", error.Message);
    }

    private static int LastSectionStart(byte[] bytes)
    {
        int pos = 24, end = bytes.Length - 32, last = pos;
        while (pos < end)
        {
            last = pos;
            pos += 12 + (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(pos + 4));
        }
        return last;
    }

    private static byte[] Container(byte[] payload)
    {
        var bytes = new byte[24 + payload.Length + 32];
        "SPZMODEL"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), ModelFile.MajorVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), (ulong)payload.Length);
        payload.CopyTo(bytes, 24);
        SHA256.HashData(payload, bytes.AsSpan(24 + payload.Length));
        return bytes;
    }

    private static void Rehash(byte[] bytes)
    {
        int length = bytes.Length - 56;
        SHA256.HashData(bytes.AsSpan(24, length), bytes.AsSpan(24 + length));
    }

    [Fact]
    public void AMismatchedRepresentationIsRejected()
    {
        var (_, bytes) = Fitted("ridge");
        // A factory producing a calculator with a different layout (more radial functions) for the spec.
        RepresentationFactory wrong = spec => new PowerSpectrumCalculator(spec.Parameters with { RadialCount = spec.Parameters.RadialCount + 1 }, spec.SpeciesList());
        Assert.Equal(ModelFileError.Mismatch, Load(bytes, wrong).Error);
        // The right one (e.g. a generated kernel would be passed the same way) is accepted.
        RepresentationFactory right = spec => new PowerSpectrumCalculator(spec.Parameters, spec.SpeciesList());
        Assert.Equal(ModelKind.Potential, ModelFile.FromBytes(bytes, "test.spz", right).Kind);

        var model = (PotentialModel)Fitted("ridge").Model;
        Assert.Throws<ModelMismatchException>(() => model.WithCalculator(new RadialSpectrumCalculator(Small, new SpeciesList([1, 6, 8]))));
        var same = model.WithCalculator(new PowerSpectrumCalculator(Small, new SpeciesList([1, 6, 8])));
        var s = Training()[0];
        Assert.Equal(model.Predict(s).Energy, same.Predict(s).Energy);
    }

    [Fact]
    public void UnregisteredRepresentationKindsAreReported()
    {
        // A model whose representation is a registered custom kind ("test-custom", carrying an extension blob)
        // loads only where that kind is available.
        var data = Training();
        var species = SpeciesList.From(data);
        byte[] blob = [1, 2, 3, 4, 5];
        var spec = new RepresentationSpec("test-custom-kind", Small, species.AtomicNumbers.ToArray(), extension: blob);
        var calculator = new PowerSpectrumCalculator(Small, species);
        var model = PotentialTrainer.Fit(spec, calculator, data, new PotentialFitOptions { Ridge = new RidgeOptions { Alphas = [1e-3] } }).Model;
        var bytes = ModelFile.ToBytes(model);
        var e = Load(bytes);
        Assert.Equal(ModelFileError.UnknownRepresentation, e.Error);
        Assert.Contains("test-custom-kind", e.Message);
        byte[]? seen = null;
        var loaded = ModelFile.FromBytes(bytes, "test.spz", s => { seen = s.Extension; return new PowerSpectrumCalculator(s.Parameters, s.SpeciesList()); });
        Assert.Equal(blob, seen);
        Assert.Equal(bytes, ModelFile.ToBytes(loaded));
    }

    [Fact]
    public void WritesAreAtomic()
    {
        var (model, bytes) = Fitted("dipole");
        var dir = RepoPaths.TempDirectory();
        string path = Path.Combine(dir, "model.spz");
        File.WriteAllText(path, "old content");
        model.Save(path);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir));
        // Writing into a missing directory fails without leaving anything behind.
        Assert.ThrowsAny<IOException>(() => model.Save(Path.Combine(dir, "missing", "model.spz")));
        Assert.Single(Directory.GetFiles(dir));
        var unreadable = Assert.Throws<ModelFileException>(() => Model.Load(Path.Combine(dir, "nope.spz")));
        Assert.Equal(ModelFileError.Unreadable, unreadable.Error);
    }
}
