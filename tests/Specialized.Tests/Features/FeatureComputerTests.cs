using Specialized.Density;
using Specialized.Features;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Features;

/// <summary>
/// The driver's buffer reuse, result reuse, threading and sparse pair-gradient columns, each against
/// an independent computation (fresh computers, finite differences).
/// </summary>
public class FeatureComputerTests
{
    private static readonly SoapParameters Parameters = new()
    {
        Cutoff = 3.5,
        CutoffWidth = 0.5,
        DensityWidth = 0.4,
        RadialCount = 3,
        LMax = 2,
        SplineAccuracy = null,
    };

    private static readonly SpeciesList ThreeSpecies = new([1, 6, 8]);

    public static TheoryData<string, int> Representations() => new()
    {
        { "spherical-expansion", 0 },
        { "radial-spectrum", 0 },
        { "power-spectrum", 0 },
        { "lambda-soap", 1 },
    };

    private static IFeatureCalculator Calculator(string name, int lambda) =>
        Representation.Create(Representation.Parse(name), Parameters, ThreeSpecies, lambda, 1);

    private const GradientKinds All = GradientKinds.Positions | GradientKinds.Strain | GradientKinds.Cell;

    /// <summary>
    /// With three species most of each pair gradient is declared zero; the position gradients,
    /// assembled from the declared columns only, must still match central differences of Σ_i X_i.
    /// </summary>
    [Theory]
    [MemberData(nameof(Representations))]
    public void ThreeSpeciesPositionGradientsMatchFiniteDifferences(string name, int lambda)
    {
        const double h = 1e-5;
        var calc = Calculator(name, lambda);
        var s = TestStructures.Periodic(23, 6, [1, 6, 8], edge: 4.0);
        var analytic = new FeatureComputer(calc).Compute(s, GradientKinds.Positions).PositionGradients!;
        int f = calc.FeatureCount;
        var numeric = new double[analytic.Length];
        var computer = new FeatureComputer(calc);
        for (int k = 0; k < s.AtomCount; k++)
            for (int d = 0; d < 3; d++)
            {
                var plus = s.Clone(); plus.Positions[3 * k + d] += h;
                var minus = s.Clone(); minus.Positions[3 * k + d] -= h;
                var vp = computer.Compute(plus).Values;
                var vm = computer.Compute(minus).Values;
                for (int i = 0; i < s.AtomCount; i++)
                    for (int q = 0; q < f; q++) numeric[(k * 3 + d) * f + q] += (vp[i * f + q] - vm[i * f + q]) / (2 * h);
            }
        Assert.Contains(analytic, x => x != 0);
        Featomic.AssertClose(numeric, analytic, 1e-7, $"{name} positions, three species");
    }

    /// <summary>
    /// Two groups 9 Å apart (cutoff 3.5 Å): H and N atoms see no C or O, C and O atoms see no H or N, so
    /// centres have species absent inside and outside their range of present channels.
    /// </summary>
    [Theory]
    [MemberData(nameof(Representations))]
    public void GradientsWithSpeciesAbsentFromSomeCentresMatchFiniteDifferences(string name, int lambda)
    {
        const double h = 1e-5;
        var species = new SpeciesList([1, 6, 7, 8]);
        var calc = Representation.Create(Representation.Parse(name), Parameters, species, lambda, 1);
        var groupA = TestStructures.Cluster(41, 4, [1, 7], radius: 1.6);
        var groupB = TestStructures.Cluster(42, 4, [6, 8], radius: 1.6);
        var positions = groupA.Positions.ToArray().Concat(groupB.Positions.ToArray().Select((x, k) => k % 3 == 0 ? x + 9.0 : x)).ToArray();
        var s = new Structure([.. groupA.AtomicNumbers.ToArray(), .. groupB.AtomicNumbers.ToArray()], positions);
        var computer = new FeatureComputer(calc);
        var analytic = computer.Compute(s, GradientKinds.Positions).PositionGradients!;
        int f = calc.FeatureCount;
        var numeric = new double[analytic.Length];
        for (int k = 0; k < s.AtomCount; k++)
            for (int d = 0; d < 3; d++)
            {
                var plus = s.Clone(); plus.Positions[3 * k + d] += h;
                var minus = s.Clone(); minus.Positions[3 * k + d] -= h;
                var vp = computer.Compute(plus).Values;
                var vm = computer.Compute(minus).Values;
                for (int i = 0; i < s.AtomCount; i++)
                    for (int q = 0; q < f; q++) numeric[(k * 3 + d) * f + q] += (vp[i * f + q] - vm[i * f + q]) / (2 * h);
            }
        Assert.Contains(analytic, x => x != 0);
        Featomic.AssertClose(numeric, analytic, 1e-7, $"{name} positions, separated species groups");
    }

