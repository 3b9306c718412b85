using Specialized.Correlations;
using Specialized.Density;
using Specialized.Features;
using Specialized.Models;
using Specialized.Models.Kernels;
using Specialized.Models.Potentials;
using Specialized.Models.Regression;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Models;

public class PotentialModelTests
{
    private static readonly SoapParameters Small = new() { Cutoff = 3.5, CutoffWidth = 0.5, RadialCount = 4, LMax = 3, DensityWidth = 0.4 };
    private static readonly SpeciesList ThreeSpecies = new([1, 6, 8]);

    /// <summary>A model with random weights and baselines on <paramref name="calculator"/>.</summary>
    private static PotentialModel RandomModel(IFeatureCalculator calculator, int seed, KernelMap? kernel = null)
    {
        var rng = new Random(seed);
        var features = kernel is null ? calculator : new KernelFeatureCalculator(calculator, kernel);
        bool resolved = kernel is null;
        int channels = resolved ? calculator.Species.Count : 1;
        var weights = Enumerable.Range(0, channels * features.FeatureCount).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var baselines = Enumerable.Range(0, calculator.Species.Count).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var spec = RepresentationSpec.For(RepresentationKind.PowerSpectrum, Small, calculator.Species);
        return new PotentialModel(spec, calculator, kernel, new LinearReadout(resolved, channels, features.FeatureCount, weights, baselines), new ModelMetadata());
    }

    private static double Energy(PotentialModel model, Structure s) => model.PredictEnergy(s);

    /// <summary>Central differences of the energy: −∂E/∂r (h = 1e-5 Å).</summary>
    private static double[] FiniteDifferenceForces(PotentialModel model, Structure s, double h = 1e-5)
    {
        var f = new double[3 * s.AtomCount];
        for (int k = 0; k < f.Length; k++)
        {
            var plus = s.Clone();
            plus.Positions[k] += h;
            var minus = s.Clone();
            minus.Positions[k] -= h;
            f[k] = -(Energy(model, plus) - Energy(model, minus)) / (2 * h);
        }
        return f;
    }

