using Specialized.Structures;

namespace Specialized.Neighbors;

/// <summary>
/// The full neighbour list of a structure for a cutoff r_c: every pair (i, j, S) with
/// 0 &lt; |r_ij| &lt; r_c (strict), where
/// <code>
///     r_ij = r_j − r_i + S·H,   S·H = s1 h1 + s2 h2 + s3 h3,
/// </code>
/// S = (s1, s2, s3) is an integer cell shift and the rows h_k of H are the lattice vectors (the
/// featomic convention: the vector points from centre i to neighbour j). The list is "full": it
/// contains (i, j, S) and (j, i, −S), an atom's own images (j = i, S ≠ 0), and the same j several
/// times with different S when r_c exceeds half a cell height. Only periodic axes get images
/// (s_k = 0 on axes with pbc = false, whatever lattice vector is stored there); an isolated
/// structure has S = 0 only. Results do not depend on whether atoms are wrapped into the cell.
/// <para>
/// Storage is compressed-sparse-row by centre. With P = <see cref="PairCount"/>:
/// <list type="bullet">
/// <item><see cref="Offsets"/>[N + 1]: the pairs of centre i are p ∈ [Offsets[i], Offsets[i+1]);</item>
/// <item><see cref="Centers"/>[P]: centre i of pair p (redundant with Offsets, for flat loops);</item>
/// <item><see cref="Neighbors"/>[P]: neighbour j of pair p;</item>
/// <item><see cref="Shifts"/>[3P]: (s1, s2, s3) of pair p at [3p], [3p+1], [3p+2];</item>
/// <item><see cref="Vectors"/>[3P]: (x, y, z) of r_ij at [3p], [3p+1], [3p+2], in Å;</item>
/// <item><see cref="Distances"/>[P]: |r_ij| in Å.</item>
/// </list>
/// Within a centre, pairs are sorted by j, then lexicographically by (s1, s2, s3), so the list is
/// a deterministic function of the input.
/// </para>
/// <para>
/// <see cref="Build(Structure, double)"/> uses a cell list (bins of r_c / 2, periodic images
/// expanded once per structure, four candidates per step; see CellList), with cost linear in the
/// number of atoms at fixed density. Pair vectors are evaluated as r_ij = (c_j − c_i) + T·H with c the
/// positions wrapped into the cell (WrappedAtoms): equal to r_j − r_i + S·H up to rounding, exactly
/// antisymmetric, and bitwise the same in the cell list and in <see cref="BuildBruteForce"/>. <see cref="Update(Structure, double)"/> rebuilds in place, reusing
/// every buffer: once the buffers have grown to the largest size needed, updates allocate nothing.
/// Two atoms (or an atom and its own image) closer than <see cref="CoincidenceTolerance"/> are an
/// error, because the descriptors are undefined for coincident atoms.
/// </para>
/// </summary>
public sealed class NeighborList
{
    /// <summary>Pairs closer than this (Å) are rejected as coincident atoms.</summary>
    public const double CoincidenceTolerance = 1e-6;

    private readonly BinningFrame _frame = new();
    private readonly WrappedAtoms _atoms = new();
    private readonly CellList _cellList = new();

    private int[] _offsets = [0];
    private int[] _centers = [];
    private int[] _neighbors = [];
    private int[] _shifts = [];
    private double[] _vectors = [];
    private double[] _distances = [];
    private int _atomCount;
    private int _pairCount;
    private double _cutoff;

    // Pairs of the centre being built, before sorting (see PairEntry).
    private PairEntry[] _centrePairs = new PairEntry[64];
    private int _centrePairCount;

    /// <summary>Creates an empty list (no atoms); fill it with <see cref="Update(Structure, double)"/>.</summary>
    public NeighborList() { }

    /// <summary>Number of atoms N of the structure the list was built for.</summary>
    public int AtomCount => _atomCount;

    /// <summary>Number of (directed) pairs P in the full list.</summary>
    public int PairCount => _pairCount;

    /// <summary>The cutoff r_c (Å) the list was built with (0 for an empty list).</summary>
    public double Cutoff => _cutoff;

    /// <summary>CSR offsets, length N + 1: pairs of centre i are [Offsets[i], Offsets[i+1]).</summary>
    public ReadOnlySpan<int> Offsets => _offsets.AsSpan(0, _atomCount + 1);

