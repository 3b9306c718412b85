using Specialized.Angular;
using Specialized.Tests.Support;
using Xunit.Abstractions;
using static Specialized.Tests.Angular.AngularTestUtil;

namespace Specialized.Tests.Angular;

public class SphericalHarmonicsTests(ITestOutputHelper output)
{
    private static double[] Y(int lMax, double x, double y, double z)
    {
        var v = new double[SphericalHarmonics.Count(lMax)];
        SphericalHarmonics.Compute(lMax, x, y, z, v);
        return v;
    }

    [SharedFact]
    public void MatchesFeatomicReferenceUpToL25()
    {
        // featomic's generator rounds every value to 13 significant digits: compare with a relative
        // tolerance 1e-12 of each value, plus an absolute floor 1e-14 because scipy's values that are
        // exactly 0 in theory (e.g. cos(11·π/2) on the y axis) carry its floating-point noise (~2e-15).
        var refs = SharedData.Load("featomic", "spherical-harmonics-values");
        var input = SharedData.LoadJson("featomic", "inputs", "spherical-harmonics-input.json");
        var dirs = input.GetProperty("directions").EnumerateArray().Select(d => d.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        int lMax = input.GetProperty("max_angular").GetInt32();
        Assert.Equal([dirs.Length, lMax + 1, 2 * lMax + 1], refs.Shape);
        double worstRel = 0.0;
        for (int d = 0; d < dirs.Length; d++)
        {
            var y = Y(lMax, dirs[d][0], dirs[d][1], dirs[d][2]);
            for (int l = 0; l <= lMax; l++)
            {
                for (int mi = 0; mi <= 2 * lMax; mi++)
                {
                    double expected = refs[d, l, mi];
                    if (mi > 2 * l)
                    {
                        Assert.Equal(0.0, expected); // zero padding
                        continue;
                    }
                    double actual = y[l * l + mi];
                    double err = Math.Abs(actual - expected);
                    Assert.True(err <= 1e-12 * Math.Abs(expected) + 1e-14, $"dir {d} l {l} m {mi - l}: {actual:R} vs {expected:R}");
                    if (Math.Abs(expected) > 1e-10) worstRel = Math.Max(worstRel, err / Math.Abs(expected));
                }
            }
        }
        output.WriteLine($"featomic l<=25: max relative error {worstRel:E2}");
    }

    [SharedFact]
    public void MatchesLibrascalMpmathReferenceUpToL30()
    {
        // librascal's values were computed with mpmath at 200 digits (full double precision).
        var refs = SharedData.Load("librascal", "spherical-harmonics-lmax30");
        var dirs = refs.Header.GetProperty("directions").EnumerateArray().Select(d => d.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        int lMax = refs.Header.GetProperty("lmax").GetInt32();
        Assert.Equal(30, lMax);
        double worstAbs = 0.0, worstRelToMax = 0.0;
        for (int d = 0; d < dirs.Length; d++)
        {
            var y = Y(lMax, dirs[d][0], dirs[d][1], dirs[d][2]);
            for (int l = 0; l <= lMax; l++)
            {
                double maxL = 0.0, errL = 0.0;
                for (int m = -l; m <= l; m++)
                {
                    int i = l * l + l + m;
                    maxL = Math.Max(maxL, Math.Abs(refs[d, i]));
                    errL = Math.Max(errL, Math.Abs(y[i] - refs[d, i]));
                }
                Assert.True(errL <= 1e-13, $"dir {d} l {l}: abs error {errL:E2}");
                worstAbs = Math.Max(worstAbs, errL);
                worstRelToMax = Math.Max(worstRelToMax, errL / maxL);
            }
        }
        output.WriteLine($"librascal l<=30: max abs error {worstAbs:E2}, max error relative to max|Y_l| {worstRelToMax:E2}");
        Assert.True(worstRelToMax <= 1e-13);
    }

    [Fact]
    public void MathReferenceValuesAtU()
    {
        // MATH §2.1 (15 decimals) at u = (0.455493902781557, 0.46164788218724867, −0.7611875835829522).
        double[] expected =
        [
            0.282094791773878,
            0.225562314851353, -0.371918165367944, 0.222555465055533,
            0.229738675536520, -0.383922213270671, 0.232828238992674, -0.378804352916452, -0.003083210815392,
            0.111491647483233, -0.462673716116493, 0.400262942325152, 0.029248605679416, 0.394927252508359, 0.006209318488480, -0.116073043533770,
        ];
        // Unnormalised input (×2.5) must give the same values.
        var y = Y(3, 2.5 * 0.455493902781557, 2.5 * 0.46164788218724867, 2.5 * -0.7611875835829522);
        Assert.True(MaxAbsDiff(y, expected) <= 1e-15, $"max diff {MaxAbsDiff(y, expected):E2}");
    }

    [Theory]
    [InlineData(20, 100, 1e-13)]
    [InlineData(SphericalHarmonics.MaxDegree, 10, 1e-13)]
    public void MatchesIndependentPolarRecursion(int lMax, int directions, double tolerance)
    {
        // Independent evaluation in polar coordinates: fully normalised associated Legendre functions
        // (no Condon–Shortley phase) by the standard upward recursion in l, times √2 cos mφ / √2 sin mφ.
        var rng = new Random(29);
        double worst = 0;
        for (int t = 0; t < directions; t++)
        {
            var (x, y, z) = RandomUnit(rng);
            var actual = Y(lMax, x, y, z);
            double ct = z, st = Math.Sqrt(x * x + y * y), phi = Math.Atan2(y, x);
            for (int m = 0; m <= lMax; m++)
            {
                // P̄_m^m = √((2m+1)/(4π) Π_{k≤m} (2k−1)/(2k)) sin^m θ
                double pmm = 1.0 / (4 * Math.PI);
                for (int k = 1; k <= m; k++) pmm *= (2.0 * k - 1) / (2.0 * k);
                pmm = Math.Sqrt((2 * m + 1) * pmm) * Math.Pow(st, m);
                double pPrev = 0, p = pmm;
                for (int l = m; l <= lMax; l++)
                {
                    if (l > m)
                    {
                        // P̄_l^m = a_lm (cos θ P̄_{l−1}^m − P̄_{l−2}^m / a_{l−1,m}),  a_lm = √((4l²−1)/(l²−m²))
                        double a = Math.Sqrt((4.0 * l * l - 1) / ((double)l * l - (double)m * m));
                        double aPrev = l - 1 > m ? Math.Sqrt((4.0 * (l - 1) * (l - 1) - 1) / ((double)(l - 1) * (l - 1) - (double)m * m)) : double.PositiveInfinity;
                        double next = a * (ct * p - pPrev / aPrev);
                        pPrev = p;
                        p = next;
                    }
                    if (m == 0)
                    {
                        worst = Math.Max(worst, Math.Abs(actual[l * l + l] - p));
                    }
                    else
                    {
                        worst = Math.Max(worst, Math.Abs(actual[l * l + l + m] - Math.Sqrt(2) * p * Math.Cos(m * phi)));
                        worst = Math.Max(worst, Math.Abs(actual[l * l + l - m] - Math.Sqrt(2) * p * Math.Sin(m * phi)));
                    }
                }
            }
        }
        output.WriteLine($"vs independent polar recursion l<={lMax}: max abs error {worst:E2}");
        Assert.True(worst <= tolerance, $"max abs error {worst:E2}");
    }

    [Fact]
    public void DegreeOneIsYZX()
    {
        var rng = new Random(11);
        double c = Math.Sqrt(3.0 / (4.0 * Math.PI));
        for (int t = 0; t < 50; t++)
        {
            var (x, y, z) = RandomUnit(rng);
            double scale = 0.1 + 5 * rng.NextDouble();
            var v = Y(1, scale * x, scale * y, scale * z);
            Assert.True(MaxAbsDiff(v, [1 / Math.Sqrt(4 * Math.PI), c * y, c * z, c * x]) <= 1e-15);
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-1.0)]
    public void OnTheZAxisOnlyMZeroSurvives(double sign)
    {
        const int lMax = 30;
        var y = Y(lMax, 0.0, 0.0, sign * 3.0);
        for (int l = 0; l <= lMax; l++)
        {
            for (int m = -l; m <= l; m++)
            {
                double expected = m == 0 ? Math.Pow(sign, l) * Math.Sqrt((2 * l + 1) / (4 * Math.PI)) : 0.0;
                Assert.True(Math.Abs(y[l * l + l + m] - expected) <= 1e-14 * Math.Max(1.0, Math.Abs(expected)), $"l {l} m {m}: {y[l * l + l + m]:R}");
            }
        }
    }

    [Fact]
    public void Parity()
    {
        const int lMax = 30;
        var rng = new Random(5);
        double worst = 0;
        for (int t = 0; t < 20; t++)
        {
            var (x, y, z) = RandomUnit(rng);
            var a = Y(lMax, x, y, z);
            var b = Y(lMax, -x, -y, -z);
            for (int l = 0; l <= lMax; l++)
                for (int m = -l; m <= l; m++)
                    worst = Math.Max(worst, Math.Abs(b[l * l + l + m] - ((l & 1) == 0 ? 1 : -1) * a[l * l + l + m]));
        }
        Assert.True(worst <= 1e-13, $"parity error {worst:E2}");
    }

    [Fact]
    public void ScaleInvariantIncludingExtremeMagnitudes()
    {
        var reference = Y(12, 0.3, -0.4, 0.5);
        foreach (double s in new[] { 1e-200, 1e-12, 7.3, 1e200 })
        {
            var scaled = Y(12, 0.3 * s, -0.4 * s, 0.5 * s);
            Assert.True(MaxAbsDiff(scaled, reference) <= 1e-14, $"scale {s}");
        }
    }

    [Fact]
    public void AdditionTheorem()
    {
        const int lMax = 10;
        var rng = new Random(3);
        double worst = 0;
        for (int t = 0; t < 50; t++)
        {
            var u = RandomUnit(rng);
            var v = RandomUnit(rng);
            var yu = Y(lMax, u.X, u.Y, u.Z);
            var yv = Y(lMax, v.X, v.Y, v.Z);
            double cos = u.X * v.X + u.Y * v.Y + u.Z * v.Z;
            for (int l = 0; l <= lMax; l++)
            {
                double sum = 0;
                for (int i = l * l; i < (l + 1) * (l + 1); i++) sum += yu[i] * yv[i];
                worst = Math.Max(worst, Math.Abs(sum - (2 * l + 1) / (4 * Math.PI) * LegendreP(l, cos)));
            }
        }
        output.WriteLine($"addition theorem l<=10: max error {worst:E2}");
        Assert.True(worst <= 1e-14);
    }

    [Fact]
    public void OrthonormalUnderExactQuadrature()
    {
        // Gauss–Legendre in cos θ (exact for polynomial degree 2n−1 ≥ 2 lMax) × uniform φ (exact for
        // trigonometric degree < nPhi): ∫ Y_lm Y_l'm' dΩ is integrated exactly up to rounding.
        const int lMax = 16;
        var (nodes, weights) = Quadrature.GaussLegendre(lMax + 2);
        int nPhi = 2 * lMax + 3, count = SphericalHarmonics.Count(lMax);
        var gram = new double[count * count];
        var y = new double[count];
        for (int i = 0; i < nodes.Length; i++)
        {
            double ct = nodes[i], st = Math.Sqrt(1 - ct * ct);
            for (int j = 0; j < nPhi; j++)
            {
                double phi = 2 * Math.PI * (j + 0.25) / nPhi;
                SphericalHarmonics.Compute(lMax, st * Math.Cos(phi), st * Math.Sin(phi), ct, y);
                double w = weights[i] * 2 * Math.PI / nPhi;
                for (int a = 0; a < count; a++)
                {
                    double wa = w * y[a];
                    for (int b = a; b < count; b++) gram[a * count + b] += wa * y[b];
                }
            }
        }
        double worst = 0;
        for (int a = 0; a < count; a++)
            for (int b = a; b < count; b++) worst = Math.Max(worst, Math.Abs(gram[a * count + b] - (a == b ? 1 : 0)));
        output.WriteLine($"orthonormality l<=16: max |G - 1| {worst:E2}");
        Assert.True(worst <= 1e-13);
    }

    [Fact]
    public void RejectsBadInput()
    {
        var buffer = new double[SphericalHarmonics.Count(4)];
        Assert.Throws<ArgumentException>(() => SphericalHarmonics.Compute(4, 0, 0, 0, buffer));
        Assert.Throws<ArgumentException>(() => SphericalHarmonics.Compute(4, double.NaN, 0, 1, buffer));
        Assert.Throws<ArgumentException>(() => SphericalHarmonics.Compute(5, 0, 0, 1, buffer));
        Assert.Throws<ArgumentOutOfRangeException>(() => SphericalHarmonics.Compute(-1, 0, 0, 1, buffer));
        Assert.Throws<ArgumentException>(() => SphericalHarmonics.ComputeWithGradients(4, 0, 0, 1, buffer, buffer));
    }

    // ------------------------------------------------------------------------------------------
    // Gradients

    private static (double[] Values, double[] Gradients) YWithGrad(int lMax, double x, double y, double z)
    {
        var v = new double[SphericalHarmonics.Count(lMax)];
        var g = new double[3 * v.Length];
        SphericalHarmonics.ComputeWithGradients(lMax, x, y, z, v, g);
        return (v, g);
    }

    /// <summary>Fourth-order central difference of Y w.r.t. component d at v, step h.</summary>
    private static double[] FiniteDifference(int lMax, double[] v, int d, double h)
    {
        double[] Shifted(double delta)
        {
            var w = (double[])v.Clone();
            w[d] += delta;
            return Y(lMax, w[0], w[1], w[2]);
        }
        var p1 = Shifted(h);
        var m1 = Shifted(-h);
        var p2 = Shifted(2 * h);
        var m2 = Shifted(-2 * h);
        var fd = new double[p1.Length];
        for (int i = 0; i < fd.Length; i++) fd[i] = (8 * (p1[i] - m1[i]) - (p2[i] - m2[i])) / (12 * h);
        return fd;
    }

    public static TheoryData<double, double, double> GradientPoints() => new()
    {
        { 0.3, -0.8, 1.7 },
        { -1.2, 0.4, -0.2 },
        { 0.0, 0.0, 1.0 },
        { 0.0, 0.0, -2.5 },
        { 1e-9, 2e-9, 0.7 },
        { -3e-7, 1e-7, -1.3 },
        { 0.6, 0.0, 0.0 },
        { 0.0, 0.9, 1e-8 },
    };

    [Theory]
    [MemberData(nameof(GradientPoints))]
    public void GradientsMatchFiniteDifferences(double x, double y, double z)
    {
        const int lMax = 12;
        var (values, grads) = YWithGrad(lMax, x, y, z);
        Assert.Equal(Y(lMax, x, y, z), values); // bit-identical to the values-only path
        int count = values.Length;
        double r = Math.Sqrt(x * x + y * y + z * z);
        double h = 2e-4 * r, worst = 0;
        double[] v = [x, y, z];
        for (int d = 0; d < 3; d++)
        {
            var fd = FiniteDifference(lMax, v, d, h);
            // Scale-free comparison: r ∇Y is what is O(l) for any |v|.
            for (int i = 0; i < count; i++) worst = Math.Max(worst, r * Math.Abs(grads[d * count + i] - fd[i]));
        }
        output.WriteLine($"gradient vs FD at ({x}, {y}, {z}): max |r (g - fd)| {worst:E2}");
        Assert.True(worst <= 1e-8);
    }

    [Fact]
    public void GradientIsOrthogonalToTheVector()
    {
        const int lMax = 30;
        var rng = new Random(17);
        double worst = 0;
        for (int t = 0; t < 20; t++)
        {
            var (ux, uy, uz) = RandomUnit(rng);
            double s = 0.2 + 4 * rng.NextDouble();
            var (_, g) = YWithGrad(lMax, s * ux, s * uy, s * uz);
            int count = SphericalHarmonics.Count(lMax);
            for (int i = 0; i < count; i++)
            {
                double radial = s * (ux * g[i] + uy * g[count + i] + uz * g[2 * count + i]);
                double norm = s * Math.Sqrt(g[i] * g[i] + g[count + i] * g[count + i] + g[2 * count + i] * g[2 * count + i]);
                worst = Math.Max(worst, Math.Abs(radial) / Math.Max(1.0, norm));
            }
        }
        Assert.True(worst <= 1e-13, $"v·∇Y = {worst:E2}");
    }

    [Fact]
    public void HighDegreeGradientsMatchFiniteDifferences()
    {
        const int lMax = 30;
        var rng = new Random(23);
        for (int t = 0; t < 3; t++)
        {
            var (ux, uy, uz) = RandomUnit(rng);
            var (values, grads) = YWithGrad(lMax, ux, uy, uz);
            double[] v = [ux, uy, uz];
            double worst = 0, scale = 0;
            for (int d = 0; d < 3; d++)
            {
                var fd = FiniteDifference(lMax, v, d, 1e-4);
                for (int i = 0; i < values.Length; i++)
                {
                    worst = Math.Max(worst, Math.Abs(grads[d * values.Length + i] - fd[i]));
                    scale = Math.Max(scale, Math.Abs(fd[i]));
                }
            }
            output.WriteLine($"l<=30 gradient vs FD: max abs diff {worst:E2} (max |grad| {scale:F1})");
            Assert.True(worst <= 1e-8 * scale);
        }
    }
}
