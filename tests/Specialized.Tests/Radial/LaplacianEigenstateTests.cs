using Specialized.Radial;
using Specialized.Tests.Support;
using Xunit.Abstractions;

namespace Specialized.Tests.Radial;

public class LaplacianEigenstateTests(ITestOutputHelper output)
{
    // mpmath 40-digit values, Generators/bessel_reference.py
    private static readonly (int L, double X, double Value)[] BesselReference =
    [
        (0, 0.5, 0.95885107720840600055),
        (0, 7.25, 0.11352839710503523564),
        (1, 0.001, 0.00033333330000000119742),
        (3, 0.90000000000000002, 0.0066361207712632000375),
        (5, 2.0, 0.002635169770244117349),
        (5, 30.0, -0.020504008736827491636),
        (10, 4.0, 0.000053589865768632633292),
        (10, 9.5, 0.050380573755839666472),
        (10, 10.5, 0.078960454223945411796),
        (20, 3.0, 2.3942249272752632036e-16),
        (20, 14.0, 0.00057149870365381122151),
        (20, 21.0, 0.051788416605743342169),
        (25, 26.0, 0.042909257969677613707),
        (25, 60.0, 0.015605802016778635517),
        (40, 12.0, 9.4665918925204103617e-19),
        (40, 39.0, 0.016255765525382936958),
        (2, 1.8, 0.17029627570848821862),
        (7, 3.8999999999999999, 0.0042801092647736092029),
        (30, 1.0, 5.5668312669813471501e-43),
    ];

    private static readonly (int L, int N, double Zero)[] ZeroReference =
    [
        (1, 0, 4.4934094579090641753),
        (1, 5, 20.371302959287562845),
        (3, 2, 13.698023153249249),
        (7, 0, 11.657032192516371598),
        (10, 0, 15.033469303743438064),
        (10, 4, 29.53463410784392443),
        (15, 3, 32.34440363662824407),
        (20, 0, 25.955680785040137695),
        (20, 2, 34.570462511536352463),
        (22, 0, 28.10431238769707582),
    ];

    [Fact]
    public void SphericalBesselMatchesHighPrecision()
    {
        double max = 0;
        foreach (var (l, x, expected) in BesselReference)
        {
            SpecialFunctions.SphericalBesselJ(l, x, out double value, out _);
            double rel = Math.Abs(value - expected) / Math.Abs(expected);
            max = Math.Max(max, rel);
            Assert.True(rel < 1e-14, $"j_{l}({x}) = {value} vs {expected}: {rel:E2}");
            // j_{l+1} from the same call agrees with a direct evaluation
            SpecialFunctions.SphericalBesselJ(l + 1, x, out double direct, out _);
            SpecialFunctions.SphericalBesselJ(l, x, out _, out double next);
            Assert.True(Math.Abs(next - direct) <= 1e-14 * Math.Abs(direct), $"j_{l + 1}({x})");
        }
        output.WriteLine($"max rel error of j_l vs mpmath: {max:E2}");
    }

    [Fact]
    public void SphericalBesselRegimesAgree()
    {
        // Series, Miller and upward recurrence meet at x² = 2l+3 and x = l+1: check continuity of the three-term recurrence.
        for (int l = 1; l <= 30; l++)
        {
            foreach (double x in new[] { Math.Sqrt(2 * l + 3) * 0.999, Math.Sqrt(2 * l + 3) * 1.001, l + 0.999, l + 1.001, 0.5 * l + 0.3 })
            {
                SpecialFunctions.SphericalBesselJ(l - 1, x, out double previous, out _);
                SpecialFunctions.SphericalBesselJ(l, x, out double current, out double next);
                double residual = (2 * l + 1) / x * current - previous - next;
                double scale = Math.Max(Math.Abs(previous), Math.Abs((2 * l + 1) / x * current));
                Assert.True(Math.Abs(residual) <= 1e-14 * scale, $"l={l} x={x}: {residual}");
            }
        }
    }

