using Specialized.Kernels;
using Specialized.Tests.Support;

namespace Specialized.Tests.Numerics;

/// <summary>The batched NICE contraction product against a plain triple loop, over the edge cases of its blocking.</summary>
public class NiceGemmTests
{
    [Theory]
    [InlineData(1, 2, 1, 1, false)]
    [InlineData(5, 7, 13, 5, false)]     // one 4-row block + 1 row; 8 + 4 + 1 columns
    [InlineData(9, 30, 50, 3, true)]     // groups of 3 rows, accumulate
    [InlineData(32, 64, 16, 32, false)]
    [InlineData(6, 11, 3, 2, true)]      // scalar columns only
    public void MatchesTheTripleLoop(int m, int k, int n, int rowsPerGroup, bool accumulate)
    {
        var random = new Random(m * 1000 + k * 10 + n);
        var x = Enumerable.Range(0, m * k).Select(_ => random.NextDouble() - 0.5).ToArray();
        for (int r = 0; r < m; r++) x[r * k + k / 2] = 0; // a column that is zero in every row
        var v = Enumerable.Range(0, k * n).Select(_ => random.NextDouble() - 0.5).ToArray();
        int groups = (m + rowsPerGroup - 1) / rowsPerGroup, groupStride = rowsPerGroup * n + 7;
        var y = Enumerable.Range(0, groups * groupStride).Select(_ => random.NextDouble()).ToArray();
        var expected = (double[])y.Clone();
        const double alpha = -0.75;
        for (int r = 0; r < m; r++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int q = 0; q < k; q++) sum += x[r * k + q] * v[q * n + j];
                int index = r / rowsPerGroup * groupStride + r % rowsPerGroup * n + j;
                expected[index] = (accumulate ? expected[index] : 0) + alpha * sum;
            }

        var seen = new ulong[k];
        var active = new int[k];
        int count = NiceGemm.ActiveColumns(x, m, k, seen, active);
        Assert.Equal(k - 1, count);
        NiceGemm.Multiply(x, m, k, v, n, y, rowsPerGroup, groupStride, alpha, accumulate, active.AsSpan(0, count));
        Featomic.AssertClose(expected, y, 1e-14, "product");
    }
}
