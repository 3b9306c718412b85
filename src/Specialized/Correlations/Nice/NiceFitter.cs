using Specialized.Contraction;
using Specialized.Density;
using Specialized.Models.LinearAlgebra;

namespace Specialized.Correlations.Nice;

/// <summary>
/// Fits a <see cref="NiceModel"/> order by order (MATH §5.4): ν=1 maps, then for ν = 2 … ν_max the
/// thresholded expansion (§5.5), optional purification (§5.6) and per-(λ, σ) uncentred PCA (§5.7), each
/// block in streaming passes over the training environments (the expansion is recomputed per pass rather
/// than stored). Single-threaded and order-deterministic.
/// </summary>
internal sealed class NiceFitter
{
    private readonly NiceParameters _p;
    private readonly SpeciesList _species;
    private readonly ExpansionLayout _layout;
    private readonly IReadOnlyList<double[]> _c;
    private readonly IDenseSolver _solver;
    private DensityModel _density = null!;
    private int[] _densityOffsets = [];
    private double[][][] _envDensity = [];   // [factor][env]
    private readonly double[][][] _envValues; // [env][order]
    private readonly OrderModel[] _orders;
    private readonly int[][] _offsets;

    private NiceFitter(NiceParameters p, SpeciesList species, ExpansionLayout layout, IReadOnlyList<double[]> coefficients, IDenseSolver solver)
    {
        _p = p;
        _species = species;
        _layout = layout;
        _c = coefficients;
        _solver = solver;
        _orders = new OrderModel[p.BodyOrder + 1];
        _offsets = new int[p.BodyOrder + 1][];
        _envValues = new double[coefficients.Count][][];
        for (int e = 0; e < _envValues.Length; e++) _envValues[e] = new double[p.BodyOrder + 1][];
    }

    private int Channels => _density.Channels;

    public static NiceModel Fit(NiceParameters p, SpeciesList species, IReadOnlyList<double[]> coefficients, IDenseSolver solver,
        SphericalExpansion? expansion = null)
    {
        expansion ??= new SphericalExpansion(p.Density, species);
        if (coefficients.Count == 0) throw new InvalidParameterException("structures", "no environments to fit the NICE contractions on");
        foreach (var c in coefficients)
            if (c.Length != expansion.Layout.Size)
                throw new ArgumentException($"every coefficient vector must have {expansion.Layout.Size} entries", nameof(coefficients));
        var fitter = new NiceFitter(p, species, expansion.Layout, coefficients, solver);
        fitter.FitDensity();
        for (int order = 2; order <= p.BodyOrder; order++) fitter.FitOrder(order);
        return new NiceModel(p, species, fitter._density, fitter._orders, expansion);
    }

    // ── ν = 1 ────────────────────────────────────────────────────────────────────────────────────

