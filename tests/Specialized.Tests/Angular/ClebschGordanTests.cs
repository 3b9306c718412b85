using System.Numerics;
using Specialized.Angular;
using Xunit.Abstractions;
using static Specialized.Tests.Angular.AngularTestUtil;

namespace Specialized.Tests.Angular;

public class ClebschGordanTests(ITestOutputHelper output)
{
    // ------------------------------------------------------------------------------------------
    // Complex (Condon–Shortley) CG

    [Theory]
    // l1, m1, l2, m2, L, M, sign, numerator, denominator of the square — sympy 1.14 clebsch_gordan.
    [InlineData(1, 1, 1, -1, 0, 0, 1, 1, 3)]
    [InlineData(1, 0, 1, 0, 0, 0, -1, 1, 3)]
    [InlineData(1, 1, 1, 0, 1, 1, 1, 1, 2)]
    [InlineData(1, 0, 1, 1, 1, 1, -1, 1, 2)]
    [InlineData(1, 1, 1, -1, 2, 0, 1, 1, 6)]
    [InlineData(1, 0, 1, 0, 2, 0, 1, 2, 3)]
    [InlineData(2, 1, 1, 0, 3, 1, 1, 8, 15)]
    [InlineData(3, -2, 2, 1, 4, -1, -1, 7, 20)]
    [InlineData(3, 2, 4, -1, 5, 1, 1, 625, 3276)]
    [InlineData(5, 3, 4, -2, 6, 1, 1, 54, 385)]
    [InlineData(6, -4, 5, 2, 7, -2, 1, 4205, 184756)]
    [InlineData(4, 0, 4, 0, 4, 0, 1, 162, 1001)]
    [InlineData(7, 3, 6, -5, 9, -2, 1, 7500, 35581)]
    [InlineData(10, 5, 10, -3, 12, 2, 1, 1148680, 60108039)]
    [InlineData(2, 2, 2, -2, 3, 0, 1, 1, 10)]
    [InlineData(12, -7, 11, 4, 15, -3, -1, 266855, 3257628)]
    public void ComplexMatchesSympyExactly(int l1, int m1, int l2, int m2, int L, int M, int sign, long num, long den)
    {
        var cg = ClebschGordan.ComplexExact(l1, m1, l2, m2, L, M);
        Assert.Equal(new SignedSqrtRational(sign, num, den), cg);
        Assert.Equal(sign * Math.Sqrt((double)num / den), ClebschGordan.Complex(l1, m1, l2, m2, L, M), 15);
    }

    [Fact]
    public void ComplexClosedForms()
    {
        for (int l = 0; l <= 15; l++)
        {
            for (int m = -l; m <= l; m++)
            {
                // ⟨l m; l −m | 0 0⟩ = (−1)^(l−m) / √(2l+1)
                Assert.Equal(new SignedSqrtRational(((l - m) & 1) == 0 ? 1 : -1, 1, 2 * l + 1), ClebschGordan.ComplexExact(l, m, l, -m, 0, 0));
                // ⟨l m; 0 0 | l m⟩ = 1
                Assert.Equal(new SignedSqrtRational(1, 1, 1), ClebschGordan.ComplexExact(l, m, 0, 0, l, m));
            }
            for (int l2 = 0; l2 <= 10; l2++)
            {
                // Stretched state ⟨l l; l2 l2 | l+l2, l+l2⟩ = 1.
                Assert.Equal(1.0, ClebschGordan.Complex(l, l, l2, l2, l + l2, l + l2));
                // ⟨l1 m1; l2 m2 | L M⟩ = (−1)^(l1+l2−L) ⟨l2 m2; l1 m1 | L M⟩
                for (int L = Math.Abs(l - l2); L <= l + l2; L += 3)
                {
                    var a = ClebschGordan.ComplexExact(l, Math.Min(l, 1), l2, -Math.Min(l2, 2), L, Math.Min(l, 1) - Math.Min(l2, 2));
                    var b = ClebschGordan.ComplexExact(l2, -Math.Min(l2, 2), l, Math.Min(l, 1), L, Math.Min(l, 1) - Math.Min(l2, 2));
                    Assert.Equal(a.Sign * (((l + l2 - L) & 1) == 0 ? 1 : -1), b.Sign);
                    Assert.Equal(a.Numerator, b.Numerator);
                }
            }
        }
        // Selection rules.
        Assert.Equal(0.0, ClebschGordan.Complex(1, 1, 1, 1, 2, 1));
        Assert.Equal(0.0, ClebschGordan.Complex(1, 0, 1, 0, 3, 0));
        Assert.Equal(0.0, ClebschGordan.Complex(1, 0, 1, 0, 1, 0)); // accidental zero (odd l1+l2+L, all m = 0)
    }