    [Theory]
    [MemberData(nameof(Representations))]
    public void PairGradientColumnsAreSortedDisjointAndCoverEverySpecies(string name, int lambda)
    {
        var calc = Calculator(name, lambda);
        var union = new bool[calc.FeatureCount];
        for (int b = 0; b < ThreeSpecies.Count; b++)
        {
            var ranges = calc.PairGradientColumns(b);
            Assert.NotEmpty(ranges);
            for (int r = 0; r < ranges.Length; r++)
            {
                Assert.True(ranges[r].Length > 0);
                Assert.True(ranges[r].Start >= 0 && ranges[r].End <= calc.FeatureCount);
                if (r > 0) Assert.True(ranges[r].Start > ranges[r - 1].End, "sorted, disjoint and merged");
                for (int k = ranges[r].Start; k < ranges[r].End; k++) union[k] = true;
            }
        }
        // every column depends on some neighbour species (no feature is constant in the positions)
        Assert.All(union, Assert.True);
    }

    /// <summary>One pair at a time (what the driver uses) gives the same bits as all pairs at once, on every declared column.</summary>
    [Theory]
    [MemberData(nameof(Representations))]
    public void PairByPairGradientsEqualTheWholeCentre(string name, int lambda)
    {
        var calc = Calculator(name, lambda);
        var s = TestStructures.Periodic(31, 7, [1, 6, 8], edge: 4.0);
        var context = new StructureContext(s, ThreeSpecies, calc.Cutoff);
        var whole = calc.CreateWorker();
        var streaming = Assert.IsAssignableFrom<IPairGradientWorker>(calc.CreateWorker());
        int f = calc.FeatureCount;
        for (int i = 0; i < s.AtomCount; i++)
        {
            int pairs = context.PairCount(i);
            Assert.True(pairs > 0);
            var values = new double[f];
            var all = new double[pairs * 3 * f];
            whole.Compute(context, i, values, all);
            var values2 = new double[f];
            streaming.BeginCentre(context, i, values2);
            Assert.Equal(values, values2);
            var one = new double[3 * f];
            for (int q = 0; q < pairs; q++)
            {
                streaming.PairGradient(context, i, q, one);
                int b = context.SpeciesIndex[context.Neighbors.Neighbors[context.Neighbors.Offsets[i] + q]];
                foreach (var r in calc.PairGradientColumns(b))
                    for (int d = 0; d < 3; d++)
                        Assert.Equal(all.AsSpan((q * 3 + d) * f + r.Start, r.Length).ToArray(), one.AsSpan(d * f + r.Start, r.Length).ToArray());
            }
        }
    }

    /// <summary>The driver's whole-centre path (workers that are not <see cref="IPairGradientWorker"/>) and its pair-by-pair path agree bit for bit.</summary>
    [Theory]
    [MemberData(nameof(Representations))]
    public void DriverGivesTheSameBitsForWholeCentreWorkers(string name, int lambda)
    {
        var calc = Calculator(name, lambda);
        var s = TestStructures.Periodic(32, 8, [1, 6, 8], edge: 4.1);
        foreach (int threads in new[] { 1, 2 })
        {
            var streaming = new FeatureComputer(calc, threads).Compute(s, All);
            var whole = new FeatureComputer(new WholeCentreOnly(calc), threads).Compute(s, All);
            Assert.Equal(streaming.Values, whole.Values);
            Assert.Equal(streaming.PositionGradients, whole.PositionGradients);
            Assert.Equal(streaming.StrainGradients, whole.StrainGradients);
            Assert.Equal(streaming.CellGradients, whole.CellGradients);
        }
    }

    /// <summary>Hides <see cref="IPairGradientWorker"/> (and keeps the sparse columns), like a calculator written against <see cref="ICentreWorker"/> only.</summary>
    private sealed class WholeCentreOnly(IFeatureCalculator inner) : IFeatureCalculator
    {
        public string Name => inner.Name;
        public SpeciesList Species => inner.Species;
        public double Cutoff => inner.Cutoff;
        public int FeatureCount => inner.FeatureCount;
        public int ComponentCount => inner.ComponentCount;
        public FeatureLabels Properties => inner.Properties;
        public ICentreWorker CreateWorker() => new Plain(inner.CreateWorker());
        public ColumnRange[] PairGradientColumns(int neighbourSpecies) => inner.PairGradientColumns(neighbourSpecies);

