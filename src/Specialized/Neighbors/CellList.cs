namespace Specialized.Neighbors;

/// <summary>
/// Cell-list (binning) search for <see cref="NeighborList"/>, after featomic's algorithm (MATH.md
/// §1.2), generalised to mixed periodicity. With f = r·B⁻¹ the fractional coordinates in the
/// <see cref="BinningFrame"/>:
/// <list type="number">
/// <item>Periodic axis k: f_k = q_k + u_k with q_k = floor(f_k) (the atom's own image index) and
/// u_k ∈ [0, 1]; the axis has n_k = max(1, floor(d_k / ρ)) bins of width 1/n_k over [0, 1).
/// Non-periodic axis: u_k = f_k, binned over the atoms' range [min u_k, max u_k] (extent E_k)
/// into n_k = max(1, floor(E_k d_k / ρ)) bins. Here ρ = max(r_c, tolerance)·(1 + 1e-8): the
/// relative margin keeps every bound below strict even when d_k / r_c is an integer, so rounding
/// in f cannot lose a pair lying just inside the cutoff.</item>
/// <item>If Π n_k exceeds <see cref="MaxBins"/>, all n_k are scaled down keeping their ratios.</item>
/// <item>Search range s_k (bins): a pair closer than ρ differs by less than ρ / d_k in f_k, so by at
/// most ceil(ρ n_k / d_k) bins on a periodic axis (ceil(ρ n_k / (E_k d_k)) on a non-periodic
/// one, and 0 when n_k = 1). s_k may exceed n_k: the cutoff then reaches several images.</item>
/// <item>For centre i in bin c_i, every bin c = c_i + δ with |δ_k| ≤ s_k is visited (clipped to
/// [0, n_k) on non-periodic axes). On a periodic axis c_k = t_k n_k + w_k with w_k ∈ [0, n_k):
/// atoms j of bin w are candidates with the image t, i.e. cell shift
/// S = t − q_j + q_i, because r_j − r_i + S·H = (r_j − q_j·H) + t·H − (r_i − q_i·H).</item>
/// </list>
/// Candidates go to <see cref="NeighborList.Consider"/>, which computes r_ij from the original
/// (unwrapped) positions. Distinct (δ) give distinct (w, t), so no pair is found twice.
/// All buffers are kept between runs.
/// </summary>
internal sealed class CellList
{
    /// <summary>Relative safety margin on the search radius (see the class summary).</summary>
    private const double Margin = 1e-8;

    /// <summary>
    /// Atoms whose fractional coordinate exceeds this (in cells) are rejected: their image index
    /// would not fit in an int shift and rounding would dominate the pair vectors.
    /// </summary>
    internal const double MaxCellsAway = 1e8;

    private double[] _u = [];      // [3i + k]: wrapped (periodic) or raw (non-periodic) fractional coordinate
    private int[] _image = [];     // [3i + k]: q_k = floor(f_k) on periodic axes, 0 otherwise
    private int[] _bin = [];       // [3i + k]: bin coordinate of atom i along axis k
    private int[] _binStart = [];  // CSR over flat bins (c0 n1 + c1) n2 + c2: atoms of bin b are _binAtoms[_binStart[b].._binStart[b+1])
    private int[] _binAtoms = [];  // atom indices sorted by bin, ascending within a bin

    private readonly int[] _n = new int[3];       // bins per axis
    private readonly int[] _search = new int[3];  // search range s_k in bins
    private readonly double[] _min = new double[3];
    private readonly double[] _extent = new double[3];

    /// <summary>Total number of bins of the last run.</summary>
    public int BinCount { get; private set; }

    /// <summary>Bins per axis of the last run.</summary>
    public (int A, int B, int C) BinsPerAxis => (_n[0], _n[1], _n[2]);

    /// <summary>Search range per axis (bins) of the last run.</summary>
    public (int A, int B, int C) SearchRange => (_search[0], _search[1], _search[2]);

