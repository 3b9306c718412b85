using Specialized.Kernels;

namespace Specialized.Benchmarks;

/// <summary>Generated kernels used only for their harmonics (l_max 4, 8, 12); the density parts are never run.</summary>
[Representation(LMax = 4, NMax = 1, BodyOrder = 1, SpeciesCount = 1, SphericalExpansion = true, Invariants = false)]
internal partial struct Harmonics4;

/// <inheritdoc cref="Harmonics4"/>
[Representation(LMax = 8, NMax = 1, BodyOrder = 1, SpeciesCount = 1, SphericalExpansion = true, Invariants = false)]
internal partial struct Harmonics8;

/// <inheritdoc cref="Harmonics4"/>
[Representation(LMax = 12, NMax = 1, BodyOrder = 1, SpeciesCount = 1, SphericalExpansion = true, Invariants = false)]
internal partial struct Harmonics12;

/// <summary>
/// The generated SIMD harmonics (<c>Harmonics(x, y, z, ylm)</c>, structure of arrays, 4 points per Vector256 block).
/// The suite's points are [p][3]; they are handed over in batches of <see cref="Batch"/> points, transposed into x, y, z
/// rows, so the [(l² + l + m)·P + p] output stays in the L1/L2 cache (the recommended use of the batch API).
/// </summary>
public sealed class GeneratedHarmonicsProvider : IHarmonicsProvider
{
    /// <summary>Points per call of the generated batch API.</summary>
    public const int Batch = 32;

    /// <inheritdoc/>
    public string Name => "generated";

    /// <inheritdoc/>
    public IHarmonicsKernel? TryCreate(int lMax) => lMax switch
    {
        4 => new Kernel(Harmonics4.HarmonicsCount, Harmonics4.Harmonics, Harmonics4.HarmonicsWithGradients),
        8 => new Kernel(Harmonics8.HarmonicsCount, Harmonics8.Harmonics, Harmonics8.HarmonicsWithGradients),
        12 => new Kernel(Harmonics12.HarmonicsCount, Harmonics12.Harmonics, Harmonics12.HarmonicsWithGradients),
        _ => null,
    };

    private delegate void ValuesBatch(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, Span<double> ylm);

    private delegate void GradientsBatch(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> z, Span<double> ylm, Span<double> dylm);

    /// <summary>One generated kernel's batch entry points; count = (l_max + 1)² harmonics per point.</summary>
    private sealed class Kernel(int count, ValuesBatch values, GradientsBatch gradients) : IHarmonicsKernel
    {
        private readonly int _count = count;
        private readonly double[] _x = new double[Batch], _y = new double[Batch], _z = new double[Batch];
        private readonly double[] _ylm = new double[count * Batch];
        private readonly double[] _dylm = new double[3 * count * Batch];

        private int Load(ReadOnlySpan<double> points, int p0)
        {
            int n = Math.Min(Batch, points.Length / 3 - p0);
            for (int k = 0; k < n; k++)
            {
                _x[k] = points[3 * (p0 + k)];
                _y[k] = points[3 * (p0 + k) + 1];
                _z[k] = points[3 * (p0 + k) + 2];
            }
            return n;
        }

        public double Values(ReadOnlySpan<double> points)
        {
            double sum = 0;
            for (int p0 = 0; p0 < points.Length / 3; p0 += Batch)
            {
                int n = Load(points, p0);
                values(_x.AsSpan(0, n), _y.AsSpan(0, n), _z.AsSpan(0, n), _ylm);
                sum += _ylm[_count * n - 1];
            }
            return sum;
        }

        public double ValuesAndGradients(ReadOnlySpan<double> points)
        {
            double sum = 0;
            for (int p0 = 0; p0 < points.Length / 3; p0 += Batch)
            {
                int n = Load(points, p0);
                gradients(_x.AsSpan(0, n), _y.AsSpan(0, n), _z.AsSpan(0, n), _ylm, _dylm);
                sum += _ylm[_count * n - 1] + _dylm[3 * _count * n - 1];
            }
            return sum;
        }
    }
}