    [Fact]
    public void ZerosMatchReference()
    {
        var basis = new LaplacianEigenstateRadialIntegral(12, 1.0);
        double max = 0;
        foreach (var (l, n, zero) in ZeroReference)
        {
            double z = basis.Zero(l, n);
            max = Math.Max(max, Math.Abs(z - zero) / zero);
            Assert.Equal(zero, z, 2e-15 * zero);
        }
        // MATH §3.3 (10 decimals)
        double[][] math =
        [
            [Math.PI, 2 * Math.PI, 3 * Math.PI],
            [4.4934094579, 7.7252518369, 10.9041216594],
            [5.7634591969, 9.0950113305, 12.3229409706],
        ];
        for (int l = 0; l < 3; l++)
        {
            for (int n = 0; n < 3; n++) Assert.Equal(math[l][n], basis.Zero(l, n), 1e-10);
        }
        Assert.Equal(Math.PI * Math.PI, basis.Eigenvalue(0, 0), 1e-14);
        // every zero is a zero of j_l to rounding
        for (int l = 0; l <= basis.MaxAngular; l++)
        {
            for (int n = 0; n < basis.Count(l); n++)
            {
                SpecialFunctions.SphericalBesselJ(l, basis.Zero(l, n), out double value, out double next);
                // implied distance to the true zero |j_l|/|j_l'| (j_l' = −j_{l+1} at a zero) within a few ulp of z
                Assert.True(Math.Abs(value) <= 1e-15 * Math.Abs(next) * basis.Zero(l, n), $"l={l} n={n}: {value}");
            }
        }
        output.WriteLine($"max rel error of zeros vs mpmath: {max:E2}");
    }

    [Theory]
    [InlineData(5, new[] { 5, 4, 4, 3, 3, 2, 2, 2, 1, 1, 1 }, 220)]
    [InlineData(7, new[] { 7, 6, 6, 5, 5, 4, 4, 3, 3, 3, 2, 2, 2, 1, 1, 1, 1 }, 642)]
    [InlineData(9, new[] { 9, 8, 8, 7, 7, 6, 6, 5, 5, 5, 4, 4, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1 }, 1443)]
    public void SizesMatchFeatomicSelection(int radialCount, int[] expected, int withM)
    {
        foreach (double cutoff in new[] { 1.0, 4.5, 6.0 })
        {
            var basis = new LaplacianEigenstateRadialIntegral(radialCount, cutoff);
            Assert.Equal(expected.Length - 1, basis.MaxAngular);
            Assert.Equal(expected, Enumerable.Range(0, basis.MaxAngular + 1).Select(basis.Count));
            Assert.Equal(expected.Sum(), basis.TotalCount);
            Assert.Equal(withM, Enumerable.Range(0, basis.MaxAngular + 1).Sum(l => (2 * l + 1) * basis.Count(l)));
            int offset = 0;
            for (int l = 0; l <= basis.MaxAngular + 1; l++)
            {
                Assert.Equal(offset, basis.Offset(l));
                if (l <= basis.MaxAngular) offset += basis.Count(l);
            }
        }
    }

    [Fact]
    public void AngularCapTruncatesChannels()
    {
        var capped = new LaplacianEigenstateRadialIntegral(5, 4.0, maxAngular: 3);
        Assert.Equal(3, capped.MaxAngular);
        Assert.Equal([5, 4, 4, 3], Enumerable.Range(0, 4).Select(capped.Count));
        Assert.Equal(16, capped.TotalCount);
        var loose = new LaplacianEigenstateRadialIntegral(5, 4.0, maxAngular: 50);
        Assert.Equal(10, loose.MaxAngular);
        var full = new LaplacianEigenstateRadialIntegral(5, 4.0);
        double[] a = new double[16], b = new double[full.TotalCount];
        capped.Compute(2.2, a, []);
        full.Compute(2.2, b, []);
        Assert.Equal(a, b.Take(16));
    }

