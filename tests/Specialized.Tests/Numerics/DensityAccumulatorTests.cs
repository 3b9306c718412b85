using Specialized.Kernels;
using Specialized.Tests.Support;

namespace Specialized.Tests.Numerics;

/// <summary>The chunked ν=1 density update of the generated kernels against a plain loop over pairs, rows and columns.</summary>
public class DensityAccumulatorTests
{
    [Theory]
    [InlineData(1, 0, 8, 1)]       // one pair, one row
    [InlineData(7, 6, 8, 2)]       // l_max 6 row groups (13 = 4 + 3 + 4 + 2), a partial block of pairs
    [InlineData(32, 6, 8, 10)]     // a full chunk, ten channels
    [InlineData(13, 5, 5, 3)]      // n = 5: one 4-wide panel + a scalar column
    [InlineData(20, 4, 12, 2)]     // n = 12: an 8-wide and a 4-wide panel
    [InlineData(64, 3, 6, 1)]      // the largest chunk, one channel
    [InlineData(9, 2, 3, 4)]       // scalar columns only
    public void MatchesThePlainLoop(int pairs, int lMax, int n, int channelCount)
    {
        var random = new Random(pairs * 100 + lMax * 10 + n);
        int harmonics = (lMax + 1) * (lMax + 1), blockStride = 4 * harmonics + 3, radialStride = (lMax + 1) * n + 2;
        int channelWidth = channelCount * n + 1;
        var ylm = Enumerable.Range(0, (pairs + 3) / 4 * blockStride).Select(_ => random.NextDouble() - 0.5).ToArray();
        var radial = Enumerable.Range(0, pairs * radialStride).Select(_ => random.NextDouble() - 0.5).ToArray();
        var channels = Enumerable.Range(0, pairs).Select(_ => random.Next(channelCount)).ToArray();
        var c = Enumerable.Range(0, harmonics * channelWidth).Select(_ => random.NextDouble()).ToArray();
        var expected = (double[])c.Clone();
        for (int q = 0; q < pairs; q++)
            for (int l = 0; l <= lMax; l++)
                for (int m = -l; m <= l; m++)
                {
                    int i = l * l + l + m;
                    double y = ylm[q / 4 * blockStride + 4 * i + q % 4];
                    for (int j = 0; j < n; j++) expected[i * channelWidth + channels[q] * n + j] += y * radial[q * radialStride + l * n + j];
                }

        DensityAccumulator.AddChunk(ylm, blockStride, radial, radialStride, channels, pairs, lMax, n, c, channelWidth);
        Featomic.AssertClose(expected, c, 1e-14, "density");
    }

    [Fact]
    public void RejectsAChannelOutsideTheRowsAndAnOversizedChunk()
    {
        var ylm = new double[4 * 4];
        var radial = new double[2 * 8];
        var c = new double[4 * 8];
        var error = Assert.Throws<ArgumentException>(() => DensityAccumulator.AddChunk(ylm, 16, radial, 8, [0, 2], 2, 1, 4, c, 8));
        Assert.Contains("pair 1 has channel 2", error.Message);
        Assert.Throws<ArgumentException>(() => DensityAccumulator.AddChunk(new double[17 * 16], 16, new double[65 * 8], 8, new int[65], 65, 1, 4, new double[4 * 8], 8));
    }
}
