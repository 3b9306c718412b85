using BenchmarkDotNet.Attributes;
using Specialized.Angular;

namespace Specialized.Benchmarks;

/// <summary>
/// A provider of real spherical harmonics kernels (generic recursion, generated unrolled code, …).
/// Add generated kernels to <see cref="HarmonicsProviders.All"/> (one line each).
/// </summary>
public interface IHarmonicsProvider
{
    /// <summary>Name shown in the Kernel column.</summary>
    string Name { get; }

    /// <summary>A kernel for degree ≤ <paramref name="lMax"/>, or null when this provider has none.</summary>
    IHarmonicsKernel? TryCreate(int lMax);
}

/// <summary>Evaluates Y_lm (± gradients) at many points with its own loop (no per-point dispatch).</summary>
public interface IHarmonicsKernel
{
    /// <summary>Y_lm at every point (x, y, z) = points[3p..3p+3]; returns a checksum so the work cannot be elided.</summary>
    double Values(ReadOnlySpan<double> points);

    /// <summary>Y_lm and ∂Y_lm/∂v_d at every point; returns a checksum.</summary>
    double ValuesAndGradients(ReadOnlySpan<double> points);
}

/// <summary>The spherical-harmonics providers the suite runs.</summary>
public static class HarmonicsProviders
{
    /// <summary>All providers.</summary>
    public static readonly IHarmonicsProvider[] All =
    [
        new GenericHarmonicsProvider(),
        new GeneratedHarmonicsProvider(),
    ];

    /// <summary>The provider called <paramref name="name"/>.</summary>
    public static IHarmonicsProvider Get(string name) =>
        All.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"no harmonics provider '{name}'", nameof(name));
}

/// <summary><see cref="SphericalHarmonics"/> (runtime recursion, MATH §2.2).</summary>
public sealed class GenericHarmonicsProvider : IHarmonicsProvider
{
    /// <inheritdoc/>
    public string Name => "generic";

    /// <inheritdoc/>
    public IHarmonicsKernel? TryCreate(int lMax) => new Kernel(lMax);

    private sealed class Kernel(int lMax) : IHarmonicsKernel
    {
        private readonly double[] _values = new double[SphericalHarmonics.Count(lMax)];
        private readonly double[] _gradients = new double[3 * SphericalHarmonics.Count(lMax)];

        public double Values(ReadOnlySpan<double> points)
        {
            double sum = 0;
            for (int p = 0; p < points.Length; p += 3)
            {
                SphericalHarmonics.Compute(lMax, points[p], points[p + 1], points[p + 2], _values);
                sum += _values[^1];
            }
            return sum;
        }

        public double ValuesAndGradients(ReadOnlySpan<double> points)
        {
            double sum = 0;
            for (int p = 0; p < points.Length; p += 3)
            {
                SphericalHarmonics.ComputeWithGradients(lMax, points[p], points[p + 1], points[p + 2], _values, _gradients);
                sum += _values[^1] + _gradients[^1];
            }
            return sum;
        }
    }
}

/// <summary>
/// Real spherical harmonics at l_max 4, 8, 12, with and without gradients, reported per point
/// (sphericart's figure at l_max 8: 94 ns/point, 236 ns/point with gradients). Points: 4,096 random
/// directions with lengths in [0.5, 5) Å (fixed seed), the shape of one structure's pair vectors.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchConfig))]
public class SphericalHarmonicsBenchmarks : ISupportAware
{
    /// <summary>Points per operation; the reported time is per point.</summary>
    public const int Points = 4096;

    private double[] _points = [];
    private IHarmonicsKernel? _kernel;

    /// <summary>Provider name.</summary>
    [ParamsSource(nameof(KernelNames))]
    public string Kernel { get; set; } = "generic";

    /// <summary>Largest degree.</summary>
    [Params(4, 8, 12)]
    public int LMax { get; set; } = 8;

    /// <summary>Values of <see cref="Kernel"/>.</summary>
    public static IEnumerable<string> KernelNames => HarmonicsProviders.All.Select(p => p.Name);

    /// <inheritdoc/>
    public bool IsSupported() => HarmonicsProviders.Get(Kernel).TryCreate(LMax) is not null;

    /// <summary>Draws the points and creates the kernel.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2023);
        _points = new double[3 * Points];
        for (int p = 0; p < Points; p++)
        {
            double x, y, z, r2;
            do
            {
                x = 2 * random.NextDouble() - 1;
                y = 2 * random.NextDouble() - 1;
                z = 2 * random.NextDouble() - 1;
                r2 = x * x + y * y + z * z;
            } while (r2 > 1 || r2 < 1e-4);
            double length = (0.5 + 4.5 * random.NextDouble()) / Math.Sqrt(r2);
            _points[3 * p] = x * length;
            _points[3 * p + 1] = y * length;
            _points[3 * p + 2] = z * length;
        }
        _kernel = HarmonicsProviders.Get(Kernel).TryCreate(LMax) ?? throw new NotSupportedException($"{Kernel} has no l_max {LMax} kernel");
    }

    /// <summary>Values only.</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public double Values() => _kernel!.Values(_points);

    /// <summary>Values and Cartesian gradients.</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public double ValuesAndGradients() => _kernel!.ValuesAndGradients(_points);
}