    private void FitDensity()
    {
        var layout = _layout;
        int lmax = layout.LMax, species = layout.SpeciesCount;
        double scale = 1.0;
        if (_p.Scaling == NiceScaling.Global)
        {
            double sum = 0;
            int q0 = species * layout.RadialCount(0), start = layout.Index(0, 0, 0, 0);
            foreach (var c in _c)
                for (int q = 0; q < q0; q++) sum += c[start + q] * c[start + q];
            double mean = sum / _c.Count;
            if (!(mean > 0) || !double.IsFinite(mean))
                throw new InvalidParameterException("structures", "the training environments have no ν=1 density to scale by (every c_{a n 0 0} is zero)");
            scale = 1.0 / Math.Sqrt(mean);
        }

        var features = new int[lmax + 1];
        var importances = new double[lmax + 1][];
        double[][][] maps;
        double[][]? embedding = null;
        int channels;
        if (_p.SpeciesMode == NiceSpeciesMode.PerSpecies)
        {
            channels = 1;
            maps = [new double[lmax + 1][]];
            for (int l = 0; l <= lmax; l++)
            {
                int q = species * layout.RadialCount(l);
                var acc = new MomentAccumulator(_solver, q, full: _p.InitialKeep is not null);
                var row = new double[q];
                foreach (var c in _c)
                    for (int m = -l; m <= l; m++)
                    {
                        var src = c.AsSpan(layout.Index(l, m, 0, 0), q);
                        for (int k = 0; k < q; k++) row[k] = scale * src[k];
                        acc.Add(row, [], 1);
                    }
                acc.Flush();
                double[] map;
                if (_p.InitialKeep is { } keep)
                {
                    var (v, imp) = UncentredPca.Fit(acc.Moment, q, keep, _solver);
                    importances[l] = imp;
                    features[l] = imp.Length;
                    map = v;
                }
                else
                {
                    importances[l] = UncentredPca.DiagonalImportances(acc.Moment);
                    features[l] = q;
                    map = []; // s·I, stored implicitly (DensityModel.IdentityScale)
                }
                for (int k = 0; k < map.Length; k++) map[k] *= scale;
                maps[0][l] = map;
            }
        }
        else
        {
            channels = _p.SpeciesRank;
            int nMax = 0;
            for (int l = 0; l <= lmax; l++) nMax = Math.Max(nMax, layout.RadialCount(l));
            embedding = Embedding(nMax);
            maps = new double[embedding.Length][][];
            for (int t = 0; t < embedding.Length; t++)
            {
                maps[t] = new double[lmax + 1][];
                for (int l = 0; l <= lmax; l++)
                {
                    int nl = layout.RadialCount(l), k = channels;
                    var map = new double[species * nl * k];
                    for (int a = 0; a < species; a++)
                        for (int n = 0; n < nl; n++)
                            for (int j = 0; j < k; j++) map[(a * nl + n) * k + j] = scale * embedding[t][(a * nMax + n) * k + j];
                    maps[t][l] = map;
                }
            }
            for (int l = 0; l <= lmax; l++)
            {
                features[l] = 1;
                importances[l] = [1.0];
            }
        }
        _density = new DensityModel(channels, features, maps, importances, scale, embedding);
        (_densityOffsets, int size) = NiceKernels.DensityLayout(channels, features);
        _envDensity = new double[maps.Length][][];
        for (int t = 0; t < maps.Length; t++)
        {
            _envDensity[t] = new double[_c.Count][];
            for (int e = 0; e < _c.Count; e++)
            {
                var d = new double[size];
                NiceKernels.Density(_c[e], layout, maps[t], channels, features, _densityOffsets, _density.IdentityScale, d);
                _envDensity[t][e] = d;
            }
        }

        int top = Math.Min(lmax, _p.LambdaCap);
        var blocks = new FittedBlock[top + 1];
        for (int l = 0; l <= top; l++)
            blocks[l] = new FittedBlock(new NiceBlockKey(l, 1), 1, [], 0, null, null, features[l], importances[l], densityL: l);
        _orders[1] = new OrderModel(1, blocks, null);
        _offsets[1] = _densityOffsets[..(top + 1)];
        for (int e = 0; e < _c.Count; e++) _envValues[e][1] = _envDensity[0][e];
    }

    /// <summary>The tensor-reduced W^(t), t = 1 … (ν_max or 1 when shared), row-major (A·N) × K.</summary>
    private double[][] Embedding(int nMax)
    {
        int species = _species.Count, k = _p.SpeciesRank, rows = species * nMax;
        switch (_p.Embedding)
        {
            case SpeciesEmbeddingKind.Random:
                return [.. Enumerable.Range(1, _p.BodyOrder).Select(t => SpeciesEmbedding.Random(_species, nMax, k, _p.Seed, t))];
            case SpeciesEmbeddingKind.Custom:
                var custom = _p.CustomEmbedding!;
                if (custom.Count != 1 && custom.Count != _p.BodyOrder)
                    throw new InvalidParameterException("embedding", $"give 1 or {_p.BodyOrder} custom matrices (one per factor position), got {custom.Count}");
                foreach (var w in custom)
                    if (w.Length != rows * k)
                        throw new InvalidParameterException("embedding", $"a custom matrix must have (species·N) × K = {rows} × {k} = {rows * k} entries, got {w.Length}");
                return [.. custom.Select(w => (double[])w.Clone())];
            default:
                {
                    // Alchemical compression: leading eigenvectors of Σ_{env, l, m} c cᵀ over the (a, n) channels.
                    var acc = new MomentAccumulator(_solver, rows, full: true);
                    var row = new double[rows];
                    foreach (var c in _c)
                        for (int l = 0; l <= _layout.LMax; l++)
                        {
                            int nl = _layout.RadialCount(l);
                            for (int m = -l; m <= l; m++)
                            {
                                Array.Clear(row);
                                for (int a = 0; a < species; a++)
                                    for (int n = 0; n < nl; n++) row[a * nMax + n] = c[_layout.Index(l, m, a, n)];
                                acc.Add(row, [], 1);
                            }
                        }
                    acc.Flush();
                    var (v, imp) = UncentredPca.Fit(acc.Moment, rows, k, _solver);
                    if (imp.Length < k)
                        throw new InvalidParameterException("species-rank",
                            $"a fitted embedding of rank K = {k} needs {k} independent (species, n) channels in the training data; it has {imp.Length}");
                    return [v];
                }
        }
    }

