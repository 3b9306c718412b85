using Specialized.Density;
using Specialized.Features;
using Specialized.Neighbors;
using Specialized.Radial;
using Specialized.Structures;

namespace Specialized.Kernels;

/// <summary>
/// Runs a generated kernel <typeparamref name="TRep"/> over structures: neighbour list, radial
/// integrals and pair weights (the continuous hyperparameters, fixed at construction), the per-centre
/// kernel, threads, and the assembly of position, strain and cell gradients from the per-pair
/// gradients G_q = ∂X_i/∂v_q (MATH §3.4, as <see cref="FeatureComputer"/>):
/// <code>
///   Σ_i ∂X_i/∂r_k = Σ_{q: j_q = k} G_q − Σ_{q: i_q = k} G_q
///   ∂X_i/∂ε_{αβ}  = Σ_{q ∈ i} (v_q)_α (G_q)_β
///   ∂X_i/∂H_{kβ}  = Σ_{q ∈ i} (S_q)_k (G_q)_β
/// </code>
/// Output layouts are those of <see cref="FeatureResult"/>, with the spec's outputs concatenated per
/// row (<see cref="RepresentationSpec.Outputs"/>); a single-output spec gives exactly the generic
/// calculator's arrays.
/// </summary>
/// <remarks>
/// The kernel is called through <typeparamref name="TRep"/>'s static members: no reflection and no
/// virtual calls per centre (the usual <see cref="SplinedRadialIntegral"/> is evaluated in one fused,
/// vectorised pass that also applies the pair weight; other radial integrals through their interface). After the buffers have grown to the largest structure seen,
/// <see cref="Compute(Structure, Span{double}, Span{double}, Span{double}, Span{double})"/> allocates
/// nothing, also with several threads (a fixed set of background workers, ended by <see cref="Dispose"/>
/// or when the descriptor is collected). An instance runs one structure at a time (not thread-safe);
/// create one per calling thread. With several threads, the threads also search the neighbour list (each the centres
/// of about its own chunk; the list is the one-thread list, bit for bit),
/// and after a call the workers spin for up to 200 µs before they block, so that the next call starts them at once.
/// When only position gradients are asked for and the kernel supports it (generated power-spectrum kernels,
/// <see cref="IRepresentationKernel{TSelf}.HasPositionGradientRows"/>), they are computed row by row: a first pass keeps
/// every atom's ν=1 coefficients, a second builds each atom's row Σ_i ∂X_i/∂r_k from its own pairs
/// (<see cref="IRepresentationKernel{TSelf}.AddPositionGradientRow"/>), so no pair gradient G_q is stored and every
/// write stays in one cache-resident row. Strain and cell gradients need G_q and go through
/// <see cref="IRepresentationKernel{TSelf}.ComputeCentre"/>.
/// </remarks>
/// <typeparam name="TRep">The generated kernel (a struct declared with <see cref="RepresentationAttribute"/>).</typeparam>
public sealed unsafe class Descriptor<TRep> : IDisposable where TRep : struct, IRepresentationKernel<TRep>
{
    private readonly IRadialIntegral _radial;
    private readonly PairWeight _weight;
    private readonly double[] _selfTerm;
    private readonly int _radialStride;        // (L+1) N values per pair in CentreInput.Radial
    private readonly int _threads;
    private readonly NeighborList _neighbors = new();
    private readonly Worker[] _workers;
    private readonly Action<int> _chunkBody;
    private readonly Action<int> _reduceBody;
    private readonly Action<int> _searchBody;
    private readonly ChunkRunner? _runner;
    private readonly int[] _bounds;             // chunk t computes centres [_bounds[t], _bounds[t + 1])
    private int[] _atomChannels = [];
    private double[] _atomCoefficients = [];   // [atom][CoefficientCount], for the row-by-row position gradients
    private Job _job;