    /// <summary>W_αβ = −∂E/∂ε_αβ by central differences, positions and cell deformed as r → r(1 + ε).</summary>
    private static double[] FiniteDifferenceVirial(PotentialModel model, Structure s, double h = 1e-5)
    {
        var w = new double[9];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
            {
                double Deformed(double e)
                {
                    var m = new double[9] { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
                    m[3 * a + b] += e;
                    // Row vectors: r' = r (1 + ε), i.e. the column-vector map is (1 + ε)ᵀ.
                    var t = new double[9];
                    for (int i = 0; i < 3; i++)
                        for (int j = 0; j < 3; j++) t[3 * i + j] = m[3 * j + i];
                    return Energy(model, TestStructures.Transform(s, t));
                }
                w[3 * a + b] = -(Deformed(h) - Deformed(-h)) / (2 * h);
            }
        return w;
    }

    [Fact]
    public void ForcesAreMinusTheFiniteDifferenceOfTheEnergy()
    {
        var calculator = new PowerSpectrumCalculator(Small, ThreeSpecies);
        var model = RandomModel(calculator, 1);
        var s = TestStructures.Cluster(3, 7, [1, 6, 8, 1], radius: 2.2);
        var predicted = model.Predict(s);
        Assert.Null(predicted.Virial);
        Assert.Null(predicted.Stress);
        Featomic.AssertClose(FiniteDifferenceForces(model, s), predicted.Forces, 1e-7, "forces vs −dE/dr");
        Assert.Equal(Energy(model, s), predicted.Energy!.Value, 1e-12);
    }

    [Fact]
    public void VirialAndStressAreTheStrainDerivatives()
    {
        var calculator = new PowerSpectrumCalculator(Small, new SpeciesList([6, 8]));
        var model = RandomModel(calculator, 2);
        var s = TestStructures.Periodic(4, 5, [6, 8], edge: 3.4);
        var p = model.Predict(s);
        Featomic.AssertClose(FiniteDifferenceVirial(model, s), p.Virial, 1e-7, "virial vs −dE/dε");
        Featomic.AssertClose(FiniteDifferenceForces(model, s), p.Forces, 1e-7, "periodic forces vs −dE/dr");
        double volume = s.Cell!.Volume;
        Featomic.AssertClose(p.Virial!.Select(w => -w / volume).ToArray(), p.Stress, 1e-15, "stress = −W/V");
    }

    [Fact]
    public void SparseKernelModelForcesAndVirialAreExactDerivatives()
    {
        var species = new SpeciesList([6, 8]);
        var calculator = new PowerSpectrumCalculator(Small, species);
        var training = Enumerable.Range(0, 4).Select(k => TestStructures.Periodic(10 + k, 5, [6, 8], edge: 3.4)).ToList();
        var kernel = KernelMap.Fit(calculator, training, new KernelOptions { SparsePoints = 6, Zeta = 3 });
        var model = RandomModel(calculator, 3, kernel);
        var s = TestStructures.Periodic(20, 5, [6, 8], edge: 3.4);
        var p = model.Predict(s);
        Featomic.AssertClose(FiniteDifferenceForces(model, s), p.Forces, 1e-7, "kernel forces vs −dE/dr");
        Featomic.AssertClose(FiniteDifferenceVirial(model, s), p.Virial, 1e-7, "kernel virial vs −dE/dε");
    }

    [Fact]
    public void NystromFeaturesReproduceTheKernelOnTheSparseEnvironments()
    {
        // φ_m·φ_m' = (x̂_m·x̂_m')^ζ exactly (up to rounding) when m, m' are sparse environments themselves.
        var species = new SpeciesList([6]);
        var calculator = new PowerSpectrumCalculator(Small, species);
        var structures = Enumerable.Range(0, 3).Select(k => TestStructures.Cluster(30 + k, 6, [6], radius: 2.2, minDistance: 1.1)).ToList();
        var kernel = KernelMap.Fit(calculator, structures, new KernelOptions { SparsePoints = 8, Zeta = 2 });
        var block = kernel.Blocks[0];
        Assert.Equal(8, block.PointCount);
        int f = calculator.FeatureCount;
        var phi = new double[block.PointCount][];
        for (int m = 0; m < block.PointCount; m++)
        {
            phi[m] = new double[block.Rank];
            for (int r = 0; r < block.Rank; r++)
                for (int k = 0; k < block.PointCount; k++)
                    phi[m][r] += block.Projection[r * block.PointCount + k] * Math.Pow(Dot(block.Points.AsSpan(m * f, f), block.Points.AsSpan(k * f, f)), 2);
        }
        for (int m = 0; m < block.PointCount; m++)
            for (int k = 0; k < block.PointCount; k++)
            {
                double expected = Math.Pow(Dot(block.Points.AsSpan(m * f, f), block.Points.AsSpan(k * f, f)), 2);
                Assert.Equal(expected, Dot(phi[m], phi[k]), 1e-9);
            }
        // And the calculator applied to a structure gives those features for the same environment.
        var computed = new FeatureComputer(new KernelFeatureCalculator(calculator, kernel)).Compute(structures[0]);
        var first = new FeatureComputer(calculator).Compute(structures[0]).Row(0).ToArray();
        double norm = Math.Sqrt(Dot(first, first));
        var expectedPhi = new double[block.Rank];
        for (int r = 0; r < block.Rank; r++)
            for (int k = 0; k < block.PointCount; k++)
                expectedPhi[r] += block.Projection[r * block.PointCount + k] * Math.Pow(Dot(first, block.Points.AsSpan(k * f, f)) / norm, 2);
        Featomic.AssertClose(expectedPhi, computed.Row(0), 1e-12, "Nyström features of atom 0");
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int k = 0; k < a.Length; k++) s += a[k] * b[k];
        return s;
    }

    [Fact]
    public void SupercellEnergyIsCopiesTimesTheCellEnergy()
    {
        var calculator = new PowerSpectrumCalculator(Small, new SpeciesList([14]));
        var model = RandomModel(calculator, 4);
        var cell = SiliconDataset.Generate(1, seed: 5, largeCellFraction: 0)[0];
        var p = model.Predict(cell);
        foreach (var (a, b, c) in new[] { (2, 1, 1), (2, 2, 2) })
        {
            var super = Supercell(cell, a, b, c);
            int copies = a * b * c;
            var q = model.Predict(super);
            Assert.Equal(copies * p.Energy!.Value, q.Energy!.Value, 1e-10 * Math.Abs(q.Energy.Value));
            var repeated = Enumerable.Range(0, copies).SelectMany(_ => p.Forces!).ToArray();
            Featomic.AssertClose(repeated, q.Forces, 1e-10, $"{a}x{b}x{c} supercell forces");
            Featomic.AssertClose(p.Stress, q.Stress, 1e-10, $"{a}x{b}x{c} supercell stress");
        }
    }