    /// <summary>
    /// Upper bound on the number of bins for <paramref name="atomCount"/> atoms: 2N + 64, so bin
    /// memory stays proportional to the number of atoms (a fixed-density system needs about N/6
    /// bins of size r_c³ and is never capped; sparse or tiny systems get fewer, larger bins).
    /// </summary>
    public static long MaxBins(int atomCount) => 2L * atomCount + 64;

    /// <summary>
    /// Finds all pairs for <paramref name="list"/> (whose atom count and cutoff are already set)
    /// and returns the number of candidates examined.
    /// </summary>
    public long Run(NeighborList list, ReadOnlySpan<double> r, BinningFrame frame, double cutoff)
    {
        int n = r.Length / 3;
        Grow(n);
        double rho = Math.Max(cutoff, NeighborList.CoincidenceTolerance) * (1 + Margin);

        Wrap(r, frame);
        ChooseBins(n, frame, rho);
        SortIntoBins(n);
        return Enumerate(list, r, frame);
    }

    private void Grow(int n)
    {
        if (_u.Length < 3 * n)
        {
            _u = new double[3 * n];
            _image = new int[3 * n];
            _bin = new int[3 * n];
            _binAtoms = new int[n];
        }
    }

    /// <summary>
    /// Step 1: u and q for every atom, and the range [min, min + extent] that the bins cover along
    /// each axis ([0, 1] on periodic axes; the atoms' range of u on non-periodic ones).
    /// </summary>
    private void Wrap(ReadOnlySpan<double> r, BinningFrame frame)
    {
        int n = r.Length / 3;
        for (int k = 0; k < 3; k++)
        {
            _min[k] = double.PositiveInfinity;
            double max = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                double f = frame.Fractional(k, r[3 * i], r[3 * i + 1], r[3 * i + 2]);
                if (frame.Periodic[k])
                {
                    if (!(Math.Abs(f) <= MaxCellsAway))
                        throw new InvalidStructureException($"atom {i} lies {f:G3} cells away from the origin along lattice vector {k + 1}; wrap it into the cell");
                    double q = Math.Floor(f);
                    _image[3 * i + k] = (int)q;
                    // f − q ∈ [0, 1]; it can round to exactly 1 for f just below an integer,
                    // which is consistent (q + u = f) and is clamped to the last bin below.
                    _u[3 * i + k] = f - q;
                }
                else
                {
                    _image[3 * i + k] = 0;
                    _u[3 * i + k] = f;
                    _min[k] = Math.Min(_min[k], f);
                    max = Math.Max(max, f);
                }
            }
            if (frame.Periodic[k] || n == 0) (_min[k], _extent[k]) = (0, 1);
            else _extent[k] = max - _min[k];
        }
    }

    /// <summary>Step 2 and 3: bins per axis (capped) and search ranges.</summary>
    private void ChooseBins(int n, BinningFrame frame, double rho)
    {
        // Length covered by the bins along k, measured perpendicular to the other two frame rows.
        Span<double> length = stackalloc double[3];
        Span<double> count = stackalloc double[3];
        for (int k = 0; k < 3; k++)
        {
            length[k] = _extent[k] * frame.PlaneDistance[k];
            count[k] = Math.Max(1, Math.Floor(length[k] / rho));
        }

        // Cap the total, shrinking the axes that have more than one bin by a common factor.
        double cap = MaxBins(n);
        for (int k = 0; k < 3; k++) count[k] = Math.Min(count[k], cap);
        while (count[0] * count[1] * count[2] > cap)
        {
            int free = 0;
            for (int k = 0; k < 3; k++) if (count[k] > 1) free++;
            double factor = Math.Pow(cap / (count[0] * count[1] * count[2]), 1.0 / free);
            for (int k = 0; k < 3; k++)
                if (count[k] > 1) count[k] = Math.Max(1, Math.Floor(count[k] * factor));
        }

        for (int k = 0; k < 3; k++)
        {
            _n[k] = (int)count[k];
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
        }
        BinCount = _n[0] * _n[1] * _n[2];
    }

    /// <summary>Bin coordinates of every atom, then a stable counting sort of the atoms by flat bin.</summary>
    private void SortIntoBins(int n)
    {
        if (_binStart.Length < BinCount + 1) _binStart = new int[BinCount + 1];
        var start = _binStart.AsSpan(0, BinCount + 1);
        start.Clear();
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                // Periodic: u ∈ [0, 1] → floor(u n); non-periodic: (u − min) / E ∈ [0, 1] → floor(… n).
                double t = _extent[k] > 0 ? (_u[3 * i + k] - _min[k]) / _extent[k] : 0;
                _bin[3 * i + k] = Math.Clamp((int)Math.Floor(t * _n[k]), 0, _n[k] - 1);
            }
            start[Flat(_bin[3 * i], _bin[3 * i + 1], _bin[3 * i + 2]) + 1]++;
        }
        for (int b = 0; b < BinCount; b++) start[b + 1] += start[b];
        // Fill using start[b] as a cursor, then shift back: atoms stay in ascending order per bin.
        for (int i = 0; i < n; i++)
        {
            int b = Flat(_bin[3 * i], _bin[3 * i + 1], _bin[3 * i + 2]);
            _binAtoms[start[b]++] = i;
        }
        for (int b = BinCount; b > 0; b--) start[b] = start[b - 1];
        start[0] = 0;
    }

    private int Flat(int c0, int c1, int c2) => (c0 * _n[1] + c1) * _n[2] + c2;

    /// <summary>Step 4: visit the bins around each centre and hand candidates to the list.</summary>
    private long Enumerate(NeighborList list, ReadOnlySpan<double> r, BinningFrame frame)
    {
        int n = r.Length / 3;
        long candidates = 0;
        bool p0 = frame.Periodic[0], p1 = frame.Periodic[1], p2 = frame.Periodic[2];
        int n0 = _n[0], n1 = _n[1], n2 = _n[2];
        for (int i = 0; i < n; i++)
        {
            int c0 = _bin[3 * i], c1 = _bin[3 * i + 1], c2 = _bin[3 * i + 2];
            int q0 = _image[3 * i], q1 = _image[3 * i + 1], q2 = _image[3 * i + 2];
            var (lo0, hi0) = Range(c0, _search[0], n0, p0);
            var (lo1, hi1) = Range(c1, _search[1], n1, p1);
            var (lo2, hi2) = Range(c2, _search[2], n2, p2);
            for (int a0 = lo0; a0 <= hi0; a0++)
            {
                int t0 = FloorDiv(a0, n0), w0 = a0 - t0 * n0;
                for (int a1 = lo1; a1 <= hi1; a1++)
                {
                    int t1 = FloorDiv(a1, n1), w1 = a1 - t1 * n1;
                    for (int a2 = lo2; a2 <= hi2; a2++)
                    {
                        int t2 = FloorDiv(a2, n2), w2 = a2 - t2 * n2;
                        int b = (w0 * n1 + w1) * n2 + w2;
                        int end = _binStart[b + 1];
                        candidates += end - _binStart[b];
                        for (int p = _binStart[b]; p < end; p++)
                        {
                            int j = _binAtoms[p];
                            list.Consider(r, i, j,
                                t0 - _image[3 * j] + q0,
                                t1 - _image[3 * j + 1] + q1,
                                t2 - _image[3 * j + 2] + q2);
                        }
                    }
                }
            }
            list.EndCentre(i);
        }
        return candidates;
    }

    /// <summary>Bins c + δ to visit along one axis: all |δ| ≤ s if periodic, clipped to [0, n) if not.</summary>
    private static (int Lo, int Hi) Range(int c, int s, int n, bool periodic) =>
        periodic ? (c - s, c + s) : (Math.Max(0, c - s), Math.Min(n - 1, c + s));

    /// <summary>Python-style floor division ⌊a / n⌋ for n &gt; 0.</summary>
    private static int FloorDiv(int a, int n)
    {
        int t = a / n;
        return a % n < 0 ? t - 1 : t;
    }
}