    /// <summary>
    /// Creates the descriptor. <paramref name="parameters"/> must agree with the spec (l_max, number of
    /// radial functions); <paramref name="species"/> may be omitted when the spec fixes the species list.
    /// </summary>
    /// <exception cref="InvalidParameterException">a hyperparameter disagrees with the spec or is out of range.</exception>
    public Descriptor(SoapParameters parameters, SpeciesList? species = null, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        var spec = TRep.Spec;
        string name = typeof(TRep).Name;
        if (spec.SpeciesRank != 0)
            throw new InvalidParameterException("species-rank", $"{name} is a tensor-reduced spec (K = {spec.SpeciesRank}): run it with NiceDescriptor<{name}> and a fitted NiceModel");
        if (spec.BodyOrder is < 1 or > 2)
            throw new InvalidParameterException("body-order", $"{name} is a NICE spec (ν = {spec.BodyOrder}): run it with NiceDescriptor<{name}> and a fitted NiceModel");
        if (parameters.LMax != spec.LMax)
            throw new InvalidParameterException("l-max", $"{name} was generated for l_max = {spec.LMax}, but the parameters say {parameters.LMax}");
        if (parameters.RadialCount != spec.NMax)
            throw new InvalidParameterException("n-max", $"{name} was generated for {spec.NMax} radial functions, but the parameters say {parameters.RadialCount}");
        if (threads < 1) throw new InvalidParameterException("threads", $"must be at least 1, got {threads}");
        Species = ResolveSpecies(spec, species, name);
        Parameters = parameters;

        _radial = RadialIntegrals.Create(parameters.Basis, parameters.RadialCount, parameters.LMax,
            parameters.Cutoff, parameters.DensityWidth, parameters.SplineAccuracy);
        if (_radial.MaxAngular != spec.LMax)
            throw new InvalidParameterException("basis", $"{name}: the {parameters.Basis} basis has l_max = {_radial.MaxAngular} for these parameters, the kernel needs {spec.LMax}");
        for (int l = 0; l <= spec.LMax; l++)
            if (_radial.Count(l) != spec.NMax || _radial.Offset(l) != l * spec.NMax)
                throw new InvalidParameterException("basis",
                    $"{name}: generated kernels need {spec.NMax} radial functions in every angular channel, the {parameters.Basis} basis has {_radial.Count(l)} for l = {l} (ragged bases run on the generic path)");
        _weight = parameters.CreatePairWeight();
        _radialStride = (spec.LMax + 1) * spec.NMax;

        // The centre's own density, exactly as the generic SphericalExpansion: w_c F(0) Y_00 I_n0(0).
        var i0 = new double[_radial.TotalCount];
        _radial.Compute(0.0, i0, []);
        double f0 = _weight.Value(0.0);
        double y00 = 0.5 / Math.Sqrt(Math.PI);
        _selfTerm = new double[spec.NMax];
        for (int n = 0; n < spec.NMax; n++) _selfTerm[n] = parameters.CenterWeight * f0 * y00 * i0[_radial.Offset(0) + n];

        _threads = threads;
        _workers = new Worker[threads];
        var pairRadial = new PairRadial(_radial, _weight);
        for (int t = 0; t < threads; t++) _workers[t] = new Worker(t == 0 ? pairRadial : pairRadial.Clone());
        _chunkBody = RunChunk;
        _reduceBody = ReducePositions;
        _searchBody = _neighbors.SearchPart;
        _bounds = new int[threads + 1];
        if (threads > 1) _runner = new ChunkRunner(threads);
    }

    /// <summary>Ends the worker threads of a multi-threaded descriptor (also done when it is collected).</summary>
    ~Descriptor() => _runner?.Dispose();

