using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Specialized.Kernels;

/// <summary>
/// A fixed k × n right-hand factor V (a fitted projection) stored once as column panels for <see cref="NicePackedGemm"/>:
/// panel p covers columns [16p, 16p + w_p) with w_p = 16, except a last panel of 8 when at most 8 columns remain;
/// inside a panel the layout is row-major k × w_p (columns past n are zero), so the w_p numbers of one row are
/// one or two 64-byte lines. The storage is pinned and its first element 64-byte aligned.
/// </summary>
internal sealed unsafe class NicePackedMatrix
{
    /// <summary>Packs the row-major <paramref name="k"/> × <paramref name="n"/> matrix <paramref name="v"/>.</summary>
    public NicePackedMatrix(ReadOnlySpan<double> v, int k, int n)
    {
        if (k < 0 || n < 0 || v.Length < k * n) throw new ArgumentException("NicePackedMatrix: the matrix is shorter than its shape");
        Rows = k;
        Columns = n;
        int panels = 0;
        for (int j = 0; j < n; j += 16) panels++;
        PanelWidths = new int[panels];
        PanelOffsets = new int[panels];
        int size = 0;
        for (int p = 0; p < panels; p++)
        {
            int left = n - 16 * p;
            PanelWidths[p] = left <= 8 ? 8 : 16;
            PanelOffsets[p] = size;
            size += k * PanelWidths[p];
        }
        _data = GC.AllocateArray<double>(size + 8, pinned: true);
        fixed (double* d = _data) _base = (int)((64 - ((nint)d & 63)) & 63) / sizeof(double);
        var data = _data.AsSpan(_base, size);
        for (int p = 0; p < panels; p++)
        {
            int w = PanelWidths[p], col = 16 * p, valid = Math.Min(w, n - col);
            for (int q = 0; q < k; q++)
                v.Slice(q * n + col, valid).CopyTo(data.Slice(PanelOffsets[p] + q * w, valid));
        }
    }

    private readonly double[] _data; // pinned (never moves)
    private readonly int _base;       // first element of the 64-byte-aligned storage

    /// <summary>k (inner dimension).</summary>
    public int Rows { get; }

    /// <summary>n (output columns).</summary>
    public int Columns { get; }

    /// <summary>Width (8 or 16) of each panel.</summary>
    public int[] PanelWidths { get; }

    /// <summary>First element of each panel relative to <see cref="Data"/>.</summary>
    public int[] PanelOffsets { get; }

    /// <summary>The aligned storage (pinned).</summary>
    public double* Data
    {
        get
        {
            fixed (double* d = _data) return d + _base; // pinned array: the address stays valid
        }
    }
}

/// <summary>
/// The batched NICE contraction Y = X V with V packed (<see cref="NicePackedMatrix"/>): X row-major m × k, only
/// the inner indices in <c>active</c> visited (as <see cref="NiceGemm"/>), row r of Y at
/// <c>(r / rowsPerGroup)·groupStride + (r mod rowsPerGroup)·n</c>. X is taken six rows at a time: the active
/// columns of those rows are gathered into a small buffer xp[q][r] (q active index, r &lt; 6, zero past m) so every
/// broadcast reads one contiguous stream, then every panel of V is run against it with 12 independent accumulators
/// (AVX2 + FMA: 6 rows × 8 columns, twice for a 16-wide panel, or 3 × 16 when the block has at most three rows; a scalar loop
/// without FMA), and the 6 × w tile goes to Y.
/// Each V row is read once per six rows of X. Sums run over the active indices in ascending order, one FMA chain
/// per output element.
/// </summary>
internal static unsafe class NicePackedGemm
{
    /// <summary>Rows of X per block.</summary>
    public const int BlockRows = 6;

    /// <summary>Length of the scratch buffer for inner dimension <paramref name="k"/>: the gathered block and a row of k zeros.</summary>
    public static int BlockBufferLength(int k) => (BlockRows + 1) * k;