    /// <summary>Centre atom i of each pair, length P (non-decreasing).</summary>
    public ReadOnlySpan<int> Centers => _centers.AsSpan(0, _pairCount);

    /// <summary>Neighbour atom j of each pair, length P.</summary>
    public ReadOnlySpan<int> Neighbors => _neighbors.AsSpan(0, _pairCount);

    /// <summary>Cell shifts, length 3P: (s1, s2, s3) of pair p at [3p], [3p+1], [3p+2].</summary>
    public ReadOnlySpan<int> Shifts => _shifts.AsSpan(0, 3 * _pairCount);

    /// <summary>Pair vectors r_ij = r_j − r_i + S·H (Å), length 3P: (x, y, z) of pair p at [3p], [3p+1], [3p+2].</summary>
    public ReadOnlySpan<double> Vectors => _vectors.AsSpan(0, 3 * _pairCount);

    /// <summary>Pair distances |r_ij| (Å), length P.</summary>
    public ReadOnlySpan<double> Distances => _distances.AsSpan(0, _pairCount);

    /// <summary>Number of neighbours (pairs) of centre <paramref name="i"/>.</summary>
    public int NeighborCount(int i) => _offsets[i + 1] - _offsets[i];

    /// <summary>Neighbour j of pair <paramref name="p"/>.</summary>
    public int Neighbor(int p) => _neighbors[p];

    /// <summary>Cell shift S of pair <paramref name="p"/>.</summary>
    public (int A, int B, int C) Shift(int p) => (_shifts[3 * p], _shifts[3 * p + 1], _shifts[3 * p + 2]);

    /// <summary>Pair vector r_ij of pair <paramref name="p"/> (Å).</summary>
    public (double X, double Y, double Z) Vector(int p) => (_vectors[3 * p], _vectors[3 * p + 1], _vectors[3 * p + 2]);

    /// <summary>Distance |r_ij| of pair <paramref name="p"/> (Å).</summary>
    public double Distance(int p) => _distances[p];

    /// <summary>Number of bins of the last cell-list build (diagnostics and tests).</summary>
    internal int BinCount => _cellList.BinCount;

    /// <summary>Number of atom images (the atoms themselves included) the last cell-list build searched.</summary>
    internal int ImageCount => _cellList.EntryCount;

    /// <summary>Number of candidate (i, j, S) examined by the last build (diagnostics and tests).</summary>
    internal long CandidatesExamined { get; private set; }

    /// <summary>Builds the full neighbour list of <paramref name="structure"/> with a cell list.</summary>
    /// <exception cref="InvalidParameterException">The cutoff is not a finite positive number.</exception>
    /// <exception cref="InvalidStructureException">Singular cell on a periodic axis, or coincident atoms.</exception>
    public static NeighborList Build(Structure structure, double cutoff)
    {
        var list = new NeighborList();
        list.Update(structure, cutoff);
        return list;
    }

