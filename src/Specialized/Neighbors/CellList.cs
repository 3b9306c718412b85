using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Specialized.Neighbors;

/// <summary>
/// Cell-list (binning) search for <see cref="NeighborList"/>, after featomic's algorithm (MATH.md
/// §1.2), generalised to mixed periodicity, with periodic images expanded once per structure. With
/// u, q and c the wrapped coordinates of <see cref="WrappedAtoms"/>:
/// <list type="number">
/// <item>Bins. Periodic axis k: n_k = max(1, floor(m d_k / ρ)) bins of width 1/n_k over u_k ∈ [0, 1).
/// Non-periodic axis: the atoms' range [min u_k, max u_k] (extent E_k) in n_k = max(1, floor(m E_k d_k / ρ))
/// bins. m = <see cref="BinsPerCutoff"/>; ρ = max(r_c, tolerance)·(1 + 1e-8): the relative margin
/// keeps every bound below strict even when d_k / r_c is an integer, so rounding in u cannot lose
/// a pair lying just inside the cutoff. Atom j sits in bin b_jk = clamp(floor(u_jk n_k), 0, n_k − 1).</item>
/// <item>Search range s_k (bins): a pair closer than ρ differs by less than ρ / d_k in f_k, so by at
/// most ceil(ρ n_k / d_k) bins on a periodic axis (ceil(ρ n_k / (E_k d_k)) on a non-periodic one,
/// and 0 when n_k = 1). s_k may exceed n_k: the cutoff then reaches several images.</item>
/// <item>Images. The extended grid has n_k + 2 s_k bins per axis; image T of atom j (T_k = 0 on
/// non-periodic axes) is an entry of extended bin b_jk + T_k n_k + s_k whenever that lies in
/// [0, n_k + 2 s_k). Entries are sorted by extended bin (z fastest) and stored as structure-of-arrays
/// (c_j, T·H, j, T), so the entries of the bins (a0, a1, a2 … a2 + 2 s_2) are one contiguous run.</item>
/// <item>Search. Centre i in extended bin e = b_i + s examines the (2 s_0 + 1)(2 s_1 + 1) runs of
/// bins e + δ, |δ_k| ≤ s_k, four entries at a time (Vector256, no FMA):
/// r_ij = (c_j − c_i) + T·H — the canonical vector of (i, j, S = T − q_j + q_i), bitwise the same as
/// the brute-force oracle's. This visits exactly the candidates of the classic cell list (bins
/// c_i + δ, image t = floor((c_i + δ) / n)), so nothing within ρ is missed and nothing is found twice.</item>
/// <item>Order. Every image is ranked by (j, T lexicographic) when it is created; a centre's hits are
/// sorted by rank, which is the canonical (j, S) order of <see cref="NeighborList"/> because
/// S = T − q_j + q_i. Centres are searched in bin order (consecutive centres share most runs, which
/// keeps large structures in cache), their sorted pairs are staged, then copied to the CSR arrays in
/// atom order.</item>
/// </list>
/// All buffers are kept between runs.
/// <para>
/// Phases, so that the search and the copy can run on several threads (<see cref="Run"/> does them in turn on one):
/// <see cref="Prepare"/> (bins and images, serial) → <see cref="SearchPart"/>(t) for t = 0 … T−1 (part t searches the
/// centres i ∈ [t·N/T, (t+1)·N/T), in bin order, into its own staging; parts are independent, and a thread that then
/// computes about the same atoms finds their pairs in its own cache) →
/// <see cref="Finish"/> (CSR offsets in atom order, serial, O(N)) → <see cref="CopyRows"/> over any split of the atoms
/// (rows are independent). A centre's pairs do not depend on which part searched it, so the list is the same, bit for
/// bit, for every T.
/// </para>
/// </summary>
internal sealed class CellList
{
    /// <summary>Relative safety margin on the search radius (see the class summary).</summary>
    private const double Margin = 1e-8;