    // ── ν → ν + 1 ────────────────────────────────────────────────────────────────────────────────

    private readonly record struct Candidate(int Block, int P1, int L, int F2, double Importance, int Parity);

    private void FitOrder(int order)
    {
        var step = _p.StepFor(order);
        var previous = _orders[order - 1].Covariant;
        var covariant = new List<FittedBlock>();
        if (order < _p.BodyOrder || _p.CovariantsAtLastOrder)
        {
            var tasks = Select(Enumerate(previous, invariantOnly: false), step.ExpandCovariant);
            foreach (var (key, groups, width) in BuildBlocks(previous, tasks, invariantOnly: false))
                if (FitBlock(order, key, groups, width, step.KeepCovariant, invariant: false) is { } block) covariant.Add(block);
        }
        var invTasks = Select(Enumerate(previous, invariantOnly: true), step.ExpandInvariant);
        var inv = BuildBlocks(previous, invTasks, invariantOnly: true);
        var invariant = inv.Count == 1
            ? FitBlock(order, inv[0].Key, inv[0].Groups, inv[0].Width, step.KeepInvariant, invariant: true)!
            : new FittedBlock(new NiceBlockKey(0, 1), order, [], 0, null, null, 0, []);

        var om = new OrderModel(order, [.. covariant], invariant);
        _orders[order] = om;
        (_offsets[order], int size) = BlockStore.Layout(om, Channels);
        var x = new double[MaxExpanded(om)];
        var r = new double[MaxRegressors(om)];
        for (int e = 0; e < _c.Count; e++)
        {
            var values = new double[size];
            int s = 0;
            foreach (var block in om.StorageBlocks)
            {
                int rows = block.Components * Channels;
                Compute(block, order, e, x, r, withPurifier: true);
                NiceKernels.Project(x, rows, block.ExpandedWidth, block.Projection, block.Width, values.AsSpan(_offsets[order][s++], rows * block.Width));
            }
            _envValues[e][order] = values;
        }
    }

    private int MaxExpanded(OrderModel om) => om.StorageBlocks.Select(b => b.Components * Channels * b.ExpandedWidth).DefaultIfEmpty(0).Max();

    private int MaxRegressors(OrderModel om) =>
        om.StorageBlocks.Select(b => b.Purifier is { } p ? b.Components * Channels * p.RegressorCount : 0).DefaultIfEmpty(0).Max();

    /// <summary>
    /// Candidate tasks (input block b, feature p1, density l, density feature f2) in canonical enumeration
    /// order (b, p1, l, f2), importance w_b[p1]·w_l[f2], output inversion parity π_b(−1)^l.
    /// Invariant mode keeps l = k with σ_b = +1 (λ = 0, σ = +1 outputs only).
    /// </summary>
    private List<Candidate> Enumerate(FittedBlock[] previous, bool invariantOnly)
    {
        var list = new List<Candidate>();
        int lmax = _layout.LMax, cap = _p.LambdaCap;
        for (int b = 0; b < previous.Length; b++)
        {
            var blk = previous[b];
            int k = blk.Key.Lambda;
            for (int p1 = 0; p1 < blk.Width; p1++)
                for (int l = 0; l <= lmax; l++)
                {
                    if (invariantOnly ? l != k || blk.Key.Sigma != 1 : Math.Abs(k - l) > cap) continue;
                    int parity = blk.Key.Parity * ((l & 1) == 0 ? 1 : -1);
                    var w = _density.Importances[l];
                    for (int f2 = 0; f2 < _density.Features[l]; f2++)
                        list.Add(new Candidate(b, p1, l, f2, blk.Importances[p1] * w[f2], parity));
                }
        }
        return list;
    }

