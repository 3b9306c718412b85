using Specialized.Correlations;
using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Features;
using Specialized.Tests.Support;

namespace Specialized.Tests.Nice;

/// <summary>The ν=1 stage: body order 1 and the fitted (alchemical) species embedding.</summary>
public class NiceDensityTests
{
    private static readonly SoapParameters Density = new()
    {
        Cutoff = 3.3,
        CutoffWidth = 0.5,
        DensityWidth = 0.35,
        RadialCount = 3,
        LMax = 2,
        SplineAccuracy = null,
    };

    private static readonly SpeciesList Species = new([1, 6, 8]);

    [Fact]
    public void BodyOrderOneIsTheScaledRadialSpectrumWithItsGradients()
    {
        var structures = Enumerable.Range(0, 3).Select(k => TestStructures.Periodic(80 + k, 6, [1, 6, 8], edge: 4.3)).ToList();
        var model = NiceModel.Fit(structures, new NiceParameters { Density = Density, BodyOrder = 1 }, Species);
        var radial = new RadialSpectrumCalculator(Density, Species);
        var kinds = GradientKinds.Positions | GradientKinds.Strain;
        var expected = new FeatureComputer(radial).Compute(structures[0], kinds);
        var actual = model.Transform(structures[0], kinds);
        double s = model.Scale;
        // s = 1/√(mean Σ_q c_q00²) over the training environments, recomputed here from the radial spectrum.
        double sum = 0;
        int rows = 0;
        foreach (var st in structures)
        {
            var v = new FeatureComputer(radial).Compute(st).Values;
            sum += v.Sum(x => x * x);
            rows += st.AtomCount;
        }
        Assert.Equal(1 / Math.Sqrt(sum / rows), s, 1e-14);
        Assert.Equal(radial.FeatureCount, model.FeatureCount);
        Featomic.AssertClose([.. expected.Values.Select(x => s * x)], actual.Values, 1e-14, "values");
        Featomic.AssertClose([.. expected.PositionGradients!.Select(x => s * x)], actual.PositionGradients!, 1e-14, "positions");
        Featomic.AssertClose([.. expected.StrainGradients!.Select(x => s * x)], actual.StrainGradients!, 1e-14, "strain");
    }

    [Fact]
    public void FittedEmbeddingSpansTheLeadingPrincipalSubspaceOfTheChannels()
    {
        var structures = Enumerable.Range(0, 4).Select(k => TestStructures.Cluster(90 + k, 8, [1, 6, 8])).ToList();
        const int rank = 4;
        var model = NiceModel.Fit(structures, new NiceParameters
        {
            Density = Density,
            BodyOrder = 2,
            SpeciesMode = NiceSpeciesMode.TensorReduced,
            SpeciesRank = rank,
            Embedding = SpeciesEmbeddingKind.Fitted,
            Steps = [new NiceStep(20, 5, 20, 5)],
        }, Species);
        var w = model.DensityModel.Embedding!;
        Assert.Single(w); // shared by every factor position
        int q = Species.Count * Density.RadialCount;

        // M = Σ_{env, l, m} c cᵀ over the (a, n) channels, from the spherical expansion.
        var se = new SphericalExpansionCalculator(Density, Species);
        var layout = se.Expansion.Layout;
        var moment = new double[q * q];
        foreach (var st in structures)
        {
            var v = new FeatureComputer(se).Compute(st).Values;
            for (int i = 0; i < st.AtomCount; i++)
                for (int l = 0; l <= Density.LMax; l++)
                    for (int m = -l; m <= l; m++)
                    {
                        var row = v.AsSpan(i * layout.Size + layout.Index(l, m, 0, 0), q);
                        for (int a = 0; a < q; a++)
                            for (int b = 0; b < q; b++) moment[a * q + b] += row[a] * row[b];
                    }
        }
        double Wt(int r, int k) => w[0][r * rank + k];
        // Orthonormal columns, and M W = W Λ (eigenvectors) with Λ_k = w_kᵀ M w_k descending.
        var lambda = new double[rank];
        double scale = moment.Max(Math.Abs);
        for (int k = 0; k < rank; k++)
        {
            for (int j = 0; j < rank; j++)
            {
                double dot = 0;
                for (int r = 0; r < q; r++) dot += Wt(r, k) * Wt(r, j);
                Assert.Equal(k == j ? 1.0 : 0.0, dot, 1e-12);
            }
            var mw = new double[q];
            for (int a = 0; a < q; a++)
                for (int b = 0; b < q; b++) mw[a] += moment[a * q + b] * Wt(b, k);
            for (int a = 0; a < q; a++) lambda[k] += Wt(a, k) * mw[a];
            for (int a = 0; a < q; a++) Assert.True(Math.Abs(mw[a] - lambda[k] * Wt(a, k)) < 1e-10 * scale, "eigenvector");
        }
        for (int k = 1; k < rank; k++) Assert.True(lambda[k] <= lambda[k - 1]);
        // The complement holds no larger eigenvalue: power iteration on (I − W Wᵀ) M (I − W Wᵀ).
        var x = Enumerable.Range(0, q).Select(i => 1.0 + i % 3).ToArray();
        double rayleigh = 0;
        for (int it = 0; it < 500; it++)
        {
            Project(x);
            var y = new double[q];
            for (int a = 0; a < q; a++)
                for (int b = 0; b < q; b++) y[a] += moment[a * q + b] * x[b];
            Project(y);
            double norm = Math.Sqrt(y.Sum(v => v * v));
            rayleigh = x.Zip(y).Sum(p => p.First * p.Second) / x.Sum(v => v * v);
            x = [.. y.Select(v => v / norm)];
        }
        Assert.True(rayleigh <= lambda[rank - 1] * (1 + 1e-9), $"complement eigenvalue {rayleigh} above the kept {lambda[rank - 1]}");

        void Project(double[] v)
        {
            for (int k = 0; k < rank; k++)
            {
                double dot = 0;
                for (int r = 0; r < q; r++) dot += Wt(r, k) * v[r];
                for (int r = 0; r < q; r++) v[r] -= dot * Wt(r, k);
            }
        }
    }
}