    /// <summary>Bins per search radius m: bins of width ≥ ρ / m, so a centre examines (2m + 1)³ bins.</summary>
    internal const int BinsPerCutoff = 2;

    /// <summary>Entries read past the end of a run by the last four-wide step (masked out).</summary>
    private const int Padding = 4;

    private int[] _bin = [];       // [3i + k]: bin coordinate b_ik of atom i (cell grid, without the s_k margin)
    private int[] _binStart = [];  // CSR over extended flat bins (e0 x1 + e1) x2 + e2
    private int[] _slotOfAtom = []; // entry index of atom i's own image T = 0 (to skip the pair (i, i, 0))
    private int[] _centreOrder = [];  // atoms in bin order
    private int[] _stageStart = [];   // first staged pair of centre i (in its part's staging)
    private int[] _stageCount = [];   // number of pairs of centre i
    private int[] _stagePart = [];    // search part that staged centre i

    // Search parts (scratch and staging of each), and the state Prepare leaves for them.
    private SearchScratch[] _parts = [];
    private int _partCount;
    private WrappedAtoms? _atoms;
    private double _cutoff;

    // Entries (atom images) sorted by extended bin, structure-of-arrays.
    private double[] _cx = [], _cy = [], _cz = [];  // c_j
    private double[] _tx = [], _ty = [], _tz = [];  // T·H
    private int[] _atom = [];                       // j
    private int[] _image = [];                      // [3e + k]: T_k
    private int _entryCount;

    private int[] _ranges = [];                     // [2 (o_k + b)], [2 (o_k + b) + 1]: ImageRange(b, k), o_k = n_0 + … + n_{k−1}
    private int[] _rank = [];                       // position of (j, T) in the enumeration j ascending, then T lexicographic

    private readonly int[] _n = new int[3];       // bins per axis (cell grid)
    private readonly int[] _search = new int[3];  // search range s_k in bins
    private readonly int[] _ext = new int[3];     // n_k + 2 s_k
    private readonly double[] _min = new double[3];
    private readonly double[] _extent = new double[3];

    /// <summary>Total number of bins (extended grid, including the image margins) of the last run.</summary>
    public int BinCount { get; private set; }

    /// <summary>Bins per axis of the cell grid (without margins) of the last run.</summary>
    public (int A, int B, int C) BinsPerAxis => (_n[0], _n[1], _n[2]);

    /// <summary>Search range per axis (bins) of the last run.</summary>
    public (int A, int B, int C) SearchRange => (_search[0], _search[1], _search[2]);

    /// <summary>Number of atom images (entries, including the atoms themselves) of the last run.</summary>
    public int EntryCount => _entryCount;

    /// <summary>
    /// Upper bound on the number of extended bins for <paramref name="entryCount"/> atoms and
    /// images: 8 (N + images) + 64 (a dense system needs ~5 bins of (r_c / 2)³ per atom), unless one bin per axis already exceeds it (a cell much smaller
    /// than the cutoff), so bin memory stays proportional to the entries the search needs anyway.
    /// The number of images is estimated as N Π_k (n_k + 2 s_k) / n_k over periodic axes (uniform density).
    /// </summary>
    public static double MaxBins(double entryCount) => 8 * entryCount + 64;

    /// <summary>
    /// Fills <paramref name="list"/> (whose atom count and cutoff are already set) on the calling thread and returns the
    /// number of candidates examined.
    /// </summary>
    public long Run(NeighborList list, WrappedAtoms atoms, BinningFrame frame, double cutoff)
    {
        Prepare(atoms, frame, cutoff, 1);
        SearchPart(0);
        long candidates = Finish(list);
        CopyRows(list, 0, atoms.Count);
        return candidates;
    }

