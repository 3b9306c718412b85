using Specialized.Radial;
using Xunit.Abstractions;

namespace Specialized.Tests.Radial;

public class SplineTests(ITestOutputHelper output)
{
    private static (double Value, double Derivative, double Scale) MaxErrors(IRadialIntegral exact, IRadialIntegral spline, int samples, int seed)
    {
        var random = new Random(seed);
        int total = exact.TotalCount;
        double[] ev = new double[total], ed = new double[total], sv = new double[total], sd = new double[total];
        double maxValue = 0, maxDerivative = 0, scale = 0, dScale = 0;
        for (int s = 0; s < samples; s++)
        {
            double r = s == 0 ? exact.Cutoff : random.NextDouble() * exact.Cutoff;
            exact.Compute(r, ev, ed);
            spline.Compute(r, sv, sd);
            for (int i = 0; i < total; i++)
            {
                maxValue = Math.Max(maxValue, Math.Abs(ev[i] - sv[i]));
                maxDerivative = Math.Max(maxDerivative, Math.Abs(ed[i] - sd[i]));
                scale = Math.Max(scale, Math.Abs(ev[i]));
                dScale = Math.Max(dScale, Math.Abs(ed[i]));
            }
        }
        return (maxValue / scale, maxDerivative / dScale, scale);
    }

    [Theory]
    [InlineData(1e-8, 1e-7)]
    [InlineData(1e-10, 1e-9)]
    public void GtoSplineReachesRequestedAccuracy(double accuracy, double bound)
    {
        var exact = new GtoRadialIntegral(8, 6, 5.0, 0.3);
        var spline = new SplinedRadialIntegral(exact, accuracy);
        var (value, derivative, _) = MaxErrors(exact, spline, 2000, 1);
        output.WriteLine($"GTO accuracy {accuracy:E0}: {spline.KnotCount} knots, max |error| / max|I| = {value:E2}, derivative {derivative:E2}");
        Assert.True(value <= bound, $"{value}");
        Assert.True(derivative <= 1e3 * bound, $"{derivative}");
        Assert.Equal(0, (spline.KnotCount - 1) % 10);
    }

    [Theory]
    [InlineData(1e-8, 1e-7)]
    [InlineData(1e-10, 1e-9)]
    public void LaplacianEigenstateSplineReachesRequestedAccuracy(double accuracy, double bound)
    {
        var exact = new LaplacianEigenstateRadialIntegral(6, 4.5);
        var spline = new SplinedRadialIntegral(exact, accuracy);
        Assert.Equal(exact.MaxAngular, spline.MaxAngular);
        for (int l = 0; l <= exact.MaxAngular + 1; l++) Assert.Equal(exact.Offset(l), spline.Offset(l));
        var (value, derivative, _) = MaxErrors(exact, spline, 2000, 2);
        output.WriteLine($"LE accuracy {accuracy:E0}: {spline.KnotCount} knots, max |error| / max|I| = {value:E2}, derivative {derivative:E2}");
        Assert.True(value <= bound, $"{value}");
        Assert.True(derivative <= 1e3 * bound, $"{derivative}");
    }

    [Fact]
    public void SplineIsExactAtKnotsAndDerivativeIsConsistent()
    {
        var exact = new GtoRadialIntegral(5, 4, 4.0, 0.5);
        var spline = new SplinedRadialIntegral(exact, 1e-9);
        int total = exact.TotalCount;
        double[] ev = new double[total], ed = new double[total], sv = new double[total], sd = new double[total];
        for (int k = 0; k < spline.KnotCount; k += 7)
        {
            double r = exact.Cutoff * k / (spline.KnotCount - 1);
            exact.Compute(r, ev, ed);
            spline.Compute(r, sv, sd);
            for (int i = 0; i < total; i++)
            {
                Assert.Equal(ev[i], sv[i], 1e-14 * Math.Max(1, Math.Abs(ev[i])));
                Assert.Equal(ed[i], sd[i], 1e-13 * Math.Max(1, Math.Abs(ed[i])));
            }
        }
        // the spline derivative is the derivative of the spline value
        double[] plus = new double[total], minus = new double[total];
        const double h = 1e-6;
        foreach (double r in new[] { 0.013, 1.234, 2.5, 3.77 })
        {
            spline.Compute(r, sv, sd);
            spline.Compute(r + h, plus, []);
            spline.Compute(r - h, minus, []);
            for (int i = 0; i < total; i++) Assert.Equal((plus[i] - minus[i]) / (2 * h), sd[i], 1e-7);
        }
    }

