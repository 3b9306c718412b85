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

    /// <summary>Computes into one reused <see cref="FeatureResult"/> per (atom count, gradients), as the generic provider.</summary>
    private sealed class Kernel(Descriptor<TRep> descriptor) : IStructureKernel
    {
        private readonly Dictionary<(int, GradientKinds), FeatureResult> _results = [];

        public int FeatureCount => TRep.FeatureCount;

        public double Run(Structure[] frames, GradientKinds gradients)
        {
            double sum = 0;
            foreach (var frame in frames)
            {
                if (!_results.TryGetValue((frame.AtomCount, gradients), out var r))
                    _results[(frame.AtomCount, gradients)] = r = new FeatureResult(frame.AtomCount, FeatureCount, gradients);
                descriptor.Compute(frame, r.Values, r.PositionGradients, r.StrainGradients, r.CellGradients);
                sum += r.Values[^1];
            }
            return sum;
        }
    }
}

/// <summary>
/// The generated real spherical harmonics (unrolled, literal constants) of the kernels <see cref="Harmonics4"/>,
/// <see cref="Harmonics8"/> and <see cref="Harmonics12"/>, one point per call as the kernels use them.
/// </summary>
public sealed class GeneratedHarmonicsProvider : IHarmonicsProvider
{
    /// <inheritdoc/>
    public string Name => "generated";

    /// <inheritdoc/>
    public IHarmonicsKernel? TryCreate(int lMax) => lMax switch
    {
        4 => new Kernel<Harmonics4>(),
        8 => new Kernel<Harmonics8>(),
        12 => new Kernel<Harmonics12>(),
        _ => null,
    };

    private sealed class Kernel<T> : IHarmonicsKernel where T : struct, IPointHarmonics
    {
        private readonly double[] _values = new double[T.Count];
        private readonly double[] _gradients = new double[3 * T.Count];

        public double Values(ReadOnlySpan<double> points)
        {
            double sum = 0;
            for (int p = 0; p < points.Length; p += 3)
            {
                T.Evaluate(points[p], points[p + 1], points[p + 2], _values);
                sum += _values[^1];
            }
            return sum;
        }

        public double ValuesAndGradients(ReadOnlySpan<double> points)
        {
            double sum = 0;
            for (int p = 0; p < points.Length; p += 3)
            {
                T.EvaluateWithGradients(points[p], points[p + 1], points[p + 2], _values, _gradients);
                sum += _values[^1] + _gradients[^1];
            }
            return sum;
        }
    }
}

/// <summary>One-point real spherical harmonics Y_lm(v/|v|), l ≤ l_max, index l² + l + m (and Cartesian gradients).</summary>
public interface IPointHarmonics
{
    /// <summary>(l_max + 1)².</summary>
    static abstract int Count { get; }

    /// <summary>Y_lm at v = (x, y, z).</summary>
    static abstract void Evaluate(double x, double y, double z, Span<double> ylm);

    /// <summary>Y_lm and ∂Y_lm/∂v at v = (x, y, z) (layout of the generated kernel).</summary>
    static abstract void EvaluateWithGradients(double x, double y, double z, Span<double> ylm, Span<double> dylm);
}

// Smallest specs whose generated code contains the harmonics of degree ≤ l_max; the partial parts below expose the
// generated private Harmonics / HarmonicsWithGradients (the kernels' own per-point code) to the suite.

/// <summary>Generated harmonics, l_max 4.</summary>
[Representation(LMax = 4, NMax = 1, BodyOrder = 1, SpeciesCount = 1, SphericalExpansion = true, Invariants = false)]
public partial struct Harmonics4 : IPointHarmonics
{
    /// <inheritdoc/>
    public static int Count => HarmonicsCount;
    /// <inheritdoc/>
    public static void Evaluate(double x, double y, double z, Span<double> ylm) => Harmonics(x, y, z, ylm);
    /// <inheritdoc/>
    public static void EvaluateWithGradients(double x, double y, double z, Span<double> ylm, Span<double> dylm) => HarmonicsWithGradients(x, y, z, ylm, dylm);
}

/// <summary>Generated harmonics, l_max 8.</summary>
[Representation(LMax = 8, NMax = 1, BodyOrder = 1, SpeciesCount = 1, SphericalExpansion = true, Invariants = false)]
public partial struct Harmonics8 : IPointHarmonics
{
    /// <inheritdoc/>
    public static int Count => HarmonicsCount;
    /// <inheritdoc/>
    public static void Evaluate(double x, double y, double z, Span<double> ylm) => Harmonics(x, y, z, ylm);
    /// <inheritdoc/>
    public static void EvaluateWithGradients(double x, double y, double z, Span<double> ylm, Span<double> dylm) => HarmonicsWithGradients(x, y, z, ylm, dylm);
}

/// <summary>Generated harmonics, l_max 12.</summary>
[Representation(LMax = 12, NMax = 1, BodyOrder = 1, SpeciesCount = 1, SphericalExpansion = true, Invariants = false)]
public partial struct Harmonics12 : IPointHarmonics
{
    /// <inheritdoc/>
    public static int Count => HarmonicsCount;
    /// <inheritdoc/>
    public static void Evaluate(double x, double y, double z, Span<double> ylm) => Harmonics(x, y, z, ylm);
    /// <inheritdoc/>
    public static void EvaluateWithGradients(double x, double y, double z, Span<double> ylm, Span<double> dylm) => HarmonicsWithGradients(x, y, z, ylm, dylm);
}