    /// <summary>
    /// Keeps the <paramref name="count"/> most important tasks of each output parity (ties: earlier in the
    /// enumeration first), returned in enumeration order; null keeps everything.
    /// </summary>
    private static List<Candidate> Select(List<Candidate> tasks, int? count)
    {
        if (count is not { } n) return tasks;
        var keep = new bool[tasks.Count];
        foreach (int parity in new[] { 1, -1 })
        {
            var indices = Enumerable.Range(0, tasks.Count).Where(i => tasks[i].Parity == parity).ToArray();
            if (indices.Length <= n)
            {
                foreach (var i in indices) keep[i] = true;
                continue;
            }
            Array.Sort(indices, (i, j) =>
            {
                int byImportance = tasks[j].Importance.CompareTo(tasks[i].Importance);
                return byImportance != 0 ? byImportance : i.CompareTo(j);
            });
            for (int k = 0; k < n; k++) keep[indices[k]] = true;
        }
        var result = new List<Candidate>();
        for (int i = 0; i < tasks.Count; i++)
            if (keep[i]) result.Add(tasks[i]);
        return result;
    }

    /// <summary>Output blocks in canonical (λ, σ) order with their coupling groups (ordered by input block, then l).</summary>
    private List<(NiceBlockKey Key, CouplingGroup[] Groups, int Width)> BuildBlocks(FittedBlock[] previous, List<Candidate> tasks, bool invariantOnly)
    {
        var pairs = new SortedDictionary<NiceBlockKey, SortedDictionary<(int Block, int L), (List<int> P1, List<int> F2)>>();
        int cap = _p.LambdaCap;
        foreach (var t in tasks)
        {
            var input = previous[t.Block].Key;
            int k = input.Lambda;
            int lo = Math.Abs(k - t.L), hi = invariantOnly ? 0 : Math.Min(k + t.L, cap);
            for (int lambda = lo; lambda <= hi; lambda++)
            {
                int sigma = ((k + t.L + lambda) & 1) == 0 ? input.Sigma : -input.Sigma;
                var key = new NiceBlockKey(lambda, sigma);
                if (!pairs.TryGetValue(key, out var groups)) pairs[key] = groups = [];
                if (!groups.TryGetValue((t.Block, t.L), out var list)) groups[(t.Block, t.L)] = list = ([], []);
                list.P1.Add(t.P1);
                list.F2.Add(t.F2);
            }
        }
        var result = new List<(NiceBlockKey, CouplingGroup[], int)>();
        foreach (var (key, groups) in pairs)
        {
            var built = new List<CouplingGroup>();
            int offset = 0;
            foreach (var ((b, l), (p1, f2)) in groups)
            {
                built.Add(new CouplingGroup(b, previous[b].Key.Lambda, previous[b].Key.Sigma, l, key.Lambda, offset, [.. p1], [.. f2]));
                offset += p1.Count;
            }
            result.Add((key, [.. built], offset));
        }
        return result;
    }

    /// <summary>Expansion of env <paramref name="e"/> into x (and purification when the block has one).</summary>
    private void Compute(FittedBlock block, int order, int e, double[] x, double[] r, bool withPurifier)
    {
        int t = _density.FactorCount == 1 ? 0 : order - 1;
        NiceKernels.Expand(block, Channels, _envValues[e][order - 1], _offsets[order - 1], _orders[order - 1].Covariant,
            _envDensity[t][e], _densityOffsets, _density.Features, x);
        if (withPurifier && block.Purifier is { } p)
        {
            NiceKernels.Regressors(p, block.Components, Channels, _envValues[e], _offsets, _orders, 0, r);
            NiceKernels.Purify(p, block.Components * Channels, block.ExpandedWidth, r, x, intercept: true);
        }
    }

