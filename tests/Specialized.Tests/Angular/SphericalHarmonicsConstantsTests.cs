using Specialized.Angular;

namespace Specialized.Tests.Angular;

public class SphericalHarmonicsConstantsTests
{
    [Fact]
    public void PrefactorsMatchTheDirectFormula()
    {
        // K_l^m = (−1)^m √((2l+1)/(2π) (l−m)!/(l+m)!) (m > 0), √((2l+1)/(4π)) (m = 0); small l in plain doubles.
        for (int l = 0; l <= 20; l++)
        {
            for (int m = 0; m <= l; m++)
            {
                double ratio = 1.0;
                for (int k = l - m + 1; k <= l + m; k++) ratio /= k;
                double expected = ((m & 1) == 0 ? 1 : -1) * Math.Sqrt((2 * l + 1) / (2 * Math.PI) * ratio) / (m == 0 ? Math.Sqrt(2) : 1);
                double actual = SphericalHarmonicsConstants.Prefactor(l, m);
                Assert.True(Math.Abs(actual - expected) <= 4e-16 * Math.Abs(expected) * (1 + m), $"l {l} m {m}: {actual:R} vs {expected:R}");
            }
        }
        // Correctly rounded: K_0^0 = 1/√(4π) = 0.28209479177387814347…
        Assert.Equal(0.28209479177387814, SphericalHarmonicsConstants.Prefactor(0, 0));
        // Large l stays finite and positive-definite in magnitude (no factorial overflow).
        double big = SphericalHarmonicsConstants.Prefactor(100, 100);
        Assert.True(big > 0 && big < 1e-150);
    }

    [Fact]
    public void RecursionCoefficientsAreTheExactRationals()
    {
        for (int l = 2; l <= 40; l++)
            for (int m = 0; m <= l - 2; m++)
            {
                Assert.Equal(-2.0 * (m + 1) / ((l + m + 1) * (l - m)), SphericalHarmonicsConstants.RecursionA(l, m));
                Assert.Equal(-1.0 / ((l + m + 1) * (l - m)), SphericalHarmonicsConstants.RecursionB(l, m));
            }
        var a = SphericalHarmonicsConstants.RecursionAs(5);
        Assert.Equal(SphericalHarmonicsConstants.TriangularCount(5), a.Length);
        Assert.Equal(SphericalHarmonicsConstants.RecursionA(5, 2), a[SphericalHarmonicsConstants.TriangularIndex(5, 2)]);
        Assert.Equal(0.0, a[SphericalHarmonicsConstants.TriangularIndex(5, 4)]);
        Assert.Equal(-9.0, SphericalHarmonicsConstants.Diagonal(5));
    }
}