        private sealed class Plain(ICentreWorker worker) : ICentreWorker
        {
            public void Compute(StructureContext context, int centre, Span<double> values, Span<double> pairGradients) =>
                worker.Compute(context, centre, values, pairGradients);
        }
    }

    [Fact]
    public void PowerSpectrumDeclaresOnlyTheBlocksContainingTheNeighbourSpecies()
    {
        var calc = (Specialized.Correlations.PowerSpectrumCalculator)Calculator("power-spectrum", 0);
        int block = calc.FeatureCount / 6; // species pairs (1,1) (1,6) (1,8) (6,6) (6,8) (8,8)
        // neighbour species channel 1 (carbon): pairs (1,6), (6,6), (6,8) = blocks 1, 3, 4
        Assert.Equal([new ColumnRange(block, block), new ColumnRange(3 * block, 2 * block)], calc.PairGradientColumns(1));
    }

    /// <summary>A computer reused over structures of changing size gives bit-identical results to fresh computers.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ReusedComputerMatchesFreshComputers(int threads)
    {
        var calc = Calculator("power-spectrum", 0);
        var reused = new FeatureComputer(calc, threads);
        Structure[] structures =
        [
            TestStructures.Periodic(1, 7, [1, 6, 8], edge: 4.0),
            TestStructures.Cluster(2, 4, [8, 1]),
            TestStructures.Periodic(3, 9, [6, 8, 1], edge: 4.4),
            TestStructures.Periodic(1, 7, [1, 6, 8], edge: 4.0),
        ];
        foreach (var s in structures)
        {
            var expected = new FeatureComputer(calc, threads).Compute(s, All);
            var actual = reused.Compute(s, All);
            Assert.Equal(expected.Values, actual.Values);
            Assert.Equal(expected.PositionGradients, actual.PositionGradients);
            Assert.Equal(expected.StrainGradients, actual.StrainGradients);
            Assert.Equal(expected.CellGradients, actual.CellGradients);
        }
    }

    [Fact]
    public void ComputeIntoOverwritesEveryArrayOfAReusedResult()
    {
        var calc = Calculator("lambda-soap", 1);
        var a = TestStructures.Periodic(5, 6, [1, 6, 8], edge: 4.0);
        var b = TestStructures.Periodic(6, 6, [8, 8, 1], edge: 4.1);
        var result = new FeatureResult(6, calc.FeatureCount, All);
        Assert.Equal(All, result.Gradients);
        var computer = new FeatureComputer(calc, 2);
        computer.Compute(a, result);
        computer.Compute(b, result);
        var expected = new FeatureComputer(calc, 2).Compute(b, All);
        Assert.Equal(expected.Values, result.Values);
        Assert.Equal(expected.PositionGradients, result.PositionGradients);
        Assert.Equal(expected.StrainGradients, result.StrainGradients);
        Assert.Equal(expected.CellGradients, result.CellGradients);
    }

    [Fact]
    public void ThreadCountsAgreeAndValuesAreBitIdentical()
    {
        var calc = Calculator("power-spectrum", 0);
        var s = TestStructures.Periodic(8, 11, [1, 6, 8], edge: 4.6);
        var one = new FeatureComputer(calc, 1).Compute(s, All);
        foreach (int threads in new[] { 2, 3, 16 })
        {
            var many = new FeatureComputer(calc, threads).Compute(s, All);
            Assert.Equal(one.Values, many.Values);
            Assert.Equal(one.StrainGradients, many.StrainGradients);
            Assert.Equal(one.CellGradients, many.CellGradients);
            Featomic.AssertClose(one.PositionGradients, many.PositionGradients!, 1e-14, $"position gradients, {threads} threads");
            // the static partition makes the summation order, hence the bits, independent of scheduling
            Assert.Equal(many.PositionGradients, new FeatureComputer(calc, threads).Compute(s, All).PositionGradients);
        }
    }

