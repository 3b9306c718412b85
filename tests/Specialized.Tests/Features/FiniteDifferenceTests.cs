using Specialized.Density;
using Specialized.Features;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Features;

/// <summary>Every gradient kind of every representation against central finite differences (h = 1e-5 Å).</summary>
public class FiniteDifferenceTests
{
    private const double H = 1e-5;

    private static readonly SoapParameters Parameters = new()
    {
        Cutoff = 3.5,
        CutoffWidth = 0.5,
        DensityWidth = 0.4,
        RadialCount = 4,
        LMax = 3,
        SplineAccuracy = null,
    };

    public static TheoryData<string, int, int> Cases() => new()
    {
        { "spherical-expansion", 0, 1 },
        { "radial-spectrum", 0, 1 },
        { "power-spectrum", 0, 1 },
        { "lambda-soap", 1, 1 },
        { "lambda-soap", 1, -1 },
        { "lambda-soap", 2, 1 },
    };

    private static IFeatureCalculator Calculator(string name, int lambda, int sigma, SoapParameters? p = null) =>
        Representation.Create(Representation.Parse(name), p ?? Parameters, new SpeciesList([1, 8]), lambda, sigma);

    private static double[] Sum(Structure s, IFeatureCalculator calc)
    {
        var r = new FeatureComputer(calc).Compute(s);
        var sum = new double[calc.FeatureCount];
        for (int i = 0; i < s.AtomCount; i++)
            for (int f = 0; f < sum.Length; f++) sum[f] += r.Values[i * calc.FeatureCount + f];
        return sum;
    }

    /// <summary>[k][d][f] = (Σ_i X_i(r_k + h e_d) − Σ_i X_i(r_k − h e_d)) / 2h.</summary>
    private static double[] NumericPositionGradients(Structure s, IFeatureCalculator calc)
    {
        int f = calc.FeatureCount;
        var numeric = new double[s.AtomCount * 3 * f];
        for (int k = 0; k < s.AtomCount; k++)
            for (int d = 0; d < 3; d++)
            {
                var plus = s.Clone(); plus.Positions[3 * k + d] += H;
                var minus = s.Clone(); minus.Positions[3 * k + d] -= H;
                var sp = Sum(plus, calc); var sm = Sum(minus, calc);
                for (int q = 0; q < f; q++) numeric[(k * 3 + d) * f + q] = (sp[q] - sm[q]) / (2 * H);
            }
        return numeric;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PositionGradients(string name, int lambda, int sigma)
    {
        var calc = Calculator(name, lambda, sigma);
        var s = TestStructures.Periodic(11, 6, [1, 8], edge: 4.2);
        var analytic = new FeatureComputer(calc).Compute(s, GradientKinds.Positions).PositionGradients!;
        var numeric = NumericPositionGradients(s, calc);
        Featomic.AssertClose(numeric, analytic, 1e-7, $"{name} positions");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StrainAndCellGradients(string name, int lambda, int sigma)
    {
        var calc = Calculator(name, lambda, sigma);
        var s = TestStructures.Periodic(5, 5, [8, 1], edge: 3.6);
        var r = new FeatureComputer(calc).Compute(s, GradientKinds.Strain | GradientKinds.Cell);
        int f = calc.FeatureCount, n = s.AtomCount;
        var strainNumeric = new double[r.StrainGradients!.Length];
        var cellNumeric = new double[r.CellGradients!.Length];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
            {
                var deform = new double[9];
                deform[0] = deform[4] = deform[8] = 1;
                // positions and cell rows are row vectors: x'_b = Σ_a x_a (δ_ab + ε_ab), i.e. r' = M r with M = (I + ε)ᵀ
                var plusM = (double[])deform.Clone(); plusM[3 * b + a] += H;
                var minusM = (double[])deform.Clone(); minusM[3 * b + a] -= H;
                var vp = new FeatureComputer(calc).Compute(TestStructures.Transform(s, plusM)).Values;
                var vm = new FeatureComputer(calc).Compute(TestStructures.Transform(s, minusM)).Values;
                for (int i = 0; i < n; i++)
                    for (int q = 0; q < f; q++)
                        strainNumeric[((i * 3 + a) * 3 + b) * f + q] = (vp[i * f + q] - vm[i * f + q]) / (2 * H);

                var hp = s.Cell!.Matrix.ToArray(); hp[3 * a + b] += H;
                var hm = s.Cell!.Matrix.ToArray(); hm[3 * a + b] -= H;
                var cp = s.Clone(); cp.Cell = new UnitCell(hp);
                var cm = s.Clone(); cm.Cell = new UnitCell(hm);
                var wp = new FeatureComputer(calc).Compute(cp).Values;
                var wm = new FeatureComputer(calc).Compute(cm).Values;
                for (int i = 0; i < n; i++)
                    for (int q = 0; q < f; q++)
                        cellNumeric[((i * 3 + a) * 3 + b) * f + q] = (wp[i * f + q] - wm[i * f + q]) / (2 * H);
            }
        Featomic.AssertClose(strainNumeric, r.StrainGradients, 1e-7, $"{name} strain");
        Featomic.AssertClose(cellNumeric, r.CellGradients!, 1e-7, $"{name} cell");
    }

    [Fact]
    public void SplinedGradientsMatchFiniteDifferencesOfTheSpline()
    {
        var calc = Calculator("power-spectrum", 0, 1, Parameters with { SplineAccuracy = 1e-8, Basis = Specialized.Radial.RadialBasisKind.LaplacianEigenstate });
        var s = TestStructures.Cluster(3, 7, [1, 8]);
        var analytic = new FeatureComputer(calc).Compute(s, GradientKinds.Positions).PositionGradients!;
        var numeric = NumericPositionGradients(s, calc);
        Featomic.AssertClose(numeric, analytic, 1e-6, "splined LE power spectrum positions");
    }
}