    /// <summary>Y (rows as in the type remarks) ← X V over the active inner indices (see the type remarks).</summary>
    public static void Multiply(ReadOnlySpan<double> x, int m, int k, NicePackedMatrix v, Span<double> y,
        int rowsPerGroup, int groupStride, ReadOnlySpan<int> active, Span<double> block)
    {
        int n = v.Columns;
        if (m == 0 || n == 0) return;
        if (v.Rows != k) throw new ArgumentException("NicePackedGemm: V has a different inner dimension");
        if (x.Length < m * k) throw new ArgumentException("NicePackedGemm: X is shorter than its shape");
        if (rowsPerGroup <= 0) throw new ArgumentException("NicePackedGemm: rowsPerGroup must be positive");
        int groups = (m - 1) / rowsPerGroup;
        if (y.Length < groups * groupStride + (m - 1 - groups * rowsPerGroup) * n + n) throw new ArgumentException("NicePackedGemm: Y is shorter than its shape");
        int count = active.Length;
        if (block.Length < BlockBufferLength(k)) throw new ArgumentException("NicePackedGemm: the block buffer is too short");
        foreach (int q in active)
            if ((uint)q >= (uint)k) throw new ArgumentException("NicePackedGemm: an active index is outside the inner dimension");
        var widths = v.PanelWidths;
        var offsets = v.PanelOffsets;
        double* tile = stackalloc double[BlockRows * 16];
        double** rowsY = stackalloc double*[BlockRows];
        fixed (double* px = x, py = y, pb = block)
        fixed (int* pa = active)
        {
            double* pv = v.Data, zero = pb + BlockRows * k;
            new Span<double>(zero, k).Clear();
            for (int r0 = 0; r0 < m; r0 += BlockRows)
            {
                int rows = Math.Min(BlockRows, m - r0);
                Pack(px + (long)r0 * k, rows, k, pa, count, pb, zero);
                for (int r = 0; r < rows; r++)
                {
                    int g = (r0 + r) / rowsPerGroup;
                    rowsY[r] = py + (long)g * groupStride + (long)(r0 + r - g * rowsPerGroup) * n;
                }
                for (int p = 0; p < widths.Length; p++)
                {
                    int w = widths[p], col = 16 * p, valid = Math.Min(w, n - col);
                    double* panel = pv + offsets[p];
                    if (w == 16) Panel16(pb, rows, count, pa, panel, tile);
                    else Panel8(pb, count, pa, panel, 8, tile);
                    for (int r = 0; r < rows; r++)
                    {
                        double* dst = rowsY[r] + col, src = tile + r * 16;
                        int j = 0;
                        for (; j + 4 <= valid; j += 4) Vector256.Store(Vector256.Load(src + j), dst + j);
                        for (; j < valid; j++) dst[j] = src[j];
                    }
                }
            }
        }
    }

    /// <summary>
    /// xp[q][r] = X[r][active q] for r &lt; rows, 0 for rows ≤ r &lt; 6 (read from <paramref name="zero"/>, k zeros):
    /// one index load and six contiguous stores per active column.
    /// </summary>
    private static void Pack(double* x, int rows, int k, int* pa, int count, double* xp, double* zero)
    {
        double* x0 = x, x1 = rows > 1 ? x0 + k : zero, x2 = rows > 2 ? x0 + 2L * k : zero;
        double* x3 = rows > 3 ? x0 + 3L * k : zero, x4 = rows > 4 ? x0 + 4L * k : zero, x5 = rows > 5 ? x0 + 5L * k : zero;
        for (int qi = 0; qi < count; qi++)
        {
            int q = pa[qi];
            double* dst = xp + qi * BlockRows;
            dst[0] = x0[q];
            dst[1] = x1[q];
            dst[2] = x2[q];
            dst[3] = x3[q];
            dst[4] = x4[q];
            dst[5] = x5[q];
        }
    }

    /// <summary>
    /// tile[r][0..16) = Σ_q xp[q][r] V[active q][0..16) for the rows of the block: three rows × 16 columns when the block has
    /// at most three, else six rows × 8 columns twice (each V row then serves six rows of X).
    /// </summary>
    private static void Panel16(double* xp, int rows, int count, int* pa, double* v, double* tile)
    {
        if (Fma.IsSupported)
        {
            if (rows <= 3)
            {
                Half16(xp, 0, count, pa, v, tile);
                return;
            }
            Panel8(xp, count, pa, v, 16, tile);
            Panel8(xp, count, pa, v + 8, 16, tile + 8);
            return;
        }
        Scalar(xp, count, pa, v, 16, 16, tile);
    }