    [Fact]
    public void ComplexOrthogonalityUpToL10()
    {
        // Σ_{m1 m2} ⟨l1 m1 l2 m2|L M⟩⟨l1 m1 l2 m2|L' M'⟩ = δ_LL' δ_MM' (all l1 ≤ l2 ≤ 10), and completeness
        // Σ_{L M} ⟨l1 m1 l2 m2|L M⟩⟨l1 m1' l2 m2'|L M⟩ = δ δ.
        const int lMax = 10;
        double worst = 0;
        for (int l1 = 0; l1 <= lMax; l1++)
        {
            for (int l2 = l1; l2 <= lMax; l2++)
            {
                int lo = l2 - l1, hi = l1 + l2, n1 = 2 * l1 + 1, n2 = 2 * l2 + 1;
                // Matrix with rows (m1, m2) and columns (L, M).
                int rows = n1 * n2;
                var u = new double[rows * rows];
                int col = 0;
                for (int L = lo; L <= hi; L++)
                {
                    var t = ClebschGordan.ComplexDense(l1, l2, L);
                    for (int M = -L; M <= L; M++, col++)
                        for (int r = 0; r < rows; r++) u[r * rows + col] = t[r * (2 * L + 1) + M + L];
                }
                Assert.Equal(rows, col);
                worst = Math.Max(worst, OrthogonalityError(u, rows));
            }
        }
        output.WriteLine($"complex CG orthogonality/completeness l<=10: {worst:E2}");
        Assert.True(worst <= 1e-14);
    }

