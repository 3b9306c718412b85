using Specialized.Angular;
using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Nice;

/// <summary>
/// MATH §5.9: every (λ, σ) block of every order of a fitted model (thresholded expansion, purification,
/// per-block PCA) transforms as D^λ(Q) T under a rotation Q and as σ(−1)^λ D^λ(Q) T under −Q.
/// </summary>
public class NiceEquivarianceTests
{
    internal static readonly SoapParameters Density = new()
    {
        Cutoff = 3.2,
        CutoffWidth = 0.5,
        DensityWidth = 0.35,
        RadialCount = 3,
        LMax = 3,
        SplineAccuracy = null,
    };

    internal static NiceParameters Fitted(NiceSpeciesMode mode) => new()
    {
        Density = Density,
        BodyOrder = 3,
        Steps = [new NiceStep(60, 10, 80, 16)],
        InitialKeep = mode == NiceSpeciesMode.PerSpecies ? 7 : null,
        SpeciesMode = mode,
        SpeciesRank = 3,
        Seed = 5,
        Purification = new NicePurification(4, 5),
        CovariantsAtLastOrder = true,
    };

    internal static List<Structure> Training(int count = 4) =>
        [.. Enumerable.Range(0, count).Select(k => TestStructures.Cluster(100 + k, 7, [1, 6, 8]))];

    public static TheoryData<NiceSpeciesMode, bool, int, bool> Cases() => new()
    {
        { NiceSpeciesMode.PerSpecies, false, 1, false },
        { NiceSpeciesMode.PerSpecies, true, 2, false },
        { NiceSpeciesMode.TensorReduced, false, 3, false },
        { NiceSpeciesMode.TensorReduced, true, 4, false },
        { NiceSpeciesMode.PerSpecies, true, 5, true },
        { NiceSpeciesMode.TensorReduced, true, 6, true },
    };

    /// <summary>The Laplacian-eigenstate basis: ragged N_l (fewer radial functions at high l).</summary>
    internal static SoapParameters Ragged => Density with { Basis = Specialized.Radial.RadialBasisKind.LaplacianEigenstate, RadialCount = 5 };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryBlockOfEveryOrderIsEquivariant(NiceSpeciesMode mode, bool improper, int seed, bool ragged)
    {
        var parameters = ragged ? Fitted(mode) with { Density = Ragged, InitialKeep = null } : Fitted(mode);
        var model = NiceModel.Fit(Training(), parameters, new SpeciesList([1, 6, 8]));
        if (ragged) Assert.NotEqual(model.Expansion.Layout.RadialCount(0), model.Expansion.Layout.RadialCount(3));
        var q = WignerD.RandomRotation(new Random(seed));
        var m = improper ? q.Select(x => -x).ToArray() : q;
        var s = TestStructures.Cluster(7 + seed, 7, [1, 6, 8]);
        var moved = TestStructures.Transform(s, m);
        int channels = model.Channels, checkedBlocks = 0;
        for (int order = 1; order <= model.BodyOrder; order++)
        {
            var keys = model.StorageKeys(order);
            for (int b = 0; b < keys.Length; b++)
            {
                var (key, width, _) = keys[b];
                int dim = 2 * key.Lambda + 1, props = channels * width;
                var d = WignerD.Compute(key.Lambda, q);
                double sign = improper ? key.Parity : 1;
                var expected = new List<double>();
                var actual = new List<double>();
                for (int i = 0; i < s.AtomCount; i++)
                {
                    var before = model.EvaluateCentre(s, i)[order][b];
                    var after = model.EvaluateCentre(moved, i)[order][b];
                    var rotated = new double[before.Length];
                    for (int p = 0; p < props; p++)
                    {
                        var y = NiceTestSupport.Apply(d, dim, k => before[k * props + p]);
                        for (int mu = 0; mu < dim; mu++) rotated[mu * props + p] = sign * y[mu];
                    }
                    expected.AddRange(rotated);
                    actual.AddRange(after);
                }
                if (width == 0) continue;
                Assert.True(expected.Max(Math.Abs) > 1e-6, $"order {order} {key} is not trivially zero");
                Featomic.AssertClose(expected.ToArray(), actual.ToArray(), 1e-12, $"{mode} order {order} {key}");
                checkedBlocks++;
            }
        }
        Assert.True(checkedBlocks >= 10, $"only {checkedBlocks} blocks checked");
        // The fitted steps are really exercised: thresholding, purification and contraction.
        Assert.Contains(model.EquivariantBlocks(), b => b.Key == new NiceBlockKey(1, 1));
        Assert.Equal(3, model.CovariantOrder);
    }

