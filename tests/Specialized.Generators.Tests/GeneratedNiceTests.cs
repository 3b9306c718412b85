using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Features;
using Specialized.Generators.Tests.Specs;
using Specialized.Generators.Tests.Support;
using Specialized.Kernels;
using Specialized.Serialization;
using Specialized.Structures;
using Specialized.Tests.Support;
using Xunit.Abstractions;

namespace Specialized.Generators.Tests;

/// <summary>
/// Generated NICE / tensor-reduced kernels (<see cref="NiceDescriptor{TRep}"/>) against the generic path
/// (<see cref="NiceModel.Transform"/>, the oracle) on the same fitted model: values and position, strain and cell
/// gradients to ≤ 1e-12 relative (to each array's largest entry), on a periodic structure and a molecule-like cluster.
/// </summary>
public class GeneratedNiceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-12;
    private const GradientKinds All = GradientKinds.Positions | GradientKinds.Strain | GradientKinds.Cell;

    private static SoapParameters Density(int lMax, int nMax) => new()
    {
        Cutoff = 3.6,
        CutoffWidth = 0.6,
        DensityWidth = 0.45,
        RadialCount = nMax,
        LMax = lMax,
        SplineAccuracy = 1e-8,
        RadialScaling = new RadialScalingParameters(1.0, 2.0, 4.0),
        CenterWeight = 0.7,
    };

    private static readonly NiceStep Thresholded = new(ExpandCovariant: 24, KeepCovariant: 10, ExpandInvariant: 30, KeepInvariant: 12);

    private static NiceParameters Nice(int bodyOrder, int? maxLambda, NiceStep step, bool purify, int? initialKeep = null) => new()
    {
        Density = Density(2, 3),
        BodyOrder = bodyOrder,
        MaxLambda = maxLambda,
        Steps = [step],
        Purification = purify ? new NicePurification(MaxTakeCovariant: 4, MaxTakeInvariant: 6) : null,
        InitialKeep = initialKeep,
        CovariantsAtLastOrder = true,
    };

    private static NiceParameters Reduced(int bodyOrder, int? maxLambda, int rank, SpeciesEmbeddingKind embedding, NiceStep step, bool purify) =>
        Nice(bodyOrder, maxLambda, step, purify) with { SpeciesMode = NiceSpeciesMode.TensorReduced, SpeciesRank = rank, Embedding = embedding, Seed = 17 };

    private static readonly int[] Water = [1, 8];
    private static readonly int[] Organic = [1, 6, 8];

    [Fact]
    public void NiceNu3_FullRecursion() => Check<NiceNu3>(Nice(3, 2, NiceStep.All, purify: false), Water);

    [Fact]
    public void NiceNu3_ThresholdedPurified() => Check<NiceNu3>(Nice(3, 2, Thresholded, purify: true, initialKeep: 4), Water);

    [Fact]
    public void NiceNu4_Thresholded() => Check<NiceNu4>(Nice(4, null, Thresholded, purify: false), Organic);

    [Fact]
    public void NiceNu4_ThresholdedPurified() => Check<NiceNu4>(Nice(4, null, Thresholded, purify: true, initialKeep: 5), Organic);

    [Fact]
    public void ReducedK2_RandomEmbedding() => Check<ReducedK2>(Reduced(3, null, 2, SpeciesEmbeddingKind.Random, NiceStep.All, purify: false), Organic);

    [Fact]
    public void ReducedK2_FittedEmbeddingPurified() => Check<ReducedK2>(Reduced(3, null, 2, SpeciesEmbeddingKind.Fitted, Thresholded, purify: true), Organic);

    [Fact]
    public void ReducedK4_RandomEmbeddingThresholded() => Check<ReducedK4>(Reduced(4, 3, 4, SpeciesEmbeddingKind.Random, Thresholded, purify: true), Organic);

    [Fact]
    public void ReducedK4_FittedEmbedding() => Check<ReducedK4>(Reduced(4, 3, 4, SpeciesEmbeddingKind.Fitted, Thresholded, purify: false), Organic);

    [Fact]
    public void ModelOfAnotherSpec_IsRejectedNamingTheField()
    {
        var training = Training(Water);
        var species = new SpeciesList(Water);
        string Message(NiceParameters p) => Assert.Throws<ModelMismatchException>(() => new NiceDescriptor<NiceNu3>(NiceModel.Fit(training, p, species))).Message;
        var good = Nice(3, 2, Thresholded, purify: false);
        Assert.Contains("l_max", Message(good with { Density = Density(3, 3) }));
        Assert.Contains("n_max", Message(good with { Density = Density(2, 4) }));
        Assert.Contains("body order", Message(good with { BodyOrder = 2 }));
        Assert.Contains("λ_max", Message(good with { MaxLambda = 1 }));
        Assert.Contains("species rank K", Message(good with { SpeciesMode = NiceSpeciesMode.TensorReduced, SpeciesRank = 2 }));
        var other = new SpeciesList([1, 6]);
        var e = Assert.Throws<ModelMismatchException>(() => new NiceDescriptor<NiceNu3>(
            NiceModel.Fit(training.Select(s => Relabel(s, 8, 6)), good, other)));
        Assert.Contains("species", e.Message);
        var matching = NiceModel.Fit(training, good, species);
        Assert.Null(NiceDescriptor<NiceNu3>.Mismatch(matching));
        Assert.Contains("body order", NiceDescriptor<NiceNu4>.Mismatch(matching));
        _ = new NiceDescriptor<NiceNu3>(matching); // the matching model is accepted
    }

    [Fact]
    public void BadInput_TypedErrors()
    {
        var model = NiceModel.Fit(Training(Water), Nice(3, 2, Thresholded, purify: false), new SpeciesList(Water));
        var descriptor = new NiceDescriptor<NiceNu3>(model);
        var carbon = TestStructures.Cluster(4, 5, [1, 6, 8], radius: 2.2);
        var e = Assert.Throws<InvalidStructureException>(() => descriptor.Compute(carbon));
        Assert.Contains("Z=6", e.Message);
        var water = TestStructures.Cluster(4, 5, Water, radius: 2.2);
        var w = Assert.Throws<InvalidParameterException>(() => descriptor.ComputeLinear(water, new double[model.FeatureCount - 1], new double[5]));
        Assert.Equal("weights", w.Parameter);
        var v = Assert.Throws<InvalidParameterException>(() => descriptor.Compute(water, new double[3]));
        Assert.Equal("values", v.Parameter);
    }

    [Fact]
    public void IsolatedAtom_HasOnlyItsSelfTermAndZeroGradients()
    {
        var model = NiceModel.Fit(Training(Water), Nice(3, 2, Thresholded, purify: true), new SpeciesList(Water));
        var descriptor = new NiceDescriptor<NiceNu3>(model);
        // an O–H pair within the cutoff and a far H with no neighbour
        var structure = new Structure([8, 1, 1], [0, 0, 0, 0.96, 0, 0, 20, 0, 0]);
        var expected = model.Transform(structure, GradientKinds.Positions);
        var generated = descriptor.Compute(structure, GradientKinds.Positions);
        Close.Assert(expected.Values, generated.Values, Tolerance, "values");
        Close.Assert(expected.PositionGradients!, generated.PositionGradients!, Tolerance, "position gradients");
        int f = model.FeatureCount;
        Assert.All(generated.PositionGradients!.AsSpan(2 * 3 * f, 3 * f).ToArray(), g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void PlainDescriptor_RejectsANiceSpec()
    {
        var e = Assert.Throws<InvalidParameterException>(() => new Descriptor<NiceNu4>(Density(2, 3), new SpeciesList(Organic)));
        Assert.Contains("NiceDescriptor<NiceNu4>", e.Message); // points at the driver that runs it
    }

    [Fact]
    public void AfterWarmUp_AllocatesNothingPerCall_FeaturesAndLinearModel()
    {
        var model = NiceModel.Fit(Training(Organic), Nice(4, null, Thresholded, purify: true), new SpeciesList(Organic));
        var descriptor = new NiceDescriptor<NiceNu4>(model);
        var structure = TestStructures.Periodic(8, 8, Organic, edge: 4.3);
        int n = structure.AtomCount, f = descriptor.FeatureCount;
        var values = new double[n * f];
        var positions = new double[n * 3 * f];
        var strain = new double[n * 9 * f];
        for (int k = 0; k < 2; k++)
        {
            descriptor.Compute(structure, values, positions, strain);
            descriptor.Compute(structure, values);
        }
        var reference = (double[])positions.Clone();
        Assert.True(AllocationFreeWindow(() =>
        {
            descriptor.Compute(structure, values, positions, strain);
            descriptor.Compute(structure, values);
        }), "every window of three feature calls allocated");
        Assert.Equal(reference, positions);
        Assert.Contains(values, v => v != 0);

        var weights = Enumerable.Range(0, f).Select(k => Math.Cos(k)).ToArray();
        var energies = new double[n];
        var forces = new double[n * 3];
        var virials = new double[n * 9];
        for (int k = 0; k < 2; k++) descriptor.ComputeLinear(structure, weights, energies, forces, virials);
        var forceReference = (double[])forces.Clone();
        Assert.True(AllocationFreeWindow(() => descriptor.ComputeLinear(structure, weights, energies, forces, virials)),
            "every window of three linear-model calls allocated");
        Assert.Equal(forceReference, forces);
        Assert.Contains(forces, v => v != 0);
    }

    /// <summary>
    /// True when some window of three consecutive calls of <paramref name="call"/>, among the first 20 windows, allocated
    /// nothing on this thread. The runtime (tiered JIT promotion) may allocate once on the calling thread at an unpredictable
    /// call; an allocation per call fails every window.
    /// </summary>
    private static bool AllocationFreeWindow(Action call)
    {
        for (int window = 0; window < 20; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 3; k++) call();
            if (GC.GetAllocatedBytesForCurrentThread() == before) return true;
        }
        return false;
    }

    private static List<Structure> Training(int[] species) =>
        [TestStructures.Periodic(31, 8, species, edge: 4.3), TestStructures.Periodic(32, 8, species, edge: 4.1), TestStructures.Cluster(33, 7, species, radius: 2.3)];

    private static Structure Relabel(Structure s, int from, int to)
    {
        var numbers = s.AtomicNumbers.ToArray();
        for (int i = 0; i < numbers.Length; i++)
            if (numbers[i] == from) numbers[i] = to;
        return new Structure(numbers, s.Positions, s.Cell);
    }

    /// <summary>Fits the model on fixed training structures, then compares generated and generic features and gradients.</summary>
    private void Check<T>(NiceParameters parameters, int[] atomSpecies) where T : struct, INiceKernel<T>
    {
        var species = new SpeciesList(atomSpecies);
        var model = NiceModel.Fit(Training(atomSpecies), parameters, species);
        var descriptor = new NiceDescriptor<T>(model);
        Assert.Equal(model.FeatureCount, descriptor.FeatureCount);
        double worst = 0;
        int compared = 0;
        Structure[] structures = [TestStructures.Periodic(7, 9, atomSpecies, edge: 4.2), TestStructures.Cluster(3, 7, atomSpecies, radius: 2.2)];
        var large = TestStructures.Periodic(9, 45, atomSpecies, edge: 7.5);
        var random = new Random(5);
        var weights = Enumerable.Range(0, model.FeatureCount).Select(_ => random.NextDouble() - 0.5).ToArray();
        foreach (var structure in structures)
        {
            var expected = model.Transform(structure, All);
            var generated = descriptor.Compute(structure, All);
            string what = $"{typeof(T).Name} on {(structure.IsPeriodic ? "periodic" : "cluster")}";
            Track(Close.Assert(expected.Values, generated.Values, Tolerance, what + " values"));
            Track(Close.Assert(expected.PositionGradients!, generated.PositionGradients!, Tolerance, what + " position gradients"));
            Track(Close.Assert(expected.StrainGradients!, generated.StrainGradients!, Tolerance, what + " strain gradients"));
            if (structure.IsPeriodic) Track(Close.Assert(expected.CellGradients!, generated.CellGradients!, Tolerance, what + " cell gradients"));
            // values only: the batched path (several centres per contraction product)
            Track(Close.Assert(expected.Values, descriptor.Compute(structure).Values, Tolerance, what + " values (batched)"));

            // a linear model on the features: energies and reverse-mode gradients against the generic linear calculator
            var linear = new FeatureComputer(model.CreateLinearCalculator(weights)).Compute(structure, All);
            int n = structure.AtomCount;
            var (energies, positions, strain, cell) = (new double[n], new double[n * 3], new double[n * 9], new double[n * 9]);
            descriptor.ComputeLinear(structure, weights, energies, positions, strain, cell);
            Track(Close.Assert(linear.Values, energies, Tolerance, what + " linear model"));
            Track(Close.Assert(linear.PositionGradients!, positions, Tolerance, what + " linear model position gradients"));
            Track(Close.Assert(linear.StrainGradients!, strain, Tolerance, what + " linear model strain gradients"));
            if (structure.IsPeriodic) Track(Close.Assert(linear.CellGradients!, cell, Tolerance, what + " linear model cell gradients"));
        }
        Track(Close.Assert(model.Transform(large).Values, descriptor.Compute(large).Values, Tolerance, "more centres than one batch"));
        Assert.Equal(17, compared);
        output.WriteLine($"{typeof(T).Name} ({model.FeatureCount} features): worst relative difference {worst:E2}");

        void Track(double relative)
        {
            worst = Math.Max(worst, relative);
            compared++;
        }
    }
}
