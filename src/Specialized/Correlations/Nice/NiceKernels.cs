using System.Numerics;
using System.Runtime.CompilerServices;
using Specialized.Density;

namespace Specialized.Correlations.Nice;

/// <summary>
/// Storage of the blocks of every order for one centre (layouts in NiceLayout.cs): per order one flat
/// array of its blocks in storage order (covariant, then invariant), block s at Offsets[o][s] with
/// Components·C·Width values; gradients per order one flat array with block s at Dirs·Offsets[o][s],
/// [dir][μ][c][p]. Order 1 is the factor-1 density array itself (the order-1 blocks l = 0 … min(l_max, λ_max)
/// are its leading l blocks).
/// </summary>
internal sealed class BlockStore
{
    public BlockStore(int orders)
    {
        Values = new double[orders + 1][];
        Tangents = new double[orders + 1][];
        Offsets = new int[orders + 1][];
    }

    /// <summary>Values per order (index 1 … ν_max).</summary>
    public double[][] Values { get; }
    /// <summary>Tangents per order ([dir] chunks per block).</summary>
    public double[][] Tangents { get; }
    /// <summary>Offsets per order, by storage index.</summary>
    public int[][] Offsets { get; }
    /// <summary>Number of gradient directions 3·pairs of the current centre.</summary>
    public int Dirs { get; set; }

    /// <summary>Offsets of the blocks of <paramref name="order"/> (storage order) and the total size.</summary>
    public static (int[] Offsets, int Size) Layout(OrderModel order, int channels)
    {
        var blocks = order.StorageBlocks.ToArray();
        var offsets = new int[blocks.Length];
        int size = 0;
        for (int s = 0; s < blocks.Length; s++)
        {
            offsets[s] = size;
            size += blocks[s].Components * channels * blocks[s].Width;
        }
        return (offsets, size);
    }
}

/// <summary>Allocation-free kernels of the NICE iteration (values and forward-mode tangents).</summary>
internal static class NiceKernels
{
    /// <summary>Offsets of the density l blocks ((2l+1)·C·F_l values each) and the total size.</summary>
    public static (int[] Offsets, int Size) DensityLayout(int channels, int[] features)
    {
        var offsets = new int[features.Length];
        int size = 0;
        for (int l = 0; l < features.Length; l++)
        {
            offsets[l] = size;
            size += (2 * l + 1) * channels * features[l];
        }
        return (offsets, size);
    }

    /// <summary>D_l[m][c·F+f] = Σ_q c_{l m q} M_l[q][c·F+f] for every l (q = a·N_l + n contiguous in c).</summary>
    public static void Density(ReadOnlySpan<double> c, ExpansionLayout layout, double[][] maps, int channels, int[] features,
        int[] offsets, Span<double> density)
    {
        for (int l = 0; l < features.Length; l++)
        {
            int q = layout.SpeciesCount * layout.RadialCount(l), w = channels * features[l];
            var map = maps[l];
            for (int m = -l; m <= l; m++)
            {
                var src = c.Slice(layout.Index(l, m, 0, 0), q);
                var dst = density.Slice(offsets[l] + (m + l) * w, w);
                dst.Clear();
                for (int k = 0; k < q; k++)
                    if (src[k] != 0) Axpy(src[k], map.AsSpan(k * w, w), dst);
            }
        }
    }

