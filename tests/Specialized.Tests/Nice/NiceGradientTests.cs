using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Features;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Nice;

/// <summary>Position and strain gradients of fitted NICE / tensor-reduced calculators against central finite differences.</summary>
public class NiceGradientTests
{
    private const double H = 1e-5;

    private static readonly SpeciesList Species = new([1, 8]);

    private static NiceModel Model(NiceSpeciesMode mode, bool ragged = false)
    {
        var density = ragged ? NiceEquivarianceTests.Ragged : NiceEquivarianceTests.Density;
        var parameters = NiceEquivarianceTests.Fitted(mode) with { Density = density with { Cutoff = 3.0, LMax = 2 } };
        var training = Enumerable.Range(0, 3).Select(k => TestStructures.Periodic(40 + k, 6, [1, 8], edge: 4.2)).ToList();
        return NiceModel.Fit(training, parameters, Species);
    }

    public static TheoryData<NiceSpeciesMode, int, int, bool> Cases() => new()
    {
        { NiceSpeciesMode.PerSpecies, -1, 0, false },
        { NiceSpeciesMode.PerSpecies, 1, 1, false },
        { NiceSpeciesMode.TensorReduced, -1, 0, false },
        { NiceSpeciesMode.TensorReduced, 2, 1, false },
        { NiceSpeciesMode.TensorReduced, 1, 1, true },
    };

    private static IFeatureCalculator Calculator(NiceModel model, int lambda, int sigma) =>
        lambda < 0 ? model.CreateCalculator() : model.CreateEquivariantCalculator(lambda, sigma);

    private static double[] Sum(Structure s, IFeatureCalculator calc)
    {
        var values = new FeatureComputer(calc).Compute(s).Values;
        var sum = new double[calc.FeatureCount];
        for (int i = 0; i < s.AtomCount; i++)
            for (int f = 0; f < sum.Length; f++) sum[f] += values[i * calc.FeatureCount + f];
        return sum;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PositionGradientsMatchFiniteDifferences(NiceSpeciesMode mode, int lambda, int sigma, bool ragged)
    {
        var calc = Calculator(Model(mode, ragged), lambda, sigma);
        var s = TestStructures.Periodic(11, 6, [1, 8], edge: 4.2);
        var analytic = new FeatureComputer(calc, threads: 2).Compute(s, GradientKinds.Positions).PositionGradients!;
        int f = calc.FeatureCount;
        var numeric = new double[analytic.Length];
        for (int k = 0; k < s.AtomCount; k++)
            for (int d = 0; d < 3; d++)
            {
                var plus = s.Clone(); plus.Positions[3 * k + d] += H;
                var minus = s.Clone(); minus.Positions[3 * k + d] -= H;
                var sp = Sum(plus, calc); var sm = Sum(minus, calc);
                for (int q = 0; q < f; q++) numeric[(k * 3 + d) * f + q] = (sp[q] - sm[q]) / (2 * H);
            }
        Assert.True(analytic.Max(Math.Abs) > 1e-6);
        Featomic.AssertClose(numeric, analytic, 1e-7, $"{calc.Name} positions");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StrainGradientsMatchFiniteDifferences(NiceSpeciesMode mode, int lambda, int sigma, bool ragged)
    {
        var calc = Calculator(Model(mode, ragged), lambda, sigma);
        var s = TestStructures.Periodic(5, 5, [8, 1], edge: 3.6);
        var analytic = new FeatureComputer(calc).Compute(s, GradientKinds.Strain).StrainGradients!;
        int f = calc.FeatureCount, n = s.AtomCount;
        var numeric = new double[analytic.Length];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
            {
                var plusM = new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }; plusM[3 * b + a] += H;
                var minusM = new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }; minusM[3 * b + a] -= H;
                var vp = new FeatureComputer(calc).Compute(TestStructures.Transform(s, plusM)).Values;
                var vm = new FeatureComputer(calc).Compute(TestStructures.Transform(s, minusM)).Values;
                for (int i = 0; i < n; i++)
                    for (int q = 0; q < f; q++)
                        numeric[((i * 3 + a) * 3 + b) * f + q] = (vp[i * f + q] - vm[i * f + q]) / (2 * H);
            }
        Assert.True(analytic.Max(Math.Abs) > 1e-6);
        Featomic.AssertClose(numeric, analytic, 1e-7, $"{calc.Name} strain");
    }
}

