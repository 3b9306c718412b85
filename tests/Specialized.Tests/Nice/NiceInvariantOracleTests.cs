using Specialized.Correlations;
using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Features;
using Specialized.Radial;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Nice;

/// <summary>
/// Invariant oracles: the ν=2 kernel identity with the SOAP power spectrum (MATH §5.9) and the degenerate
/// environment pair of MATH §9.4 item 5 (equal power spectra, different ν=3 invariants).
/// </summary>
public class NiceInvariantOracleTests
{
    private static readonly SoapParameters Density = new()
    {
        Cutoff = 3.4,
        CutoffWidth = 0.5,
        DensityWidth = 0.35,
        RadialCount = 3,
        LMax = 3,
        SplineAccuracy = null,
    };

    private static readonly SpeciesList Species = new([1, 6, 8]);

    private static List<Structure> Structures() => [.. Enumerable.Range(0, 4).Select(k => TestStructures.Cluster(200 + k, 8, [1, 6, 8]))];

    /// <summary>Gram matrix K_ij = x_i · x_j of the rows of a [rows][f] array.</summary>
    private static double[] Gram(double[] x, int rows, int f)
    {
        var k = new double[rows * rows];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < rows; j++)
            {
                double s = 0;
                for (int q = 0; q < f; q++) s += x[i * f + q] * x[j * f + q];
                k[i * rows + j] = s;
            }
        return k;
    }

    private static double[] Rows(IEnumerable<Structure> structures, IFeatureCalculator calc, Func<double[], int, double[]> select) =>
        [.. structures.SelectMany(s =>
        {
            var v = new FeatureComputer(calc).Compute(s).Values;
            return Enumerable.Range(0, s.AtomCount).SelectMany(i => select(v, i));
        })];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NuTwoInvariantsSpanThePowerSpectrumExactly(bool contracted)
    {
        // No thresholding; either no contraction at all, or PCA keeping every component (an orthogonal rotation).
        var parameters = new NiceParameters
        {
            Density = Density,
            BodyOrder = 2,
            Steps = [contracted ? new NiceStep(null, 1000, null, 1000) : NiceStep.All],
            InitialKeep = contracted ? 1000 : null,
            Scaling = NiceScaling.None,
        };
        var structures = Structures();
        var model = NiceModel.Fit(structures, parameters, Species);
        var nice = model.CreateCalculator();
        int skip = model.InvariantCount(1), width = model.InvariantCount(2);
        var x = Rows(structures, nice, (v, i) => v.AsSpan(i * nice.FeatureCount + skip, width).ToArray());
        var ps = new PowerSpectrumCalculator(Density, Species);
        var p = Rows(structures, ps, (v, i) => v.AsSpan(i * ps.FeatureCount, ps.FeatureCount).ToArray());
        int rows = structures.Sum(s => s.AtomCount);
        Assert.Equal(32, rows);
        // Power spectrum: a1 ≤ a2 with √2 off the diagonal ("kernel-preserving"); NICE: every ordered (q1, q2).
        double achieved = Featomic.AssertClose(Gram(p, rows, ps.FeatureCount), Gram(x, rows, width), contracted ? 1e-11 : 1e-13, "X Xᵀ vs P Pᵀ");
        Assert.True(achieved < 1e-11);
        if (!contracted) Assert.Equal(Species.Count * Species.Count * Density.RadialCount * Density.RadialCount * (Density.LMax + 1), width);
    }

    /// <summary>MATH §9.4 item 5: centre at the origin, four neighbours at 1.5 Å (arrangements A and B).</summary>
    internal static (Structure A, Structure B) DegeneratePair()
    {
        double[] a =
        [
            0, 0, 0,
            0.589407195999883, 0.948683298050514, -1.001298735295094,
            -0.589407195999882, 0.948683298050514, 1.001298735295095,
            0.589407195999883, 0.948683298050513, 1.001298735295094,
            -0.589407195999883, 0.948683298050514, -1.001298735295093,
        ];
        double[] b =
        [
            0, 0, 0,
            0.000000000000000, -1.474580214006443, -0.274978530908715,
            1.001298735295094, 0.097696737150615, 1.112589857156072,
            -1.001298735295094, 0.097696737150617, 1.112589857156071,
            0.000000000000000, -0.433781574132188, 1.435908613367647,
        ];
        int[] z = [6, 1, 1, 1, 1];
        return (new Structure(z, a), new Structure(z, b));
    }

    [Fact]
    public void DegeneratePairHasEqualPowerSpectraButDifferentNuThreeInvariants()
    {
        var density = new SoapParameters
        {
            Cutoff = 3.0,
            CutoffWidth = 0.5,
            DensityWidth = 0.3,
            RadialCount = 6,
            LMax = 6,
            Basis = RadialBasisKind.Gto,
            SplineAccuracy = null,
        };
        var species = new SpeciesList([1, 6]);
        var (a, b) = DegeneratePair();
        var ps = new PowerSpectrumCalculator(density, species);
        var pa = new FeatureComputer(ps).Compute(a).Row(0).ToArray();
        var pb = new FeatureComputer(ps).Compute(b).Row(0).ToArray();
        Featomic.AssertClose(pa, pb, 1e-12, "power spectra of the degenerate pair");

        // Full ν=3 invariants (no thresholding, no contraction) of the centre.
        var parameters = new NiceParameters
        {
            Density = density,
            BodyOrder = 3,
            Steps = [NiceStep.All],
            Scaling = NiceScaling.None,
        };
        var model = NiceModel.Fit([a, b], parameters, species);
        var calc = model.CreateCalculator();
        var xa = new FeatureComputer(calc).Compute(a).Row(0).ToArray();
        var xb = new FeatureComputer(calc).Compute(b).Row(0).ToArray();
        int n1 = model.InvariantCount(1), n2 = model.InvariantCount(2), n3 = model.InvariantCount(3);
        Featomic.AssertClose(xa.AsSpan(0, n1 + n2), xb.AsSpan(0, n1 + n2), 1e-12, "ν ≤ 2 invariants of the degenerate pair");
        var a3 = xa.AsSpan(n1 + n2, n3).ToArray();
        var b3 = xb.AsSpan(n1 + n2, n3).ToArray();
        double scale = a3.Max(Math.Abs), diff = a3.Zip(b3, (u, v) => Math.Abs(u - v)).Max();
        Assert.True(diff > 1e-3 * scale, $"ν=3 invariants differ by {diff:E3} (max |x| {scale:E3})");

        // A fitted, thresholded and contracted ν=3 model still separates them.
        var fitted = NiceModel.Fit([a, b], parameters with { Steps = [new NiceStep(200, 20, 400, 40)], Scaling = NiceScaling.Global }, species);
        var fa = fitted.Transform(a).Row(0).ToArray();
        var fb = fitted.Transform(b).Row(0).ToArray();
        int m12 = fitted.InvariantCount(1) + fitted.InvariantCount(2);
        Featomic.AssertClose(fa.AsSpan(0, m12), fb.AsSpan(0, m12), 1e-11, "fitted ν ≤ 2 invariants");
        double fitDiff = fa.Skip(m12).Zip(fb.Skip(m12), (u, v) => Math.Abs(u - v)).Max();
        Assert.True(fitDiff > 1e-3 * fa.Skip(m12).Max(Math.Abs), $"fitted ν=3 invariants differ by only {fitDiff:E3}");
    }
}
