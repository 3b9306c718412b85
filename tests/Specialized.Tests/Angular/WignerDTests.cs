using Specialized.Angular;
using Xunit.Abstractions;
using static Specialized.Tests.Angular.AngularTestUtil;

namespace Specialized.Tests.Angular;

public class WignerDTests(ITestOutputHelper output)
{
    private const int LMax = 12;

    [Fact]
    public void RandomRotationsAreProperAndOrthogonal()
    {
        var rng = new Random(1);
        for (int t = 0; t < 20; t++)
        {
            var r = WignerD.RandomRotation(rng);
            var rrt = MatMul(r, [r[0], r[3], r[6], r[1], r[4], r[7], r[2], r[5], r[8]], 3);
            Assert.True(MaxAbsDiff(rrt, [1, 0, 0, 0, 1, 0, 0, 0, 1]) <= 1e-14, $"|R Rᵀ − 1| = {MaxAbsDiff(rrt, [1, 0, 0, 0, 1, 0, 0, 0, 1]):E2}");
            double det = r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) + r[2] * (r[3] * r[7] - r[4] * r[6]);
            Assert.Equal(1.0, det, 14);
        }
        // Deterministic for a given seed.
        Assert.Equal(WignerD.RandomRotation(new Random(9)), WignerD.RandomRotation(new Random(9)));
    }

    [Fact]
    public void DegreeOneIsPermutedRotation()
    {
        var r = WignerD.RandomRotation(new Random(4));
        var d1 = WignerD.Compute(1, r);
        int[] p = [1, 2, 0];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++) Assert.Equal(r[3 * p[a] + p[b]], d1[3 * a + b]);
        Assert.Equal([1.0], WignerD.Compute(0, r));
    }

    [Fact]
    public void RotatesSphericalHarmonics()
    {
        // Y_l(R u) = D^l(R) Y_l(u), for proper and improper R.
        var rng = new Random(77);
        double worst = 0;
        for (int trial = 0; trial < 10; trial++)
        {
            var r = WignerD.RandomRotation(rng);
            if (trial >= 7) r = WignerD.Improper(r);
            var d = WignerD.ComputeAll(LMax, r);
            for (int k = 0; k < 5; k++)
            {
                var (x, y, z) = RandomUnit(rng);
                var (rx, ry, rz) = WignerD.Apply(r, x, y, z);
                for (int l = 0; l <= LMax; l++)
                    worst = Math.Max(worst, MaxAbsDiff(Yl(l, rx, ry, rz), MatVec(d[l], Yl(l, x, y, z), 2 * l + 1)));
            }
        }
        output.WriteLine($"Y(Ru) = D Y(u), l<=12: max error {worst:E2}");
        Assert.True(worst <= 1e-13);
    }

    [Fact]
    public void IsOrthogonal()
    {
        var rng = new Random(5);
        double worst = 0;
        for (int trial = 0; trial < 5; trial++)
        {
            var d = WignerD.ComputeAll(LMax, WignerD.RandomRotation(rng));
            for (int l = 0; l <= LMax; l++)
            {
                int n = 2 * l + 1;
                var dt = new double[n * n];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) dt[j * n + i] = d[l][i * n + j];
                var id = new double[n * n];
                for (int i = 0; i < n; i++) id[i * n + i] = 1;
                worst = Math.Max(worst, MaxAbsDiff(MatMul(d[l], dt, n), id));
            }
        }
        output.WriteLine($"D Dᵀ = 1, l<=12: max error {worst:E2}");
        Assert.True(worst <= 1e-13);
    }

    [Fact]
    public void IsAHomomorphism()
    {
        var rng = new Random(6);
        double worst = 0;
        for (int trial = 0; trial < 5; trial++)
        {
            var r1 = WignerD.RandomRotation(rng);
            var r2 = WignerD.RandomRotation(rng);
            if (trial == 4) r2 = WignerD.Improper(r2);
            var d1 = WignerD.ComputeAll(LMax, r1);
            var d2 = WignerD.ComputeAll(LMax, r2);
            var d12 = WignerD.ComputeAll(LMax, MatMul(r1, r2, 3));
            for (int l = 0; l <= LMax; l++) worst = Math.Max(worst, MaxAbsDiff(d12[l], MatMul(d1[l], d2[l], 2 * l + 1)));
        }
        output.WriteLine($"D(R1 R2) = D(R1) D(R2), l<=12: max error {worst:E2}");
        Assert.True(worst <= 1e-13);
    }

    [Fact]
    public void ImproperRotationsPickUpTheParity()
    {
        var q = WignerD.RandomRotation(new Random(12));
        var dq = WignerD.ComputeAll(LMax, q);
        var dm = WignerD.ComputeAll(LMax, WignerD.Improper(q));
        for (int l = 0; l <= LMax; l++)
        {
            double sign = (l & 1) == 0 ? 1 : -1;
            Assert.True(MaxAbsDiff(dm[l], dq[l].Select(v => sign * v).ToArray()) <= 1e-14);
        }
    }

    [Fact]
    public void IdentityGivesIdentity()
    {
        var d = WignerD.ComputeAll(LMax, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
        for (int l = 0; l <= LMax; l++)
        {
            int n = 2 * l + 1;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) Assert.Equal(i == j ? 1.0 : 0.0, d[l][i * n + j], 14);
        }
    }

    [Fact]
    public void RejectsNonOrthogonalMatrices() =>
        Assert.Throws<ArgumentException>(() => WignerD.ComputeAll(2, [1, 0, 0, 0, 2, 0, 0, 0, 1]));
}