    /// <summary>
    /// First phase: bins and periodic images of <paramref name="atoms"/> (kept by reference until the next call), for a
    /// search in <paramref name="parts"/> parts.
    /// </summary>
    public void Prepare(WrappedAtoms atoms, BinningFrame frame, double cutoff, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        int n = atoms.Count;
        BinCount = 0;
        _entryCount = 0;
        _atoms = atoms;
        _cutoff = cutoff;
        _partCount = parts;
        if (_parts.Length < parts)
        {
            int old = _parts.Length;
            Array.Resize(ref _parts, parts);
            for (int t = old; t < parts; t++) _parts[t] = new SearchScratch();
        }
        if (n == 0) return;
        double rho = Math.Max(cutoff, NeighborList.CoincidenceTolerance) * (1 + Margin);
        if (_bin.Length < 3 * n)
        {
            _bin = new int[3 * n];
            _slotOfAtom = new int[n];
            _centreOrder = new int[n];
            _stageStart = new int[n];
            _stageCount = new int[n];
            _stagePart = new int[n];
        }

        Extents(atoms, frame);
        ChooseBins(n, frame, rho);
        AssignBins(atoms);
        ExpandImages(atoms, frame);
    }

    /// <summary>
    /// Second phase, part <paramref name="part"/> of those announced to <see cref="Prepare"/>: searches its centres. Parts
    /// may run concurrently. A failure (coincident atoms, too many pairs) is kept for <see cref="Finish"/>, not thrown.
    /// </summary>
    public void SearchPart(int part)
    {
        var scratch = _parts[part];
        scratch.Candidates = 0;
        scratch.Error = null;
        scratch.Position = -1;
        int n = _atoms!.Count;
        if (n == 0) return;
        try
        {
            scratch.Candidates = Search(part, (int)((long)part * n / _partCount), (int)((long)(part + 1) * n / _partCount));
        }
        catch (Exception e)
        {
            scratch.Error = ExceptionDispatchInfo.Capture(e);
        }
    }

    /// <summary>
    /// Third phase, after every part has searched: rethrows the failure met at the earliest bin-order position (the one
    /// the serial search would have met), sets the list's pair count and CSR offsets, and returns the number of
    /// candidates examined.
    /// </summary>
    public long Finish(NeighborList list)
    {
        long candidates = 0;
        SearchScratch? failed = null;
        for (int t = 0; t < _partCount; t++)
        {
            var part = _parts[t];
            if (part.Error is not null && (failed is null || part.Position < failed.Position)) failed = part;
            candidates += part.Candidates;
        }
        failed?.Error!.Throw();
        int n = _atoms!.Count;
        long pairs = 0;
        for (int i = 0; i < n; i++) pairs += _stageCount[i];
        if (pairs > Array.MaxLength / 3)
            throw new InvalidParameterException("cutoff", $"the neighbour list would hold more than {Array.MaxLength / 3} pairs; the cutoff is too large for this structure");
        list.SetPairCount((int)pairs);
        var offsets = list.OffsetBuffer;
        offsets[0] = 0;
        for (int i = 0; i < n; i++) offsets[i + 1] = offsets[i] + _stageCount[i];
        return candidates;
    }

