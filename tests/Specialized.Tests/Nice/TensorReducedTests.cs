using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Features;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Nice;

/// <summary>MATH §6.5 oracles for the tensor-reduced representation.</summary>
public class TensorReducedTests
{
    private static readonly SoapParameters Density = new()
    {
        Cutoff = 3.3,
        CutoffWidth = 0.5,
        DensityWidth = 0.35,
        RadialCount = 2,
        LMax = 2,
        SplineAccuracy = null,
    };

    private static readonly SpeciesList Species = new([1, 8]);

    private static List<Structure> Structures(int count = 3) => [.. Enumerable.Range(0, count).Select(k => TestStructures.Cluster(300 + k, 7, [1, 8]))];

    private static double[] Identity(int n)
    {
        var w = new double[n * n];
        for (int k = 0; k < n; k++) w[k * n + k] = 1;
        return w;
    }

    private static double[] RandomMatrix(int seed, int rows, int cols)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, rows * cols).Select(_ => NiceTestSupport.Normal(rng))];
    }

    private static NiceParameters Exact(int bodyOrder) => new()
    {
        Density = Density,
        BodyOrder = bodyOrder,
        Steps = [NiceStep.All],
        Scaling = NiceScaling.None,
    };

    private static NiceParameters Reduced(NiceParameters p, int rank, IReadOnlyList<double[]> w) =>
        p with { SpeciesMode = NiceSpeciesMode.TensorReduced, SpeciesRank = rank, Embedding = SpeciesEmbeddingKind.Custom, CustomEmbedding = w };

    [Fact]
    public void IdentityMixingGivesTheDiagonalSubsetOfTheFullFeatures()
    {
        int k = Species.Count * Density.RadialCount;
        var structures = Structures();
        var full = NiceModel.Fit(structures, Exact(3), Species);
        var tr = NiceModel.Fit(structures, Reduced(Exact(3), k, [Identity(k)]), Species);
        var s = TestStructures.Cluster(9, 7, [1, 8]);
        int compared = 0;
        for (int order = 1; order <= 3; order++)
        {
            // The invariants of this order: the last storage block (order 1: block l = 0).
            int fs = order == 1 ? 0 : full.StorageKeys(order).Length - 1;
            int ts = order == 1 ? 0 : tr.StorageKeys(order).Length - 1;
            var fullColumns = full.DescribeColumns(order, fs);
            var index = new Dictionary<string, int>();
            for (int c = 0; c < fullColumns.Length; c++) index[fullColumns[c].Path + "|" + string.Join(",", fullColumns[c].Features)] = c;
            var trColumns = tr.DescribeColumns(order, ts);
            for (int i = 0; i < s.AtomCount; i++)
            {
                var f = full.EvaluateCentre(s, i)[order][fs];
                var t = tr.EvaluateCentre(s, i)[order][ts];
                Assert.Equal(k * trColumns.Length, t.Length);
                var expected = new double[t.Length];
                for (int channel = 0; channel < k; channel++)
                    for (int c = 0; c < trColumns.Length; c++)
                    {
                        string key = trColumns[c].Path + "|" + string.Join(",", Enumerable.Repeat(channel, order));
                        expected[channel * trColumns.Length + c] = f[index[key]];
                        compared++;
                    }
                Featomic.AssertClose(expected, t, 1e-14, $"order {order}, atom {i}");
            }
        }
        Assert.True(compared > 300, $"only {compared} values compared");
    }

    [Fact]
    public void PermutingSpeciesWithTheRowsOfWLeavesFeaturesUnchanged()
    {
        int n = Density.RadialCount, rank = 3, rows = Species.Count * n;
        var w1 = RandomMatrix(1, rows, rank);
        var w2 = RandomMatrix(2, rows, rank);
        var swapped = new List<double[]>();
        foreach (var w in new[] { w1, w2 })
        {
            var p = new double[w.Length];
            for (int a = 0; a < 2; a++)
                Array.Copy(w, a * n * rank, p, (1 - a) * n * rank, n * rank);
            swapped.Add(p);
        }
        static Structure Relabel(Structure s) => new([.. s.AtomicNumbers.ToArray().Select(z => z == 1 ? 8 : 1)], s.Positions);
        var parameters = Reduced(NiceEquivarianceTests.Fitted(NiceSpeciesMode.TensorReduced) with { Density = Density }, rank, [w1, w2, w1]);
        var structures = Structures();
        var model = NiceModel.Fit(structures, parameters, Species);
        var relabelled = NiceModel.Fit(structures.Select(Relabel), parameters with { CustomEmbedding = [swapped[0], swapped[1], swapped[0]] }, Species);
        var s = TestStructures.Cluster(12, 7, [1, 8]);
        var expected = model.Transform(s).Values;
        var actual = relabelled.Transform(Relabel(s)).Values;
        Assert.True(expected.Max(Math.Abs) > 1e-3);
        Featomic.AssertClose(expected, actual, 1e-12, "relabelled species with permuted rows of W");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PermutingTheColumnsOfWPermutesTheChannels(bool fitted)
    {
        int rows = Species.Count * Density.RadialCount, rank = 4;
        var w = RandomMatrix(3, rows, rank);
        int[] perm = [2, 0, 3, 1];
        var permuted = new double[w.Length];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < rank; j++) permuted[r * rank + j] = w[r * rank + perm[j]];
        var baseParameters = fitted ? NiceEquivarianceTests.Fitted(NiceSpeciesMode.TensorReduced) with { Density = Density } : Exact(3);
        var structures = Structures();
        var a = NiceModel.Fit(structures, Reduced(baseParameters, rank, [w]), Species);
        var b = NiceModel.Fit(structures, Reduced(baseParameters, rank, [permuted]), Species);
        Assert.Equal(a.FeatureCount, b.FeatureCount);
        var s = TestStructures.Cluster(13, 7, [1, 8]);
        var va = a.Transform(s).Values;
        var vb = b.Transform(s).Values;
        // Channel j of the permuted model is channel perm[j] of the original, within every order.
        var expected = new double[vb.Length];
        int f = a.FeatureCount;
        for (int i = 0; i < s.AtomCount; i++)
        {
            int offset = 0;
            for (int order = 1; order <= a.BodyOrder; order++)
            {
                int width = a.InvariantCount(order) / rank;
                for (int j = 0; j < rank; j++)
                    for (int p = 0; p < width; p++)
                        expected[i * f + offset + j * width + p] = va[i * f + offset + perm[j] * width + p];
                offset += rank * width;
            }
        }
        Assert.True(va.Max(Math.Abs) > 1e-3);
        Featomic.AssertClose(expected, vb, fitted ? 1e-11 : 1e-14, "permuted columns of W");
    }

    [Fact]
    public void RandomEmbeddingRowsDependOnlyOnTheElement()
    {
        // MATH §6.3.5 item 5: adding an element to the species list leaves the features of structures without it unchanged.
        var p = Exact(3) with { SpeciesMode = NiceSpeciesMode.TensorReduced, SpeciesRank = 5, Seed = 11 };
        var structures = Structures();
        var small = NiceModel.Fit(structures, p, Species);
        var large = NiceModel.Fit(structures, p, new SpeciesList([1, 6, 8, 26]));
        Assert.Equal(small.FeatureCount, large.FeatureCount);
        var s = TestStructures.Cluster(14, 7, [1, 8]);
        Assert.Equal(small.Transform(s).Values, large.Transform(s).Values);
        var w = SpeciesEmbedding.Random(new SpeciesList([1, 8]), 2, 5, 11, 1);
        Assert.Equal(w.AsSpan(2 * 5, 2 * 5).ToArray(), SpeciesEmbedding.Random(new SpeciesList([1, 6, 8, 26]), 2, 5, 11, 1).AsSpan(2 * 2 * 5, 2 * 5).ToArray());
        Assert.InRange(w.Average(), -1.0, 1.0);
        Assert.NotEqual(SpeciesEmbedding.Normal(1, 11, 1, 0, 0), SpeciesEmbedding.Normal(1, 11, 2, 0, 0));
    }

    [SharedFact]
    public void FeatureCountDoesNotGrowWithTheNumberOfSpecies()
    {
        var soup = ExtendedXyz.ReadFile(SharedData.PathOf("data", "mendeleev_soup_16x102atoms_petmad.xyz"));
        Assert.Equal(102, soup[0].Species().Length);
        var density = Density with { Cutoff = 3.5 };
        var exact = Exact(3) with { Density = density, SpeciesMode = NiceSpeciesMode.TensorReduced, SpeciesRank = 4 };
        var few = NiceModel.Fit(Structures(), exact, Species);
        var many = NiceModel.Fit([soup[0]], exact);
        Assert.Equal(102, many.Species.Count);
        Assert.Equal(few.FeatureCount, many.FeatureCount);
        var perSpecies = exact with { SpeciesMode = NiceSpeciesMode.PerSpecies, BodyOrder = 1 };
        Assert.Equal(102 * density.RadialCount, NiceModel.Fit([soup[0]], perSpecies).FeatureCount);

        // Fitted (thresholded, contracted, purified) tensor-reduced model on the soup, with forces and stress.
        var fitted = NiceModel.Fit([soup[0], soup[1]], NiceEquivarianceTests.Fitted(NiceSpeciesMode.TensorReduced) with { Density = density, SpeciesRank = 4 },
            options: new NiceFitOptions { MaxEnvironments = 150 });
        var result = fitted.Transform(soup[2], GradientKinds.Positions | GradientKinds.Strain, threads: 2);
        Assert.All(result.Values, x => Assert.True(double.IsFinite(x)));
        Assert.All(result.PositionGradients!, x => Assert.True(double.IsFinite(x)));
        Assert.Contains(result.PositionGradients!, x => x != 0);
        Assert.True(fitted.FeatureCount <= 4 * (1 + 16 + 16));
    }
}