    [Fact]
    public void PseudoscalarsFlipUnderMirrorsAndExistAtOrderThree()
    {
        var model = NiceModel.Fit(Training(), Fitted(NiceSpeciesMode.PerSpecies), new SpeciesList([1, 6, 8]));
        var keys = model.StorageKeys(3);
        int b = Array.FindIndex(keys, k => !k.Invariant && k.Key == new NiceBlockKey(0, -1));
        Assert.True(b >= 0, "ν=3 has a (0, −1) block");
        var s = TestStructures.Cluster(31, 6, [1, 6, 8]);
        var mirror = new double[] { 1, 0, 0, 0, 1, 0, 0, 0, -1 };
        var before = model.EvaluateCentre(s, 0)[3][b];
        var after = model.EvaluateCentre(TestStructures.Transform(s, mirror), 0)[3][b];
        Assert.True(before.Max(Math.Abs) > 1e-6);
        Featomic.AssertClose(before.Select(x => -x).ToArray(), after, 1e-12, "pseudoscalar under a mirror");
    }
}

/// <summary>
/// The contraction is the exact eigendecomposition of the uncentred second moment (MATH §5.7): on the training
/// rows (environment, μ, channel) every contracted block's features are uncorrelated, with descending second
/// moments whose normalised values are the stored importances.
/// </summary>
public class NiceContractionTests
{
    [Theory]
    [InlineData(NiceSpeciesMode.PerSpecies)]
    [InlineData(NiceSpeciesMode.TensorReduced)]
    public void ContractedBlocksAreDecorrelatedOnTheTrainingSet(NiceSpeciesMode mode)
    {
        var training = NiceEquivarianceTests.Training();
        var model = NiceModel.Fit(training, NiceEquivarianceTests.Fitted(mode), new SpeciesList([1, 6, 8]));
        var centres = training.SelectMany(s => Enumerable.Range(0, s.AtomCount).Select(i => model.EvaluateCentre(s, i))).ToList();
        int checkedBlocks = 0;
        for (int order = 2; order <= model.BodyOrder; order++)
        {
            var keys = model.StorageKeys(order);
            var blocks = model.Orders[order].StorageBlocks;
            for (int b = 0; b < keys.Length; b++)
            {
                int width = keys[b].Width;
                if (blocks[b].Projection is null || width < 2) continue;
                var moment = new double[width * width];
                foreach (var centre in centres)
                {
                    var v = centre[order][b];
                    for (int row = 0; row < v.Length / width; row++)
                        for (int i = 0; i < width; i++)
                            for (int j = 0; j < width; j++) moment[i * width + j] += v[row * width + i] * v[row * width + j];
                }
                double trace = Enumerable.Range(0, width).Sum(i => moment[i * width + i]);
                for (int i = 0; i < width; i++)
                {
                    Assert.Equal(blocks[b].Importances[i], moment[i * width + i] / trace, 1e-10);
                    if (i > 0) Assert.True(moment[i * width + i] <= moment[(i - 1) * width + i - 1] * (1 + 1e-10), "descending");
                    for (int j = 0; j < width; j++)
                        if (i != j) Assert.True(Math.Abs(moment[i * width + j]) < 1e-10 * moment[0], $"order {order} {keys[b].Key}: off-diagonal ({i},{j})");
                }
                checkedBlocks++;
            }
        }
        Assert.True(checkedBlocks >= 10, $"only {checkedBlocks} contracted blocks");
    }
}
