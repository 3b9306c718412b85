using Specialized.Numerics;
using Specialized.Structures;

namespace Specialized.Features;

/// <summary>Which gradients to compute besides the values.</summary>
[Flags]
public enum GradientKinds
{
    /// <summary>Values only.</summary>
    None = 0,
    /// <summary>Σ_i ∂X_i/∂r_k for every atom k (featomic's positions-gradient reference layout).</summary>
    Positions = 1,
    /// <summary>∂X_i/∂ε_{αβ} per centre, positions and cell deformed as r → r(1 + ε) (row vectors).</summary>
    Strain = 2,
    /// <summary>∂X_i/∂H_{kβ} per centre, Cartesian positions held fixed.</summary>
    Cell = 4,
}

/// <summary>
/// Features of one structure. Layouts (row-major):
/// <list type="bullet">
/// <item><see cref="Values"/> [atom i][feature f]</item>
/// <item><see cref="PositionGradients"/> [atom k][d][f] = Σ_i ∂X_{i f}/∂(r_k)_d</item>
/// <item><see cref="StrainGradients"/> [atom i][α][β][f] = ∂X_{i f}/∂ε_{αβ}</item>
/// <item><see cref="CellGradients"/> [atom i][k][β][f] = ∂X_{i f}/∂H_{kβ}</item>
/// </list>
/// </summary>
public sealed class FeatureResult
{
    /// <summary>
    /// Zero-filled storage for <paramref name="atoms"/> × <paramref name="features"/> values and the
    /// requested gradient kinds; reusable across structures of the same size with
    /// <see cref="FeatureComputer.Compute(Structure, FeatureResult)"/>.
    /// </summary>
    public FeatureResult(int atoms, int features, GradientKinds kinds)
    {
        if (atoms < 0) throw new InvalidParameterException("atoms", $"must be ≥ 0, got {atoms}");
        if (features < 1) throw new InvalidParameterException("features", $"must be ≥ 1, got {features}");
        AtomCount = atoms;
        FeatureCount = features;
        Gradients = kinds;
        Values = new double[atoms * features];
        if (kinds.HasFlag(GradientKinds.Positions)) PositionGradients = new double[atoms * 3 * features];
        if (kinds.HasFlag(GradientKinds.Strain)) StrainGradients = new double[atoms * 9 * features];
        if (kinds.HasFlag(GradientKinds.Cell)) CellGradients = new double[atoms * 9 * features];
    }

    /// <summary>Number of atoms (rows).</summary>
    public int AtomCount { get; }
    /// <summary>Number of features per atom.</summary>
    public int FeatureCount { get; }
    /// <summary>The gradient kinds this result holds.</summary>
    public GradientKinds Gradients { get; }
    /// <summary>Values [atom][feature].</summary>
    public double[] Values { get; }
    /// <summary>Position gradients [atom k][3][feature], or null.</summary>
    public double[]? PositionGradients { get; }
    /// <summary>Strain gradients [atom i][3][3][feature], or null.</summary>
    public double[]? StrainGradients { get; }
    /// <summary>Cell gradients [atom i][3][3][feature], or null.</summary>
    public double[]? CellGradients { get; }

    /// <summary>Feature vector of atom <paramref name="i"/>.</summary>
    public ReadOnlySpan<double> Row(int i) => Values.AsSpan(i * FeatureCount, FeatureCount);
}

/// <summary>
/// Runs a generic <see cref="IFeatureCalculator"/> over the atoms of a structure, optionally on
/// several threads, and assembles gradients from the per-pair gradients G_p = ∂X_i/∂v_p,
/// v_p = r_j − r_i + S_p·H (MATH §3.4):
/// <code>
///   Σ_i ∂X_i/∂r_k = Σ_{p: j_p = k} G_p − Σ_{p: i_p = k} G_p
///   ∂X_i/∂ε_{αβ}  = Σ_{p ∈ i} (v_p)_α (G_p)_β
///   ∂X_i/∂H_{kβ}  = Σ_{p ∈ i} (S_p)_k (G_p)_β
/// </code>
/// (own-image pairs j = i cancel in the position gradient, as they must). Only the columns of G_p
/// that <see cref="IFeatureCalculator.PairGradientColumns"/> declares non-zero for the neighbour's
/// species are read.
/// <para>Memory: besides the result, each thread holds one pair's gradient (3 × F doubles) when the
/// worker is an <see cref="IPairGradientWorker"/>, otherwise one centre's (max pairs per centre × 3 × F),
/// and, for threads after the first when position gradients are requested, a private N × 3 × F
/// accumulator summed into the result in thread order.</para>
/// <para>Threads: with position gradients, thread t takes a contiguous range of centres of about equal
/// cost (pairs + a per-centre constant; it depends on the structure only, so the result does not depend
/// on scheduling), clears its own accumulator, and the accumulators are then added in by atom rows, one
/// range per thread; otherwise centres are handed out one at a time. The neighbour list, workers and buffers of a call are kept for the next call
/// (a concurrent call builds its own), so repeated calls on structures of a bounded size allocate
/// nothing on one thread beyond the result (and nothing at all with
/// <see cref="Compute(Structure, FeatureResult)"/>).</para>
/// </summary>
public sealed class FeatureComputer
{
    private readonly IFeatureCalculator _calculator;
    private readonly int _threads;
    private readonly ColumnRange[][] _gradientColumns; // [neighbour species b] → columns of G_p that can be non-zero
    private readonly ParallelOptions _parallel;
    private Session? _idle;