    /// <summary>
    /// Test oracle: builds the same list as <see cref="Build(Structure, double)"/> by brute force,
    /// looping over all pairs (i, j) and all shifts with |s_k| ≤ ceil(r_c / d_k + span_k) + 1 on
    /// periodic axes (d_k: lattice plane distance, span_k: extent of the atoms' fractional
    /// coordinates). Cost O(N² × images); meant for validating the cell list, not for production.
    /// </summary>
    /// <exception cref="InvalidParameterException">The cutoff is not a finite positive number.</exception>
    /// <exception cref="InvalidStructureException">Singular cell on a periodic axis, or coincident atoms.</exception>
    public static NeighborList BuildBruteForce(Structure structure, double cutoff)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var list = new NeighborList();
        list.Rebuild(structure.Positions, structure.Cell, cutoff, bruteForce: true);
        return list;
    }

    /// <summary>Largest number of pairs of one centre (0 for an empty list).</summary>
    internal int MaxPairCount()
    {
        int max = 0;
        var offsets = Offsets;
        for (int i = 0; i < AtomCount; i++) max = Math.Max(max, offsets[i + 1] - offsets[i]);
        return max;
    }

    /// <summary>
    /// Splits the centres 0 … N−1 into bounds.Length − 1 contiguous ranges [bounds[t], bounds[t + 1]) of about equal cost,
    /// centre i costing pairs_i + <see cref="CentreCostInPairs"/> (per-pair work: radial values, harmonics, density, pair
    /// gradients; per-centre work: the products). Deterministic (depends on the list only), so per-thread partial sums,
    /// and hence threaded results, do not depend on scheduling.
    /// </summary>
    internal void SplitByPairs(Span<int> bounds)
    {
        int atoms = AtomCount, chunks = bounds.Length - 1;
        var offsets = Offsets;
        long total = offsets[atoms] + (long)atoms * CentreCostInPairs;
        bounds[0] = 0;
        int i = 0;
        for (int t = 1; t < chunks; t++)
        {
            long target = total * t / chunks;
            while (i < atoms && offsets[i] + (long)i * CentreCostInPairs < target) i++;
            bounds[t] = Math.Max(i, bounds[t - 1]);
        }
        bounds[chunks] = atoms;
    }

    /// <summary>Per-centre work in units of one pair's work, for <see cref="SplitByPairs"/> (order of magnitude only).</summary>
    private const int CentreCostInPairs = 4;

    /// <summary>Rebuilds the list in place for <paramref name="structure"/>, reusing this list's buffers.</summary>
    /// <exception cref="InvalidParameterException">The cutoff is not a finite positive number.</exception>
    /// <exception cref="InvalidStructureException">Singular cell on a periodic axis, or coincident atoms.</exception>
    public void Update(Structure structure, double cutoff)
    {
        ArgumentNullException.ThrowIfNull(structure);
        Rebuild(structure.Positions, structure.Cell, cutoff, bruteForce: false);
    }

    /// <summary>
    /// Rebuilds the list in place from flat atom-major positions (r_i = positions[3i..3i+3], Å) and
    /// an optional cell, reusing this list's buffers. On error the list is left empty.
    /// </summary>
    /// <exception cref="InvalidParameterException">The cutoff is not a finite positive number.</exception>
    /// <exception cref="InvalidStructureException">Bad positions, singular cell on a periodic axis, or coincident atoms.</exception>
    public void Update(ReadOnlySpan<double> positions, UnitCell? cell, double cutoff) =>
        Rebuild(positions, cell, cutoff, bruteForce: false);

    /// <summary>
    /// First phase of a build on several threads (the same list as <see cref="Update(Structure, double)"/>, bit for bit):
    /// checks the input, wraps the atoms and prepares the cell list's bins and images on the calling thread. Then
    /// <see cref="SearchPart"/>(t) for every t &lt; <paramref name="parts"/> (concurrently), <see cref="EndSearch"/>
    /// (offsets; <see cref="Offsets"/> and <see cref="PairCount"/> are then final), and <see cref="CopyRows"/> over a
    /// split of the atoms (concurrently); a centre's rows of the other arrays are valid once its range is copied.
    /// </summary>
    /// <exception cref="InvalidParameterException">The cutoff is not a finite positive number.</exception>
    /// <exception cref="InvalidStructureException">Bad positions or a singular cell on a periodic axis.</exception>
    internal void BeginUpdate(Structure structure, double cutoff, int parts)
    {
        ArgumentNullException.ThrowIfNull(structure);
        Begin(structure.Positions, structure.Cell, cutoff);
        try
        {
            _cellList.Prepare(_atoms, _frame, cutoff, parts);
        }
        catch
        {
            Clear();
            throw;
        }
    }

    /// <summary>Second phase (see <see cref="BeginUpdate"/>): searches part <paramref name="part"/>'s centres; failures wait for <see cref="EndSearch"/>.</summary>
    internal void SearchPart(int part) => _cellList.SearchPart(part);

    /// <summary>Third phase (see <see cref="BeginUpdate"/>): sets the offsets and pair count; on failure the list is left empty.</summary>
    /// <exception cref="InvalidParameterException">The list would be too large for the cutoff.</exception>
    /// <exception cref="InvalidStructureException">Coincident atoms.</exception>
    internal void EndSearch()
    {
        try
        {
            CandidatesExamined = _cellList.Finish(this);
        }
        catch
        {
            Clear();
            throw;
        }
    }

    /// <summary>Last phase (see <see cref="BeginUpdate"/>): fills the pairs of centres [<paramref name="begin"/>, <paramref name="end"/>).</summary>
    internal void CopyRows(int begin, int end) => _cellList.CopyRows(this, begin, end);

    private void Rebuild(ReadOnlySpan<double> positions, UnitCell? cell, double cutoff, bool bruteForce)
    {
        Begin(positions, cell, cutoff);
        try
        {
            CandidatesExamined = bruteForce
                ? BruteForceNeighbors.Run(this, positions, _frame, cutoff)
                : _cellList.Run(this, _atoms, _frame, cutoff);
        }
        catch
        {
            Clear();
            throw;
        }
    }

    /// <summary>Checks the input, then sets the frame, the wrapped atoms, N and r_c (pairs still to find); on failure the list is left empty.</summary>
    private void Begin(ReadOnlySpan<double> positions, UnitCell? cell, double cutoff)
    {
        Clear();
        if (!(cutoff > 0) || !double.IsFinite(cutoff))
            throw new InvalidParameterException("cutoff", $"must be a finite positive distance in Å, got {cutoff}");
        if (positions.Length % 3 != 0)
            throw new InvalidStructureException($"positions hold {positions.Length} numbers, not a multiple of 3");
        int n = positions.Length / 3;
        for (int i = 0; i < positions.Length; i++)
            if (!double.IsFinite(positions[i]))
                throw new InvalidStructureException($"atom {i / 3}: position is NaN or infinite");

        try
        {
            _frame.Set(cell);
            RejectShortLatticeVectors(n);
            _atoms.Fill(positions, _frame);
            if (_offsets.Length < n + 1) _offsets = new int[n + 1];
            _offsets[0] = 0;
            _atomCount = n;
            _cutoff = cutoff;
        }
        catch
        {
            Clear();
            throw;
        }
    }

    /// <summary>
    /// A periodic lattice vector shorter than <see cref="CoincidenceTolerance"/> puts every atom on
    /// top of its own image. Checked up front because the search would otherwise first visit
    /// ~r_c / |h_k| images along that axis.
    /// </summary>
    private void RejectShortLatticeVectors(int atomCount)
    {
        if (atomCount == 0) return;
        var h = _frame.Lattice;
        for (int k = 0; k < 3; k++)
        {
            if (!_frame.Periodic[k]) continue;
            double length = Math.Sqrt(h[3 * k] * h[3 * k] + h[3 * k + 1] * h[3 * k + 1] + h[3 * k + 2] * h[3 * k + 2]);
            if (length < CoincidenceTolerance)
                throw Coincident(0, 0, k == 0 ? 1 : 0, k == 1 ? 1 : 0, k == 2 ? 1 : 0, length);
        }
    }

    private void Clear()
    {
        _atomCount = 0;
        _pairCount = 0;
        _cutoff = 0;
        _centrePairCount = 0;
        _offsets[0] = 0;
        CandidatesExamined = 0;
    }

    /// <summary>
    /// Examines candidate (i, j, S) for the centre being built (brute-force oracle): skips the atom
    /// itself (j = i, S = 0), rejects coincident atoms (|r_ij| &lt; <see cref="CoincidenceTolerance"/>;
    /// callers search a radius of at least max(r_c, CoincidenceTolerance), so the check does not
    /// depend on r_c), and keeps the pair when <see cref="Accepts"/>. The pair vector is the
    /// canonical r_ij = (c_j − c_i) + T·H of <see cref="WrappedAtoms"/>, the same arithmetic as the
    /// cell list, so both take identical decisions at the cutoff and give bitwise equal vectors.
    /// </summary>
    internal void Consider(int i, int j, int s0, int s1, int s2)
    {
        if (i == j && s0 == 0 && s1 == 0 && s2 == 0) return;
        var q = _atoms.Image;
        WrappedAtoms.Translation(_frame.Lattice,
            s0 + q[3 * j] - q[3 * i], s1 + q[3 * j + 1] - q[3 * i + 1], s2 + q[3 * j + 2] - q[3 * i + 2],
            out double tx, out double ty, out double tz);
        double x = (_atoms.X[j] - _atoms.X[i]) + tx;
        double y = (_atoms.Y[j] - _atoms.Y[i]) + ty;
        double z = (_atoms.Z[j] - _atoms.Z[i]) + tz;
        double d2 = x * x + y * y + z * z;
        if (d2 < CoincidenceTolerance * CoincidenceTolerance)
            throw Coincident(i, j, s0, s1, s2, Math.Sqrt(d2));
        if (!Accepts(d2, _cutoff, out double d)) return;
        if (_centrePairCount == _centrePairs.Length) Array.Resize(ref _centrePairs, 2 * _centrePairs.Length);
        _centrePairs[_centrePairCount++] = new PairEntry
        {
            J = j,
            S0 = s0,
            S1 = s1,
            S2 = s2,
            X = x,
            Y = y,
            Z = z,
            D = d,
        };
    }

    /// <summary>
    /// The cutoff decision shared by both searches: |r_ij|² &lt; r_c² and (after rounding)
    /// |r_ij| = √(|r_ij|²) &lt; r_c, so that <see cref="Distance"/> is always below <see cref="Cutoff"/>.
    /// </summary>
    internal static bool Accepts(double d2, double cutoff, out double d)
    {
        d = 0;
        if (d2 >= cutoff * cutoff) return false;
        d = Math.Sqrt(d2);
        return d < cutoff;
    }

    internal static InvalidStructureException Coincident(int i, int j, int s0, int s1, int s2, double d) =>
        i == j
            ? new($"atom {i} and its own periodic image (cell shift ({s0}, {s1}, {s2})) are {d:G3} Å apart, closer than {CoincidenceTolerance:G} Å; the cell is too small")
            : new($"atoms {i} and {j} are {d:G3} Å apart (cell shift ({s0}, {s1}, {s2})), closer than {CoincidenceTolerance:G} Å; coincident atoms make the descriptors undefined");

    /// <summary>
    /// Closes centre <paramref name="i"/> (centres must be closed in order 0, 1, …, N−1): sorts its
    /// pairs into the canonical order (<see cref="PairEntry.CompareTo"/>) and appends them to the flat
    /// arrays.
    /// </summary>
    internal void EndCentre(int i)
    {
        var pairs = _centrePairs.AsSpan(0, _centrePairCount);
        pairs.Sort(); // PairEntry is IComparable<PairEntry>: no comparer boxing, no allocation

        EnsurePairCapacity(_pairCount + pairs.Length);
        int p = _pairCount;
        foreach (ref readonly var e in pairs)
        {
            _centers[p] = i;
            _neighbors[p] = e.J;
            _shifts[3 * p] = e.S0;
            _shifts[3 * p + 1] = e.S1;
            _shifts[3 * p + 2] = e.S2;
            _vectors[3 * p] = e.X;
            _vectors[3 * p + 1] = e.Y;
            _vectors[3 * p + 2] = e.Z;
            _distances[p] = e.D;
            p++;
        }
        _pairCount = p;
        _offsets[i + 1] = p;
        _centrePairCount = 0;
    }

    /// <summary>
    /// For the cell list, which fills the CSR arrays directly: sets the pair count to
    /// <paramref name="pairCount"/>, growing the buffers if needed (contents are undefined until filled).
    /// </summary>
    internal void SetPairCount(int pairCount)
    {
        EnsurePairCapacity(pairCount);
        _pairCount = pairCount;
    }

    /// <summary>Raw CSR buffers (length ≥ N + 1, ≥ P, ≥ 3P …) for the cell list to fill.</summary>
    internal int[] OffsetBuffer => _offsets;

    /// <inheritdoc cref="OffsetBuffer"/>
    internal int[] CenterBuffer => _centers;

    /// <inheritdoc cref="OffsetBuffer"/>
    internal int[] NeighborBuffer => _neighbors;

    /// <inheritdoc cref="OffsetBuffer"/>
    internal int[] ShiftBuffer => _shifts;

    /// <inheritdoc cref="OffsetBuffer"/>
    internal double[] VectorBuffer => _vectors;

    /// <inheritdoc cref="OffsetBuffer"/>
    internal double[] DistanceBuffer => _distances;

    internal void EnsurePairCapacity(int needed)
    {
        if (needed <= _neighbors.Length) return;
        if (needed > Array.MaxLength / 3)
            throw new InvalidParameterException("cutoff", $"the neighbour list would hold more than {Array.MaxLength / 3} pairs; the cutoff is too large for this structure");
        int capacity = (int)Math.Min(Array.MaxLength / 3, Math.Max(needed, 2L * _neighbors.Length));
        Array.Resize(ref _centers, capacity);
        Array.Resize(ref _neighbors, capacity);
        Array.Resize(ref _shifts, 3 * capacity);
        Array.Resize(ref _vectors, 3 * capacity);
        Array.Resize(ref _distances, capacity);
    }
}
