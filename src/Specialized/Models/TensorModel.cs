using Specialized.Features;
using Specialized.Models.Kernels;
using Specialized.Serialization;
using Specialized.Structures;

namespace Specialized.Models;

/// <summary>
/// The symmetry-adapted kernel of a tensor block: the invariant representation that modulates the
/// kernel (its spec may be null for a bare calculator) and the fitted <see cref="EquivariantKernelMap"/>.
/// </summary>
/// <param name="ScalarRepresentation">Spec of the invariant representation.</param>
/// <param name="Scalar">The invariant calculator.</param>
/// <param name="Map">Sparse environments and projections.</param>
public sealed record TensorKernel(RepresentationSpec? ScalarRepresentation, IFeatureCalculator Scalar, EquivariantKernelMap Map);

/// <summary>
/// One λ block of a tensor model: an equivariant representation with 2λ+1 components — used directly,
/// or through the Nyström features of a symmetry-adapted kernel (<see cref="TensorKernel"/>) — and a
/// linear readout with weights shared across μ (MATH §8.3):
/// y^{(λ)}_μ(A) = Σ_{i∈A} Σ_q w_{c(i), q} Φ_{i, μ, q} (+ Σ_s N_s b_s for λ = 0 only).
/// </summary>
public sealed class TensorBlock
{
    /// <summary>Creates a block; the calculator must have 2λ+1 components.</summary>
    public TensorBlock(int lambda, RepresentationSpec? representation, IFeatureCalculator calculator, LinearReadout readout, TensorKernel? kernel = null)
    {
        ArgumentNullException.ThrowIfNull(calculator);
        ArgumentNullException.ThrowIfNull(readout);
        if (lambda < 0) throw new InvalidParameterException("lambda", $"must be ≥ 0, got {lambda}");
        if (calculator.ComponentCount != 2 * lambda + 1)
            throw new InvalidParameterException("representation", $"block λ={lambda} needs {2 * lambda + 1} components, '{calculator.Name}' has {calculator.ComponentCount}");
        Kernel = kernel;
        Features = kernel is null ? calculator : new EquivariantKernelCalculator(calculator, kernel.Scalar, kernel.Map);
        int properties = Features.FeatureCount / Features.ComponentCount;
        int channels = readout.SpeciesResolved ? calculator.Species.Count : 1;
        if (readout.ChannelCount != channels || readout.PropertyCount != properties)
            throw new InvalidParameterException("readout", $"has {readout.ChannelCount} × {readout.PropertyCount} weights, the block needs {channels} × {properties}");
        if (lambda > 0 && readout.Baselines.Length != 0)
            throw new InvalidParameterException("readout", $"a λ={lambda} block cannot have baselines (they would break equivariance)");
        if (readout.Baselines.Length != 0 && readout.Baselines.Length != calculator.Species.Count)
            throw new InvalidParameterException("readout", $"has {readout.Baselines.Length} baselines for {calculator.Species.Count} species");
        Lambda = lambda;
        Representation = representation;
        Calculator = calculator;
        Readout = readout;
        Signature = FeatureSignature.Compute(calculator);
        if (kernel is not null) ScalarSignature = FeatureSignature.Compute(kernel.Scalar);
    }

    /// <summary>The symmetry-adapted kernel, or null for a linear block.</summary>
    public TensorKernel? Kernel { get; }
    /// <summary>The features the readout acts on (the representation, or the kernel's Nyström features).</summary>
    public IFeatureCalculator Features { get; }
    /// <summary>Fingerprint of the kernel's invariant representation (null without a kernel).</summary>
    public byte[]? ScalarSignature { get; }

    /// <summary>λ of the block.</summary>
    public int Lambda { get; }
    /// <summary>The representation spec (null for a bare calculator; such models cannot be saved).</summary>
    public RepresentationSpec? Representation { get; }
    /// <summary>The representation calculator.</summary>
    public IFeatureCalculator Calculator { get; }
    /// <summary>Weights (and, for λ = 0, baselines).</summary>
    public LinearReadout Readout { get; }
    /// <summary>Fingerprint of the representation's output layout.</summary>
    public byte[] Signature { get; }