    /// <summary>Ends the worker threads of a multi-threaded descriptor; it cannot compute afterwards.</summary>
    public void Dispose()
    {
        _runner?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The spec of the generated kernel.</summary>
    public RepresentationSpec Spec => TRep.Spec;

    /// <summary>Number of values per atom.</summary>
    public int FeatureCount => TRep.FeatureCount;

    /// <summary>Species channels.</summary>
    public SpeciesList Species { get; }

    /// <summary>The continuous hyperparameters.</summary>
    public SoapParameters Parameters { get; }

    /// <summary>The radial integrals I_nl(r).</summary>
    public IRadialIntegral Radial => _radial;

    /// <summary>Computes the features (and requested gradients) of every atom; allocates the result.</summary>
    public FeatureResult Compute(Structure structure, GradientKinds gradients = GradientKinds.None)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var result = new FeatureResult(structure.AtomCount, TRep.FeatureCount, gradients);
        Compute(structure, result.Values, result.PositionGradients, result.StrainGradients, result.CellGradients);
        return result;
    }

    /// <summary>
    /// Computes into caller-provided arrays (layouts of <see cref="FeatureResult"/>; N atoms, F features):
    /// <paramref name="values"/> [N·F]; each gradient span is either empty (not computed) or exactly
    /// <paramref name="positionGradients"/> [N·3·F], <paramref name="strainGradients"/> [N·9·F],
    /// <paramref name="cellGradients"/> [N·9·F]. No allocation once the buffers have grown (on several threads, after a
    /// one-off allocation by the runtime during the first calls).
    /// </summary>
    /// <exception cref="InvalidParameterException">a span has the wrong length.</exception>
    /// <exception cref="InvalidStructureException">an atom's species is not in the species list, or atoms coincide.</exception>
    public void Compute(Structure structure, Span<double> values, Span<double> positionGradients = default,
        Span<double> strainGradients = default, Span<double> cellGradients = default)
    {
        ArgumentNullException.ThrowIfNull(structure);
        int atoms = structure.AtomCount, f = TRep.FeatureCount;
        CheckLength(values, atoms * f, "values", allowEmpty: false);
        CheckLength(positionGradients, atoms * 3 * f, "position-gradients", allowEmpty: true);
        CheckLength(strainGradients, atoms * 9 * f, "strain-gradients", allowEmpty: true);
        CheckLength(cellGradients, atoms * 9 * f, "cell-gradients", allowEmpty: true);

        Species.AssignChannels(structure, ref _atomChannels);
        int chunks = Math.Min(_threads, atoms);
        // On several threads the neighbour list is built in phases: bins and images here, the search by every thread,
        // offsets here, and each chunk copies its own centres' pairs before computing them (same list, bit for bit).
        bool copyRows = chunks > 1;
        if (copyRows)
        {
            _neighbors.BeginUpdate(structure, Parameters.Cutoff, chunks);
            _runner!.Run(_searchBody, chunks);
            _neighbors.EndSearch();
        }
        else
        {
            _neighbors.Update(structure, Parameters.Cutoff);
        }
        positionGradients.Clear();
        strainGradients.Clear();
        cellGradients.Clear();
        if (atoms == 0) return;

        int maxPairs = _neighbors.MaxPairCount();
        bool gradients = !positionGradients.IsEmpty || !strainGradients.IsEmpty || !cellGradients.IsEmpty;

        // Positions only, with a kernel that computes them row by row: pass 1 stores every atom's c (values only),
        // pass 2 pulls each atom's row from its pairs (no per-pair gradient rows, no private accumulators per thread).
        bool rows = TRep.HasPositionGradientRows && !positionGradients.IsEmpty && strainGradients.IsEmpty && cellGradients.IsEmpty;
        if (rows && _atomCoefficients.Length < atoms * TRep.CoefficientCount) _atomCoefficients = new double[atoms * TRep.CoefficientCount];
        fixed (double* pv = values, pp = positionGradients, ps = strainGradients, pc = cellGradients)
        {
            for (int t = 0; t < chunks; t++)
                _workers[t].Ensure(maxPairs, _radialStride, gradients, t > 0 && pp != null && !rows ? atoms * 3 * f : 0);
            _neighbors.SplitByPairs(_bounds.AsSpan(0, chunks + 1));
            try
            {
                if (rows)
                {
                    _job = new Job(pv, null, null, null, atoms, chunks, gradients: false, Pass.StoreCoefficients, copyRows);
                    Run(_chunkBody, chunks);
                    _job = new Job(pv, pp, null, null, atoms, chunks, gradients: true, Pass.PositionRows, copyRows: false);
                    Run(_chunkBody, chunks);
                    return;
                }
                _job = new Job(pv, pp, ps, pc, atoms, chunks, gradients, Pass.Centres, copyRows);
                Run(_chunkBody, chunks);
                if (chunks > 1 && pp != null) _runner!.Run(_reduceBody, chunks);
            }
            finally
            {
                _job = default;
            }
        }
    }