    [Fact]
    public void RangeAndSizesAreChecked()
    {
        var exact = new GtoRadialIntegral(3, 2, 3.0, 0.5);
        var spline = new SplinedRadialIntegral(exact);
        Assert.Equal(SplinedRadialIntegral.DefaultAccuracy, spline.Accuracy);
        Assert.Equal(3.0, spline.Cutoff);
        Assert.Equal(9, spline.TotalCount);
        Assert.Equal(3.0 / (spline.KnotCount - 1), spline.Spacing, 1e-15);
        var values = new double[9];
        spline.Compute(3.0, values, []);
        Assert.Throws<ArgumentOutOfRangeException>(() => spline.Compute(3.0000001, values, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => spline.Compute(-1e-9, values, []));
        Assert.Throws<ArgumentException>(() => spline.Compute(1.0, new double[8], []));
        Assert.Equal("accuracy", Assert.Throws<InvalidParameterException>(() => new SplinedRadialIntegral(exact, 0.0)).Parameter);
        Assert.Equal("accuracy", Assert.Throws<InvalidParameterException>(() => new SplinedRadialIntegral(exact, 1e-15, maxKnots: 50)).Parameter);
        Assert.Equal("maxKnots", Assert.Throws<InvalidParameterException>(() => new SplinedRadialIntegral(exact, 1e-8, maxKnots: 5)).Parameter);
    }

    [Fact]
    public void ComputeDoesNotAllocate()
    {
        var spline = new SplinedRadialIntegral(new LaplacianEigenstateRadialIntegral(6, 5.0));
        double[] v = new double[spline.TotalCount], d = new double[spline.TotalCount];
        spline.Compute(1.3, v, d);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) spline.Compute(0.05 * i, v, d);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void FactoryCreatesRequestedIntegral()
    {
        var gto = RadialIntegrals.Create(RadialBasisKind.Gto, 8, 6, 5.0, 0.3, null);
        Assert.IsType<GtoRadialIntegral>(gto);
        Assert.Equal(8, gto.Count(6));
        Assert.Equal(56, gto.TotalCount);
        var splined = RadialIntegrals.Create(RadialBasisKind.Gto, 8, 6, 5.0, 0.3, 1e-8);
        Assert.IsType<SplinedRadialIntegral>(splined);
        var le = RadialIntegrals.Create(RadialBasisKind.LaplacianEigenstate, 5, 20, 4.0, 0.0, null);
        Assert.IsType<LaplacianEigenstateRadialIntegral>(le);
        Assert.Equal(10, le.MaxAngular);
        var capped = RadialIntegrals.Create(RadialBasisKind.LaplacianEigenstate, 5, 2, 4.0, 0.3, 1e-8);
        Assert.Equal(2, capped.MaxAngular);
        Assert.Equal(13, capped.TotalCount);
        Assert.Equal("lMax", Assert.Throws<InvalidParameterException>(() => RadialIntegrals.Create(RadialBasisKind.LaplacianEigenstate, 5, -1, 4.0, 0.3, null)).Parameter);
        Assert.Throws<InvalidParameterException>(() => RadialIntegrals.Create((RadialBasisKind)7, 5, 2, 4.0, 0.3, null));
    }
}