    /// <summary>Creates the driver; <paramref name="threads"/> ≥ 1.</summary>
    public FeatureComputer(IFeatureCalculator calculator, int threads = 1)
    {
        if (threads < 1) throw new InvalidParameterException("threads", $"must be at least 1, got {threads}");
        _calculator = calculator;
        _threads = threads;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        _gradientColumns = new ColumnRange[calculator.Species.Count][];
        for (int b = 0; b < _gradientColumns.Length; b++)
        {
            var ranges = calculator.PairGradientColumns(b);
            for (int r = 0; r < ranges.Length; r++)
                if (ranges[r].Start < 0 || ranges[r].Length < 1 || ranges[r].End > calculator.FeatureCount || (r > 0 && ranges[r].Start < ranges[r - 1].End))
                    throw new InvalidOperationException($"{calculator.Name}: PairGradientColumns({b}) must be sorted disjoint non-empty ranges within [0, {calculator.FeatureCount})");
            _gradientColumns[b] = ranges;
        }
    }

    /// <summary>The calculator.</summary>
    public IFeatureCalculator Calculator => _calculator;

    /// <summary>Computes the features (and requested gradients) of every atom of <paramref name="structure"/>.</summary>
    public FeatureResult Compute(Structure structure, GradientKinds gradients = GradientKinds.None)
    {
        var result = new FeatureResult(structure.AtomCount, _calculator.FeatureCount, gradients);
        Compute(structure, result);
        return result;
    }

    /// <summary>
    /// Computes the features of every atom of <paramref name="structure"/>, and the gradient kinds
    /// <paramref name="result"/> holds, overwriting <paramref name="result"/> (which must have the
    /// structure's atom count and the calculator's feature count).
    /// </summary>
    public void Compute(Structure structure, FeatureResult result)
    {
        if (result.AtomCount != structure.AtomCount || result.FeatureCount != _calculator.FeatureCount)
            throw new InvalidParameterException("result",
                $"holds {result.AtomCount} atoms × {result.FeatureCount} features, the structure needs {structure.AtomCount} × {_calculator.FeatureCount}");
        var session = Interlocked.Exchange(ref _idle, null) ?? new Session(this);
        try
        {
            session.Run(structure, result);
        }
        finally
        {
            Volatile.Write(ref _idle, session);
        }
    }

    /// <summary>The buffers of one call: structure context and one state per thread.</summary>
    private sealed class Session(FeatureComputer owner)
    {
        private readonly StructureContext _context = new(owner._calculator.Species, owner._calculator.Cutoff);
        private readonly List<ThreadState> _states = [];
        private Action<int>? _reduce;
        private FeatureResult? _result;
        private int[] _bounds = [];
        private int _threads;
        private int _next;

