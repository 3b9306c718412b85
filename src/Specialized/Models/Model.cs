using Specialized.Serialization;
using Specialized.Structures;

namespace Specialized.Models;

/// <summary>What a model predicts.</summary>
public enum ModelKind
{
    /// <summary>Energy (with forces, virial and stress from its gradients).</summary>
    Potential,
    /// <summary>Dipole moment (λ = 1 vector).</summary>
    Dipole,
    /// <summary>Polarizability (symmetric 3×3: λ = 0 + λ = 2).</summary>
    Polarizability,
}

/// <summary>
/// Predictions for one structure (null where the model does not predict the quantity). Conventions
/// (ASE/QUIP, <see cref="Potentials.PotentialResult"/>): forces F_k = −∂E/∂r_k flat [3k + d];
/// virial W_αβ = −∂E/∂ε_αβ row-major (energy units); stress σ = −W/V (energy/Å³, only for cells periodic
/// along all three axes); dipole (x, y, z); polarizability 3×3 row-major.
/// </summary>
public sealed class Prediction
{
    /// <summary>Total energy.</summary>
    public double? Energy { get; init; }
    /// <summary>Forces, 3 per atom.</summary>
    public double[]? Forces { get; init; }
    /// <summary>Virial, 9 values.</summary>
    public double[]? Virial { get; init; }
    /// <summary>Stress, 9 values.</summary>
    public double[]? Stress { get; init; }
    /// <summary>Dipole, 3 values.</summary>
    public double[]? Dipole { get; init; }
    /// <summary>Polarizability, 9 values.</summary>
    public double[]? Polarizability { get; init; }
}

/// <summary>
/// Free-form, ordered string metadata stored with a model: units (<c>energy_unit</c>, <c>length_unit</c>,
/// <c>tensor_unit</c>), training information (<c>training_file</c>, <c>training_structures</c>,
/// <c>alpha</c>, cross-validation errors, …). Keys are unique; insertion order is kept so files are reproducible.
/// </summary>
public sealed class ModelMetadata
{
    private readonly List<KeyValuePair<string, string>> _entries = [];

    /// <summary>Entries in insertion order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Entries => _entries;

    /// <summary>Value of <paramref name="key"/>, or null.</summary>
    public string? Get(string key)
    {
        foreach (var e in _entries)
            if (e.Key == key) return e.Value;
        return null;
    }

    /// <summary>Sets (replacing in place) or appends <paramref name="key"/>.</summary>
    public ModelMetadata Set(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        for (int k = 0; k < _entries.Count; k++)
            if (_entries[k].Key == key)
            {
                _entries[k] = new(key, value);
                return this;
            }
        _entries.Add(new(key, value));
        return this;
    }

    internal void WriteTo(BinaryWriter w)
    {
        w.Write(_entries.Count);
        foreach (var (k, v) in _entries)
        {
            w.Write(k);
            w.Write(v);
        }
    }

    internal static ModelMetadata ReadFrom(BinaryReader r)
    {
        int count = Binary.ReadCount(r, 1 << 16, "metadata entries");
        var m = new ModelMetadata();
        for (int k = 0; k < count; k++)
        {
            string key = Binary.ReadString(r, 1024), value = Binary.ReadString(r);
            if (key.Length == 0 || m.Get(key) is not null) throw new MalformedDataException($"metadata key '{key}' is empty or repeated");
            m.Set(key, value);
        }
        return m;
    }
}

/// <summary>
/// A fitted model: representation spec(s), fitted representation data, regression weights, baselines,
/// units and training metadata. Load one with <see cref="Load"/>, predict with <see cref="Predict(Structure)"/>.
/// Prediction uses plain calls through <see cref="Features.IFeatureCalculator"/> (no reflection), so it is
/// AOT-safe; a generated kernel can be substituted for the generic calculator (see <see cref="RepresentationFactory"/>).
/// </summary>
public abstract class Model
{
    private protected Model(ModelKind kind, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        Kind = kind;
        Metadata = metadata;
    }

    /// <summary>What the model predicts.</summary>
    public ModelKind Kind { get; }
    /// <summary>Units and training metadata.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>Predicts for one structure.</summary>
    public abstract Prediction Predict(Structure structure);

    /// <summary>Predicts for many structures, <paramref name="threads"/> at a time (results in input order).</summary>
    public Prediction[] Predict(IReadOnlyList<Structure> structures, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(structures);
        if (threads < 1) throw new InvalidParameterException("threads", $"must be at least 1, got {threads}");
        var results = new Prediction[structures.Count];
        Parallelism.For(structures.Count, threads, k =>
        {
            try
            {
                results[k] = Predict(structures[k]);
            }
            catch (InvalidStructureException e)
            {
                throw new InvalidStructureException($"structure {k}: {e.Message}");
            }
        });
        return results;
    }

    /// <summary>Writes the model atomically (temporary file + rename); see <see cref="ModelFile"/>.</summary>
    public void Save(string path) => ModelFile.Write(path, this);

    /// <summary>
    /// Loads a model file. <paramref name="factory"/>, when given, creates the representation calculators
    /// (e.g. a generated kernel); otherwise <see cref="RepresentationCatalog"/> does. Throws
    /// <see cref="ModelFileException"/> for unreadable, corrupt, truncated or mismatched files.
    /// </summary>
    public static Model Load(string path, RepresentationFactory? factory = null) => ModelFile.Read(path, factory);

    /// <summary>Writes the model's sections into the payload (called by <see cref="ModelFile"/>).</summary>
    internal abstract void WriteSections(SectionWriter writer);
}
