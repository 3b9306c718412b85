using Specialized.Angular;
using Specialized.Features;
using Specialized.Kernels;
using Specialized.Structures;

namespace Specialized.Benchmarks;

/// <summary>
/// A generated kernel <typeparamref name="TRep"/> run by <see cref="Descriptor{TRep}"/>: supports exactly the spec it was
/// generated for (one output of the benchmark's representation, λ-SOAP block, l_max, n_max and species list), with the
/// benchmark's continuous hyperparameters as runtime parameters. Name "generated:&lt;type&gt;".
/// </summary>
public sealed class GeneratedKernelProvider<TRep>(string typeName) : IKernelProvider where TRep : struct, IRepresentationKernel<TRep>
{
    /// <inheritdoc/>
    public string Name { get; } = "generated:" + typeName;

    /// <inheritdoc/>
    public bool Supports(FeaturizationSpec spec)
    {
        var s = TRep.Spec;
        if (s.Outputs.Length != 1 || s.SpeciesRank != 0 || spec.Nice is not null) return false;
        var output = s.Outputs[0];
        if (Representation.Name(output.Kind) != spec.Representation) return false;
        if (output.Kind == RepresentationKind.LambdaSoap && (s.BodyOrder != 2 || output.Lambda != spec.Lambda || output.Sigma != spec.Sigma)) return false;
        return s.LMax == spec.Parameters.LMax && s.NMax == spec.Parameters.RadialCount
            && spec.Parameters.Basis == Radial.RadialBasisKind.Gto
            && (s.AtomicNumbers.Length > 0 ? s.AtomicNumbers.SequenceEqual(spec.Species.AtomicNumbers) : s.SpeciesCount == spec.Species.Count);
    }

    /// <inheritdoc/>
    public IStructureKernel? TryCreate(FeaturizationSpec spec, int threads) =>
        Supports(spec) ? new Kernel(new Descriptor<TRep>(spec.Parameters, spec.Species, threads)) : null;

    /// <summary>The generated kernel through its descriptor.</summary>
    private sealed class Kernel(Descriptor<TRep> descriptor) : ResultReusingKernel
    {
        public override int FeatureCount => TRep.FeatureCount;

        protected override void Compute(Structure frame, FeatureResult result) =>
            descriptor.Compute(frame, result.Values, result.PositionGradients, result.StrainGradients, result.CellGradients);
    }
}
