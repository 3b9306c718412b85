using Specialized.Angular;
using Specialized.Density;
using Specialized.Features;
using Specialized.Models;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Models;

public class TensorModelTests
{
    private static readonly SoapParameters Small = new() { Cutoff = 3.5, CutoffWidth = 0.5, RadialCount = 3, LMax = 3, DensityWidth = 0.4 };
    private static readonly SpeciesList Species = new([1, 6, 8]);

    private static TensorBlock RandomBlock(int lambda, int seed, string kind = "lambda-soap", bool baselines = false)
    {
        var spec = new RepresentationSpec(kind, Small, Species.AtomicNumbers.ToArray(), kind == "lambda-soap" ? lambda : 0, 1);
        var calculator = RepresentationCatalog.Create(spec);
        var rng = new Random(seed);
        int props = calculator.FeatureCount / calculator.ComponentCount;
        var w = Enumerable.Range(0, Species.Count * props).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var b = baselines ? Enumerable.Range(0, Species.Count).Select(_ => rng.NextDouble()).ToArray() : [];
        return new TensorBlock(lambda, spec, calculator, new LinearReadout(true, Species.Count, props, w, b));
    }

    internal static TensorModel RandomDipoleModel(int seed) => new(ModelKind.Dipole, [RandomBlock(1, seed)], new ModelMetadata());

    /// <summary>A symmetry-adapted kernel dipole model (map fitted on random clusters) with random weights.</summary>
    internal static TensorModel RandomKernelDipoleModel(int seed)
    {
        var tensor = RepresentationCatalog.Create(new RepresentationSpec("lambda-soap", Small, Species.AtomicNumbers.ToArray(), 1, 1));
        var scalarSpec = new RepresentationSpec("power-spectrum", Small, Species.AtomicNumbers.ToArray());
        var scalar = RepresentationCatalog.Create(scalarSpec);
        var training = Enumerable.Range(0, 4).Select(k => TestStructures.Cluster(50 + k, 6, [6, 1, 8], radius: 2.0)).ToList();
        var map = Specialized.Models.Kernels.EquivariantKernelMap.Fit(tensor, scalar, training, new Specialized.Models.Kernels.KernelOptions { SparsePoints = 4, Zeta = 2 });
        var rng = new Random(seed);
        var w = Enumerable.Range(0, map.PropertyCount).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var spec = new RepresentationSpec("lambda-soap", Small, Species.AtomicNumbers.ToArray(), 1, 1);
        var block = new TensorBlock(1, spec, tensor, new LinearReadout(false, 1, map.PropertyCount, w, []), new TensorKernel(scalarSpec, scalar, map));
        return new TensorModel(ModelKind.Dipole, [block], new ModelMetadata());
    }

    internal static TensorModel RandomPolarizabilityModel(int seed) =>
        new(ModelKind.Polarizability, [RandomBlock(0, seed, "power-spectrum", baselines: true), RandomBlock(2, seed + 1)], new ModelMetadata());

    private static double[] Rotate(double[] r, double[] v) =>
        [r[0] * v[0] + r[1] * v[1] + r[2] * v[2], r[3] * v[0] + r[4] * v[1] + r[5] * v[2], r[6] * v[0] + r[7] * v[1] + r[8] * v[2]];