    /// <summary>
    /// Density tangents from the per-pair ν=1 gradients g[pair][d][PairIndex(l, m, n)] (neighbour species
    /// b of each pair): dD_l[dir][m][:] = Σ_n g[pair][d][l m n] M_l[b·N_l + n][:].
    /// </summary>
    public static void DensityTangent(ReadOnlySpan<double> g, ReadOnlySpan<int> pairSpecies, ExpansionLayout layout,
        double[][] maps, int channels, int[] features, int[] offsets, Span<double> tangent)
    {
        int pairs = pairSpecies.Length, dirs = 3 * pairs, ps = layout.PairSize;
        for (int l = 0; l < features.Length; l++)
        {
            int nl = layout.RadialCount(l), w = channels * features[l], size = (2 * l + 1) * w;
            var map = maps[l];
            for (int p = 0; p < pairs; p++)
            {
                int rowBase = pairSpecies[p] * nl;
                for (int d = 0; d < 3; d++)
                {
                    int dir = 3 * p + d;
                    var gd = g.Slice((p * 3 + d) * ps, ps);
                    for (int m = -l; m <= l; m++)
                    {
                        var dst = tangent.Slice(dirs * offsets[l] + dir * size + (m + l) * w, w);
                        dst.Clear();
                        var src = gd.Slice(layout.PairIndex(l, m, 0), nl);
                        for (int n = 0; n < nl; n++)
                            if (src[n] != 0) Axpy(src[n], map.AsSpan((rowBase + n) * w, w), dst);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The expansion X[μ][c][x] of <paramref name="block"/> (NiceLayout.cs step 1) from the previous order's
    /// values and the density of this step.
    /// </summary>
    public static void Expand(FittedBlock block, int channels, ReadOnlySpan<double> previous, int[] previousOffsets,
        FittedBlock[] previousBlocks, ReadOnlySpan<double> density, int[] densityOffsets, int[] features, Span<double> x)
    {
        int nx = block.ExpandedWidth;
        x[..(block.Components * channels * nx)].Clear();
        foreach (var g in block.Groups)
        {
            int pb = previousBlocks[g.InputBlock].Width, offT = previousOffsets[g.InputBlock];
            int f = features[g.L], offD = densityOffsets[g.L];
            var p1 = g.P1;
            var f2 = g.F2;
            int count = g.Count;
            foreach (var t in g.Terms)
                for (int c = 0; c < channels; c++)
                {
                    var tRow = previous.Slice(offT + (t.Kappa * channels + c) * pb, pb);
                    var dRow = density.Slice(offD + (t.M * channels + c) * f, f);
                    var dst = x.Slice((t.Mu * channels + c) * nx + g.Offset, count);
                    double v = t.Value;
                    for (int i = 0; i < count; i++) dst[i] += v * tRow[p1[i]] * dRow[f2[i]];
                }
        }
    }

    /// <summary>Tangents dX[dir][μ][c][x] of the expansion (product rule on both factors).</summary>
    public static void ExpandTangent(FittedBlock block, int channels, int dirs, ReadOnlySpan<double> previous,
        ReadOnlySpan<double> previousTangent, int[] previousOffsets, FittedBlock[] previousBlocks, ReadOnlySpan<double> density,
        ReadOnlySpan<double> densityTangent, int[] densityOffsets, int[] features, Span<double> dx)
    {
        int nx = block.ExpandedWidth, sizeX = block.Components * channels * nx;
        dx[..(dirs * sizeX)].Clear();
        foreach (var g in block.Groups)
        {
            var input = previousBlocks[g.InputBlock];
            int pb = input.Width, offT = previousOffsets[g.InputBlock], sizeT = input.Components * channels * pb;
            int f = features[g.L], offD = densityOffsets[g.L], sizeD = (2 * g.L + 1) * channels * f;
            var p1 = g.P1;
            var f2 = g.F2;
            int count = g.Count;
            foreach (var t in g.Terms)
                for (int c = 0; c < channels; c++)
                {
                    int tRow = (t.Kappa * channels + c) * pb, dRow = (t.M * channels + c) * f, xRow = (t.Mu * channels + c) * nx + g.Offset;
                    var tv = previous.Slice(offT + tRow, pb);
                    var dv = density.Slice(offD + dRow, f);
                    double v = t.Value;
                    for (int dir = 0; dir < dirs; dir++)
                    {
                        var dt = previousTangent.Slice(dirs * offT + dir * sizeT + tRow, pb);
                        var dd = densityTangent.Slice(dirs * offD + dir * sizeD + dRow, f);
                        var dst = dx.Slice(dir * sizeX + xRow, count);
                        for (int i = 0; i < count; i++)
                        {
                            int p = p1[i], q = f2[i];
                            dst[i] += v * (dt[p] * dv[q] + tv[p] * dd[q]);
                        }
                    }
                }
        }
    }

    /// <summary>
    /// Gathers the purification regressors R[μ][c][r] (first Take features of each listed lower-order block)
    /// from <paramref name="values"/> (per order) into <paramref name="r"/>; with <paramref name="dirs"/> &gt; 0
    /// gathers the tangents dR[dir][μ][c][r] from <paramref name="values"/> holding the tangent arrays.
    /// </summary>
    public static void Regressors(Purifier purifier, int components, int channels, double[][] values, int[][] offsets,
        OrderModel[] orders, int dirs, Span<double> r)
    {
        int nr = purifier.RegressorCount, rows = components * channels;
        int reps = Math.Max(dirs, 1);
        int col = 0;
        foreach (var reg in purifier.Regressors)
        {
            var om = orders[reg.Order];
            int s = om.StorageIndex(reg.Block);
            var blk = reg.Block >= 0 ? om.Covariant[reg.Block] : om.Invariants;
            int width = blk.Width, size = components * channels * width;
            int baseOff = offsets[reg.Order][s] * (dirs > 0 ? dirs : 1);
            var src = values[reg.Order];
            for (int dir = 0; dir < reps; dir++)
                for (int row = 0; row < rows; row++)
                    src.AsSpan(baseOff + dir * size + row * width, reg.Take).CopyTo(r.Slice((dir * rows + row) * nr + col, reg.Take));
            col += reg.Take;
        }
    }

    /// <summary>x[row][:] −= Σ_r R[row][r] β[r][:] (+ β₀ when <paramref name="intercept"/>) for <paramref name="rows"/> rows.</summary>
    public static void Purify(Purifier purifier, int rows, int nx, ReadOnlySpan<double> r, Span<double> x, bool intercept)
    {
        int nr = purifier.RegressorCount;
        var beta = purifier.Coefficients;
        for (int row = 0; row < rows; row++)
        {
            var dst = x.Slice(row * nx, nx);
            var src = r.Slice(row * nr, nr);
            for (int k = 0; k < nr; k++)
                if (src[k] != 0) Axpy(-src[k], beta.AsSpan(k * nx, nx), dst);
            if (intercept && purifier.Intercept is { } b0) Axpy(-1.0, b0, dst);
        }
    }

    /// <summary>Y = X V (row-major, rows × inner times inner × cols), overwriting Y; V null means Y = X.</summary>
    public static void Project(ReadOnlySpan<double> x, int rows, int inner, double[]? v, int cols, Span<double> y)
    {
        if (v is null)
        {
            x[..(rows * inner)].CopyTo(y);
            return;
        }
        for (int row = 0; row < rows; row++)
        {
            var dst = y.Slice(row * cols, cols);
            dst.Clear();
            var src = x.Slice(row * inner, inner);
            for (int k = 0; k < inner; k++)
                if (src[k] != 0) Axpy(src[k], v.AsSpan(k * cols, cols), dst);
        }
    }

    /// <summary>y += a x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, k = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = new Vector<double>(a);
            for (; k <= n - Vector<double>.Count; k += Vector<double>.Count)
            {
                var vy = new Vector<double>(y.Slice(k)) + va * new Vector<double>(x.Slice(k));
                vy.CopyTo(y.Slice(k));
            }
        }
        for (; k < n; k++) y[k] += a * x[k];
    }
}