    /// <summary>The a×b×c supercell, atoms ordered copy by copy.</summary>
    internal static Structure Supercell(Structure s, int a, int b, int c)
    {
        var h = s.Cell!.Matrix.ToArray();
        var numbers = new List<int>();
        var positions = new List<double>();
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++)
                for (int k = 0; k < c; k++)
                    for (int atom = 0; atom < s.AtomCount; atom++)
                    {
                        numbers.Add(s.AtomicNumbers[atom]);
                        for (int d = 0; d < 3; d++)
                            positions.Add(s.Positions[3 * atom + d] + i * h[d] + j * h[3 + d] + k * h[6 + d]);
                    }
        var hs = new double[9];
        for (int d = 0; d < 3; d++)
        {
            hs[d] = a * h[d];
            hs[3 + d] = b * h[3 + d];
            hs[6 + d] = c * h[6 + d];
        }
        return new Structure(numbers.ToArray(), positions.ToArray(), new UnitCell(hs));
    }

    [Fact]
    public void AnExactlyLinearEnergyIsRecovered()
    {
        // Energies and forces generated by a linear model on the radial spectrum: fitting with α = 0 must
        // reproduce the generating model's predictions on unseen structures.
        var species = new SpeciesList([1, 8]);
        var parameters = Small with { RadialCount = 3 };
        var calculator = new RadialSpectrumCalculator(parameters, species);
        var spec = RepresentationSpec.For(RepresentationKind.RadialSpectrum, parameters, species);
        var rng = new Random(6);
        int f = calculator.FeatureCount;
        var truth = new PotentialModel(spec, calculator, null,
            new LinearReadout(true, 2, f, Enumerable.Range(0, 2 * f).Select(_ => rng.NextDouble() - 0.5).ToArray(), [0.3, -1.2]), new ModelMetadata());
        // Varied compositions, so that the per-species baselines are identifiable.
        var training = Enumerable.Range(0, 12).Select(k => Label(truth, TestStructures.Cluster(40 + k, 4 + k % 3, k % 2 == 0 ? [1, 8, 1] : [8, 8, 1], radius: 2.0))).ToList();
        var fit = PotentialTrainer.Fit(spec, training, new PotentialFitOptions { Ridge = new RidgeOptions { Alphas = [0] } });
        foreach (var test in Enumerable.Range(0, 3).Select(k => TestStructures.Cluster(60 + k, 6, [8, 1], radius: 2.0)))
        {
            var expected = truth.Predict(test);
            var actual = fit.Model.Predict(test);
            Assert.Equal(expected.Energy!.Value, actual.Energy!.Value, 1e-9 * (1 + Math.Abs(expected.Energy.Value)));
            Featomic.AssertClose(expected.Forces, actual.Forces, 1e-8, "recovered forces");
        }
    }

    private static Structure Label(PotentialModel model, Structure s)
    {
        var p = model.Predict(s);
        s.Info["energy"] = InfoValue.Real(p.Energy!.Value);
        s.Arrays["forces"] = AtomProperty.Real(3, p.Forces!);
        return s;
    }

    [Fact]
    public void FitsStillingerWeberSiliconWithVirials()
    {
        // A smoke-level accuracy check on the project's own labelled data: the ν=2 model must beat
        // predicting the mean by a wide margin on held-out structures (SW is a 3-body potential).
        var data = SiliconDataset.Generate(24, seed: 11, largeCellFraction: 0);
        var spec = RepresentationSpec.For(RepresentationKind.PowerSpectrum, new SoapParameters { Cutoff = 4.0, RadialCount = 5, LMax = 4 }, new SpeciesList([14]));
        var fit = PotentialTrainer.Fit(spec, data.Take(16).ToList(),
            new PotentialFitOptions { VirialKey = "virial", Ridge = new RidgeOptions { Alphas = RidgeOptions.LogGrid(-10, -2, 5), Folds = 4 } });
        var errors = Evaluation.Evaluate(fit.Model, data.Skip(16).ToList());
        foreach (var name in new[] { "energy/atom", "forces", "virial/atom" })
        {
            var e = errors.Single(x => x.Name == name);
            Assert.True(e.Rmse < 0.05 * e.ReferenceStd, $"{name}: RMSE {e.Rmse:G3} vs reference std {e.ReferenceStd:G3}");
        }
        Assert.Equal("virial", fit.Model.Metadata.Get("virial_key"));
    }

    [Fact]
    public void MissingTargetsAndUnknownSpeciesAreReportedWithTheStructureIndex()
    {
        var spec = RepresentationSpec.For(RepresentationKind.RadialSpectrum, Small, new SpeciesList([1, 8]));
        var good = Label(TestStructures.Cluster(1, 3, [1, 8]), 0);
        var noEnergy = TestStructures.Cluster(2, 3, [1, 8]);
        var e = Assert.Throws<InvalidStructureException>(() => PotentialTrainer.Fit(spec, [good, noEnergy], new PotentialFitOptions { ForcesKey = null }));
        Assert.Contains("structure 1", e.Message);
        Assert.Contains("energy", e.Message);
        var model = RandomModel(new PowerSpectrumCalculator(Small, ThreeSpecies), 8);
        var carbonMonoxideWithNitrogen = new Structure([6, 7], [0, 0, 0, 1.1, 0, 0]);
        var error = Assert.Throws<InvalidStructureException>(() => model.Predict([carbonMonoxideWithNitrogen]));
        Assert.Contains("structure 0", error.Message);
    }

    private static Structure Label(Structure s, int seed)
    {
        s.Info["energy"] = InfoValue.Real(seed);
        return s;
    }
}
