using System.Text;
using Specialized.Correlations.Nice;
using Specialized.Features;

namespace Specialized.Models;

/// <summary>
/// NICE and tensor-reduced representations in model files: the spec's kind is <c>nice</c> or
/// <c>tensor-reduced</c> (the <see cref="IFeatureCalculator.Name"/> of <see cref="NiceModel.CreateCalculator"/>),
/// its density hyperparameters and species are those of the fitted <see cref="NiceModel"/>, and its
/// <see cref="RepresentationSpec.Extension"/> is the <see cref="NiceModel.WriteTo"/> blob (parameters and every
/// fitted contraction). <see cref="RepresentationCatalog"/> rebuilds the calculator from that blob with
/// <see cref="NiceModel.ReadFrom"/> (plain calls, no reflection).
/// </summary>
public static class NiceRepresentation
{
    /// <summary>Spec kind of a per-species NICE model.</summary>
    public const string NiceKind = "nice";
    /// <summary>Spec kind of a tensor-reduced model.</summary>
    public const string TensorReducedKind = "tensor-reduced";

    /// <summary>True for the kinds handled here.</summary>
    public static bool Handles(string kind) => kind is NiceKind or TensorReducedKind;

    /// <summary>The spec kind of <paramref name="model"/>.</summary>
    public static string KindOf(NiceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Parameters.SpeciesMode == NiceSpeciesMode.TensorReduced ? TensorReducedKind : NiceKind;
    }

    /// <summary>The spec of a fitted NICE / tensor-reduced model (its contractions serialised into the extension).</summary>
    public static RepresentationSpec Spec(NiceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        byte[] blob;
        using (var stream = new MemoryStream())
        {
            using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true)) model.WriteTo(w);
            blob = stream.ToArray();
        }
        return new RepresentationSpec(KindOf(model), model.Parameters.Density, model.Species.AtomicNumbers.ToArray(), extension: blob);
    }

    /// <summary>
    /// Decodes the fitted model of <paramref name="spec"/>. Throws <see cref="ContractionFileException"/> when the
    /// blob is missing, corrupt or truncated, or describes another kind, density or species set than the spec.
    /// </summary>
    public static NiceModel Model(RepresentationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!Handles(spec.Kind)) throw new InvalidParameterException("representation", $"'{spec.Kind}' is not nice or tensor-reduced");
        if (spec.Extension.Length == 0)
            throw new ContractionFileException($"representation '{spec.Kind}' has no fitted contractions (empty extension)");
        NiceModel model;
        using (var reader = new BinaryReader(new MemoryStream(spec.Extension, writable: false), Encoding.UTF8))
        {
            model = NiceModel.ReadFrom(reader);
            if (reader.BaseStream.Position != reader.BaseStream.Length)
                throw new ContractionFileException($"representation '{spec.Kind}': {reader.BaseStream.Length - reader.BaseStream.Position} bytes after the NICE model data");
        }
        if (KindOf(model) != spec.Kind)
            throw new ContractionFileException($"representation '{spec.Kind}' carries {KindOf(model)} contractions");
        if (model.Parameters.Density != spec.Parameters)
            throw new ContractionFileException($"representation '{spec.Kind}': the contractions were fitted with other density hyperparameters than the spec's");
        if (!model.Species.AtomicNumbers.SequenceEqual(spec.Species))
            throw new ContractionFileException($"representation '{spec.Kind}': the contractions were fitted for species [{model.Species}], the spec has [{string.Join(",", spec.Species)}]");
        return model;
    }

    /// <summary>The invariant calculator (every body order) of the model in <paramref name="spec"/>.</summary>
    public static IFeatureCalculator CreateCalculator(RepresentationSpec spec) => Model(spec).CreateCalculator();
}
