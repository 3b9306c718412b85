using Specialized.Density;
using Specialized.Generators.Tests.Specs;
using Specialized.Kernels;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Generators.Tests;

/// <summary>
/// After warm-up (buffers grown to the structure), <see cref="Descriptor{TRep}.Compute(Structure, Span{double}, Span{double}, Span{double}, Span{double})"/>
/// allocates no managed memory on the calling thread, with and without gradients.
/// </summary>
public class AllocationTests
{
    private static SoapParameters Parameters(int lMax, int nMax) => new() { Cutoff = 3.8, RadialCount = nMax, LMax = lMax, DensityWidth = 0.4 };

    [Fact]
    public void PowerSpectrum_AllocatesNothingPerCall() =>
        Check(new Descriptor<SiliconSoap>(Parameters(6, 8)), TestStructures.Periodic(5, 8, [14], edge: 4.4));

    [Fact]
    public void LambdaSoap_AllocatesNothingPerCall() =>
        Check(new Descriptor<WaterLambdaSoap>(Parameters(3, 4), new SpeciesList([1, 8])), TestStructures.Periodic(6, 8, [1, 8], edge: 4.4));

    [Fact]
    public void Density_AllocatesNothingPerCall() =>
        Check(new Descriptor<DensityL4>(Parameters(4, 6), new SpeciesList([1, 8])), TestStructures.Cluster(8, 9, [1, 8]));

    /// <summary>
    /// Two threads: the worker pool signals with pre-allocated events. The runtime performs a one-off
    /// allocation on the calling thread at some point during the first calls, so the test requires ten
    /// consecutive allocation-free calls within the first hundred (a per-call allocation fails every window).
    /// </summary>
    [Fact]
    public void TwoThreads_ReachAnAllocationFreeSteadyState()
    {
        using var descriptor = new Descriptor<SiliconSoap>(Parameters(6, 8), threads: 2);
        var structure = TestStructures.Periodic(5, 8, [14], edge: 4.4);
        int n = structure.AtomCount, f = descriptor.FeatureCount;
        var values = new double[n * f];
        var positions = new double[n * 3 * f];
        int calls = 0;
        bool steady = false;
        while (!steady && calls < 100)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 10; k++) descriptor.Compute(structure, values, positions);
            calls += 10;
            steady = GC.GetAllocatedBytesForCurrentThread() == before;
        }
        Assert.True(steady, "every window of ten calls allocated");
    }

    /// <summary>Values only on two threads (the threads also build the neighbour list): as <see cref="TwoThreads_ReachAnAllocationFreeSteadyState"/>.</summary>
    [Fact]
    public void TwoThreads_ValuesOnly_ReachAnAllocationFreeSteadyState()
    {
        using var descriptor = new Descriptor<SiliconSoap>(Parameters(6, 8), threads: 2);
        var structure = TestStructures.Periodic(5, 8, [14], edge: 4.4);
        var values = new double[structure.AtomCount * descriptor.FeatureCount];
        int calls = 0;
        bool steady = false;
        while (!steady && calls < 100)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 10; k++) descriptor.Compute(structure, values);
            calls += 10;
            steady = GC.GetAllocatedBytesForCurrentThread() == before;
        }
        Assert.True(steady, "every window of ten calls allocated");
    }

    private static void Check<T>(Descriptor<T> descriptor, Structure structure) where T : struct, IRepresentationKernel<T>
    {
        int n = structure.AtomCount, f = descriptor.FeatureCount;
        var values = new double[n * f];
        var positions = new double[n * 3 * f];
        var strain = new double[n * 9 * f];
        var cell = new double[n * 9 * f];

        for (int k = 0; k < 2; k++)
        {
            descriptor.Compute(structure, values, positions, strain, cell);
            descriptor.Compute(structure, values);
            descriptor.Compute(structure, values, positions);   // positions only: row-by-row path where the kernel has it
        }
        var reference = (double[])positions.Clone();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 3; k++)
        {
            descriptor.Compute(structure, values, positions, strain, cell);
            descriptor.Compute(structure, values);
            descriptor.Compute(structure, values, positions);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(reference, positions);
        Assert.Contains(values, v => v != 0);
    }
}
