using Specialized.Density;
using Specialized.Features;
using Specialized.Generators.Tests.Specs;
using Specialized.Generators.Tests.Support;
using Specialized.Kernels;
using Specialized.Radial;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Generators.Tests;

/// <summary>The runtime driver: hyperparameters that disagree with the spec, bad buffers and bad structures raise typed errors naming the problem.</summary>
public class DescriptorTests
{
    private static SoapParameters Parameters(int lMax, int nMax) => new() { Cutoff = 3.5, RadialCount = nMax, LMax = lMax };

    [Fact]
    public void LMaxDisagreeingWithTheSpec_IsAnInvalidParameter()
    {
        var e = Assert.Throws<InvalidParameterException>(() => new Descriptor<SiliconSoap>(Parameters(5, 8)));
        Assert.Equal("l-max", e.Parameter);
        Assert.Contains("SiliconSoap", e.Message);
    }

    [Fact]
    public void RadialCountDisagreeingWithTheSpec_IsAnInvalidParameter() =>
        Assert.Equal("n-max", Assert.Throws<InvalidParameterException>(() => new Descriptor<SiliconSoap>(Parameters(6, 7))).Parameter);

    [Fact]
    public void WrongNumberOfSpecies_IsAnInvalidParameter() =>
        Assert.Equal("species", Assert.Throws<InvalidParameterException>(() => new Descriptor<WaterLambdaSoap>(Parameters(3, 4), new SpeciesList([1, 6, 8]))).Parameter);

    [Fact]
    public void MissingSpeciesList_IsAnInvalidParameter() =>
        Assert.Equal("species", Assert.Throws<InvalidParameterException>(() => new Descriptor<WaterLambdaSoap>(Parameters(3, 4))).Parameter);

    [Fact]
    public void SpeciesOtherThanTheSpecFixes_IsAnInvalidParameter() =>
        Assert.Equal("species", Assert.Throws<InvalidParameterException>(() => new Descriptor<SiliconSoap>(Parameters(6, 8), new SpeciesList([6]))).Parameter);

    [Fact]
    public void FixedSpeciesList_IsUsedWhenNoneIsGiven()
    {
        var d = new Descriptor<OrganicSoap>(Parameters(4, 5));
        Assert.Equal([1, 6, 8], d.Species.AtomicNumbers.ToArray());
        Assert.Equal([1, 6, 8], OrganicSoap.Spec.AtomicNumbers.ToArray());
    }

    [Fact]
    public void RaggedBasis_IsAnInvalidParameter()
    {
        var p = Parameters(3, 4) with { Basis = RadialBasisKind.LaplacianEigenstate };
        Assert.Equal("basis", Assert.Throws<InvalidParameterException>(() => new Descriptor<WaterLambdaSoap>(p, new SpeciesList([1, 8]))).Parameter);
    }

    [Fact]
    public void WrongBufferLength_IsAnInvalidParameter()
    {
        var d = new Descriptor<Tiny>(Parameters(2, 3), new SpeciesList([1, 8]));
        var s = TestStructures.Cluster(1, 4, [1, 8]);
        Assert.Equal("values", Assert.Throws<InvalidParameterException>(() => d.Compute(s, new double[d.FeatureCount])).Parameter);
        Assert.Equal("position-gradients", Assert.Throws<InvalidParameterException>(
            () => d.Compute(s, new double[4 * d.FeatureCount], new double[d.FeatureCount])).Parameter);
    }

    [Fact]
    public void AtomOutsideTheSpeciesList_IsAnInvalidStructureNamingTheAtom()
    {
        var d = new Descriptor<Tiny>(Parameters(2, 3), new SpeciesList([1, 8]));
        var s = new Structure([1, 8, 6], [0, 0, 0, 1, 0, 0, 0, 1.2, 0]);
        var e = Assert.Throws<InvalidStructureException>(() => d.Compute(s));
        Assert.Contains("atom 2", e.Message);
    }

    [Fact]
    public void SpecDescribesItsOutputs()
    {
        var spec = WaterLambdaSoap.Spec;
        Assert.Equal(3, spec.LMax);
        Assert.Equal(4, spec.NMax);
        Assert.Equal(2, spec.BodyOrder);
        Assert.Equal(0, spec.SpeciesRank);
        var blocks = spec.Outputs.ToArray();
        Assert.Equal([(0, 1), (1, 1), (1, -1), (2, 1), (3, -1), (6, 1)], blocks.Select(b => (b.Lambda, b.Sigma)));
        Assert.All(blocks, b => Assert.Equal(RepresentationKind.LambdaSoap, b.Kind));
        int offset = 0;
        foreach (var b in blocks)
        {
            Assert.Equal(offset, b.Offset);
            Assert.Equal(2 * b.Lambda + 1, b.Components);
            offset += b.Size;
        }
        Assert.Equal(offset, WaterLambdaSoap.FeatureCount);
    }

    /// <summary>Neighbours exactly on the ±z axis (r_xy = 0) and along x: the unrolled harmonics and gradients stay regular.</summary>
    [Fact]
    public void NeighboursOnTheAxes_MatchTheGenericPath()
    {
        var s = new Structure([8, 1, 1, 1, 8], [0, 0, 0, 0, 0, 1.1, 0, 0, -0.9, 1.3, 0, 0, 0, 0, 2.1]);
        var p = Parameters(8, 3);
        var species = new SpeciesList([1, 8]);
        const GradientKinds kinds = GradientKinds.Positions | GradientKinds.Strain;
        var generated = new Descriptor<DeepSoap>(p, species).Compute(s, kinds);
        var ps = DeepSoap.Spec.Outputs[0];
        var generic = new FeatureComputer(Representation.Create(RepresentationKind.PowerSpectrum, p, species)).Compute(s, kinds);
        int f = DeepSoap.FeatureCount;
        double[] Slice(double[] data, int width) =>
            [.. Enumerable.Range(0, data.Length / width).SelectMany(r => data.AsSpan(r * width + ps.Offset, ps.Size).ToArray())];
        Close.Assert(generic.Values, Slice(generated.Values, f), 1e-12, "values");
        Close.Assert(generic.PositionGradients, Slice(generated.PositionGradients!, f), 1e-12, "position gradients");
        Close.Assert(generic.StrainGradients, Slice(generated.StrainGradients!, f), 1e-12, "strain gradients");
    }
}
