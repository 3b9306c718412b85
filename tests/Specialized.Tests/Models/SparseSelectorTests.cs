using Specialized.Models.Kernels;

namespace Specialized.Tests.Models;

public class SparseSelectorTests
{
    [Fact]
    public void FarthestPointSamplingPicksTheFarthestRemainingPoint()
    {
        // Points on a line at 0, 1, 10, 4, 9.5: start at 0, then 10 (farthest), then 4 (distance 4 to the
        // selection), then 1 (distance 1, while 9.5 is 0.5 from 10).
        double[][] rows = [[0.0], [1.0], [10.0], [4.0], [9.5]];
        Assert.Equal([0, 2, 3, 1], SparseSelector.FarthestPoint(rows, 4));
        // Duplicates are never selected twice.
        double[][] duplicates = [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]];
        Assert.Equal([0, 2], SparseSelector.FarthestPoint(duplicates, 3));
    }

    [Fact]
    public void CurSelectsIndependentRowsAndStopsAtTheRank()
    {
        // Rank-3 data: 30 rows that are random combinations of three directions in 6 dimensions.
        var rng = new Random(1);
        var basis = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 6).Select(_ => rng.NextDouble() - 0.5).ToArray()).ToArray();
        var rows = Enumerable.Range(0, 30).Select(_ =>
        {
            var c = Enumerable.Range(0, 3).Select(_ => rng.NextDouble() - 0.5).ToArray();
            return Enumerable.Range(0, 6).Select(d => c[0] * basis[0][d] + c[1] * basis[1][d] + c[2] * basis[2][d]).ToArray();
        }).ToList();
        var chosen = SparseSelector.Cur(rows, 10);
        Assert.Equal(3, chosen.Length);
        Assert.Equal(3, chosen.Distinct().Count());
        // The chosen rows span the data: their Gram determinant is clearly non-zero.
        var g = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) g[i, j] = rows[chosen[i]].Zip(rows[chosen[j]], (a, b) => a * b).Sum();
        double det = g[0, 0] * (g[1, 1] * g[2, 2] - g[1, 2] * g[2, 1]) - g[0, 1] * (g[1, 0] * g[2, 2] - g[1, 2] * g[2, 0]) + g[0, 2] * (g[1, 0] * g[2, 1] - g[1, 1] * g[2, 0]);
        double scale = g[0, 0] * g[1, 1] * g[2, 2];
        Assert.True(det > 1e-3 * scale, $"Gram determinant {det:E2} vs product of norms {scale:E2}");
        // The first pick is the row with the largest weight in the leading singular vector: for one dominant
        // row direction that is the largest row.
        double[][] dominant = [[1, 0], [5, 0.1], [2, 0], [0, 0.3]];
        Assert.Equal(1, SparseSelector.Cur(dominant, 1)[0]);
    }
}