    /// <summary>max(|UᵀU − 1|, |UUᵀ − 1|) of a square row-major U.</summary>
    private static double OrthogonalityError(double[] u, int n)
    {
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                double cols = 0, rows = 0;
                for (int k = 0; k < n; k++)
                {
                    cols += u[k * n + i] * u[k * n + j];
                    rows += u[i * n + k] * u[j * n + k];
                }
                double delta = i == j ? 1 : 0;
                worst = Math.Max(worst, Math.Max(Math.Abs(cols - delta), Math.Abs(rows - delta)));
            }
        }
        return worst;
    }

    // ------------------------------------------------------------------------------------------
    // Real CG

    [Fact]
    public void RealOrthogonalityAndCompleteness()
    {
        // For fixed (l1, l2) the matrix with rows (m1, m2) and columns (L, M) is orthogonal.
        const int lMax = 8;
        double worst = 0;
        for (int l1 = 0; l1 <= lMax; l1++)
        {
            for (int l2 = 0; l2 <= lMax; l2++)
            {
                int rows = (2 * l1 + 1) * (2 * l2 + 1), col = 0;
                var u = new double[rows * rows];
                for (int L = Math.Abs(l1 - l2); L <= l1 + l2; L++)
                {
                    var t = ClebschGordan.RealDense(l1, l2, L);
                    for (int M = -L; M <= L; M++, col++)
                        for (int r = 0; r < rows; r++) u[r * rows + col] = t[r * (2 * L + 1) + M + L];
                }
                worst = Math.Max(worst, OrthogonalityError(u, rows));
            }
        }
        output.WriteLine($"real CG orthogonality/completeness l1,l2<=8: {worst:E2}");
        Assert.True(worst <= 1e-14);
    }

    [Fact]
    public void RealMatchesNaiveComplexCombinationInDoublePrecision()
    {
        // Independent double-precision evaluation of X = Σ U^L CG conj(U^{l1}) conj(U^{l2}) with full U matrices.
        const int lMax = 7;
        double worst = 0;
        foreach (var t in CouplingPaths.Triples(lMax))
        {
            var (l1, l2, L) = (t.L1, t.L2, t.L);
            var u1 = UMatrix(l1);
            var u2 = UMatrix(l2);
            var uL = UMatrix(L);
            var cg = ClebschGordan.ComplexDense(l1, l2, L);
            var real = ClebschGordan.RealDense(l1, l2, L);
            for (int m1 = -l1; m1 <= l1; m1++)
                for (int m2 = -l2; m2 <= l2; m2++)
                    for (int M = -L; M <= L; M++)
                    {
                        Complex x = 0;
                        for (int a = -l1; a <= l1; a++)
                            for (int b = -l2; b <= l2; b++)
                            {
                                int c = a + b;
                                if (c < -L || c > L) continue;
                                x += uL[M + L, c + L] * cg[ClebschGordan.DenseIndex(l1, l2, L, a, b, c)]
                                    * Complex.Conjugate(u1[m1 + l1, a + l1]) * Complex.Conjugate(u2[m2 + l2, b + l2]);
                            }
                        bool even = ((l1 + l2 + L) & 1) == 0;
                        double expected = even ? x.Real : -x.Imaginary;
                        double other = even ? x.Imaginary : x.Real;
                        Assert.True(Math.Abs(other) <= 1e-15);
                        worst = Math.Max(worst, Math.Abs(expected - real[ClebschGordan.DenseIndex(l1, l2, L, m1, m2, M)]));
                    }
        }
        output.WriteLine($"real CG vs naive double combination (l<=7): {worst:E2}");
        Assert.True(worst <= 1e-15);
    }

    /// <summary>U^l of MATH §2.5 (Y_real = U Y_complex), indices [m + l, m' + l].</summary>
    private static Complex[,] UMatrix(int l)
    {
        var u = new Complex[2 * l + 1, 2 * l + 1];
        double s = 1 / Math.Sqrt(2);
        for (int m = -l; m <= l; m++)
        {
            double sign = (m & 1) == 0 ? 1 : -1;
            if (m < 0)
            {
                u[m + l, m + l] = new Complex(0, s);
                u[m + l, -m + l] = new Complex(0, -sign * s);
            }
            else if (m == 0)
            {
                u[l, l] = 1;
            }
            else
            {
                u[m + l, -m + l] = s;
                u[m + l, m + l] = sign * s;
            }
        }
        return u;
    }

    [Fact]
    public void RealEquivariance()
    {
        // C(D^{l1} A, D^{l2} B) = D^L C(A, B) for random proper rotations; for improper ones
        // (D^l(−Q) = (−1)^l D^l(Q)) the product picks up σ = (−1)^(l1+l2+L): a pseudotensor when σ = −1.
        const int lMax = 6;
        var rng = new Random(2024);
        double worst = 0;
        for (int trial = 0; trial < 4; trial++)
        {
            var rot = WignerD.RandomRotation(rng);
            bool improper = trial % 2 == 1;
            if (improper) rot = WignerD.Improper(rot);
            var d = WignerD.ComputeAll(2 * lMax, rot);
            foreach (var t in CouplingPaths.Triples(lMax, lMax, 2 * lMax))
            {
                var a = RandomVector(rng, 2 * t.L1 + 1);
                var b = RandomVector(rng, 2 * t.L2 + 1);
                var table = ClebschGordan.Real(t.L1, t.L2, t.L);
                var lhs = new double[2 * t.L + 1];
                table.Couple(MatVec(d[t.L1], a, 2 * t.L1 + 1), MatVec(d[t.L2], b, 2 * t.L2 + 1), lhs);
                var rhs = MatVec(d[t.L], RealCg.Couple(t.L1, t.L2, t.L, a, b), 2 * t.L + 1);
                if (improper && t.Sigma < 0) rhs = rhs.Select(v => -v).ToArray();
                worst = Math.Max(worst, MaxAbsDiff(lhs, rhs));
            }
        }
        output.WriteLine($"real CG equivariance l1,l2<=6, L<=12: {worst:E2}");
        Assert.True(worst <= 1e-13);
    }

    [Fact]
    public void SwapSymmetryIsExact()
    {
        foreach (var t in CouplingPaths.Triples(7))
        {
            var a = ClebschGordan.Real(t.L1, t.L2, t.L);
            var b = ClebschGordan.Real(t.L2, t.L1, t.L);
            for (int m1 = -t.L1; m1 <= t.L1; m1++)
                for (int m2 = -t.L2; m2 <= t.L2; m2++)
                    for (int M = -t.L; M <= t.L; M++)
                        Assert.Equal(t.Sigma * a[m1, m2, M], b[m2, m1, M]);
        }
    }

    [Fact]
    public void ScalarCouplingIsScaledDotProduct()
    {
        for (int l = 0; l <= 12; l++)
        {
            var t = ClebschGordan.Real(l, l, 0);
            Assert.Equal(2 * l + 1, t.Count);
            double expected = ((l & 1) == 0 ? 1 : -1) / Math.Sqrt(2 * l + 1);
            for (int m1 = -l; m1 <= l; m1++)
                for (int m2 = -l; m2 <= l; m2++)
                    Assert.True(Math.Abs((m1 == m2 ? expected : 0.0) - t[m1, m2, 0]) <= 2e-16, $"l {l}: {t[m1, m2, 0]:R}");
        }
    }

    [Fact]
    public void DegreeOneProducts()
    {
        var rng = new Random(8);
        for (int trial = 0; trial < 10; trial++)
        {
            // Vectors in (y, z, x) component order, as Y_1 is.
            var a = RandomVector(rng, 3);
            var b = RandomVector(rng, 3);
            double dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
            var s = RealCg.Couple(1, 1, 0, a, b);
            Assert.True(Math.Abs(-dot / Math.Sqrt(3) - s[0]) <= 1e-15);
            // Cross product in Cartesian (x, y, z), then re-ordered to (y, z, x).
            double[] ac = [a[2], a[0], a[1]], bc = [b[2], b[0], b[1]];
            double[] cross = [ac[1] * bc[2] - ac[2] * bc[1], ac[2] * bc[0] - ac[0] * bc[2], ac[0] * bc[1] - ac[1] * bc[0]];
            var v = RealCg.Couple(1, 1, 1, a, b);
            Assert.True(MaxAbsDiff(v, [-cross[1] / Math.Sqrt(2), -cross[2] / Math.Sqrt(2), -cross[0] / Math.Sqrt(2)]) <= 1e-15);
        }
    }

    [Fact]
    public void ExplicitValuesOfTheDegreeOneTables()
    {
        double h = Math.Sqrt(0.5), sixth = Math.Sqrt(1.0 / 6), twoThirds = Math.Sqrt(2.0 / 3);
        // (1,1,2) from MATH §2.5, written in the table's sort order (M, then m1, then m2).
        CgEntry[] c112 =
        [
            new(-1, 1, -2, h), new(1, -1, -2, h),
            new(-1, 0, -1, h), new(0, -1, -1, h),
            new(-1, -1, 0, -sixth), new(0, 0, 0, twoThirds), new(1, 1, 0, -sixth),
            new(0, 1, 1, h), new(1, 0, 1, h),
            new(-1, -1, 2, -h), new(1, 1, 2, h),
        ];
        AssertEntries(c112, ClebschGordan.RealSparse(1, 1, 2));
        CgEntry[] c111 =
        [
            new(0, 1, -1, -h), new(1, 0, -1, h),
            new(-1, 1, 0, h), new(1, -1, 0, -h),
            new(-1, 0, 1, -h), new(0, -1, 1, h),
        ];
        AssertEntries(c111, ClebschGordan.RealSparse(1, 1, 1));
        double third = Math.Sqrt(1.0 / 3);
        AssertEntries([new(-1, -1, 0, -third), new(0, 0, 0, -third), new(1, 1, 0, -third)], ClebschGordan.RealSparse(1, 1, 0));
        // MATH §2.5 quotes 15 decimals.
        Assert.Equal(-0.408248290463863, ClebschGordan.RealValue(1, -1, 1, -1, 2, 0), 15);
        Assert.Equal(0.816496580927726, ClebschGordan.RealValue(1, 0, 1, 0, 2, 0), 15);
    }

    private static void AssertEntries(CgEntry[] expected, CgEntry[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal((expected[k].M1, expected[k].M2, expected[k].M), (actual[k].M1, actual[k].M2, actual[k].M));
            Assert.Equal(expected[k].Value, actual[k].Value, 15);
        }
    }

    [Fact]
    public void SparsityRuleOrderingAndDenseAgree()
    {
        foreach (var t in CouplingPaths.Triples(8))
        {
            var table = ClebschGordan.Real(t.L1, t.L2, t.L);
            var dense = table.ToDense();
            int nonZeroDense = dense.Count(v => v != 0.0);
            Assert.Equal(table.Count, nonZeroDense);
            for (int k = 0; k < table.Count; k++)
            {
                var e = table[k];
                Assert.True(Math.Abs(e.Value) >= ClebschGordan.ZeroThreshold);
                Assert.Equal(e.Value, dense[ClebschGordan.DenseIndex(t.L1, t.L2, t.L, e.M1, e.M2, e.M)]);
                // Rule 1: |M| ∈ {|m1| + |m2|, ||m1| − |m2||}
                int a1 = Math.Abs(e.M1), a2 = Math.Abs(e.M2), aM = Math.Abs(e.M);
                Assert.True(aM == a1 + a2 || aM == Math.Abs(a1 - a2), $"{t} {e}");
                // Rule 2: sgn(M) = sgn(m1) sgn(m2) (−1)^(l1+l2+L), sgn(0) := +1
                Assert.True(Sgn(e.M) == Sgn(e.M1) * Sgn(e.M2) * t.Sigma, $"{t} {e}");
                if (k > 0)
                {
                    var p = table[k - 1];
                    Assert.True((p.M, p.M1, p.M2).CompareTo((e.M, e.M1, e.M2)) < 0, $"{t}: entries not sorted by (M, m1, m2)");
                }
            }
        }
    }

    private static int Sgn(int m) => m < 0 ? -1 : 1;

    [Theory]
    [InlineData(1, 1, 0, 3)]
    [InlineData(1, 1, 1, 6)]
    [InlineData(1, 1, 2, 11)]
    [InlineData(2, 2, 2, 25)]
    [InlineData(3, 2, 1, 21)]
    [InlineData(3, 3, 2, 41)]
    [InlineData(4, 4, 4, 97)]
    public void NonZeroCountPerTriple(int l1, int l2, int L, int count) =>
        Assert.Equal(count, CouplingPaths.NonZeroCount(l1, l2, L));

    [Theory]
    [InlineData(1, 5, 16)]
    [InlineData(2, 15, 137)]
    [InlineData(3, 34, 611)]
    [InlineData(4, 65, 2052)]
    [InlineData(5, 111, 5265)]
    [InlineData(6, 175, 11896)]
    public void NonZeroCountTotals(int lMax, int triples, int total)
    {
        Assert.Equal(triples, CouplingPaths.Triples(lMax).Length);
        Assert.Equal(total, CouplingPaths.TotalNonZeroCount(lMax));
    }

    [Fact]
    public void HighDegreeTablesAreOrthonormal()
    {
        // Columns of C^{l1 l2 L} (fixed L, M) are orthonormal and rows of different L are orthogonal, l up to 20.
        foreach (var (l1, l2) in new[] { (12, 12), (20, 13), (20, 20) })
        {
            foreach (int L in new[] { Math.Abs(l1 - l2), (l1 + l2) / 2, Math.Min(l1 + l2, 20) })
            {
                var t = ClebschGordan.Real(l1, l2, L);
                int n = 2 * L + 1;
                var gram = new double[n * n];
                for (int i = 0; i < t.Count; i++)
                    for (int j = 0; j < t.Count; j++)
                        if (t.EntryM1(i) == t.EntryM1(j) && t.EntryM2(i) == t.EntryM2(j))
                            gram[(t.EntryM(i) + L) * n + t.EntryM(j) + L] += t.EntryValue(i) * t.EntryValue(j);
                for (int a = 0; a < n; a++)
                    for (int b = 0; b < n; b++)
                        Assert.True(Math.Abs(gram[a * n + b] - (a == b ? 1 : 0)) <= 1e-14, $"({l1},{l2},{L}) gram[{a},{b}] = {gram[a * n + b]}");
            }
        }
    }

    [Fact]
    public void CachedTablesAreSharedAndCopiesAreFresh()
    {
        Assert.Same(ClebschGordan.Real(3, 2, 4), ClebschGordan.Real(3, 2, 4));
        var d = ClebschGordan.RealDense(3, 2, 4);
        d[0] = 42;
        Assert.NotEqual(42, ClebschGordan.RealDense(3, 2, 4)[0]);
        Assert.Throws<ArgumentException>(() => ClebschGordan.Real(1, 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClebschGordan.Real(-1, 1, 1));
    }

    [Fact]
    public void SignedSqrtRationalIsReducedAndRoundsOnce()
    {
        var v = new SignedSqrtRational(-1, new BigInteger(6), new BigInteger(4));
        Assert.Equal(new BigInteger(3), v.Numerator);
        Assert.Equal(new BigInteger(2), v.Denominator);
        Assert.Equal(-Math.Sqrt(1.5), v.ToDouble());
        Assert.Equal(-1.5, v.SignedSquareToDouble());
        Assert.Equal("-sqrt(3/2)", v.ToString());
        Assert.Equal(0, new SignedSqrtRational(1, BigInteger.Zero, 7).Sign);
    }
}
