using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Specialized.Kernels;

/// <summary>
/// The ν=1 density update of a generated kernel for a chunk of pairs (MATH §3.1):
/// <code>
///   c[(l² + l + m)·W + b_q·N + n] += Σ_q Y_lm(q) R_l(q)[n],   l ≤ l_max, |m| ≤ l, n &lt; N
///   Y_lm(q)   = ylm[(q / 4)·blockStride + 4(l² + l + m) + q mod 4]   (harmonics blocks of 4 SIMD lanes, [l² + l + m][lane])
///   R_l(q)[n] = radial[q·radialStride + l·N + n],   b_q = channels[q],   W = channelWidth
/// </code>
/// The pairs are ordered by channel (stably), and for each channel present and each group of up to four (l, m) rows the
/// sum over that channel's pairs is kept in registers (AVX2 + FMA, N a multiple of 4): each row of c is read and written once
/// per channel and chunk, rather than once per pair. Without FMA, or for the columns of N past the last multiple of 4, a
/// scalar loop adds the same terms.
/// </summary>
public static class DensityAccumulator
{
    /// <summary>Largest number of pairs in one call (the pair order is kept on the stack).</summary>
    public const int MaxChunkPairs = 64;

    /// <summary>Adds the chunk's pairs to <paramref name="c"/> (see the type remarks).</summary>
    /// <param name="ylm">Harmonics blocks: the block of pairs 4j … 4j + 3 starts at j·<paramref name="blockStride"/>.</param>
    /// <param name="blockStride">Distance between harmonics blocks, ≥ 4 (l_max + 1)².</param>
    /// <param name="radial">R_l(q)[n], pair q's row at q·<paramref name="radialStride"/>, layout [l][n].</param>
    /// <param name="radialStride">Distance between pairs' radial rows, ≥ (l_max + 1) N.</param>
    /// <param name="channels">Species channel b_q of each pair (length ≥ pairs).</param>
    /// <param name="pairs">Pairs in the chunk, ≤ <see cref="MaxChunkPairs"/>.</param>
    /// <param name="lMax">Largest angular channel.</param>
    /// <param name="n">Radial functions N per angular channel.</param>
    /// <param name="c">Coefficients, layout [l² + l + m][channel][n].</param>
    /// <param name="channelWidth">Length W of one (l, m) row of c (channels × N).</param>
    public static void AddChunk(ReadOnlySpan<double> ylm, int blockStride, ReadOnlySpan<double> radial, int radialStride,
        ReadOnlySpan<int> channels, int pairs, int lMax, int n, Span<double> c, int channelWidth)
    {
        if (pairs <= 0) return;
        int harmonics = (lMax + 1) * (lMax + 1);
        if (pairs > MaxChunkPairs || lMax < 0 || n <= 0 || blockStride < 4 * harmonics || radialStride < (lMax + 1) * n
            || channels.Length < pairs || ylm.Length < (pairs - 1) / 4 * blockStride + 4 * harmonics
            || radial.Length < (pairs - 1) * radialStride + (lMax + 1) * n || channelWidth < n || c.Length < harmonics * channelWidth)
            throw new ArgumentException("DensityAccumulator.AddChunk: a buffer or size does not fit the chunk");

        // pairs ordered by channel, stable (insertion sort: a chunk is small and usually nearly sorted)
        Span<int> order = stackalloc int[pairs];
        for (int q = 0; q < pairs; q++)
        {
            int b = channels[q];
            if (b < 0 || b * n + n > channelWidth)
                throw new ArgumentException($"DensityAccumulator.AddChunk: pair {q} has channel {b}, outside the coefficient rows");
            int k = q;
            while (k > 0 && channels[order[k - 1]] > b)
            {
                order[k] = order[k - 1];
                k--;
            }
            order[k] = q;
        }

        ref double yr = ref MemoryMarshal.GetReference(ylm);
        ref double rr = ref MemoryMarshal.GetReference(radial);
        ref double cr = ref MemoryMarshal.GetReference(c);
        int vectorColumns = Fma.IsSupported ? n / 4 * 4 : 0;
        for (int start = 0; start < pairs;)
        {
            int b = channels[order[start]];
            int end = start + 1;
            while (end < pairs && channels[order[end]] == b) end++;
            var run = order[start..end];
            for (int l = 0; l <= lMax; l++)
            {
                int rows = 2 * l + 1;
                int firstRow = l * l;
                for (int j = 0; j < vectorColumns; j += j + 8 <= vectorColumns ? 8 : 4)
                {
                    int width = j + 8 <= vectorColumns ? 8 : 4;
                    ref double radialColumn = ref Unsafe.Add(ref rr, l * n + j);
                    ref double cColumn = ref Unsafe.Add(ref cr, b * n + j);
                    // rows in groups of 4, the last ones as 3 + 2 or 3 + 3 + 3 so no group is a single row (except l = 0)
                    int row = 0;
                    while (row < rows)
                    {
                        int left = rows - row;
                        int group = left >= 4 && left != 5 && left != 9 ? 4 : Math.Min(left, 3);
                        ref double yRow = ref Unsafe.Add(ref yr, 4 * (firstRow + row));
                        ref double cRow = ref Unsafe.Add(ref cColumn, (firstRow + row) * channelWidth);
                        if (width == 8)
                            AddRows8(group, run, ref yRow, blockStride, ref radialColumn, radialStride, ref cRow, channelWidth);
                        else
                            AddRows4(group, run, ref yRow, blockStride, ref radialColumn, radialStride, ref cRow, channelWidth);
                        row += group;
                    }
                }
                for (int j = vectorColumns; j < n; j++)
                    for (int m = 0; m < rows; m++)
                    {
                        double sum = 0;
                        foreach (int q in run)
                            sum += Unsafe.Add(ref yr, q / 4 * blockStride + 4 * (firstRow + m) + q % 4) * Unsafe.Add(ref rr, q * radialStride + l * n + j);
                        Unsafe.Add(ref cr, (firstRow + m) * channelWidth + b * n + j) += sum;
                    }
            }
            start = end;
        }
    }