    private FittedBlock? FitBlock(int order, NiceBlockKey key, CouplingGroup[] groups, int nx, int? keep, bool invariant)
    {
        if (nx == 0) return invariant ? new FittedBlock(key, order, [], 0, null, null, 0, []) : null;
        var draft = new FittedBlock(key, order, groups, nx, null, null, 0, []);
        int rows = draft.Components * Channels;
        var x = new double[rows * nx];
        var purifier = FitPurifier(order, draft, invariant, x);
        if (purifier is not null) draft = new FittedBlock(key, order, groups, nx, purifier, null, 0, []);

        var acc = new MomentAccumulator(_solver, nx, full: keep is not null);
        var r = new double[purifier is null ? 0 : rows * purifier.RegressorCount];
        for (int e = 0; e < _c.Count; e++)
        {
            Compute(draft, order, e, x, r, withPurifier: true);
            acc.Add(x, [], rows);
        }
        acc.Flush();
        double[]? projection = null;
        double[] importances;
        if (keep is { } k) (projection, importances) = UncentredPca.Fit(acc.Moment, nx, k, _solver);
        else importances = UncentredPca.DiagonalImportances(acc.Moment);
        int width = importances.Length;
        if (width == 0 && !invariant) return null;
        return new FittedBlock(key, order, groups, nx, purifier, projection, width, importances);
    }

    /// <summary>
    /// Ridge regression (α = 1e-12 × mean diagonal) of the new block on the first Take features of every
    /// lower-order block with the same (λ, σ) (invariants: the lower orders' invariants plus an intercept).
    /// </summary>
    private Purifier? FitPurifier(int order, FittedBlock draft, bool invariant, double[] x)
    {
        if (_p.Purification is not { } settings) return null;
        var refs = new List<RegressorRef>();
        for (int o = 1; o < order; o++)
        {
            var om = _orders[o];
            if (invariant)
            {
                int take = Math.Min(settings.MaxTakeInvariant, om.Invariants.Width);
                if (take > 0) refs.Add(new RegressorRef(o, -1, take));
            }
            else
            {
                int index = Array.FindIndex(om.Covariant, b => b.Key == draft.Key);
                if (index < 0) continue;
                int take = Math.Min(settings.MaxTakeCovariant, om.Covariant[index].Width);
                if (take > 0) refs.Add(new RegressorRef(o, index, take));
            }
        }
        if (refs.Count == 0) return null;
        int nx = draft.ExpandedWidth, rows = draft.Components * Channels;
        var gather = new Purifier([.. refs], [], null);
        int nr = gather.RegressorCount, na = nr + (invariant ? 1 : 0);
        var r = new double[rows * nr];
        var augmented = new double[rows * na];
        var acc = new MomentAccumulator(_solver, nx, full: false, regressors: na);
        for (int e = 0; e < _c.Count; e++)
        {
            Compute(draft, order, e, x, r, withPurifier: false);
            NiceKernels.Regressors(gather, draft.Components, Channels, _envValues[e], _offsets, _orders, 0, r);
            for (int row = 0; row < rows; row++)
            {
                r.AsSpan(row * nr, nr).CopyTo(augmented.AsSpan(row * na));
                if (invariant) augmented[row * na + nr] = 1.0;
            }
            acc.Add(x, augmented, rows);
        }
        acc.Flush();
        var a = acc.RegressorMoment!;
        double trace = 0;
        for (int i = 0; i < na; i++) trace += a[i * na + i];
        if (!(trace > 0)) return null;
        double alpha = 1e-12 * trace / na;
        var lhs = (double[])a.Clone();
        for (int i = 0; i < na; i++) lhs[i * na + i] += alpha;
        var beta = (double[])acc.CrossMoment!.Clone();
        if (!_solver.TrySolveSpd(lhs, na, beta, nx))
        {
            var regularised = (double[])a.Clone();
            for (int i = 0; i < na; i++) regularised[i * na + i] += alpha;
            _solver.SolveLeastSquares(regularised, na, na, acc.CrossMoment, nx, beta, -1);
        }
        var coefficients = beta.AsSpan(0, nr * nx).ToArray();
        double[]? intercept = invariant ? beta.AsSpan(nr * nx, nx).ToArray() : null;
        return new Purifier([.. refs], coefficients, intercept);
    }
}