    private void Run(Action<int> body, int chunks)
    {
        if (chunks == 1) body(0);
        else _runner!.Run(body, chunks);
    }

    /// <summary>
    /// Computes centres [_bounds[t], _bounds[t + 1]) with worker t (in the row-by-row passes: stores their coefficients,
    /// or builds their position-gradient rows), first copying their neighbour-list rows when the list was built in
    /// phases. Chunk 0 adds position gradients into the
    /// caller's array, chunk t &gt; 0 into its worker's private N × 3 × F accumulator (cleared here, in parallel),
    /// which <see cref="ReducePositions"/> adds in afterwards.
    /// </summary>
    private void RunChunk(int t)
    {
        var job = _job;
        int f = TRep.FeatureCount;
        var worker = _workers[t];
        int begin = _bounds[t], end = _bounds[t + 1];
        if (job.CopyRows) _neighbors.CopyRows(begin, end);
        if (job.Pass == Pass.StoreCoefficients)
        {
            for (int i = begin; i < end; i++)
                ComputeCentre(i, worker, new Span<double>(job.Values + (long)i * f, f), false, [], [], [],
                    _atomCoefficients.AsSpan(i * TRep.CoefficientCount, TRep.CoefficientCount));
            return;
        }
        if (job.Pass == Pass.PositionRows)
        {
            for (int k = begin; k < end; k++) PositionRow(k, worker, new Span<double>(job.Positions + (long)k * 3 * f, 3 * f));
            return;
        }
        var positions = job.Positions == null ? Span<double>.Empty
            : t > 0 ? worker.Positions.AsSpan(0, job.Atoms * 3 * f) : new Span<double>(job.Positions, job.Atoms * 3 * f);
        if (t > 0) positions.Clear();
        for (int i = begin; i < end; i++)
        {
            var row = new Span<double>(job.Values + (long)i * f, f);
            var strain = job.Strain == null ? Span<double>.Empty : new Span<double>(job.Strain + (long)i * 9 * f, 9 * f);
            var cell = job.Cell == null ? Span<double>.Empty : new Span<double>(job.Cell + (long)i * 9 * f, 9 * f);
            ComputeCentre(i, worker, row, job.Gradients, positions, strain, cell, worker.Coefficients);
        }
    }

    /// <summary>
    /// Adds the private position accumulators of chunks 1 … T−1 to the caller's array, chunk t taking the atom rows
    /// [t·N/T, (t+1)·N/T) (in chunk order for each row, so the sum does not depend on scheduling).
    /// </summary>
    private void ReducePositions(int t)
    {
        var job = _job;
        int f = TRep.FeatureCount;
        long begin = (long)t * job.Atoms / job.Chunks * 3 * f, end = (long)(t + 1) * job.Atoms / job.Chunks * 3 * f;
        var target = new Span<double>(job.Positions + begin, (int)(end - begin));
        for (int w = 1; w < job.Chunks; w++)
            KernelMath.Axpy(1.0, _workers[w].Positions.AsSpan((int)begin, (int)(end - begin)), target);
    }