/// <summary>The reverse-mode linear calculator against the forward-mode Jacobian contracted with the weights.</summary>
public class NiceLinearCalculatorTests
{
    [Theory]
    [InlineData(NiceSpeciesMode.PerSpecies, 1)]
    [InlineData(NiceSpeciesMode.TensorReduced, 2)]
    public void AdjointGradientsEqualTheContractedJacobian(NiceSpeciesMode mode, int outputs)
    {
        var parameters = NiceEquivarianceTests.Fitted(mode) with { Density = NiceEquivarianceTests.Density with { Cutoff = 3.0, LMax = 2 } };
        var training = Enumerable.Range(0, 3).Select(k => TestStructures.Periodic(60 + k, 6, [1, 8], edge: 4.2)).ToList();
        var model = NiceModel.Fit(training, parameters, new SpeciesList([1, 8]));
        int f = model.FeatureCount;
        var rng = new Random(3);
        var w = Enumerable.Range(0, f * outputs).Select(_ => NiceTestSupport.Normal(rng)).ToArray();
        var s = TestStructures.Periodic(12, 7, [1, 8], edge: 4.4);
        var kinds = GradientKinds.Positions | GradientKinds.Strain | GradientKinds.Cell;
        var full = model.Transform(s, kinds);
        var linear = new FeatureComputer(model.CreateLinearCalculator(w, outputs), threads: 2).Compute(s, kinds);

        double[] Contract(double[] x, int rows)
        {
            var y = new double[rows * outputs];
            for (int r = 0; r < rows; r++)
                for (int k = 0; k < outputs; k++)
                {
                    double sum = 0;
                    for (int q = 0; q < f; q++) sum += x[r * f + q] * w[q * outputs + k];
                    y[r * outputs + k] = sum;
                }
            return y;
        }
        int n = s.AtomCount;
        Featomic.AssertClose(Contract(full.Values, n), linear.Values, 1e-13, "values");
        Featomic.AssertClose(Contract(full.PositionGradients!, 3 * n), linear.PositionGradients!, 1e-12, "position gradients");
        Featomic.AssertClose(Contract(full.StrainGradients!, 9 * n), linear.StrainGradients!, 1e-12, "strain gradients");
        Featomic.AssertClose(Contract(full.CellGradients!, 9 * n), linear.CellGradients!, 1e-12, "cell gradients");
        Assert.True(linear.PositionGradients!.Max(Math.Abs) > 1e-6);
        Assert.Throws<InvalidParameterException>(() => model.CreateLinearCalculator(new double[f + 1]));
    }
}

/// <summary>Hot paths allocate nothing once the workers have seen the largest neighbour count.</summary>
public class NiceAllocationTests
{
    [Fact]
    public void WorkersDoNotAllocatePerCentreAfterWarmUp()
    {
        var species = new SpeciesList([1, 8]);
        var parameters = NiceEquivarianceTests.Fitted(NiceSpeciesMode.PerSpecies) with { Density = NiceEquivarianceTests.Density with { Cutoff = 3.0, LMax = 2 } };
        var s = TestStructures.Periodic(70, 6, [1, 8], edge: 4.2);
        var model = NiceModel.Fit([s], parameters, species);
        var calculators = new[]
        {
            model.CreateCalculator(),
            model.CreateEquivariantCalculator(1, 1),
            model.CreateLinearCalculator(new double[model.FeatureCount]),
        };
        var context = new StructureContext(s, species, parameters.Density.Cutoff);
        int maxPairs = Enumerable.Range(0, s.AtomCount).Max(context.PairCount);
        foreach (var calc in calculators)
        {
            var worker = calc.CreateWorker();
            var values = new double[calc.FeatureCount];
            var gradients = new double[maxPairs * 3 * calc.FeatureCount];
            for (int i = 0; i < s.AtomCount; i++) worker.Compute(context, i, values, gradients.AsSpan(0, context.PairCount(i) * 3 * calc.FeatureCount));
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < s.AtomCount; i++)
            {
                worker.Compute(context, i, values, gradients.AsSpan(0, context.PairCount(i) * 3 * calc.FeatureCount));
                worker.Compute(context, i, values, []);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