        public void Run(Structure structure, FeatureResult result)
        {
            _context.Update(structure);
            result.PositionGradients?.AsSpan().Clear();
            result.StrainGradients?.AsSpan().Clear();
            result.CellGradients?.AsSpan().Clear();
            int atoms = _context.AtomCount;
            if (atoms == 0) return;
            int threads = Math.Min(owner._threads, atoms);
            bool anyGradient = result.Gradients != GradientKinds.None;
            while (_states.Count < threads) _states.Add(new ThreadState(owner._calculator.CreateWorker()));
            for (int t = 0; t < threads; t++)
            {
                int pairBuffer = !anyGradient ? 0 : (_states[t].PairWorker is null ? _context.MaxPairCount : 1) * 3 * owner._calculator.FeatureCount;
                _states[t].Prepare(pairBuffer, t > 0 && result.PositionGradients is not null ? result.PositionGradients.Length : 0);
            }

            _result = result;
            _threads = threads;
            _next = 0;
            if (result.PositionGradients is not null)
            {
                if (_bounds.Length < threads + 1) _bounds = new int[threads + 1];
                _context.Neighbors.SplitByPairs(_bounds.AsSpan(0, threads + 1));
            }
            try
            {
                if (threads == 1) RunThread(0);
                else
                {
                    Parallel.For(0, threads, owner._parallel, RunThread);
                    // A second parallel pass only pays when the accumulators are large (hundreds of kB and up).
                    if (result.PositionGradients is { } p && p.Length >= ParallelReduceDoubles)
                        Parallel.For(0, threads, owner._parallel, _reduce ??= ReducePositions);
                    else if (result.PositionGradients is not null)
                        for (int t = 0; t < threads; t++) ReducePositions(t);
                }
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]); // the worker's own exception, as on one thread
            }
            finally
            {
                _result = null;
            }
        }

        /// <summary>Accumulator size (doubles) from which the reduction runs on every thread.</summary>
        private const int ParallelReduceDoubles = 1 << 16;

        /// <summary>Adds the accumulators of threads 1 … T−1 to the result's rows [t·N/T, (t+1)·N/T) (thread order per row).</summary>
        private void ReducePositions(int t)
        {
            var positions = _result!.PositionGradients!;
            int atoms = _context.AtomCount, f = _result.FeatureCount;
            int begin = (int)((long)t * atoms / _threads) * 3 * f, end = (int)((long)(t + 1) * atoms / _threads) * 3 * f;
            for (int s = 1; s < _threads; s++)
                VectorMath.Add(_states[s].Positions.AsSpan(begin, end - begin), positions.AsSpan(begin, end - begin));
        }

        private void RunThread(int t)
        {
            var result = _result!;
            var state = _states[t];
            int atoms = _context.AtomCount;
            if (result.PositionGradients is null)
            {
                for (int i = Interlocked.Increment(ref _next) - 1; i < atoms; i = Interlocked.Increment(ref _next) - 1)
                    ComputeCentre(i, state, result, null);
                return;
            }
            var positions = t == 0 ? result.PositionGradients : state.Positions;
            if (t > 0) positions.AsSpan(0, result.PositionGradients.Length).Clear(); // each thread its own, in parallel
            for (int i = _bounds[t]; i < _bounds[t + 1]; i++) ComputeCentre(i, state, result, positions);
        }

        private void ComputeCentre(int i, ThreadState state, FeatureResult result, double[]? positions)
        {
            var context = _context;
            int f = result.FeatureCount;
            var values = result.Values.AsSpan(i * f, f);
            int pairs = context.PairCount(i);
            if (result.Gradients == GradientKinds.None || pairs == 0)
            {
                state.Worker.Compute(context, i, values, []);
                return;
            }

            var nl = context.Neighbors;
            int start = nl.Offsets[i];
            var strain = result.StrainGradients is { } s ? s.AsSpan(i * 9 * f, 9 * f) : default;
            var cell = result.CellGradients is { } c ? c.AsSpan(i * 9 * f, 9 * f) : default;
            if (state.PairWorker is { } streaming)
            {
                // one pair at a time: G_q is used while it is in cache, and only 3·F doubles are held
                var gq = state.PairGradients.AsSpan(0, 3 * f);
                streaming.BeginCentre(context, i, values);
                for (int q = 0; q < pairs; q++)
                {
                    streaming.PairGradient(context, i, q, gq);
                    Scatter(i, start + q, gq, f, positions, strain, cell);
                }
                return;
            }
            var g = state.PairGradients.AsSpan(0, pairs * 3 * f);
            state.Worker.Compute(context, i, values, g);
            for (int q = 0; q < pairs; q++) Scatter(i, start + q, g.Slice(q * 3 * f, 3 * f), f, positions, strain, cell);
        }

        /// <summary>Adds pair p's gradient G_p ([d][f]) to the position, strain and cell gradients (declared columns only).</summary>
        private void Scatter(int i, int p, ReadOnlySpan<double> gq, int f, double[]? positions, Span<double> strain, Span<double> cell)
        {
            var nl = _context.Neighbors;
            int j = nl.Neighbors[p];
            foreach (var range in owner._gradientColumns[_context.SpeciesIndex[j]])
            {
                if (positions is not null)
                    for (int d = 0; d < 3; d++)
                    {
                        VectorMath.AddSubtract(gq.Slice(d * f + range.Start, range.Length),
                            positions.AsSpan((j * 3 + d) * f + range.Start, range.Length),
                            positions.AsSpan((i * 3 + d) * f + range.Start, range.Length));
                    }
                if (!strain.IsEmpty)
                    for (int alpha = 0; alpha < 3; alpha++)
                    {
                        double v = nl.Vectors[3 * p + alpha];
                        for (int beta = 0; beta < 3; beta++)
                            VectorMath.Axpy(v, gq.Slice(beta * f + range.Start, range.Length), strain.Slice((alpha * 3 + beta) * f + range.Start, range.Length));
                    }
                if (!cell.IsEmpty)
                    for (int k = 0; k < 3; k++)
                    {
                        int shift = nl.Shifts[3 * p + k];
                        if (shift == 0) continue;
                        for (int beta = 0; beta < 3; beta++)
                            VectorMath.Axpy(shift, gq.Slice(beta * f + range.Start, range.Length), cell.Slice((k * 3 + beta) * f + range.Start, range.Length));
                    }
            }
        }
    }

    /// <summary>One thread's worker and buffers (grown on demand, never shrunk).</summary>
    private sealed class ThreadState(ICentreWorker worker)
    {
        public readonly ICentreWorker Worker = worker;
        public readonly IPairGradientWorker? PairWorker = worker as IPairGradientWorker;
        public double[] PairGradients = [];
        public double[] Positions = [];

        /// <summary>Grows the pair-gradient buffer to <paramref name="pairGradients"/> doubles and the private position accumulator to <paramref name="positions"/> doubles (cleared by its thread).</summary>
        public void Prepare(int pairGradients, int positions)
        {
            if (PairGradients.Length < pairGradients) PairGradients = new double[pairGradients];
            if (Positions.Length < positions) Positions = new double[positions];
        }
    }
}