    /// <summary>Pair data of centre i (channels, F I and, with <paramref name="gradients"/>, d(F I)/dr) in the worker's buffers.</summary>
    private CentreInput Pairs(int i, Worker w, bool gradients)
    {
        var nl = _neighbors;
        int start = nl.Offsets[i], pairs = nl.Offsets[i + 1] - start, stride = _radialStride;
        var distances = nl.Distances.Slice(start, pairs);
        var neighbours = nl.Neighbors.Slice(start, pairs);
        var channels = w.Channels.AsSpan(0, pairs);
        var radial = w.Radial.AsSpan(0, pairs * stride);
        var dRadial = gradients ? w.RadialDerivatives.AsSpan(0, pairs * stride) : Span<double>.Empty;
        for (int q = 0; q < pairs; q++)
        {
            channels[q] = _atomChannels[neighbours[q]];
            w.PairRadial.Evaluate(distances[q], radial.Slice(q * stride, stride), gradients ? dRadial.Slice(q * stride, stride) : []);
        }
        return new CentreInput(nl.Vectors.Slice(3 * start, 3 * pairs), channels, radial, dRadial, _atomChannels[i], _selfTerm);
    }

    /// <summary>Row k of Σ_i ∂X_i/∂r_k from k's pairs and the stored coefficients (<see cref="IRepresentationKernel{TSelf}.AddPositionGradientRow"/>).</summary>
    private void PositionRow(int k, Worker w, Span<double> row)
    {
        var input = Pairs(k, w, gradients: true);
        if (input.PairCount == 0) return;
        int start = _neighbors.Offsets[k];
        TRep.AddPositionGradientRow(in input, _neighbors.Neighbors.Slice(start, input.PairCount), _atomCoefficients, k,
            w.PairScratch.AsSpan(0, PairScratchLength(input.PairCount)), row);
    }

    private void ComputeCentre(int i, Worker w, Span<double> values, bool gradients, Span<double> positions, Span<double> strain, Span<double> cell,
        Span<double> coefficients)
    {
        var nl = _neighbors;
        int start = nl.Offsets[i], pairs = nl.Offsets[i + 1] - start;
        int f = TRep.FeatureCount;
        var input = Pairs(i, w, gradients);
        var vectors = input.Vectors;
        var neighbours = nl.Neighbors.Slice(start, pairs);
        bool pairGradients = gradients && pairs > 0;
        var g = pairGradients ? w.PairGradients.AsSpan(0, pairs * 3 * f) : Span<double>.Empty;
        TRep.ComputeCentre(in input, coefficients, w.PairScratch.AsSpan(0, PairScratchLength(pairs)), values, g);
        if (!pairGradients) return;

        if (!positions.IsEmpty)
        {
            for (int q = 0; q < pairs; q++)
            {
                int j = neighbours[q];
                for (int d = 0; d < 3; d++)
                {
                    var src = g.Slice((q * 3 + d) * f, f);
                    KernelMath.Axpy(1.0, src, positions.Slice((j * 3 + d) * f, f));
                    KernelMath.Axpy(-1.0, src, positions.Slice((i * 3 + d) * f, f));
                }
            }
        }

        if (!strain.IsEmpty)
        {
            for (int q = 0; q < pairs; q++)
                for (int alpha = 0; alpha < 3; alpha++)
                {
                    double v = vectors[3 * q + alpha];
                    for (int beta = 0; beta < 3; beta++)
                        KernelMath.Axpy(v, g.Slice((q * 3 + beta) * f, f), strain.Slice((alpha * 3 + beta) * f, f));
                }
        }

        if (!cell.IsEmpty)
        {
            var shifts = nl.Shifts.Slice(3 * start, 3 * pairs);
            for (int q = 0; q < pairs; q++)
                for (int k = 0; k < 3; k++)
                {
                    int s = shifts[3 * q + k];
                    if (s == 0) continue;
                    for (int beta = 0; beta < 3; beta++)
                        KernelMath.Axpy(s, g.Slice((q * 3 + beta) * f, f), cell.Slice((k * 3 + beta) * f, f));
                }
        }
    }