    /// <summary>The 2λ+1 spherical components predicted for <paramref name="structure"/>.</summary>
    public double[] Predict(Structure structure)
    {
        var sums = FeatureSums.Compute(Features, structure, Readout.SpeciesResolved, GradientKinds.None);
        var y = new double[2 * Lambda + 1];
        Readout.Apply(sums, 2 * Lambda + 1, y);
        return y;
    }
}

/// <summary>
/// A symmetry-adapted tensor model: a dipole (one λ = 1 block) or a polarizability (a λ = 0 block with
/// per-species baselines for −Tr α/√3 and a λ = 2 block for the symmetric traceless part), converted
/// to Cartesian form with <see cref="SphericalTensors"/>. With σ = +1 equivariant features the
/// predictions rotate exactly with the structure (R μ, R α Rᵀ) for any weights.
/// </summary>
public sealed class TensorModel : Model
{
    /// <summary>Creates a model; <paramref name="blocks"/> must match <paramref name="kind"/>.</summary>
    public TensorModel(ModelKind kind, IReadOnlyList<TensorBlock> blocks, ModelMetadata metadata) : base(kind, metadata)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        int[] expected = kind switch
        {
            ModelKind.Dipole => [1],
            ModelKind.Polarizability => [0, 2],
            _ => throw new InvalidParameterException("kind", $"{kind} is not a tensor model"),
        };
        if (!blocks.Select(b => b.Lambda).SequenceEqual(expected))
            throw new InvalidParameterException("blocks", $"a {kind} model needs blocks with λ = {string.Join(", ", expected)}");
        Blocks = [.. blocks];
    }

    /// <summary>The λ blocks in ascending λ.</summary>
    public IReadOnlyList<TensorBlock> Blocks { get; }

    /// <summary>Dipole (x, y, z) or polarizability (3×3 row-major), depending on <see cref="Model.Kind"/>.</summary>
    public override Prediction Predict(Structure structure)
    {
        ArgumentNullException.ThrowIfNull(structure);
        if (Kind == ModelKind.Dipole)
        {
            var dipole = new double[3];
            SphericalTensors.SphericalToVector(Blocks[0].Predict(structure), dipole);
            return new Prediction { Dipole = dipole };
        }
        var alpha = new double[9];
        foreach (var block in Blocks) SphericalTensors.AddSphericalToMatrix(block.Predict(structure), block.Lambda, alpha);
        return new Prediction { Polarizability = alpha };
    }

    internal override void WriteSections(SectionWriter writer)
    {
        foreach (var b in Blocks)
            if (b.Representation is null || (b.Kernel is not null && b.Kernel.ScalarRepresentation is null))
                throw new InvalidParameterException("model", "a block was built from a calculator without a RepresentationSpec and cannot be saved");
        writer.Section(SectionTags.Model, w =>
        {
            w.Write(ModelFile.KindName(Kind));
            w.Write(Blocks.Count);
        });
        writer.Section(SectionTags.Metadata, Metadata.WriteTo);
        foreach (var b in Blocks)
        {
            writer.Section(SectionTags.Representation, w =>
            {
                b.Representation!.WriteTo(w);
                w.Write(b.Signature);
            });
            if (b.Kernel is { } kernel)
                writer.Section(SectionTags.EquivariantKernel, w =>
                {
                    kernel.ScalarRepresentation!.WriteTo(w);
                    w.Write(b.ScalarSignature!);
                    kernel.Map.WriteTo(w);
                });
            writer.Section(SectionTags.Readout, w =>
            {
                w.Write(b.Lambda);
                b.Readout.WriteTo(w);
            });
        }
    }
}
