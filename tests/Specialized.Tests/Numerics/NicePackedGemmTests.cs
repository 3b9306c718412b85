using Specialized.Kernels;
using Specialized.Tests.Support;

namespace Specialized.Tests.Numerics;

/// <summary>The packed NICE contraction product against a plain triple loop, over the edge cases of its blocking.</summary>
public class NicePackedGemmTests
{
    [Theory]
    [InlineData(1, 2, 1, 1)]        // one row, one column: a single 8-wide panel, five zero rows in the block
    [InlineData(5, 7, 13, 5)]       // one partial block; a 16-wide panel with 3 zero columns
    [InlineData(6, 30, 8, 3)]       // one full block, one 8-wide panel
    [InlineData(7, 30, 50, 7)]      // a full block + one row; 16 + 16 + 16 + an 8-wide panel with 2 columns
    [InlineData(13, 64, 17, 2)]     // 16 + an 8-wide panel with 1 column
    [InlineData(36, 11, 24, 12)]    // 16 + 8 exactly
    [InlineData(55, 150, 50, 11)]   // the tutorial model's λ = 5 covariant shape for five centres
    [InlineData(5, 300, 200, 1)]    // the invariant shape for five centres
    [InlineData(3, 40, 32, 3)]      // three rows: the 3 × 16 tile on two 16-wide panels
    [InlineData(9, 40, 16, 3)]      // a full block (6 × 8 twice) + three rows (3 × 16)
    public void MatchesTheTripleLoop(int m, int k, int n, int rowsPerGroup)
    {
        var random = new Random(m * 1000 + k * 10 + n);
        var x = Enumerable.Range(0, m * k).Select(_ => random.NextDouble() - 0.5).ToArray();
        for (int r = 0; r < m; r++) x[r * k + k / 2] = r % 2 == 0 ? 0.0 : -0.0; // a column that is ±0 in every row
        var v = Enumerable.Range(0, k * n).Select(_ => random.NextDouble() - 0.5).ToArray();
        int groups = (m + rowsPerGroup - 1) / rowsPerGroup, groupStride = rowsPerGroup * n + 7;
        var y = Enumerable.Range(0, groups * groupStride).Select(_ => random.NextDouble()).ToArray();
        var expected = (double[])y.Clone();
        for (int r = 0; r < m; r++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int q = 0; q < k; q++) sum += x[r * k + q] * v[q * n + j];
                expected[r / rowsPerGroup * groupStride + r % rowsPerGroup * n + j] = sum;
            }

        var bits = new ulong[k];
        var active = new int[k];
        int count = NiceGemm.ActiveColumns(x, m, k, bits, active);
        Assert.Equal(k - 1, count);
        Assert.DoesNotContain(k / 2, active.Take(count));
        var block = Enumerable.Repeat(double.NaN, NicePackedGemm.BlockBufferLength(k)).ToArray(); // scratch content must not matter
        NicePackedGemm.Multiply(x, m, k, new NicePackedMatrix(v, k, n), y, rowsPerGroup, groupStride, active.AsSpan(0, count), block);
        Featomic.AssertClose(expected, y, 1e-14, "product");
    }

    [Fact]
    public void NoActiveColumnsGiveZeroRowsAndLeaveTheGapsAlone()
    {
        const int m = 8, k = 5, n = 20, rowsPerGroup = 4, groupStride = rowsPerGroup * n + 3;
        var x = new double[m * k];
        var v = Enumerable.Range(0, k * n).Select(i => 1.0 + i).ToArray();
        var y = Enumerable.Repeat(42.0, 2 * groupStride).ToArray();
        var active = new int[k];
        Assert.Equal(0, NiceGemm.ActiveColumns(x, m, k, new ulong[k], active));
        NicePackedGemm.Multiply(x, m, k, new NicePackedMatrix(v, k, n), y, rowsPerGroup, groupStride, [], new double[NicePackedGemm.BlockBufferLength(k)]);
        for (int i = 0; i < y.Length; i++)
            Assert.Equal(i % groupStride < rowsPerGroup * n ? 0.0 : 42.0, y[i]);
    }

    [Fact]
    public void PanelsAreSixteenWideWithAnEightWideTail()
    {
        var v = new double[3 * 50];
        var packed = new NicePackedMatrix(v, 3, 50);
        Assert.Equal([16, 16, 16, 8], packed.PanelWidths);
        Assert.Equal([0, 48, 96, 144], packed.PanelOffsets);
        Assert.Equal([16, 16], new NicePackedMatrix(new double[2 * 25], 2, 25).PanelWidths);
    }

    [Fact]
    public void ShapeErrorsAreReported()
    {
        var packed = new NicePackedMatrix(new double[4 * 3], 4, 3);
        var block = new double[NicePackedGemm.BlockBufferLength(4)];
        NicePackedGemm.Multiply(new double[2 * 4], 2, 4, packed, new double[6], 2, 0, [0], block); // the valid call
        Assert.Throws<ArgumentException>(() => NicePackedGemm.Multiply(new double[2 * 5], 2, 5, packed, new double[6], 2, 0, [0], new double[NicePackedGemm.BlockBufferLength(5)]));
        Assert.Throws<ArgumentException>(() => NicePackedGemm.Multiply(new double[2 * 4], 2, 4, packed, new double[6], 2, 0, [4], block));
        Assert.Throws<ArgumentException>(() => NicePackedGemm.Multiply(new double[2 * 4], 2, 4, packed, new double[5], 2, 0, [0], block));
        Assert.Throws<ArgumentException>(() => NicePackedGemm.Multiply(new double[2 * 4], 2, 4, packed, new double[6], 2, 0, [0, 1], block.AsSpan(1)));
    }
}
