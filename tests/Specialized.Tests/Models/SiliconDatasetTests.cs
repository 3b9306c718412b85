using Specialized.Models.Potentials;
using Specialized.Structures;
using Specialized.Tests.Structures;

namespace Specialized.Tests.Models;

public class SiliconDatasetTests
{
    [Fact]
    public void SameSeedGivesIdenticalStructuresAndLabels()
    {
        var first = SiliconDataset.Generate(6, seed: 42);
        var second = SiliconDataset.Generate(6, seed: 42);
        StructureAssert.Identical(first, second);

        var other = SiliconDataset.Generate(6, seed: 43);
        Assert.NotEqual(first[0].Positions.ToArray(), other[0].Positions.ToArray());
    }

    [Fact]
    public void CellsAreStrainedAndRattledDiamondOfEightOrSixtyFourAtoms()
    {
        var set = SiliconDataset.Generate(12, seed: 7);
        Assert.Contains(set, s => s.AtomCount == 8);
        Assert.Contains(set, s => s.AtomCount == 64);
        foreach (var s in set)
        {
            Assert.True(s.AtomCount is 8 or 64);
            int repeat = s.AtomCount == 8 ? 1 : 2;
            Assert.Equal(repeat == 1 ? "diamond8" : "diamond64", s.Info["config_type"].Strings![0]);
            Assert.All(s.AtomicNumbers.ToArray(), z => Assert.Equal(14, z));
            Assert.Equal([true, true, true], s.Cell!.Pbc);

            // H = H0 (I + ε) with H0 = (repeat a) I: ε = H / (repeat a) − I is symmetric, |ε_ab| ≤ 3 %.
            double edge = repeat * SiliconDataset.LatticeConstant;
            var h = s.Cell.Matrix;
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                {
                    double eps = h[3 * a + b] / edge - (a == b ? 1 : 0);
                    Assert.True(Math.Abs(eps) <= 0.03 + 1e-15, $"strain {eps}");
                    Assert.Equal(h[3 * a + b], h[3 * b + a], 12);
                }

            // Displacements from the strained ideal sites: RMS within the rattle range (loosely, for 24 or 192 samples).
            var ideal = SiliconDataset.Diamond(SiliconDataset.LatticeConstant, repeat);
            var f = new double[9];
            for (int k = 0; k < 9; k++) f[k] = h[k] / edge;
            double sum = 0;
            for (int i = 0; i < s.AtomCount; i++)
            {
                var p = ideal.Positions.Slice(3 * i, 3).ToArray();
                PotentialTestSupport.MultiplyRow(p, f);
                for (int d = 0; d < 3; d++) sum += Math.Pow(s.Positions[3 * i + d] - p[d], 2);
            }
            double rms = Math.Sqrt(sum / (3 * s.AtomCount));
            Assert.InRange(rms, 0.02, 0.3);
        }
    }

    [Fact]
    public void LabelsEqualAFreshComputation()
    {
        foreach (var s in SiliconDataset.Generate(4, seed: 3))
        {
            var r = StillingerWeber.Silicon.Compute(s);
            Assert.Equal(r.Energy, s.Info["energy"].Reals![0]);
            Assert.Equal(r.Virial, s.Info["virial"].Reals!);
            Assert.Equal(r.Stress!, s.Info["stress"].Reals!);
            var forces = s.Arrays["forces"];
            Assert.Equal(3, forces.Columns);
            Assert.Equal(r.Forces, forces.Reals!);
            Assert.Equal(["config_type", "energy", "virial", "stress"], s.Info.Keys);
        }
    }

    [Fact]
    public void ExtendedXyzRoundTripsTheDataset()
    {
        var set = SiliconDataset.Generate(5, seed: 11);
        var text = new StringWriter();
        ExtendedXyz.Write(text, set);
        var back = ExtendedXyz.Read(new StringReader(text.ToString()), "silicon.xyz");
        StructureAssert.Identical(set, back);
    }

    [Fact]
    public void OptionsAreValidatedAndRespected()
    {
        Assert.Empty(SiliconDataset.Generate(0, 1));
        Assert.Throws<InvalidParameterException>(() => SiliconDataset.Generate(-1, 1));
        Assert.Throws<InvalidParameterException>(() => SiliconDataset.Generate(1, 1, minRattle: 0.2, maxRattle: 0.1));
        Assert.Throws<InvalidParameterException>(() => SiliconDataset.Generate(1, 1, maxStrain: double.NaN));
        Assert.Throws<InvalidParameterException>(() => SiliconDataset.Generate(1, 1, largeCellFraction: 1.5));

        // No strain, no rattle, all small cells: ideal diamond with zero forces.
        var ideal = SiliconDataset.Generate(3, 5, minRattle: 0, maxRattle: 0, maxStrain: 0, largeCellFraction: 0);
        Assert.All(ideal, s =>
        {
            Assert.Equal(8, s.AtomCount);
            Assert.Equal(-4.3366 * 8, s.Info["energy"].Reals![0], 3);
            Assert.All(s.Arrays["forces"].Reals!, f => Assert.True(Math.Abs(f) < 1e-10));
        });
        Assert.All(SiliconDataset.Generate(3, 5, largeCellFraction: 1), s => Assert.Equal(64, s.AtomCount));
    }
}
