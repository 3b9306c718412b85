using Specialized.Numerics;

namespace Specialized.Tests.Numerics;

/// <summary>The SIMD kernels equal the plain scalar loops bit for bit, for every length (vector bulk and tail), and touch nothing beyond.</summary>
public class VectorMathTests
{
    private static double[] Random(int seed, int n)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1)];
    }

    public static TheoryData<int> Lengths() => [.. Enumerable.Range(0, 22)];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void KernelsEqualScalarLoops(int n)
    {
        var x = Random(1, n);
        var z = Random(2, n);
        var y0 = Random(3, n + 3); // three guard elements past the end
        double a = 0.7390851332151607, b = -1.4142135623730951;

        var y = (double[])y0.Clone();
        VectorMath.Axpy(a, x, y);
        var expected = (double[])y0.Clone();
        for (int k = 0; k < n; k++) expected[k] += a * x[k];
        Assert.Equal(expected, y);

        y = (double[])y0.Clone();
        VectorMath.Add(x, y);
        expected = (double[])y0.Clone();
        for (int k = 0; k < n; k++) expected[k] += x[k];
        Assert.Equal(expected, y);

        y = (double[])y0.Clone();
        VectorMath.Subtract(x, y);
        expected = (double[])y0.Clone();
        for (int k = 0; k < n; k++) expected[k] -= x[k];
        Assert.Equal(expected, y);

        y = (double[])y0.Clone();
        VectorMath.LinearCombination(a, x, b, z, y);
        expected = (double[])y0.Clone();
        for (int k = 0; k < n; k++) expected[k] = a * x[k] + b * z[k];
        Assert.Equal(expected, y);
    }

    [Fact]
    public void ShortDestinationsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorMath.Axpy(1, new double[5], new double[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorMath.LinearCombination(1, new double[5], 1, new double[5], new double[4]));
    }
}
