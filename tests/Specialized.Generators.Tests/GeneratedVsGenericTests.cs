using Specialized.Density;
using Specialized.Features;
using Specialized.Generators.Tests.Specs;
using Specialized.Generators.Tests.Support;
using Specialized.Kernels;
using Specialized.Structures;
using Specialized.Tests.Support;
using Xunit.Abstractions;

namespace Specialized.Generators.Tests;

/// <summary>
/// Generated kernels against the generic calculators (the oracle): values and position, strain and
/// cell gradients of every output block of every spec, to ≤ 1e-12 relative (to the block's largest entry).
/// </summary>
public class GeneratedVsGenericTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-12;
    private const GradientKinds All = GradientKinds.Positions | GradientKinds.Strain | GradientKinds.Cell;

    private static SoapParameters Parameters(int lMax, int nMax, double? spline = 1e-8) => new()
    {
        Cutoff = 3.6,
        CutoffWidth = 0.6,
        DensityWidth = 0.45,
        RadialCount = nMax,
        LMax = lMax,
        SplineAccuracy = spline,
        RadialScaling = new RadialScalingParameters(1.0, 2.0, 4.0),
        CenterWeight = 0.7,
    };

    private static IEnumerable<Structure> Structures(int[] species)
    {
        yield return TestStructures.Periodic(7, 7, species, edge: 4.1);
        yield return TestStructures.Cluster(3, 6, species, radius: 2.2);
    }

    [Fact]
    public void DensityL4_MatchesGeneric() => Check<DensityL4>(Parameters(4, 6), new SpeciesList([1, 8]), [1, 8]);

    [Fact]
    public void DensityL8_MatchesGeneric() => Check<DensityL8>(Parameters(8, 4), new SpeciesList([1, 6, 8]), [1, 6, 8]);

    [Fact]
    public void SiliconSoap_MatchesGeneric() => Check<SiliconSoap>(Parameters(6, 8), null, [14]);

    [Fact]
    public void SiliconSoap_ExactRadialIntegrals_MatchesGeneric() => Check<SiliconSoap>(Parameters(6, 8, spline: null), null, [14]);

    [Fact]
    public void OrganicSoap_MatchesGeneric() => Check<OrganicSoap>(Parameters(4, 5), null, [1, 6, 8]);

    [Fact]
    public void WaterLambdaSoap_MatchesGeneric() => Check<WaterLambdaSoap>(Parameters(3, 4), new SpeciesList([1, 8]), [1, 8]);

    [Fact]
    public void DeepSoap_MatchesGeneric() => Check<DeepSoap>(Parameters(8, 3), new SpeciesList([6, 8]), [6, 8]);

    [Fact]
    public void Threads_GiveTheSameNumbersAsOneThread()
    {
        var p = Parameters(3, 4);
        var species = new SpeciesList([1, 8]);
        var s = TestStructures.Periodic(21, 9, [1, 8], edge: 4.3);
        var one = new Descriptor<WaterLambdaSoap>(p, species).Compute(s, All);
        using var threaded = new Descriptor<WaterLambdaSoap>(p, species, threads: 3);
        var three = threaded.Compute(s, All);
        Assert.Equal(one.Values, three.Values);
        Assert.Equal(one.StrainGradients, three.StrainGradients);
        Assert.Equal(one.CellGradients, three.CellGradients);
        Close.Assert(one.PositionGradients, three.PositionGradients, 1e-14, "position gradients (summation order differs)");
    }

    [Fact]
    public void Threads_OnUnevenWork_GiveTheSameNumbersAsOneThread()
    {
        // a dense cluster then isolated atoms: the chunks are balanced by pairs, not atoms; some may be empty
        var p = Parameters(4, 5);
        var s = TestStructures.Lopsided(9, 24, 6, [1, 6, 8]);
        var one = new Descriptor<OrganicSoap>(p).Compute(s, GradientKinds.Positions);
        Assert.Contains(one.PositionGradients!, g => g != 0);
        foreach (int threads in new[] { 2, 3, 40 })
        {
            using var threaded = new Descriptor<OrganicSoap>(p, threads: threads);
            var many = threaded.Compute(s, GradientKinds.Positions);
            Assert.Equal(one.Values, many.Values);
            Close.Assert(one.PositionGradients, many.PositionGradients, 1e-14, $"position gradients, {threads} threads");
            Assert.Equal(many.PositionGradients, threaded.Compute(s, GradientKinds.Positions).PositionGradients); // deterministic, accumulators cleared
        }
    }

    [Fact]
    public void ValuesOnly_ThreadsGiveTheSameNumbersAsOneThread()
    {
        // values only, the path where the threads also build the neighbour list (in phases): bitwise one thread's values,
        // on a periodic cell, uneven work (some chunks empty) and fewer atoms than threads
        var p = Parameters(6, 8);
        Structure[] structures = [TestStructures.Periodic(11, 40, [14], edge: 7.0), TestStructures.Lopsided(9, 24, 6, [14]), TestStructures.Cluster(3, 2, [14])];
        foreach (var s in structures)
        {
            var one = new Descriptor<SiliconSoap>(p).Compute(s);
            foreach (int threads in new[] { 2, 3, 40 })
            {
                using var threaded = new Descriptor<SiliconSoap>(p, threads: threads);
                Assert.Equal(one.Values, threaded.Compute(s).Values);
                Assert.Equal(one.Values, threaded.Compute(s).Values); // again, with the buffers of the first call
            }
        }
    }

    [Fact]
    public void Threads_CoincidentAtoms_ThrowTheOneThreadErrorAndRecover()
    {
        var p = Parameters(6, 8);
        var good = TestStructures.Periodic(11, 40, [14], edge: 7.0);
        var positions = good.Positions.ToArray();
        for (int d = 0; d < 3; d++) positions[3 * 30 + d] = positions[3 * 7 + d] + (d == 0 ? 1e-7 : 0);
        var bad = new Structure(good.AtomicNumbers.ToArray(), positions, good.Cell);
        var serial = Assert.Throws<InvalidStructureException>(() => new Descriptor<SiliconSoap>(p).Compute(bad));
        Assert.Contains("atoms 7 and 30", serial.Message);
        using var threaded = new Descriptor<SiliconSoap>(p, threads: 2);
        var expected = new Descriptor<SiliconSoap>(p).Compute(good).Values;
        Assert.Equal(expected, threaded.Compute(good).Values);
        Assert.Equal(serial.Message, Assert.Throws<InvalidStructureException>(() => threaded.Compute(bad)).Message);
        Assert.Equal(expected, threaded.Compute(good).Values);
    }

    [Fact]
    public void PairSoap_PositionGradientsOnly_MatchGeneric() => CheckPositions<PairSoap>(Parameters(3, 8), new SpeciesList([1, 8]), [1, 8]);

    [Fact]
    public void OddSoap_PositionGradientsOnly_MatchGeneric() => CheckPositions<OddSoap>(Parameters(2, 5), new SpeciesList([1, 6, 8]), [1, 6, 8]);

    [Fact]
    public void SiliconSoap_PositionGradientsOnly_MatchGeneric() => CheckPositions<SiliconSoap>(Parameters(6, 8), null, [14]);

    [Fact]
    public void OrganicSoap_PositionGradientsOnly_MatchGeneric() => CheckPositions<OrganicSoap>(Parameters(4, 5), null, [1, 6, 8]);

    [Fact]
    public void PositionGradientsOnly_ThreadsGiveTheSameNumbersAsOneThread()
    {
        var p = Parameters(3, 8);
        var species = new SpeciesList([1, 8]);
        var s = TestStructures.Periodic(21, 9, [1, 8], edge: 4.3);
        var one = new Descriptor<PairSoap>(p, species).Compute(s, GradientKinds.Positions);
        using var threaded = new Descriptor<PairSoap>(p, species, threads: 3);
        var three = threaded.Compute(s, GradientKinds.Positions);
        Assert.Equal(one.Values, three.Values);
        Close.Assert(one.PositionGradients, three.PositionGradients, 1e-14, "position gradients (summation order differs)");
    }

    /// <summary>
    /// Values and position gradients only (the path where the kernel adds ±G_q to the accumulator itself, fused for
    /// power-spectrum-only specs) against the generic calculator, including the finite-difference-free consistency with
    /// the all-gradients path.
    /// </summary>
    private void CheckPositions<T>(SoapParameters parameters, SpeciesList? species, int[] atomSpecies) where T : struct, IRepresentationKernel<T>
    {
        double worst = 0;
        var descriptor = new Descriptor<T>(parameters, species);
        // plus a cell smaller than the cutoff: pairs whose neighbour is the centre's own image (j = i)
        foreach (var structure in Structures(atomSpecies).Append(TestStructures.Periodic(5, 3, atomSpecies, edge: 2.9)))
        {
            var generated = descriptor.Compute(structure, GradientKinds.Positions);
            var all = descriptor.Compute(structure, All);
            foreach (var block in T.Spec.Outputs)
            {
                var (calculator, column) = Oracle<T>(block, parameters, descriptor.Species);
                var expected = new FeatureComputer(calculator).Compute(structure, GradientKinds.Positions);
                string what = $"{typeof(T).Name} {block}";
                worst = Math.Max(worst, Close.Assert(Columns(expected.Values, calculator.FeatureCount, column, block.Size),
                    Columns(generated.Values, T.FeatureCount, block.Offset, block.Size), Tolerance, what + " values"));
                worst = Math.Max(worst, Close.Assert(Columns(expected.PositionGradients!, calculator.FeatureCount, column, block.Size),
                    Columns(generated.PositionGradients!, T.FeatureCount, block.Offset, block.Size), Tolerance, what + " position gradients"));
            }
            Close.Assert(all.PositionGradients!, generated.PositionGradients!, 1e-13, "positions-only vs all-gradients path");
        }
        output.WriteLine($"{typeof(T).Name} (positions only): worst relative difference {worst:E2}");
    }

    /// <summary>Every output block of <typeparamref name="T"/> against its generic calculator, on each structure.</summary>
    private void Check<T>(SoapParameters parameters, SpeciesList? species, int[] atomSpecies) where T : struct, IRepresentationKernel<T>
    {
        double worst = 0;
        int compared = 0;
        var descriptor = new Descriptor<T>(parameters, species);
        var list = descriptor.Species;
        Assert.Equal(T.FeatureCount, descriptor.Spec.FeatureCount);
        foreach (var structure in Structures(atomSpecies))
        {
            var generated = descriptor.Compute(structure, All);
            foreach (var block in T.Spec.Outputs)
            {
                var (calculator, column) = Oracle<T>(block, parameters, list);
                var expected = new FeatureComputer(calculator).Compute(structure, All);
                string what = $"{typeof(T).Name} {block}";
                Track(Close.Assert(Columns(expected.Values, calculator.FeatureCount, column, block.Size),
                    Columns(generated.Values, T.FeatureCount, block.Offset, block.Size), Tolerance, what + " values"));
                Track(Close.Assert(Columns(expected.PositionGradients!, calculator.FeatureCount, column, block.Size),
                    Columns(generated.PositionGradients!, T.FeatureCount, block.Offset, block.Size), Tolerance, what + " position gradients"));
                Track(Close.Assert(Columns(expected.StrainGradients!, calculator.FeatureCount, column, block.Size),
                    Columns(generated.StrainGradients!, T.FeatureCount, block.Offset, block.Size), Tolerance, what + " strain gradients"));
                if (structure.IsPeriodic)
                    Track(Close.Assert(Columns(expected.CellGradients!, calculator.FeatureCount, column, block.Size),
                        Columns(generated.CellGradients!, T.FeatureCount, block.Offset, block.Size), Tolerance, what + " cell gradients"));
            }
        }
        Assert.True(compared >= 3 * T.Spec.Outputs.Length * 2, "every block was compared");
        output.WriteLine($"{typeof(T).Name}: {compared} arrays compared, worst relative difference {worst:E2}");

        void Track(double relative)
        {
            worst = Math.Max(worst, relative);
            compared++;
        }
    }

    /// <summary>The generic calculator whose columns [column, column + block.Size) are the block.</summary>
    private static (IFeatureCalculator Calculator, int Column) Oracle<T>(OutputBlock block, SoapParameters p, SpeciesList species)
        where T : struct, IRepresentationKernel<T>
    {
        int channels = species.Count * T.Spec.NMax;
        return block.Kind switch
        {
            RepresentationKind.SphericalExpansion when block.Components == 1 && block.Properties != channels || T.Spec.LMax == 0 =>
                (Representation.Create(RepresentationKind.SphericalExpansion, p, species), 0),
            // a ν=1 equivariant block: rows l = λ of the expansion, columns from λ² A N
            RepresentationKind.SphericalExpansion =>
                (Representation.Create(RepresentationKind.SphericalExpansion, p, species), block.Lambda * block.Lambda * channels),
            _ => (Representation.Create(block.Kind, p, species, block.Lambda, block.Sigma), 0),
        };
    }

    /// <summary>Columns [start, start + count) of every row of a [rows][width] array, concatenated.</summary>
    private static double[] Columns(double[] data, int width, int start, int count)
    {
        int rows = data.Length / width;
        var result = new double[rows * count];
        for (int r = 0; r < rows; r++) Array.Copy(data, r * width + start, result, r * count, count);
        return result;
    }
}
