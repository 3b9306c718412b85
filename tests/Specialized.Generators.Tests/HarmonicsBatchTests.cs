using Specialized.Angular;
using Specialized.Generators.Tests.Specs;
using Specialized.Generators.Tests.Support;
using Xunit.Abstractions;

namespace Specialized.Generators.Tests;

/// <summary>
/// The generated public batched harmonics (structure of arrays, 4 points per SIMD block plus a padded tail) against the
/// runtime recursion <see cref="SphericalHarmonics"/> (the oracle), point by point, for batch sizes around the block size.
/// </summary>
public class HarmonicsBatchTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-12;

    public static TheoryData<int> Sizes => new() { 0, 1, 3, 4, 5, 7, 8, 33 };

    /// <summary>Random vectors with lengths in [0.3, 5), plus the poles and axis directions where the recursion is special.</summary>
    private static (double[] X, double[] Y, double[] Z) Points(int count)
    {
        var random = new Random(count + 17);
        var x = new double[count];
        var y = new double[count];
        var z = new double[count];
        double[][] special = [[0, 0, 2.5], [0, 0, -0.7], [1.2, 0, 0], [0, -3, 0]];
        for (int p = 0; p < count; p++)
        {
            if (p < special.Length && count > 4)
            {
                (x[p], y[p], z[p]) = (special[p][0], special[p][1], special[p][2]);
                continue;
            }
            double length = 0.3 + 4.7 * random.NextDouble();
            double a = 2 * random.NextDouble() - 1, b = 2 * random.NextDouble() - 1, c = 2 * random.NextDouble() - 1;
            double norm = Math.Sqrt(a * a + b * b + c * c) + 1e-3;
            (x[p], y[p], z[p]) = (a / norm * length, b / norm * length, c / norm * length);
        }
        return (x, y, z);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Values_MatchRuntimeRecursion(int count)
    {
        const int hc = DensityL8.HarmonicsCount;
        var (x, y, z) = Points(count);
        var ylm = new double[hc * count];
        DensityL8.Harmonics(x, y, z, ylm);
        var expected = new double[hc * count];
        var one = new double[hc];
        for (int p = 0; p < count; p++)
        {
            SphericalHarmonics.Compute(DensityL8.LMax, x[p], y[p], z[p], one);
            for (int i = 0; i < hc; i++) expected[i * count + p] = one[i];
        }
        if (count > 0) output.WriteLine($"P = {count}: worst relative difference {Close.Assert(expected, ylm, Tolerance, "Y_lm"):E2}");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Gradients_MatchRuntimeRecursion(int count)
    {
        const int hc = DensityL8.HarmonicsCount;
        var (x, y, z) = Points(count);
        var ylm = new double[hc * count];
        var dylm = new double[3 * hc * count];
        DensityL8.HarmonicsWithGradients(x, y, z, ylm, dylm);
        var expected = new double[hc * count];
        var expectedGradients = new double[3 * hc * count];
        var one = new double[hc];
        var oneGradients = new double[3 * hc];
        for (int p = 0; p < count; p++)
        {
            SphericalHarmonics.ComputeWithGradients(DensityL8.LMax, x[p], y[p], z[p], one, oneGradients);
            for (int i = 0; i < hc; i++) expected[i * count + p] = one[i];
            for (int i = 0; i < 3 * hc; i++) expectedGradients[i * count + p] = oneGradients[i];
        }
        if (count == 0) return;
        Close.Assert(expected, ylm, Tolerance, "Y_lm");
        output.WriteLine($"P = {count}: worst relative difference of ∇Y {Close.Assert(expectedGradients, dylm, Tolerance, "∇Y_lm"):E2}");
    }

    [Fact]
    public void BatchLeavesEntriesPastItsOutputAlone()
    {
        var (x, y, z) = Points(5);
        var ylm = new double[DensityL4.HarmonicsCount * 5 + 3];
        Array.Fill(ylm, 42.0);
        DensityL4.Harmonics(x, y, z, ylm);
        Assert.Equal([42.0, 42.0, 42.0], ylm[^3..]);
    }

    [Fact]
    public void MismatchedLengths_Throw()
    {
        var (x, y, z) = Points(4);
        Assert.Throws<ArgumentException>(() => DensityL4.Harmonics(x, y, z.AsSpan(0, 3), new double[DensityL4.HarmonicsCount * 4]));
        Assert.Throws<ArgumentException>(() => DensityL4.Harmonics(x, y, z, new double[DensityL4.HarmonicsCount * 4 - 1]));
        Assert.Throws<ArgumentException>(() => DensityL4.HarmonicsWithGradients(x, y, z, new double[DensityL4.HarmonicsCount * 4], new double[3 * DensityL4.HarmonicsCount * 4 - 1]));
    }
}