    /// <summary>Rows r0 … r0 + 2 of the block, 16 columns (AVX2: 12 accumulators).</summary>
    private static void Half16(double* xp, int r0, int count, int* pa, double* v, double* tile)
    {
        Vector256<double> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<double> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector256<double> a20 = default, a21 = default, a22 = default, a23 = default;
        for (int qi = 0; qi < count; qi++)
        {
            double* vp = v + (long)pa[qi] * 16;
            double* xq = xp + qi * BlockRows + r0;
            var v0 = Vector256.Load(vp);
            var v1 = Vector256.Load(vp + 4);
            var v2 = Vector256.Load(vp + 8);
            var v3 = Vector256.Load(vp + 12);
            var b = Vector256.Create(xq[0]);
            a00 = Fma.MultiplyAdd(b, v0, a00);
            a01 = Fma.MultiplyAdd(b, v1, a01);
            a02 = Fma.MultiplyAdd(b, v2, a02);
            a03 = Fma.MultiplyAdd(b, v3, a03);
            b = Vector256.Create(xq[1]);
            a10 = Fma.MultiplyAdd(b, v0, a10);
            a11 = Fma.MultiplyAdd(b, v1, a11);
            a12 = Fma.MultiplyAdd(b, v2, a12);
            a13 = Fma.MultiplyAdd(b, v3, a13);
            b = Vector256.Create(xq[2]);
            a20 = Fma.MultiplyAdd(b, v0, a20);
            a21 = Fma.MultiplyAdd(b, v1, a21);
            a22 = Fma.MultiplyAdd(b, v2, a22);
            a23 = Fma.MultiplyAdd(b, v3, a23);
        }
        a00.Store(tile); a01.Store(tile + 4); a02.Store(tile + 8); a03.Store(tile + 12);
        a10.Store(tile + 16); a11.Store(tile + 20); a12.Store(tile + 24); a13.Store(tile + 28);
        a20.Store(tile + 32); a21.Store(tile + 36); a22.Store(tile + 40); a23.Store(tile + 44);
    }

    /// <summary>tile[r][0..8) for the six rows of the block and an 8-wide panel.</summary>
    private static void Panel8(double* xp, int count, int* pa, double* v, int stride, double* tile)
    {
        if (!Fma.IsSupported)
        {
            Scalar(xp, count, pa, v, stride, 8, tile);
            return;
        }
        Vector256<double> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
        Vector256<double> a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
        for (int qi = 0; qi < count; qi++)
        {
            double* vp = v + (long)pa[qi] * stride;
            double* xq = xp + qi * BlockRows;
            var v0 = Vector256.Load(vp);
            var v1 = Vector256.Load(vp + 4);
            var b = Vector256.Create(xq[0]);
            a00 = Fma.MultiplyAdd(b, v0, a00);
            a01 = Fma.MultiplyAdd(b, v1, a01);
            b = Vector256.Create(xq[1]);
            a10 = Fma.MultiplyAdd(b, v0, a10);
            a11 = Fma.MultiplyAdd(b, v1, a11);
            b = Vector256.Create(xq[2]);
            a20 = Fma.MultiplyAdd(b, v0, a20);
            a21 = Fma.MultiplyAdd(b, v1, a21);
            b = Vector256.Create(xq[3]);
            a30 = Fma.MultiplyAdd(b, v0, a30);
            a31 = Fma.MultiplyAdd(b, v1, a31);
            b = Vector256.Create(xq[4]);
            a40 = Fma.MultiplyAdd(b, v0, a40);
            a41 = Fma.MultiplyAdd(b, v1, a41);
            b = Vector256.Create(xq[5]);
            a50 = Fma.MultiplyAdd(b, v0, a50);
            a51 = Fma.MultiplyAdd(b, v1, a51);
        }
        a00.Store(tile); a01.Store(tile + 4);
        a10.Store(tile + 16); a11.Store(tile + 20);
        a20.Store(tile + 32); a21.Store(tile + 36);
        a30.Store(tile + 48); a31.Store(tile + 52);
        a40.Store(tile + 64); a41.Store(tile + 68);
        a50.Store(tile + 80); a51.Store(tile + 84);
    }

    /// <summary>Portable fallback: the same sums, one fused multiply–add at a time.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Scalar(double* xp, int count, int* pa, double* v, int stride, int w, double* tile)
    {
        for (int r = 0; r < BlockRows; r++)
            for (int j = 0; j < w; j++)
            {
                double sum = 0;
                for (int qi = 0; qi < count; qi++) sum = Math.FusedMultiplyAdd(xp[qi * BlockRows + r], v[(long)pa[qi] * stride + j], sum);
                tile[r * 16 + j] = sum;
            }
    }
}
