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
        VectorMath.Scale(b, x, y);
        expected = (double[])y0.Clone();
        for (int k = 0; k < n; k++) expected[k] = b * x[k];
        Assert.Equal(expected, y);

        // plus += x and minus −= x in one pass: two rows, and one row passed as both (self-image pairs)
        y = (double[])y0.Clone();
        var w = Random(7, n + 3);
        var wExpected = (double[])w.Clone();
        VectorMath.AddSubtract(x, y, w);
        expected = (double[])y0.Clone();
        for (int k = 0; k < n; k++)
        {
            expected[k] += x[k];
            wExpected[k] -= x[k];
        }
        Assert.Equal(expected, y);
        Assert.Equal(wExpected, w);
        y = (double[])y0.Clone();
        VectorMath.AddSubtract(x, y, y);
        expected = (double[])y0.Clone();
        for (int k = 0; k < n; k++) expected[k] = expected[k] + x[k] - x[k];
        Assert.Equal(expected, y);

        y = (double[])y0.Clone();
        VectorMath.LinearCombination(a, x, b, z, y);
        expected = (double[])y0.Clone();
        for (int k = 0; k < n; k++) expected[k] = a * x[k] + b * z[k];
        Assert.Equal(expected, y);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 8, 8)]
    [InlineData(13, 8, 8)]
    [InlineData(5, 3, 7)]
    [InlineData(7, 9, 11)]
    [InlineData(0, 4, 4)]
    [InlineData(13, 8, 80)] // power-spectrum gradient: 2l + 1, N_l, species · N_l
    [InlineData(7, 5, 37)]  // every tile width, an odd row and a scalar tail
    public void OuterProductsEqualTheScalarTripleLoop(int count, int n1, int n2)
    {
        int xStride = n1 + 2, yStride = n2 + 3; // padded rows, as in the species-interleaved coefficient layout
        var x = Random(4, Math.Max(1, count * xStride));
        var y = Random(5, Math.Max(1, count * yStride));
        var output = Random(6, n1 * n2 + 2);
        double scale = -0.3779644730092272;
        var expected = (double[])output.Clone();
        for (int i = 0; i < n1; i++)
            for (int j = 0; j < n2; j++)
                for (int k = 0; k < count; k++) expected[i * n2 + j] += scale * x[k * xStride + i] * y[k * yStride + j];
        VectorMath.AccumulateOuterProducts(x, xStride, y, yStride, count, n1, n2, scale, output);
        Assert.Equal(expected, output);
    }

    [Fact]
    public void ShortDestinationsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorMath.Axpy(1, new double[5], new double[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorMath.LinearCombination(1, new double[5], 1, new double[5], new double[4]));
    }
}