    /// <summary>
    /// Uneven work (a dense cluster, then isolated atoms) and accumulators large enough for the parallel reduction
    /// (40 atoms × 3 × 1,080 features): every thread count gives one thread's numbers, deterministically.
    /// </summary>
    [Fact]
    public void UnevenWorkAndLargeAccumulatorsAgreeAcrossThreadCounts()
    {
        var calc = Representation.Create(RepresentationKind.PowerSpectrum, new SoapParameters { Cutoff = 3.5, LMax = 4, RadialCount = 6 }, ThreeSpecies);
        var s = TestStructures.Lopsided(4, 30, 10, [1, 6, 8]);
        Assert.True(s.AtomCount * 3 * calc.FeatureCount >= 1 << 16, "the accumulators take the parallel reduction");
        var one = new FeatureComputer(calc, 1).Compute(s, GradientKinds.Positions);
        Assert.Contains(one.PositionGradients!, g => g != 0);
        foreach (int threads in new[] { 2, 3, 7 })
        {
            var computer = new FeatureComputer(calc, threads);
            var many = computer.Compute(s, GradientKinds.Positions);
            Assert.Equal(one.Values, many.Values);
            Featomic.AssertClose(one.PositionGradients, many.PositionGradients!, 1e-14, $"position gradients, {threads} threads");
            var again = new FeatureResult(s.AtomCount, calc.FeatureCount, GradientKinds.Positions);
            computer.Compute(s, again); // reused accumulators are cleared
            Assert.Equal(many.PositionGradients, again.PositionGradients);
        }
    }

    [Fact]
    public void MismatchedResultIsAnError()
    {
        var calc = Calculator("power-spectrum", 0);
        var s = TestStructures.Cluster(4, 5, [1, 6]);
        var e = Assert.Throws<InvalidParameterException>(() => new FeatureComputer(calc).Compute(s, new FeatureResult(4, calc.FeatureCount, GradientKinds.None)));
        Assert.Contains("result", e.Message);
        Assert.Throws<InvalidParameterException>(() => new FeatureComputer(calc).Compute(s, new FeatureResult(5, calc.FeatureCount + 1, GradientKinds.None)));
        Assert.Throws<InvalidParameterException>(() => new FeatureResult(-1, 3, GradientKinds.None));
    }

    [Fact]
    public void AFailedStructureDoesNotSpoilTheNextCall()
    {
        var calc = Calculator("power-spectrum", 0);
        var computer = new FeatureComputer(calc);
        var good = TestStructures.Periodic(9, 6, [1, 6, 8], edge: 4.0);
        var expected = computer.Compute(good, GradientKinds.Positions);
        Assert.Throws<InvalidStructureException>(() => computer.Compute(new Structure([1, 14], [0, 0, 0, 1, 0, 0])));
        Assert.Throws<InvalidStructureException>(() => computer.Compute(new Structure([1, 1], [0, 0, 0, 0, 0, 0])));
        var again = computer.Compute(good, GradientKinds.Positions);
        Assert.Equal(expected.Values, again.Values);
        Assert.Equal(expected.PositionGradients, again.PositionGradients);
    }

    /// <summary>Steady state on one thread: recomputing into the same result allocates no managed memory.</summary>
    [Theory]
    [InlineData(GradientKinds.None)]
    [InlineData(All)]
    public void SteadyStateAllocatesNothing(GradientKinds gradients)
    {
        var calc = Calculator("power-spectrum", 0);
        var s = TestStructures.Periodic(10, 8, [1, 6, 8], edge: 4.2);
        var computer = new FeatureComputer(calc);
        var result = new FeatureResult(s.AtomCount, calc.FeatureCount, gradients);
        for (int k = 0; k < 3; k++) computer.Compute(s, result); // grow buffers, JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        computer.Compute(s, result);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    /// <summary>A worker's exception surfaces as itself on several threads, not wrapped in an AggregateException.</summary>
    [Fact]
    public void WorkerExceptionsKeepTheirTypeOnSeveralThreads()
    {
        var calc = new FailingCalculator(ThreeSpecies);
        var s = TestStructures.Periodic(12, 8, [1, 6, 8], edge: 4.2);
        foreach (int threads in new[] { 1, 2 })
        {
            var e = Assert.Throws<InvalidStructureException>(() => new FeatureComputer(calc, threads).Compute(s));
            Assert.Contains("centre 5", e.Message);
        }
    }

    private sealed class FailingCalculator(SpeciesList species) : IFeatureCalculator, ICentreWorker
    {
        public string Name => "failing";
        public SpeciesList Species => species;
        public double Cutoff => 3.0;
        public int FeatureCount => 1;
        public int ComponentCount => 1;
        public FeatureLabels Properties { get; } = new(["x"], [[0]]);
        public ICentreWorker CreateWorker() => this;

        public void Compute(StructureContext context, int centre, Span<double> values, Span<double> pairGradients)
        {
            if (centre == 5) throw new InvalidStructureException($"centre {centre} cannot be featurised");
            values[0] = centre;
        }
    }
}