    /// <summary>Y of pair q in row 0 of a group: its block's entry for lane q mod 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref double PairHarmonic(ref double yRow, int q, int blockStride) => ref Unsafe.Add(ref yRow, (q >> 2) * blockStride + (q & 3));

    /// <summary>
    /// c rows r &lt; <paramref name="group"/> (≤ 4), columns [0, 8): += Σ_{q ∈ run} Y(q, r) R(q)[0 … 7], with Y(q, r) 4 apart per row
    /// in the pair's block and R(q) at q·radialStride; 2 × group accumulators. One loop per group size: testing the group
    /// size inside a single pair loop measured 3 % slower on water192.
    /// </summary>
    private static void AddRows8(int group, ReadOnlySpan<int> run, ref double yRow, int blockStride, ref double radial, int radialStride, ref double cRow, int stride)
    {
        Vector256<double> a0 = default, b0 = default, a1 = default, b1 = default, a2 = default, b2 = default, a3 = default, b3 = default;
        if (group == 4)
        {
            foreach (int q in run)
            {
                ref double rq = ref Unsafe.Add(ref radial, q * radialStride);
                var lo = Vector256.LoadUnsafe(ref rq);
                var hi = Vector256.LoadUnsafe(ref rq, 4);
                ref double y = ref PairHarmonic(ref yRow, q, blockStride);
                var x = Vector256.Create(y);
                a0 = Fma.MultiplyAdd(x, lo, a0); b0 = Fma.MultiplyAdd(x, hi, b0);
                x = Vector256.Create(Unsafe.Add(ref y, 4));
                a1 = Fma.MultiplyAdd(x, lo, a1); b1 = Fma.MultiplyAdd(x, hi, b1);
                x = Vector256.Create(Unsafe.Add(ref y, 8));
                a2 = Fma.MultiplyAdd(x, lo, a2); b2 = Fma.MultiplyAdd(x, hi, b2);
                x = Vector256.Create(Unsafe.Add(ref y, 12));
                a3 = Fma.MultiplyAdd(x, lo, a3); b3 = Fma.MultiplyAdd(x, hi, b3);
            }
        }
        else if (group == 3)
        {
            foreach (int q in run)
            {
                ref double rq = ref Unsafe.Add(ref radial, q * radialStride);
                var lo = Vector256.LoadUnsafe(ref rq);
                var hi = Vector256.LoadUnsafe(ref rq, 4);
                ref double y = ref PairHarmonic(ref yRow, q, blockStride);
                var x = Vector256.Create(y);
                a0 = Fma.MultiplyAdd(x, lo, a0); b0 = Fma.MultiplyAdd(x, hi, b0);
                x = Vector256.Create(Unsafe.Add(ref y, 4));
                a1 = Fma.MultiplyAdd(x, lo, a1); b1 = Fma.MultiplyAdd(x, hi, b1);
                x = Vector256.Create(Unsafe.Add(ref y, 8));
                a2 = Fma.MultiplyAdd(x, lo, a2); b2 = Fma.MultiplyAdd(x, hi, b2);
            }
        }
        else if (group == 2)
        {
            foreach (int q in run)
            {
                ref double rq = ref Unsafe.Add(ref radial, q * radialStride);
                var lo = Vector256.LoadUnsafe(ref rq);
                var hi = Vector256.LoadUnsafe(ref rq, 4);
                ref double y = ref PairHarmonic(ref yRow, q, blockStride);
                var x = Vector256.Create(y);
                a0 = Fma.MultiplyAdd(x, lo, a0); b0 = Fma.MultiplyAdd(x, hi, b0);
                x = Vector256.Create(Unsafe.Add(ref y, 4));
                a1 = Fma.MultiplyAdd(x, lo, a1); b1 = Fma.MultiplyAdd(x, hi, b1);
            }
        }
        else
        {
            // one row: even and odd pairs in separate accumulators (four independent FMA chains)
            int i = 0;
            for (; i + 2 <= run.Length; i += 2)
            {
                int q = run[i], p = run[i + 1];
                ref double rq = ref Unsafe.Add(ref radial, q * radialStride);
                ref double rp = ref Unsafe.Add(ref radial, p * radialStride);
                var x = Vector256.Create(PairHarmonic(ref yRow, q, blockStride));
                var z = Vector256.Create(PairHarmonic(ref yRow, p, blockStride));
                a0 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref rq), a0); b0 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref rq, 4), b0);
                a1 = Fma.MultiplyAdd(z, Vector256.LoadUnsafe(ref rp), a1); b1 = Fma.MultiplyAdd(z, Vector256.LoadUnsafe(ref rp, 4), b1);
            }
            if (i < run.Length)
            {
                int q = run[i];
                ref double rq = ref Unsafe.Add(ref radial, q * radialStride);
                var x = Vector256.Create(PairHarmonic(ref yRow, q, blockStride));
                a0 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref rq), a0); b0 = Fma.MultiplyAdd(x, Vector256.LoadUnsafe(ref rq, 4), b0);
            }
            Add8(ref cRow, a0 + a1, b0 + b1);
            return;
        }
        Add8(ref cRow, a0, b0);
        if (group > 1) Add8(ref Unsafe.Add(ref cRow, stride), a1, b1);
        if (group > 2) Add8(ref Unsafe.Add(ref cRow, 2 * stride), a2, b2);
        if (group > 3) Add8(ref Unsafe.Add(ref cRow, 3 * stride), a3, b3);
    }

    /// <summary>As <see cref="AddRows8"/> for columns [0, 4).</summary>
    private static void AddRows4(int group, ReadOnlySpan<int> run, ref double yRow, int blockStride, ref double radial, int radialStride, ref double cRow, int stride)
    {
        Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
        foreach (int q in run)
        {
            var r = Vector256.LoadUnsafe(ref Unsafe.Add(ref radial, q * radialStride));
            ref double y = ref PairHarmonic(ref yRow, q, blockStride);
            a0 = Fma.MultiplyAdd(Vector256.Create(y), r, a0);
            if (group > 1) a1 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref y, 4)), r, a1);
            if (group > 2) a2 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref y, 8)), r, a2);
            if (group > 3) a3 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref y, 12)), r, a3);
        }
        Add4(ref cRow, a0);
        if (group > 1) Add4(ref Unsafe.Add(ref cRow, stride), a1);
        if (group > 2) Add4(ref Unsafe.Add(ref cRow, 2 * stride), a2);
        if (group > 3) Add4(ref Unsafe.Add(ref cRow, 3 * stride), a3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add8(ref double row, Vector256<double> lo, Vector256<double> hi)
    {
        (Vector256.LoadUnsafe(ref row) + lo).StoreUnsafe(ref row);
        (Vector256.LoadUnsafe(ref row, 4) + hi).StoreUnsafe(ref row, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add4(ref double row, Vector256<double> value) => (Vector256.LoadUnsafe(ref row) + value).StoreUnsafe(ref row);
}