    /// <summary>The range [min, min + extent] the bins cover: [0, 1] on periodic axes, the atoms' range of u otherwise.</summary>
    private void Extents(WrappedAtoms atoms, BinningFrame frame)
    {
        int n = atoms.Count;
        var u = atoms.U;
        for (int k = 0; k < 3; k++)
        {
            if (frame.Periodic[k])
            {
                (_min[k], _extent[k]) = (0, 1);
                continue;
            }
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                min = Math.Min(min, u[3 * i + k]);
                max = Math.Max(max, u[3 * i + k]);
            }
            (_min[k], _extent[k]) = (min, max - min);
        }
    }

    /// <summary>Bins per axis (capped), search ranges and the extended grid.</summary>
    private void ChooseBins(int n, BinningFrame frame, double rho)
    {
        // Length covered by the bins along k, measured perpendicular to the other two frame rows.
        Span<double> length = stackalloc double[3];
        double cap = MaxBins(n);  // before images: caps n_k itself
        for (int k = 0; k < 3; k++)
        {
            length[k] = _extent[k] * frame.PlaneDistance[k];
            _n[k] = (int)Math.Min(cap, Math.Max(1, Math.Floor(BinsPerCutoff * length[k] / rho)));
        }
        SearchRanges(frame, rho, length);

        // Cap the extended grid, shrinking the axes that have more than one bin by a common factor
        // (at least one bin each time, so the loop ends; one bin per axis is always allowed).
        while ((double)_ext[0] * _ext[1] * _ext[2] > (cap = MaxBins(EstimatedEntries(n, frame))) && (_n[0] > 1 || _n[1] > 1 || _n[2] > 1))
        {
            int free = 0;
            for (int k = 0; k < 3; k++) if (_n[k] > 1) free++;
            double factor = Math.Pow(cap / ((double)_ext[0] * _ext[1] * _ext[2]), 1.0 / free);
            for (int k = 0; k < 3; k++)
                if (_n[k] > 1) _n[k] = Math.Max(1, Math.Min(_n[k] - 1, (int)Math.Floor(_n[k] * factor)));
            SearchRanges(frame, rho, length);
        }
        long bins = (long)_ext[0] * _ext[1] * _ext[2];
        if (bins > Array.MaxLength - 1)
            throw new InvalidParameterException("cutoff", $"the cutoff spans {bins:G3} bins of periodic images; the cell is far too small for it");
        BinCount = (int)bins;
    }

    private double EstimatedEntries(int n, BinningFrame frame)
    {
        double entries = n;
        for (int k = 0; k < 3; k++)
            if (frame.Periodic[k]) entries *= (double)_ext[k] / _n[k];
        return entries;
    }

    private void SearchRanges(BinningFrame frame, double rho, ReadOnlySpan<double> length)
    {
        for (int k = 0; k < 3; k++)
        {
            if (frame.Periodic[k])
            {
                double s = Math.Ceiling(rho * _n[k] / length[k]);
                if (s > int.MaxValue / 4)
                    throw new InvalidParameterException("cutoff", $"the cutoff spans {s:G3} periodic images along lattice vector {k + 1}; the cell is far too small for it");
                _search[k] = (int)s;
            }
            else
            {
                _search[k] = _n[k] == 1 ? 0 : (int)Math.Min(_n[k] - 1, Math.Ceiling(rho * _n[k] / length[k]));
            }
            _ext[k] = _n[k] + 2 * _search[k];
        }
    }

    /// <summary>b_ik = clamp(floor(t n_k), 0, n_k − 1) with t = (u − min) / E ∈ [0, 1].</summary>
    private void AssignBins(WrappedAtoms atoms)
    {
        var u = atoms.U;
        for (int i = 0; i < atoms.Count; i++)
            for (int k = 0; k < 3; k++)
            {
                double t = _extent[k] > 0 ? (u[3 * i + k] - _min[k]) / _extent[k] : 0;
                _bin[3 * i + k] = Math.Clamp((int)Math.Floor(t * _n[k]), 0, _n[k] - 1);
            }
    }

    /// <summary>Image range of one atom along axis k: T_k with b + T_k n_k ∈ [−s_k, n_k + s_k).</summary>
    private (int Lo, int Hi) ImageRange(int b, int k, bool periodic)
    {
        if (!periodic) return (0, 0);
        int n = _n[k], s = _search[k];
        // T ≥ (−s − b) / n and T ≤ (n + s − 1 − b) / n, rounded inwards.
        return (-FloorDiv(s + b, n), FloorDiv(n + s - 1 - b, n));
    }

    /// <summary>
    /// Counting sort of all images into the extended grid (two passes over the same enumeration:
    /// atoms j ascending, then T lexicographically), filling the entry arrays.
    /// </summary>
    private void ExpandImages(WrappedAtoms atoms, BinningFrame frame)
    {
        int n = atoms.Count;
        int x1 = _ext[1], x2 = _ext[2];
        int n0 = _n[0], n1 = _n[1], n2 = _n[2];
        int s0 = _search[0], s1 = _search[1], s2 = _search[2];

        // Image ranges per axis and bin coordinate (integer divisions once per bin, not per atom).
        int r1 = 2 * n0, r2 = 2 * (n0 + n1);
        if (_ranges.Length < 2 * (n0 + n1 + n2)) _ranges = new int[2 * (n0 + n1 + n2)];
        var ranges = _ranges;
        for (int k = 0, o = 0; k < 3; o += 2 * _n[k], k++)
            for (int b = 0; b < _n[k]; b++)
                (ranges[o + 2 * b], ranges[o + 2 * b + 1]) = ImageRange(b, k, frame.Periodic[k]);

        if (_binStart.Length < BinCount + 1) _binStart = new int[BinCount + 1];
        var start = _binStart.AsSpan(0, BinCount + 1);
        start.Clear();
        long total = 0;
        for (int j = 0; j < n; j++)
        {
            int b0 = _bin[3 * j], b1 = _bin[3 * j + 1], b2 = _bin[3 * j + 2];
            int lo0 = ranges[2 * b0], hi0 = ranges[2 * b0 + 1];
            int lo1 = ranges[r1 + 2 * b1], hi1 = ranges[r1 + 2 * b1 + 1];
            int lo2 = ranges[r2 + 2 * b2], hi2 = ranges[r2 + 2 * b2 + 1];
            total += (long)(hi0 - lo0 + 1) * (hi1 - lo1 + 1) * (hi2 - lo2 + 1);
            for (int t0 = lo0; t0 <= hi0; t0++)
                for (int t1 = lo1; t1 <= hi1; t1++)
                {
                    int row = ((b0 + t0 * n0 + s0) * x1 + b1 + t1 * n1 + s1) * x2 + s2 + b2;
                    for (int t2 = lo2; t2 <= hi2; t2++) start[row + t2 * n2 + 1]++;
                }
        }
        if (total > Array.MaxLength / 3 - Padding)
            throw new InvalidParameterException("cutoff", $"the cutoff reaches {total:G3} atom images; the cell is far too small for it");
        _entryCount = (int)total;
        GrowEntries(_entryCount + Padding);
        for (int b = 0; b < BinCount; b++) start[b + 1] += start[b];

        var h = frame.Lattice;
        int rank = 0;
        for (int j = 0; j < n; j++)
        {
            int b0 = _bin[3 * j], b1 = _bin[3 * j + 1], b2 = _bin[3 * j + 2];
            int lo0 = ranges[2 * b0], hi0 = ranges[2 * b0 + 1];
            int lo1 = ranges[r1 + 2 * b1], hi1 = ranges[r1 + 2 * b1 + 1];
            int lo2 = ranges[r2 + 2 * b2], hi2 = ranges[r2 + 2 * b2 + 1];
            double cx = atoms.X[j], cy = atoms.Y[j], cz = atoms.Z[j];
            for (int t0 = lo0; t0 <= hi0; t0++)
                for (int t1 = lo1; t1 <= hi1; t1++)
                {
                    int row = ((b0 + t0 * n0 + s0) * x1 + b1 + t1 * n1 + s1) * x2 + s2 + b2;
                    for (int t2 = lo2; t2 <= hi2; t2++)
                    {
                        int e = start[row + t2 * n2]++;
                        WrappedAtoms.Translation(h, t0, t1, t2, out _tx[e], out _ty[e], out _tz[e]);
                        _cx[e] = cx;
                        _cy[e] = cy;
                        _cz[e] = cz;
                        _atom[e] = j;
                        _rank[e] = rank++;
                        _image[3 * e] = t0;
                        _image[3 * e + 1] = t1;
                        _image[3 * e + 2] = t2;
                        if (t0 == 0 && t1 == 0 && t2 == 0) _slotOfAtom[j] = e;
                    }
                }
        }
        // Centres in bin order (the entries of the atoms themselves, T = 0), so that consecutive
        // centres examine overlapping runs.
        for (int e = 0, c = 0; c < n; e++)
            if (_image[3 * e] == 0 && _image[3 * e + 1] == 0 && _image[3 * e + 2] == 0) _centreOrder[c++] = _atom[e];
        // start[b] is now the end of bin b: shift back to starts.
        for (int b = BinCount; b > 0; b--) start[b] = start[b - 1];
        start[0] = 0;
        // The padding entries are read by the last four-wide step of a run and masked out.
        for (int e = _entryCount; e < _entryCount + Padding; e++)
            _cx[e] = _cy[e] = _cz[e] = _tx[e] = _ty[e] = _tz[e] = 0;
    }

    private void GrowEntries(int needed)
    {
        if (_cx.Length >= needed) return;
        int capacity = (int)Math.Min(Array.MaxLength / 3, Math.Max(needed, 2L * _cx.Length));
        _cx = new double[capacity];
        _cy = new double[capacity];
        _cz = new double[capacity];
        _tx = new double[capacity];
        _ty = new double[capacity];
        _tz = new double[capacity];
        _atom = new int[capacity];
        _rank = new int[capacity];
        _image = new int[3 * capacity];
    }

    /// <summary>
    /// Examines, for the centres i ∈ [<paramref name="first"/>, <paramref name="last"/>) in bin order, the runs of
    /// entries around each one's bin, and stages its accepted pairs in canonical order in the scratch of <paramref name="part"/>
    /// (<see cref="SearchScratch.Position"/>: the bin-order position of the centre being searched).
    /// Returns the number of candidates examined.
    /// </summary>
    private long Search(int part, int first, int last)
    {
        var scratch = _parts[part];
        var atoms = _atoms!;
        double cutoff = _cutoff;
        int x1 = _ext[1], x2 = _ext[2];
        int s0 = _search[0], s1 = _search[1], s2 = _search[2];
        double reach = Math.Max(cutoff, NeighborList.CoincidenceTolerance);
        var reach2 = Vector256.Create(reach * reach);
        ref double ex = ref MemoryMarshal.GetArrayDataReference(_cx);
        ref double ey = ref MemoryMarshal.GetArrayDataReference(_cy);
        ref double ez = ref MemoryMarshal.GetArrayDataReference(_cz);
        ref double tx = ref MemoryMarshal.GetArrayDataReference(_tx);
        ref double ty = ref MemoryMarshal.GetArrayDataReference(_ty);
        ref double tz = ref MemoryMarshal.GetArrayDataReference(_tz);
        int pairs = 0;
        long candidates = 0;
        for (int c = 0; c < atoms.Count; c++)
        {
            int i = _centreOrder[c];
            if (i < first || i >= last) continue;
            scratch.Position = c;
            int found = 0;
            double ci = atoms.X[i], cj = atoms.Y[i], ck = atoms.Z[i];
            var vx = Vector256.Create(ci);
            var vy = Vector256.Create(cj);
            var vz = Vector256.Create(ck);
            int e0 = _bin[3 * i] + s0, e1 = _bin[3 * i + 1] + s1, e2 = _bin[3 * i + 2] + s2;
            int self = _slotOfAtom[i];
            for (int a0 = e0 - s0; a0 <= e0 + s0; a0++)
                for (int a1 = e1 - s1; a1 <= e1 + s1; a1++)
                {
                    int row = (a0 * x1 + a1) * x2;
                    int lo = _binStart[row + e2 - s2], hi = _binStart[row + e2 + s2 + 1];
                    candidates += hi - lo;
                    if (found + (hi - lo) > scratch.Keys.Length) scratch.GrowKeys(found + (hi - lo));
                    ref long keys = ref MemoryMarshal.GetArrayDataReference(scratch.Keys);
                    for (int e = lo; e < hi; e += 4)
                    {
                        // r_ij = (c_j − c_i) + T·H, |r_ij|² = (x² + y²) + z²: the scalar expression, lane-wise.
                        var x = (Vector256.LoadUnsafe(ref ex, (nuint)e) - vx) + Vector256.LoadUnsafe(ref tx, (nuint)e);
                        var y = (Vector256.LoadUnsafe(ref ey, (nuint)e) - vy) + Vector256.LoadUnsafe(ref ty, (nuint)e);
                        var z = (Vector256.LoadUnsafe(ref ez, (nuint)e) - vz) + Vector256.LoadUnsafe(ref tz, (nuint)e);
                        var d2 = x * x + y * y + z * z;
                        uint hits = Vector256.LessThan(d2, reach2).ExtractMostSignificantBits();
                        if (hi - e < 4) hits &= (1u << (hi - e)) - 1;
                        while (hits != 0)
                        {
                            int q = e + BitOperations.TrailingZeroCount(hits);
                            hits &= hits - 1;
                            // Sort key: rank of (j, T) in the image enumeration, then the entry.
                            Unsafe.Add(ref keys, found) = ((long)_rank[q] << 32) | (uint)q;
                            found += q != self ? 1 : 0;
                        }
                    }
                }
            _stageStart[i] = pairs;
            _stagePart[i] = part;
            int end = Stage(scratch, atoms, i, found, pairs, cutoff);
            _stageCount[i] = end - pairs;
            pairs = end;
        }
        return candidates;
    }

    /// <summary>
    /// Sorts the hits of centre i by the rank of (j, T) — images are enumerated by j, then T
    /// lexicographically, and S = T − q_j + q_i differs from T by a constant per j, so this is the
    /// canonical (j, S) order — then re-evaluates each hit with the scalar form of the lane
    /// expression (bitwise the same), rejects coincident atoms, applies
    /// the test of <see cref="NeighborList.Accepts"/> and stages the pair at <paramref name="p"/>. Returns the
    /// end of the centre's staged pairs.
    /// </summary>
    private int Stage(SearchScratch scratch, WrappedAtoms atoms, int i, int found, int p, double cutoff)
    {
        scratch.GrowStage(p + found);
        var keys = scratch.Keys.AsSpan(0, found);
        int[] sNeighbors = scratch.Neighbors, sShifts = scratch.Shifts;
        double[] sVectors = scratch.Vectors, sDistances = scratch.Distances;
        keys.Sort();
        var image = atoms.Image;
        double ci = atoms.X[i], cj = atoms.Y[i], ck = atoms.Z[i];
        int qi0 = image[3 * i], qi1 = image[3 * i + 1], qi2 = image[3 * i + 2];
        ref double cx = ref MemoryMarshal.GetArrayDataReference(_cx);
        ref double cy = ref MemoryMarshal.GetArrayDataReference(_cy);
        ref double cz = ref MemoryMarshal.GetArrayDataReference(_cz);
        ref double tx = ref MemoryMarshal.GetArrayDataReference(_tx);
        ref double ty = ref MemoryMarshal.GetArrayDataReference(_ty);
        ref double tz = ref MemoryMarshal.GetArrayDataReference(_tz);
        double cutoff2 = cutoff * cutoff;
        foreach (long key in keys)
        {
            int e = (int)(uint)key;
            double x = (Unsafe.Add(ref cx, e) - ci) + Unsafe.Add(ref tx, e);
            double y = (Unsafe.Add(ref cy, e) - cj) + Unsafe.Add(ref ty, e);
            double z = (Unsafe.Add(ref cz, e) - ck) + Unsafe.Add(ref tz, e);
            double d2 = x * x + y * y + z * z;
            if (d2 < NeighborList.CoincidenceTolerance * NeighborList.CoincidenceTolerance)
                throw CoincidentImage(atoms, i, e, d2);
            // NeighborList.Accepts, inlined: d² < r_c² and √d² < r_c.
            if (d2 >= cutoff2) continue;
            double d = Math.Sqrt(d2);
            if (d >= cutoff) continue;
            int j = _atom[e];
            sNeighbors[p] = j;
            sShifts[3 * p] = _image[3 * e] - image[3 * j] + qi0;
            sShifts[3 * p + 1] = _image[3 * e + 1] - image[3 * j + 1] + qi1;
            sShifts[3 * p + 2] = _image[3 * e + 2] - image[3 * j + 2] + qi2;
            sVectors[3 * p] = x;
            sVectors[3 * p + 1] = y;
            sVectors[3 * p + 2] = z;
            sDistances[p] = d;
            p++;
        }
        return p;
    }

    /// <summary>Names the coincident pair with the smaller atom index first (whichever centre found it).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidStructureException CoincidentImage(WrappedAtoms atoms, int i, int e, double d2)
    {
        int j = _atom[e];
        var image = atoms.Image;
        int s0 = _image[3 * e] - image[3 * j] + image[3 * i];
        int s1 = _image[3 * e + 1] - image[3 * j + 1] + image[3 * i + 1];
        int s2 = _image[3 * e + 2] - image[3 * j + 2] + image[3 * i + 2];
        return j < i
            ? NeighborList.Coincident(j, i, -s0, -s1, -s2, Math.Sqrt(d2))
            : NeighborList.Coincident(i, j, s0, s1, s2, Math.Sqrt(d2));
    }

    /// <summary>
    /// Last phase: copies the staged pairs of atoms [<paramref name="begin"/>, <paramref name="end"/>) to their rows of the
    /// list's CSR arrays (offsets set by <see cref="Finish"/>). Disjoint atom ranges may be copied concurrently.
    /// </summary>
    public void CopyRows(NeighborList list, int begin, int end)
    {
        var offsets = list.OffsetBuffer;
        var centers = list.CenterBuffer;
        var neighbors = list.NeighborBuffer;
        var shifts = list.ShiftBuffer;
        var vectors = list.VectorBuffer;
        var distances = list.DistanceBuffer;
        for (int i = begin; i < end; i++)
        {
            var part = _parts[_stagePart[i]];
            int p = offsets[i], from = _stageStart[i];
            int count = _stageCount[i];
            centers.AsSpan(p, count).Fill(i);
            Array.Copy(part.Neighbors, from, neighbors, p, count);
            Array.Copy(part.Shifts, 3 * from, shifts, 3 * p, 3 * count);
            Array.Copy(part.Vectors, 3 * from, vectors, 3 * p, 3 * count);
            Array.Copy(part.Distances, from, distances, p, count);
        }
    }

    /// <summary>Python-style floor division ⌊a / n⌋ for n &gt; 0.</summary>
    private static int FloorDiv(int a, int n)
    {
        int t = a / n;
        return a % n < 0 ? t - 1 : t;
    }

    /// <summary>
    /// Scratch of one search part: the hits of the centre being searched, (rank of (j, T)) &lt;&lt; 32 | entry, and the
    /// part's staged pairs, centre after centre in bin order (same layouts as the list's arrays). Kept between runs.
    /// </summary>
    private sealed class SearchScratch
    {
        public long[] Keys = new long[64];
        public int[] Neighbors = [], Shifts = [];
        public double[] Vectors = [], Distances = [];
        public long Candidates;
        public ExceptionDispatchInfo? Error;
        public int Position;  // bin-order position of the centre being searched (of the failure, once Error is set)

        public void GrowKeys(int needed)
        {
            if (needed > Array.MaxLength / 3)
                throw new InvalidParameterException("cutoff", $"an atom would have more than {Array.MaxLength / 3} neighbours; the cutoff is too large for this structure");
            Array.Resize(ref Keys, (int)Math.Min(Array.MaxLength / 3, Math.Max(needed, 2L * Keys.Length)));
        }

        public void GrowStage(int needed)
        {
            if (needed <= Neighbors.Length) return;
            if (needed > Array.MaxLength / 3)
                throw new InvalidParameterException("cutoff", $"the neighbour list would hold more than {Array.MaxLength / 3} pairs; the cutoff is too large for this structure");
            int capacity = (int)Math.Min(Array.MaxLength / 3, Math.Max(needed, 2L * Neighbors.Length));
            Array.Resize(ref Neighbors, capacity);
            Array.Resize(ref Shifts, 3 * capacity);
            Array.Resize(ref Vectors, 3 * capacity);
            Array.Resize(ref Distances, capacity);
        }
    }
}
