using System.Numerics;
using System.Runtime.CompilerServices;
using Specialized.Density;
using static Specialized.Numerics.VectorMath;

namespace Specialized.Correlations.Nice;

/// <summary>
/// Storage of the blocks of every order for one centre (layouts in NiceLayout.cs): per order one flat
/// array of its blocks in storage order (covariant, then invariant), block s at Offsets[o][s] with
/// Components·C·Width values [μ][c][p]. Gradients ("tangents") per order one flat array in which every value
/// is followed by its Dirs directional derivatives: value v of block s has its tangents at
/// Dirs·(Offsets[o][s] + v) … + Dirs − 1 (dir-minor, so every tangent operation is a vector operation over
/// the directions dir = 3·pair + d). Order 1 is the factor-1 density array itself (the order-1 blocks
/// l = 0 … min(l_max, λ_max) are its leading l blocks).
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

    /// <summary>
    /// D_l[m][c·F+f] = Σ_q c_{l m q} M_l[q][c·F+f] for every l (q = a·N_l + n contiguous in c); a map that is
    /// s times the identity (<paramref name="identityScale"/>[l] not NaN) is applied as D = s·c.
    /// </summary>
    public static void Density(ReadOnlySpan<double> c, ExpansionLayout layout, double[][] maps, int channels, int[] features,
        int[] offsets, double[] identityScale, Span<double> density)
    {
        for (int l = 0; l < features.Length; l++)
        {
            int q = layout.SpeciesCount * layout.RadialCount(l), w = channels * features[l];
            var map = maps[l];
            double scale = identityScale[l];
            for (int m = -l; m <= l; m++)
            {
                var src = c.Slice(layout.Index(l, m, 0, 0), q);
                var dst = density.Slice(offsets[l] + (m + l) * w, w);
                if (!double.IsNaN(scale))
                {
                    for (int k = 0; k < q; k++) dst[k] = scale * src[k];
                    continue;
                }
                dst.Clear();
                for (int k = 0; k < q; k++)
                    if (src[k] != 0) Axpy(src[k], map.AsSpan(k * w, w), dst);
            }
        }
    }

    /// <summary>
    /// Density tangents from the per-pair ν=1 gradients g[pair][d][PairIndex(l, m, n)] (neighbour species
    /// b of each pair): dD_l[m][w][dir] = Σ_n g[pair][d][l m n] M_l[b·N_l + n][w], dir-minor.
    /// </summary>
    public static void DensityTangent(ReadOnlySpan<double> g, ReadOnlySpan<int> pairSpecies, ExpansionLayout layout,
        double[][] maps, int channels, int[] features, int[] offsets, double[] identityScale, int densitySize, Span<double> tangent)
    {
        int pairs = pairSpecies.Length, dirs = 3 * pairs, ps = layout.PairSize;
        tangent[..(dirs * densitySize)].Clear();
        for (int l = 0; l < features.Length; l++)
        {
            int nl = layout.RadialCount(l), w = channels * features[l];
            var map = maps[l];
            double scale = identityScale[l];
            for (int p = 0; p < pairs; p++)
                AddPairDensityTangent(g.Slice(p * 3 * ps, 3 * ps), layout, l, pairSpecies[p] * nl, map, w, offsets[l], scale, p, dirs, tangent);
        }
    }

    /// <summary>
    /// The l block of the density tangents along pair p's three directions dir = 3p + d (dir-minor, added into zeros):
    /// dD_l[m][w][dir] = Σ_n g_p[d][l m n] M_l[rowBase + n][w], rowBase = b·N_l for the neighbour's channel b;
    /// a map that is s times the identity (scale not NaN) gives dD_l[m][rowBase + n][dir] = s g_p[d][l m n]. gp is the pair's
    /// ν=1 gradient [d][PairIndex(l, m, n)]; the l block of the density starts at offset with w = C·F_l columns per m.
    /// </summary>
    public static void AddPairDensityTangent(ReadOnlySpan<double> gp, ExpansionLayout layout, int l, int rowBase, double[] map, int w,
        int offset, double scale, int p, int dirs, Span<double> tangent)
    {
        int nl = layout.RadialCount(l), ps = layout.PairSize;
        for (int d = 0; d < 3; d++)
        {
            int dir = 3 * p + d;
            var gd = gp.Slice(d * ps, ps);
            for (int m = -l; m <= l; m++)
            {
                int baseIndex = offset + (m + l) * w;
                var src = gd.Slice(layout.PairIndex(l, m, 0), nl);
                if (!double.IsNaN(scale))
                {
                    for (int n = 0; n < nl; n++) tangent[(baseIndex + rowBase + n) * dirs + dir] = scale * src[n];
                    continue;
                }
                for (int n = 0; n < nl; n++)
                {
                    double gn = src[n];
                    if (gn == 0) continue;
                    var row = map.AsSpan((rowBase + n) * w, w);
                    for (int j = 0; j < w; j++) tangent[(baseIndex + j) * dirs + dir] += gn * row[j];
                }
            }
        }
    }

    /// <summary>
    /// The expansion X[μ][c][x] of <paramref name="block"/> (NiceLayout.cs step 1) from the previous order's
    /// values and the density of this step. Pair-major: for each pair the (2k+1) and (2l+1) components are
    /// gathered once, then every CG entry is one multiply-add.
    /// </summary>
    public static void Expand(FittedBlock block, int channels, ReadOnlySpan<double> previous, int[] previousOffsets,
        FittedBlock[] previousBlocks, ReadOnlySpan<double> density, int[] densityOffsets, int[] features, Span<double> x)
    {
        int nx = block.ExpandedWidth, rowStride = channels * nx;
        x[..(block.Components * rowStride)].Clear();
        Span<double> t = stackalloc double[MaxComponents];
        Span<double> d = stackalloc double[MaxComponents];
        foreach (var g in block.Groups)
        {
            int pb = previousBlocks[g.InputBlock].Width, offT = previousOffsets[g.InputBlock];
            int f = features[g.L], offD = densityOffsets[g.L];
            int kDim = 2 * g.InputLambda + 1, lDim = 2 * g.L + 1, tStride = channels * pb, dStride = channels * f;
            var p1 = g.P1;
            var f2 = g.F2;
            var terms = g.Terms;
            for (int c = 0; c < channels; c++)
            {
                var tBase = previous.Slice(offT + c * pb);
                var dBase = density.Slice(offD + c * f);
                for (int i = 0; i < p1.Length; i++)
                {
                    for (int k = 0; k < kDim; k++) t[k] = tBase[k * tStride + p1[i]];
                    for (int m = 0; m < lDim; m++) d[m] = dBase[m * dStride + f2[i]];
                    int column = c * nx + g.Offset + i;
                    foreach (var term in terms) x[term.Mu * rowStride + column] += term.Value * t[term.Kappa] * d[term.M];
                }
            }
        }
    }

    /// <summary>Largest 2λ+1 handled by the stack buffers of the expansion kernels.</summary>
    internal const int MaxComponents = 2 * 64 + 1;

    /// <summary>Tangents dX[μ][c][x][dir] of the expansion (product rule on both factors), dir-minor.</summary>
    public static void ExpandTangent(FittedBlock block, int channels, int dirs, ReadOnlySpan<double> previous,
        ReadOnlySpan<double> previousTangent, int[] previousOffsets, FittedBlock[] previousBlocks, ReadOnlySpan<double> density,
        ReadOnlySpan<double> densityTangent, int[] densityOffsets, int[] features, Span<double> dx)
    {
        int nx = block.ExpandedWidth, rowStride = channels * nx;
        dx[..(block.Components * rowStride * dirs)].Clear();
        Span<double> t = stackalloc double[MaxComponents];
        Span<double> d = stackalloc double[MaxComponents];
        Span<int> dt = stackalloc int[MaxComponents];
        Span<int> dd = stackalloc int[MaxComponents];
        foreach (var g in block.Groups)
        {
            int pb = previousBlocks[g.InputBlock].Width, offT = previousOffsets[g.InputBlock];
            int f = features[g.L], offD = densityOffsets[g.L];
            int kDim = 2 * g.InputLambda + 1, lDim = 2 * g.L + 1, tStride = channels * pb, dStride = channels * f;
            var p1 = g.P1;
            var f2 = g.F2;
            var terms = g.Terms;
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < p1.Length; i++)
                {
                    int pi = p1[i], fi = f2[i];
                    for (int k = 0; k < kDim; k++)
                    {
                        int index = offT + k * tStride + c * pb + pi;
                        t[k] = previous[index];
                        dt[k] = index * dirs;
                    }
                    for (int m = 0; m < lDim; m++)
                    {
                        int index = offD + m * dStride + c * f + fi;
                        d[m] = density[index];
                        dd[m] = index * dirs;
                    }
                    int column = c * nx + g.Offset + i;
                    foreach (var term in terms)
                        Axpy2(term.Value * d[term.M], previousTangent.Slice(dt[term.Kappa], dirs),
                            term.Value * t[term.Kappa], densityTangent.Slice(dd[term.M], dirs),
                            dx.Slice((term.Mu * rowStride + column) * dirs, dirs));
                }
        }
    }

    /// <summary>
    /// Gathers the purification regressors R[μ][c][r] (first Take features of each listed lower-order block)
    /// from <paramref name="values"/> (per order) into <paramref name="r"/>; with <paramref name="dirs"/> &gt; 0
    /// gathers the tangents dR[μ][c][r][dir] from <paramref name="values"/> holding the (dir-minor) tangent arrays.
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
            int width = blk.Width, baseOff = offsets[reg.Order][s];
            var src = values[reg.Order];
            for (int row = 0; row < rows; row++)
                src.AsSpan((baseOff + row * width) * reps, reg.Take * reps).CopyTo(r.Slice((row * nr + col) * reps, reg.Take * reps));
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

    /// <summary>Tangents: dx[row][x][:] −= Σ_r β[r][x] dR[row][r][:] (dir-minor; the intercept has no tangent).</summary>
    public static void PurifyTangent(Purifier purifier, int rows, int nx, int dirs, ReadOnlySpan<double> r, Span<double> x)
    {
        int nr = purifier.RegressorCount;
        var beta = purifier.Coefficients;
        for (int row = 0; row < rows; row++)
            for (int k = 0; k < nr; k++)
            {
                var src = r.Slice((row * nr + k) * dirs, dirs);
                var coefficients = beta.AsSpan(k * nx, nx);
                for (int j = 0; j < nx; j++)
                    if (coefficients[j] != 0) Axpy(-coefficients[j], src, x.Slice((row * nx + j) * dirs, dirs));
            }
    }

    /// <summary>Tangents of the projection: Y[row][j][:] = Σ_k V[k][j] X[row][k][:] (dir-minor); V null copies.</summary>
    public static void ProjectTangent(ReadOnlySpan<double> x, int rows, int inner, double[]? v, int cols, int dirs, Span<double> y)
    {
        if (v is null)
        {
            x[..(rows * inner * dirs)].CopyTo(y);
            return;
        }
        y[..(rows * cols * dirs)].Clear();
        for (int row = 0; row < rows; row++)
        {
            var dst = y.Slice(row * cols * dirs, cols * dirs);
            for (int k = 0; k < inner; k++)
            {
                var src = x.Slice((row * inner + k) * dirs, dirs);
                var coefficients = v.AsSpan(k * cols, cols);
                for (int j = 0; j < cols; j++) Axpy(coefficients[j], src, dst.Slice(j * dirs, dirs));
            }
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
        y[..(rows * cols)].Clear();
        int row = 0;
        // Four rows at a time share every load of V.
        for (; row + 4 <= rows; row += 4)
        {
            var x0 = x.Slice(row * inner, inner);
            var x1 = x.Slice((row + 1) * inner, inner);
            var x2 = x.Slice((row + 2) * inner, inner);
            var x3 = x.Slice((row + 3) * inner, inner);
            var y0 = y.Slice(row * cols, cols);
            var y1 = y.Slice((row + 1) * cols, cols);
            var y2 = y.Slice((row + 2) * cols, cols);
            var y3 = y.Slice((row + 3) * cols, cols);
            for (int k = 0; k < inner; k++)
            {
                double a0 = x0[k], a1 = x1[k], a2 = x2[k], a3 = x3[k];
                if (a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0) continue;
                Axpy4(a0, a1, a2, a3, v.AsSpan(k * cols, cols), y0, y1, y2, y3);
            }
        }
        for (; row < rows; row++)
        {
            var dst = y.Slice(row * cols, cols);
            var src = x.Slice(row * inner, inner);
            for (int k = 0; k < inner; k++)
                if (src[k] != 0) Axpy(src[k], v.AsSpan(k * cols, cols), dst);
        }
    }

    /// <summary>y_r += a_r x for four rows r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy4(double a0, double a1, double a2, double a3, ReadOnlySpan<double> x,
        Span<double> y0, Span<double> y1, Span<double> y2, Span<double> y3)
    {
        int n = x.Length, k = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var v0 = new Vector<double>(a0);
            var v1 = new Vector<double>(a1);
            var v2 = new Vector<double>(a2);
            var v3 = new Vector<double>(a3);
            for (; k <= n - Vector<double>.Count; k += Vector<double>.Count)
            {
                var vx = new Vector<double>(x.Slice(k));
                (new Vector<double>(y0.Slice(k)) + v0 * vx).CopyTo(y0.Slice(k));
                (new Vector<double>(y1.Slice(k)) + v1 * vx).CopyTo(y1.Slice(k));
                (new Vector<double>(y2.Slice(k)) + v2 * vx).CopyTo(y2.Slice(k));
                (new Vector<double>(y3.Slice(k)) + v3 * vx).CopyTo(y3.Slice(k));
            }
        }
        for (; k < n; k++)
        {
            double xk = x[k];
            y0[k] += a0 * xk;
            y1[k] += a1 * xk;
            y2[k] += a2 * xk;
            y3[k] += a3 * xk;
        }
    }

    // ── adjoints (reverse mode) ──────────────────────────────────────────────────────────────────

    /// <summary>X̄[row][k] = Σ_j Ȳ[row][j] V[k][j]; V null copies.</summary>
    public static void ProjectAdjoint(ReadOnlySpan<double> ybar, int rows, int inner, double[]? v, int cols, Span<double> xbar)
    {
        if (v is null)
        {
            ybar[..(rows * inner)].CopyTo(xbar);
            return;
        }
        for (int row = 0; row < rows; row++)
        {
            var y = ybar.Slice(row * cols, cols);
            var dst = xbar.Slice(row * inner, inner);
            for (int k = 0; k < inner; k++) dst[k] = Dot(v.AsSpan(k * cols, cols), y);
        }
    }

    /// <summary>R̄[row][r] = −Σ_x X̄[row][x] β[r][x].</summary>
    public static void PurifyAdjoint(Purifier purifier, int rows, int nx, ReadOnlySpan<double> xbar, Span<double> rbar)
    {
        int nr = purifier.RegressorCount;
        var beta = purifier.Coefficients;
        for (int row = 0; row < rows; row++)
        {
            var x = xbar.Slice(row * nx, nx);
            for (int k = 0; k < nr; k++) rbar[row * nr + k] = -Dot(beta.AsSpan(k * nx, nx), x);
        }
    }

    /// <summary>Scatters R̄ into the adjoints of the regressor blocks (inverse of <see cref="Regressors"/>).</summary>
    public static void RegressorsAdjoint(Purifier purifier, int components, int channels, double[][] adjoints, int[][] offsets,
        OrderModel[] orders, ReadOnlySpan<double> rbar)
    {
        int nr = purifier.RegressorCount, rows = components * channels, col = 0;
        foreach (var reg in purifier.Regressors)
        {
            var om = orders[reg.Order];
            int s = om.StorageIndex(reg.Block);
            var blk = reg.Block >= 0 ? om.Covariant[reg.Block] : om.Invariants;
            int width = blk.Width, baseOff = offsets[reg.Order][s];
            var dst = adjoints[reg.Order];
            for (int row = 0; row < rows; row++)
                for (int p = 0; p < reg.Take; p++) dst[baseOff + row * width + p] += rbar[row * nr + col + p];
            col += reg.Take;
        }
    }

    /// <summary>
    /// Adjoint of <see cref="Expand"/>: T̄[κ][c][p1] += Σ C X̄[μ][c][x] D[m][c][f2] into the previous order's
    /// adjoint, D̄[m][c][f2] += Σ C X̄[μ][c][x] T[κ][c][p1] into the density adjoint.
    /// </summary>
    public static void ExpandAdjoint(FittedBlock block, int channels, ReadOnlySpan<double> xbar, ReadOnlySpan<double> previous,
        Span<double> previousAdjoint, int[] previousOffsets, FittedBlock[] previousBlocks, ReadOnlySpan<double> density,
        Span<double> densityAdjoint, int[] densityOffsets, int[] features)
    {
        int nx = block.ExpandedWidth, rowStride = channels * nx;
        Span<double> t = stackalloc double[MaxComponents];
        Span<double> d = stackalloc double[MaxComponents];
        Span<double> tb = stackalloc double[MaxComponents];
        Span<double> db = stackalloc double[MaxComponents];
        foreach (var g in block.Groups)
        {
            int pb = previousBlocks[g.InputBlock].Width, offT = previousOffsets[g.InputBlock];
            int f = features[g.L], offD = densityOffsets[g.L];
            int kDim = 2 * g.InputLambda + 1, lDim = 2 * g.L + 1, tStride = channels * pb, dStride = channels * f;
            var p1 = g.P1;
            var f2 = g.F2;
            var terms = g.Terms;
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < p1.Length; i++)
                {
                    int column = c * nx + g.Offset + i;
                    int tIndex = offT + c * pb + p1[i], dIndex = offD + c * f + f2[i];
                    for (int k = 0; k < kDim; k++)
                    {
                        t[k] = previous[tIndex + k * tStride];
                        tb[k] = 0;
                    }
                    for (int m = 0; m < lDim; m++)
                    {
                        d[m] = density[dIndex + m * dStride];
                        db[m] = 0;
                    }
                    foreach (var term in terms)
                    {
                        double xb = term.Value * xbar[term.Mu * rowStride + column];
                        tb[term.Kappa] += xb * d[term.M];
                        db[term.M] += xb * t[term.Kappa];
                    }
                    for (int k = 0; k < kDim; k++) previousAdjoint[tIndex + k * tStride] += tb[k];
                    for (int m = 0; m < lDim; m++) densityAdjoint[dIndex + m * dStride] += db[m];
                }
        }
    }

    /// <summary>c̄[l][m][q] += Σ_w D̄_l[m][w] M_l[q][w] (adjoint of <see cref="Density"/>).</summary>
    public static void DensityAdjoint(ReadOnlySpan<double> dbar, ExpansionLayout layout, double[][] maps, int channels, int[] features,
        int[] offsets, double[] identityScale, Span<double> cbar)
    {
        for (int l = 0; l < features.Length; l++)
        {
            int q = layout.SpeciesCount * layout.RadialCount(l), w = channels * features[l];
            var map = maps[l];
            double scale = identityScale[l];
            for (int m = -l; m <= l; m++)
            {
                var src = dbar.Slice(offsets[l] + (m + l) * w, w);
                var dst = cbar.Slice(layout.Index(l, m, 0, 0), q);
                if (!double.IsNaN(scale))
                {
                    for (int k = 0; k < q; k++) dst[k] += scale * src[k];
                    continue;
                }
                for (int k = 0; k < q; k++) dst[k] += Dot(map.AsSpan(k * w, w), src);
            }
        }
    }
}