    [Theory]
    [InlineData(5, 4.5)]
    [InlineData(9, 6.0)]
    public void BasisIsOrthonormal(int radialCount, double cutoff)
    {
        var basis = new LaplacianEigenstateRadialIntegral(radialCount, cutoff);
        int total = basis.TotalCount;
        var values = new double[total];
        var products = new Dictionary<(int, int, int), double>();
        var (nodes, weights) = Quadrature.GaussLegendre(32);
        const int panels = 40;
        double width = cutoff / panels;
        double max = 0;
        var gram = new double[total, total];
        for (int p = 0; p < panels; p++)
        {
            for (int q = 0; q < nodes.Length; q++)
            {
                double x = (p + 0.5) * width + 0.5 * width * nodes[q];
                double w = 0.5 * width * weights[q] * x * x;
                basis.Compute(x, values, []);
                for (int l = 0; l <= basis.MaxAngular; l++)
                {
                    for (int i = basis.Offset(l); i < basis.Offset(l + 1); i++)
                    {
                        for (int j = basis.Offset(l); j < basis.Offset(l + 1); j++) gram[i, j] += w * values[i] * values[j];
                    }
                }
            }
        }
        for (int l = 0; l <= basis.MaxAngular; l++)
        {
            for (int i = basis.Offset(l); i < basis.Offset(l + 1); i++)
            {
                for (int j = basis.Offset(l); j < basis.Offset(l + 1); j++) max = Math.Max(max, Math.Abs(gram[i, j] - (i == j ? 1 : 0)));
            }
        }
        output.WriteLine($"N0={radialCount}: max |Gram − I| on [0, r_c] = {max:E2}");
        Assert.True(max <= 1e-12, $"{max}");
    }

    [Fact]
    public void DerivativeMatchesCentralFiniteDifferences()
    {
        var basis = new LaplacianEigenstateRadialIntegral(8, 5.0);
        int total = basis.TotalCount;
        double[] v = new double[total], d = new double[total], plus = new double[total], minus = new double[total];
        const double h = 1e-5;
        double max = 0;
        foreach (double r in new[] { 1e-4, 0.2, 1.1, 2.5, 3.9, 4.99 })
        {
            basis.Compute(r, v, d);
            basis.Compute(r + h, plus, []);
            basis.Compute(r - h, minus, []);
            double scale = d.Max(Math.Abs);
            for (int i = 0; i < total; i++) max = Math.Max(max, Math.Abs((plus[i] - minus[i]) / (2 * h) - d[i]) / scale);
        }
        output.WriteLine($"max |FD − analytic| / max|dR| = {max:E2}");
        Assert.True(max < 1e-8, $"{max}");
    }

    [Fact]
    public void ValuesAtOriginAndCutoff()
    {
        const double cutoff = 4.0;
        var basis = new LaplacianEigenstateRadialIntegral(6, cutoff);
        double[] v = new double[basis.TotalCount], d = new double[basis.TotalCount];
        basis.Compute(0.0, v, d);
        for (int l = 0; l <= basis.MaxAngular; l++)
        {
            for (int n = 0; n < basis.Count(l); n++)
            {
                int i = basis.Offset(l) + n;
                double norm = Math.Sqrt(2 / (cutoff * cutoff * cutoff));
                if (l == 0)
                {
                    // R_n0(0) = 𝒩 · 1 with 𝒩 = √(2/r_c³)/|j_1((n+1)π)| = √(2/r_c³) (n+1)π
                    Assert.Equal(norm * (n + 1) * Math.PI, v[i], 1e-13 * v[i]);
                }
                else Assert.Equal(0.0, v[i]);
                if (l != 1) Assert.Equal(0.0, d[i]);
                else Assert.True(d[i] > 0);
            }
        }
        basis.Compute(cutoff, v, d);
        double maxAtCutoff = v.Max(Math.Abs);
        Assert.True(maxAtCutoff < 1e-14, $"{maxAtCutoff}");
    }

    [Fact]
    public void ParametersAreValidated()
    {
        Assert.Equal("radialCount", Assert.Throws<InvalidParameterException>(() => new LaplacianEigenstateRadialIntegral(0, 4.0)).Parameter);
        Assert.Equal("cutoff", Assert.Throws<InvalidParameterException>(() => new LaplacianEigenstateRadialIntegral(4, -1.0)).Parameter);
        Assert.Equal("maxAngular", Assert.Throws<InvalidParameterException>(() => new LaplacianEigenstateRadialIntegral(4, 4.0, -1)).Parameter);
        var basis = new LaplacianEigenstateRadialIntegral(4, 4.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => basis.Compute(double.NaN, new double[basis.TotalCount], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => basis.Count(basis.MaxAngular + 1));
    }

    [Fact]
    public void ComputeDoesNotAllocate()
    {
        var basis = new LaplacianEigenstateRadialIntegral(8, 5.0);
        double[] v = new double[basis.TotalCount], d = new double[basis.TotalCount];
        basis.Compute(1.3, v, d);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) basis.Compute(0.05 * i, v, d);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