    /// <summary>R A Rᵀ for row-major 3×3 matrices.</summary>
    private static double[] Conjugate(double[] r, double[] a)
    {
        var result = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++)
                    for (int l = 0; l < 3; l++) result[3 * i + j] += r[3 * i + k] * a[3 * k + l] * r[3 * j + l];
        return result;
    }

    [Fact]
    public void VectorComponentsAreYZX()
    {
        var s = new double[3];
        SphericalTensors.VectorToSpherical([1, 2, 3], s);
        Assert.Equal([2.0, 3.0, 1.0], s);
        var v = new double[3];
        SphericalTensors.SphericalToVector(s, v);
        Assert.Equal([1.0, 2.0, 3.0], v);
    }

    [Fact]
    public void RankTwoTensorsRoundTripExactlyThroughSphericalComponents()
    {
        var rng = new Random(1);
        for (int trial = 0; trial < 20; trial++)
        {
            var a = Enumerable.Range(0, 9).Select(_ => rng.NextDouble() * 20 - 10).ToArray();
            var back = new double[9];
            for (int lambda = 0; lambda <= 2; lambda++)
            {
                var t = new double[2 * lambda + 1];
                SphericalTensors.MatrixToSpherical(a, lambda, t);
                SphericalTensors.AddSphericalToMatrix(t, lambda, back);
            }
            Featomic.AssertClose(a, back, 2e-15, "A -> (T0, T1, T2) -> A");

            // Symmetric part: T1 = 0, T0 = −Tr/√3, and the λ = 0 + 2 parts alone rebuild it.
            var sym = new double[9];
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) sym[3 * i + j] = 0.5 * (a[3 * i + j] + a[3 * j + i]);
            var t0 = new double[1];
            var t1 = new double[3];
            var t2 = new double[5];
            SphericalTensors.MatrixToSpherical(sym, 0, t0);
            SphericalTensors.MatrixToSpherical(sym, 1, t1);
            SphericalTensors.MatrixToSpherical(sym, 2, t2);
            Assert.Equal(-(sym[0] + sym[4] + sym[8]) / Math.Sqrt(3), t0[0], 1e-13);
            Assert.All(t1, x => Assert.Equal(0, x, 1e-13));
            var rebuilt = new double[9];
            SphericalTensors.AddSphericalToMatrix(t0, 0, rebuilt);
            SphericalTensors.AddSphericalToMatrix(t2, 2, rebuilt);
            Featomic.AssertClose(sym, rebuilt, 2e-15, "symmetric A from λ = 0 and λ = 2");
        }
    }

    [Fact]
    public void SphericalComponentsTransformWithWignerD()
    {
        var rng = new Random(2);
        var rotation = WignerD.RandomRotation(rng);
        var a = Enumerable.Range(0, 9).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var rotated = Conjugate(rotation, a);
        for (int lambda = 0; lambda <= 2; lambda++)
        {
            int n = 2 * lambda + 1;
            var t = new double[n];
            var tr = new double[n];
            SphericalTensors.MatrixToSpherical(a, lambda, t);
            SphericalTensors.MatrixToSpherical(rotated, lambda, tr);
            var d = WignerD.Compute(lambda, rotation);
            var expected = new double[n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) expected[i] += d[i * n + j] * t[j];
            Featomic.AssertClose(expected, tr, 1e-13, $"λ={lambda} components of R A Rᵀ");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void DipolePredictionsRotateWithTheMolecule(int seed)
    {
        foreach (var model in new[] { RandomDipoleModel(seed), RandomKernelDipoleModel(seed) })
            CheckDipoleEquivariance(model, seed);
    }

    private static void CheckDipoleEquivariance(TensorModel model, int seed)
    {
        var molecule = TestStructures.Cluster(seed, 7, [6, 1, 8, 1], radius: 2.0);
        var mu = model.Predict(molecule).Dipole!;
        Assert.True(mu.Max(Math.Abs) > 1e-3, "a random model should predict a non-zero dipole for a random molecule");
        var rotation = WignerD.RandomRotation(new Random(100 + seed));
        var rotated = model.Predict(TestStructures.Transform(molecule, rotation)).Dipole!;
        Featomic.AssertClose(Rotate(rotation, mu), rotated, 1e-10, "μ(RA) = R μ(A)");
        // Inversion: a true vector (σ = +1) flips sign.
        var inverted = model.Predict(TestStructures.Transform(molecule, [-1, 0, 0, 0, -1, 0, 0, 0, -1])).Dipole!;
        Featomic.AssertClose(mu.Select(x => -x).ToArray(), inverted, 1e-10, "μ(−A) = −μ(A)");
        // Translation invariance.
        var shifted = molecule.Clone();
        for (int i = 0; i < shifted.AtomCount; i++) shifted.Positions[3 * i] += 3.7;
        Featomic.AssertClose(mu, model.Predict(shifted).Dipole, 1e-11, "translation");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void PolarizabilityPredictionsRotateWithTheMolecule(int seed)
    {
        var model = RandomPolarizabilityModel(seed);
        var molecule = TestStructures.Cluster(seed, 6, [6, 8, 1], radius: 2.0);
        var alpha = model.Predict(molecule).Polarizability!;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < i; j++) Assert.Equal(alpha[3 * i + j], alpha[3 * j + i], 1e-12);
        var rotation = WignerD.RandomRotation(new Random(200 + seed));
        var rotated = model.Predict(TestStructures.Transform(molecule, rotation)).Polarizability!;
        Featomic.AssertClose(Conjugate(rotation, alpha), rotated, 1e-10, "α(RA) = R α(A) Rᵀ");
        var inverted = model.Predict(TestStructures.Transform(molecule, [-1, 0, 0, 0, -1, 0, 0, 0, -1])).Polarizability!;
        Featomic.AssertClose(alpha, inverted, 1e-10, "α(−A) = α(A)");
    }

    [Fact]
    public void SymmetricMoleculesHaveZeroDipoleForAnyWeights()
    {
        const double ch = 1.09, co = 1.16;
        double t = ch / Math.Sqrt(3);
        var methane = new Structure([6, 1, 1, 1, 1], [0, 0, 0, t, t, t, t, -t, -t, -t, t, -t, -t, -t, t]);
        var carbonDioxide = new Structure([6, 8, 8], [0, 0, 0, co, 0, 0, -co, 0, 0]);
        var rotation = WignerD.RandomRotation(new Random(9));
        foreach (int seed in new[] { 1, 2, 3 })
            foreach (var model in new[] { RandomDipoleModel(seed), RandomKernelDipoleModel(seed) })
            {
                var reference = model.Predict(TestStructures.Cluster(seed, 5, [6, 1, 8], radius: 2.0)).Dipole!.Max(Math.Abs);
                foreach (var molecule in new[] { methane, carbonDioxide, TestStructures.Transform(methane, rotation), TestStructures.Transform(carbonDioxide, rotation) })
                {
                    var mu = model.Predict(molecule).Dipole!;
                    Assert.True(mu.Max(Math.Abs) <= 1e-12 * Math.Max(reference, 1), $"|μ| = {mu.Max(Math.Abs):E2} for a molecule without a dipole");
                }
            }
    }

    [Fact]
    public void BlocksMustMatchTheModelKind()
    {
        Assert.Throws<InvalidParameterException>(() => new TensorModel(ModelKind.Dipole, [RandomBlock(2, 1)], new ModelMetadata()));
        Assert.Throws<InvalidParameterException>(() => new TensorModel(ModelKind.Polarizability, [RandomBlock(1, 1)], new ModelMetadata()));
        var block = RandomBlock(1, 1);
        Assert.Throws<InvalidParameterException>(() => new TensorBlock(1, block.Representation, block.Calculator,
            new LinearReadout(true, Species.Count, block.Readout.PropertyCount, block.Readout.Weights, [1, 2, 3])));
    }
}
