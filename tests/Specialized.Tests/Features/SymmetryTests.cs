using Specialized.Angular;
using Specialized.Correlations;
using Specialized.Density;
using Specialized.Features;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Features;

/// <summary>
/// Rotations, reflections, permutations, translations, periodic images (MATH §2.3, §9.1–9.4):
/// c(Q·s) = D^l(Q) c, c(−s) = (−1)^l c; each (λ, σ) block transforms as D^λ(Q) T and picks up
/// σ(−1)^λ under inversion; invariants are unchanged.
/// </summary>
public class SymmetryTests
{
    private static readonly SoapParameters Parameters = new()
    {
        Cutoff = 3.0,
        CutoffWidth = 0.5,
        DensityWidth = 0.35,
        RadialCount = 4,
        LMax = 4,
        SplineAccuracy = null,
    };

    private static readonly SpeciesList Species = new([1, 6, 8]);

    private static double[] Rotation(int seed) => WignerD.RandomRotation(new Random(seed));

    private static double[] Negate(double[] m) => [.. m.Select(x => -x)];

    /// <summary>y = D x for a (2l+1)-vector stored with stride.</summary>
    private static double[] Apply(double[] d, int dim, Func<int, double> x)
    {
        var y = new double[dim];
        for (int a = 0; a < dim; a++)
            for (int b = 0; b < dim; b++) y[a] += d[a * dim + b] * x(b);
        return y;
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void SphericalExpansionRotatesWithWignerD(int seed, bool improper)
    {
        var s = TestStructures.Cluster(seed, 8, [1, 6, 8]);
        var q = Rotation(seed + 100);
        var m = improper ? Negate(q) : q;
        var calc = new SphericalExpansionCalculator(Parameters, Species);
        var before = new FeatureComputer(calc).Compute(s).Values;
        var after = new FeatureComputer(calc).Compute(TestStructures.Transform(s, m)).Values;
        var layout = calc.Expansion.Layout;
        var expected = new double[before.Length];
        for (int l = 0; l <= layout.LMax; l++)
        {
            var d = WignerD.Compute(l, q);
            double parity = improper && l % 2 == 1 ? -1 : 1;
            for (int i = 0; i < s.AtomCount; i++)
                for (int a = 0; a < layout.SpeciesCount; a++)
                    for (int n = 0; n < layout.RadialCount(l); n++)
                    {
                        var y = Apply(d, 2 * l + 1, k => before[i * layout.Size + layout.Index(l, k - l, a, n)]);
                        for (int mu = -l; mu <= l; mu++) expected[i * layout.Size + layout.Index(l, mu, a, n)] = parity * y[mu + l];
                    }
        }
        Featomic.AssertClose(expected, after, 1e-12, "rotated spherical expansion");
    }

    public static TheoryData<int, int, bool> LambdaCases() => new()
    {
        { 0, 1, false }, { 0, 1, true }, { 1, 1, true }, { 1, -1, true }, { 2, 1, false }, { 3, -1, true }, { 5, 1, true }, { 8, 1, true },
    };

    [Theory]
    [MemberData(nameof(LambdaCases))]
    public void LambdaSoapBlocksAreEquivariant(int lambda, int sigma, bool improper)
    {
        var s = TestStructures.Cluster(7 + lambda, 7, [1, 6, 8]);
        var q = Rotation(lambda * 3 + 1);
        var calc = new LambdaSoapCalculator(Parameters, Species, lambda, sigma);
        var before = new FeatureComputer(calc).Compute(s).Values;
        var after = new FeatureComputer(calc).Compute(TestStructures.Transform(s, improper ? Negate(q) : q)).Values;
        int dim = 2 * lambda + 1, props = calc.FeatureCount / dim;
        var d = WignerD.Compute(lambda, q);
        double sign = improper ? sigma * (lambda % 2 == 0 ? 1 : -1) : 1;
        var expected = new double[before.Length];
        for (int i = 0; i < s.AtomCount; i++)
            for (int p = 0; p < props; p++)
            {
                var y = Apply(d, dim, k => before[i * calc.FeatureCount + k * props + p]);
                for (int mu = 0; mu < dim; mu++) expected[i * calc.FeatureCount + mu * props + p] = sign * y[mu];
            }
        double scale = before.Max(Math.Abs);
        Assert.True(scale > 1e-3, "block is not trivially zero");
        Featomic.AssertClose(expected, after, 1e-12, $"λ={lambda} σ={sigma}");
    }

    [Fact]
    public void EmptyPseudoscalarBlockIsAClearError()
    {
        // ν=2 pseudoscalars would need l1 = l2 with l1 + l2 odd: the block does not exist (MATH §4.5 table: (0,−) count 0).
        var e = Assert.Throws<InvalidParameterException>(() => new LambdaSoapCalculator(Parameters, Species, 0, -1));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void PowerSpectrumIsInvariantAndEqualsTheLambdaZeroBlock()
    {
        var s = TestStructures.Cluster(4, 9, [1, 6, 8]);
        var ps = new PowerSpectrumCalculator(Parameters, Species);
        var values = new FeatureComputer(ps).Compute(s).Values;
        var rotated = new FeatureComputer(ps).Compute(TestStructures.Transform(s, Negate(Rotation(9)))).Values;
        Featomic.AssertClose(values, rotated, 1e-12, "power spectrum under an improper rotation");

        // λ=0, σ=+1 λ-SOAP holds every ordered (a1, a2); the power spectrum keeps a1 ≤ a2 with √2 off the diagonal.
        var block = new LambdaSoapCalculator(Parameters, Species, 0, 1);
        var t = new FeatureComputer(block).Compute(s).Values;
        var tIndex = new Dictionary<(int, int, int, int, int), int>();
        for (int p = 0; p < block.Properties.Count; p++)
        {
            var v = block.Properties.Values[p];
            Assert.Equal(v[0], v[1]);
            tIndex[(v[2], v[4], v[0], v[3], v[5])] = p;
        }
        var expected = new double[values.Length];
        for (int i = 0; i < s.AtomCount; i++)
            for (int p = 0; p < ps.Properties.Count; p++)
            {
                var v = ps.Properties.Values[p];
                double scale = v[0] == v[1] ? 1 : Math.Sqrt(2);
                expected[i * ps.FeatureCount + p] = scale * t[i * block.FeatureCount + tIndex[(v[0], v[1], v[2], v[3], v[4])]];
            }
        Featomic.AssertClose(expected, values, 1e-13, "power spectrum vs λ-SOAP λ=0");
    }

    [Fact]
    public void SingleNeighbourAlongZ()
    {
        // c_{a n l m} = F(r) I_nl(r) √((2l+1)/4π) δ_{m0}, no centre term (w_c = 0) (MATH §9.2.2).
        var p = Parameters with { CenterWeight = 0 };
        var s = new Structure([6, 8], [0, 0, 0, 0, 0, 1.7]);
        var calc = new SphericalExpansionCalculator(p, Species);
        var values = new FeatureComputer(calc).Compute(s).Values;
        var layout = calc.Expansion.Layout;
        var radial = new double[calc.Expansion.Radial.TotalCount];
        calc.Expansion.Radial.Compute(1.7, radial, []);
        double f = calc.Expansion.Weight.Value(1.7);
        var expected = new double[layout.Size];
        for (int l = 0; l <= layout.LMax; l++)
            for (int n = 0; n < layout.RadialCount(l); n++)
                expected[layout.Index(l, 0, Species.IndexOf(8), n)] = f * radial[calc.Expansion.Radial.Offset(l) + n] * Math.Sqrt((2 * l + 1) / (4 * Math.PI));
        Featomic.AssertClose(expected, values.AsSpan(0, layout.Size), 1e-14, "single neighbour on z");
    }

    [Fact]
    public void PermutationAndTranslation()
    {
        var s = TestStructures.Cluster(8, 8, [1, 6, 8]);
        var calc = new PowerSpectrumCalculator(Parameters, Species);
        var values = new FeatureComputer(calc).Compute(s).Values;
        int n = s.AtomCount, f = calc.FeatureCount;
        var perm = Enumerable.Range(0, n).Reverse().ToArray();
        var pos = new double[3 * n];
        var z = new int[n];
        for (int i = 0; i < n; i++)
        {
            z[i] = s.AtomicNumbers[perm[i]];
            for (int d = 0; d < 3; d++) pos[3 * i + d] = s.Positions[3 * perm[i] + d] + (d + 1) * 10.3;
        }
        var moved = new FeatureComputer(calc).Compute(new Structure(z, pos)).Values;
        var expected = new double[values.Length];
        for (int i = 0; i < n; i++) values.AsSpan(perm[i] * f, f).CopyTo(expected.AsSpan(i * f, f));
        Featomic.AssertClose(expected, moved, 1e-12, "permuted and translated");
    }

    [Fact]
    public void SupercellAndWrappingInvariance()
    {
        // r_c = 3.0 exceeds half the cell heights, so atoms see several images of the same neighbour.
        var s = TestStructures.Periodic(13, 4, [1, 8], edge: 3.2);
        var calc = new PowerSpectrumCalculator(Parameters, new SpeciesList([1, 8]));
        var values = new FeatureComputer(calc).Compute(s).Values;
        var h = s.Cell!.Matrix.ToArray();
        int n = s.AtomCount, f = calc.FeatureCount;

        var pos = new List<double>();
        var z = new List<int>();
        for (int copy = 0; copy < 2; copy++)
            for (int i = 0; i < n; i++)
            {
                z.Add(s.AtomicNumbers[i]);
                for (int d = 0; d < 3; d++) pos.Add(s.Positions[3 * i + d] + copy * h[d]);
            }
        var super = (double[])h.Clone();
        for (int d = 0; d < 3; d++) super[d] *= 2;
        var big = new FeatureComputer(calc).Compute(new Structure(z.ToArray(), pos.ToArray(), new UnitCell(super))).Values;
        var expected = values.Concat(values).ToArray();
        Featomic.AssertClose(expected, big, 1e-12, "2×1×1 supercell");

        var wrapped = s.Clone();
        wrapped.Positions[0] += 2 * h[3] - h[6];
        wrapped.Positions[1] += 2 * h[4] - h[7];
        wrapped.Positions[2] += 2 * h[5] - h[8];
        Featomic.AssertClose(values, new FeatureComputer(calc).Compute(wrapped).Values, 1e-12, "atom shifted by lattice vectors");
    }

    [Fact]
    public void TwoThreadsGiveTheSameNumbersAsOne()
    {
        var s = TestStructures.Periodic(17, 10, [1, 8], edge: 4.5);
        var calc = new PowerSpectrumCalculator(Parameters, new SpeciesList([1, 8]));
        var one = new FeatureComputer(calc, 1).Compute(s, GradientKinds.Positions | GradientKinds.Strain);
        var two = new FeatureComputer(calc, 2).Compute(s, GradientKinds.Positions | GradientKinds.Strain);
        Assert.Equal(one.Values, two.Values);
        Assert.Equal(one.StrainGradients, two.StrainGradients);
        Featomic.AssertClose(one.PositionGradients, two.PositionGradients!, 1e-14, "position gradients with 2 threads");
    }

    [Fact]
    public void UnknownSpeciesNamesTheAtom()
    {
        var s = new Structure([1, 14], [0, 0, 0, 1, 0, 0]);
        var calc = new PowerSpectrumCalculator(Parameters, Species);
        var e = Assert.Throws<InvalidStructureException>(() => new FeatureComputer(calc).Compute(s));
        Assert.Contains("atom 1", e.Message);
        Assert.Contains("Si", e.Message);
    }
}