    /// <summary>Pair scratch for <paramref name="pairs"/> pairs: kernels use it in blocks of 4 pairs (SIMD lanes), so the count is rounded up.</summary>
    private static int PairScratchLength(int pairs) => (pairs + 3) / 4 * 4 * TRep.PairScratchCount;

    private static SpeciesList ResolveSpecies(RepresentationSpec spec, SpeciesList? species, string name)
    {
        if (spec.AtomicNumbers.Length > 0)
        {
            var fixedList = new SpeciesList(spec.AtomicNumbers.ToArray());
            if (species is not null && !species.AtomicNumbers.SequenceEqual(fixedList.AtomicNumbers))
                throw new InvalidParameterException("species", $"{name} was generated for species {fixedList}, got {species}");
            return species ?? fixedList;
        }
        if (species is null)
            throw new InvalidParameterException("species", $"{name} does not fix its species list: pass one with {spec.SpeciesCount} species");
        if (species.Count != spec.SpeciesCount)
            throw new InvalidParameterException("species", $"{name} was generated for {spec.SpeciesCount} species channels, got {species.Count} ({species})");
        return species;
    }

    private static void CheckLength(Span<double> span, int expected, string what, bool allowEmpty)
    {
        if (allowEmpty && span.IsEmpty) return;
        if (span.Length != expected)
            throw new InvalidParameterException(what, $"needs {expected} elements for this structure, got {span.Length}");
    }

    /// <summary>What a run over the atoms computes.</summary>
    private enum Pass
    {
        /// <summary>Per centre: values and, as requested, pair gradients scattered into positions/strain/cell.</summary>
        Centres,
        /// <summary>Per centre: values, and c kept in <see cref="_atomCoefficients"/>.</summary>
        StoreCoefficients,
        /// <summary>Per atom: its row of the position gradients (<see cref="IRepresentationKernel{TSelf}.AddPositionGradientRow"/>).</summary>
        PositionRows,
    }

    /// <summary>One call's outputs, shared by the chunks (pinned for the duration of the call).</summary>
    private readonly struct Job(double* values, double* positions, double* strain, double* cell, int atoms, int chunks, bool gradients, Pass pass,
        bool copyRows)
    {
        public readonly double* Values = values;
        public readonly double* Positions = positions;
        public readonly double* Strain = strain;
        public readonly double* Cell = cell;
        public readonly int Atoms = atoms;
        public readonly int Chunks = chunks;
        public readonly bool Gradients = gradients;
        public readonly Pass Pass = pass;
        public readonly bool CopyRows = copyRows; // this pass first copies its centres' neighbour-list rows (NeighborList.CopyRows)
    }

    /// <summary>Scratch of one thread; grows to the largest centre seen and is then reused.</summary>
    private sealed class Worker(PairRadial pairRadial)
    {
        public readonly PairRadial PairRadial = pairRadial;
        public readonly double[] Coefficients = new double[TRep.CoefficientCount];
        public int[] Channels = [];
        public double[] Radial = [];
        public double[] RadialDerivatives = [];
        public double[] PairScratch = [];
        public double[] PairGradients = [];
        public double[] Positions = [];

        public void Ensure(int maxPairs, int stride, bool gradients, int positionsLength)
        {
            if (Channels.Length < maxPairs) Channels = new int[maxPairs];
            if (Radial.Length < maxPairs * stride) Radial = new double[maxPairs * stride];
            if (Positions.Length < positionsLength) Positions = new double[positionsLength];
            if (PairScratch.Length < PairScratchLength(maxPairs)) PairScratch = new double[PairScratchLength(maxPairs)];
            if (!gradients) return;
            if (RadialDerivatives.Length < maxPairs * stride) RadialDerivatives = new double[maxPairs * stride];
            if (PairGradients.Length < maxPairs * 3 * TRep.FeatureCount) PairGradients = new double[maxPairs * 3 * TRep.FeatureCount];
        }
    }
}
