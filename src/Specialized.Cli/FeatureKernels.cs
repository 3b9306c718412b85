using Specialized.Density;
using Specialized.Features;
using Specialized.Structures;

namespace Specialized.Cli;

/// <summary>
/// The implementation that computes a <see cref="FeatureRequest"/>: a generated kernel shipped with
/// the CLI when one was generated for exactly the requested spec (name "generated:&lt;type&gt;"),
/// otherwise the generic runtime path (name "generic"). Both produce the columns and layouts of
/// <see cref="Calculator"/>, the generic calculator of the request.
/// </summary>
internal sealed class FeatureKernel(string name, IFeatureCalculator calculator, Action<Structure, FeatureResult> compute)
{
    /// <summary>Results kept for reuse stay below this many doubles in total (256 MiB), besides the newest.</summary>
    private const long CacheDoubles = 32L << 20;

    private readonly Dictionary<(int Atoms, GradientKinds Kinds), FeatureResult> _results = [];
    private long _cachedDoubles;

    /// <summary>"generic" or "generated:&lt;type name&gt;".</summary>
    public string Name { get; } = name;

    /// <summary>The generic calculator of the request (feature count, labels).</summary>
    public IFeatureCalculator Calculator { get; } = calculator;

    /// <summary>
    /// Features (and requested gradients) of every atom of one structure, in a result reused for
    /// every structure with the same atom count: valid until the next call.
    /// </summary>
    public FeatureResult Compute(Structure structure, GradientKinds gradients)
    {
        var key = (structure.AtomCount, gradients);
        if (!_results.TryGetValue(key, out var result))
        {
            result = new FeatureResult(structure.AtomCount, Calculator.FeatureCount, gradients);
            long size = Size(result);
            if (_cachedDoubles + size > CacheDoubles)
            {
                _results.Clear();
                _cachedDoubles = 0;
            }
            _results[key] = result;
            _cachedDoubles += size;
        }
        compute(structure, result);
        return result;
    }

    private static long Size(FeatureResult r) =>
        (long)r.Values.Length + (r.PositionGradients?.Length ?? 0) + (r.StrainGradients?.Length ?? 0) + (r.CellGradients?.Length ?? 0);
}

/// <summary>Chooses the <see cref="FeatureKernel"/> of a request.</summary>
internal static class FeatureKernels
{
    /// <summary>
    /// Generated kernels shipped with the CLI, tried in order: each returns a kernel named
    /// "generated:&lt;type&gt;" when the request (representation, every hyperparameter, species, λ/σ)
    /// equals the spec its type was generated for, else null. Empty until the source generator lands;
    /// each entry will wrap one generated descriptor type and its runtime driver.
    /// </summary>
    private static readonly Func<FeatureRequest, SpeciesList, IFeatureCalculator, FeatureKernel?>[] s_generated = [];

    /// <summary>The kernel for <paramref name="request"/> with channels <paramref name="species"/>.</summary>
    public static FeatureKernel Select(FeatureRequest request, SpeciesList species)
    {
        var calculator = request.CreateCalculator(species);
        foreach (var generated in s_generated)
            if (generated(request, species, calculator) is { } kernel) return kernel;
        return Generic(calculator, request.Threads);
    }

    /// <summary>The generic path for any calculator (NICE and tensor-reduced always run here).</summary>
    public static FeatureKernel Generic(IFeatureCalculator calculator, int threads)
    {
        var computer = new FeatureComputer(calculator, threads);
        return new FeatureKernel("generic", calculator, computer.Compute);
    }
}
