using Specialized.Features;
using Specialized.Kernels;
using Specialized.Structures;

namespace Specialized.Benchmarks;

/// <summary>A kernel provider whose kernels run on one thread only (cases with more threads are filtered out).</summary>
public interface ISingleThreadedProvider;

/// <summary>
/// A generated NICE / tensor-reduced kernel <typeparamref name="TRep"/> run by <see cref="NiceDescriptor{TRep}"/> on the
/// benchmark's fitted contractions: supports a nice / tensor-reduced spec whose parameters have the generated shape
/// (l_max, n_max, body order ν, λ_max, species rank K) and species list; the contractions themselves are run-time data.
/// Single-threaded (one descriptor): cases with more threads are filtered out. Name "generated:&lt;type&gt;".
/// </summary>
public sealed class GeneratedNiceProvider<TRep>(string typeName) : IKernelProvider, ISingleThreadedProvider where TRep : struct, INiceKernel<TRep>
{
    /// <inheritdoc/>
    public string Name { get; } = "generated:" + typeName;

    /// <inheritdoc/>
    public bool Supports(FeaturizationSpec spec)
    {
        if (spec.Nice is not { Parameters: var p }) return false;
        var s = TRep.Spec;
        bool reduced = p.SpeciesMode == Correlations.Nice.NiceSpeciesMode.TensorReduced;
        return spec.Representation == (reduced ? "tensor-reduced" : "nice")
            && p.Density.LMax == s.LMax && p.Density.RadialCount == s.NMax && p.BodyOrder == s.BodyOrder && p.LambdaCap == TRep.MaxLambda
            && (reduced ? p.SpeciesRank : 0) == s.SpeciesRank
            && (s.AtomicNumbers.Length > 0 ? s.AtomicNumbers.SequenceEqual(spec.Species.AtomicNumbers) : s.SpeciesCount == spec.Species.Count);
    }

    /// <inheritdoc/>
    public IStructureKernel? TryCreate(FeaturizationSpec spec, int threads)
    {
        if (threads != 1 || !Supports(spec)) return null;
        var model = spec.Nice!.Model(spec.Species);
        return NiceDescriptor<TRep>.Mismatch(model) is null ? new Kernel(new NiceDescriptor<TRep>(model)) : null;
    }

    /// <summary>The generated kernel through its descriptor.</summary>
    private sealed class Kernel(NiceDescriptor<TRep> descriptor) : ResultReusingKernel
    {
        public override int FeatureCount => descriptor.FeatureCount;

        protected override void Compute(Structure frame, FeatureResult result) =>
            descriptor.Compute(frame, result.Values, result.PositionGradients, result.StrainGradients, result.CellGradients);
    }
}
