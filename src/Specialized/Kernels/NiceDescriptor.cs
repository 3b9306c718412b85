using Specialized.Correlations.Nice;
using Specialized.Density;
using Specialized.Features;
using Specialized.Neighbors;
using Specialized.Numerics;
using Specialized.Radial;
using Specialized.Serialization;
using Specialized.Structures;

namespace Specialized.Kernels;

/// <summary>
/// Runs a fitted <see cref="NiceModel"/> (NICE or tensor-reduced) with a generated kernel <typeparamref name="TRep"/>:
/// the kernel supplies the ν=1 density and every Clebsch–Gordan coupling path as straight-line code; the model
/// supplies the run-time data (density maps or species embedding, the coupling groups' (p1, f2) pair lists,
/// purifiers and projections; layouts in NiceLayout.cs). Features are the model's invariants of every order
/// (<see cref="NiceModel.CreateCalculator"/>'s layout), with position, strain and cell gradients in the layout of
/// <see cref="FeatureResult"/> — the same numbers as <see cref="NiceModel.Transform"/>.
/// </summary>
/// <remarks>
/// Per centre: c and the per-pair density gradients (generated), the density maps D^(t)_l = c M^(t)_l, then for every
/// order ν = 2 … ν_max and every fitted (λ, σ) block: expansion through the generated coupling of each group
/// (dispatched by path id, resolved once at construction), purification and projection; forward-mode tangents
/// along every pair direction when gradients are requested. After the buffers have grown to the largest
/// neighbourhood seen, <see cref="Compute(Structure, Span{double}, Span{double}, Span{double}, Span{double})"/>
/// allocates nothing. One structure at a time (not thread-safe); create one per thread.
/// </remarks>
/// <typeparam name="TRep">The generated kernel (a NICE / tensor-reduced <see cref="RepresentationAttribute"/> spec).</typeparam>
public sealed class NiceDescriptor<TRep> where TRep : struct, INiceKernel<TRep>
{
    private readonly NiceModel _model;
    private readonly ExpansionLayout _layout;
    private readonly PairRadial _pairRadial;
    private readonly double[] _selfTerm;
    private readonly int _radialStride;
    private readonly NeighborList _neighbors = new();
    private readonly int[][][] _paths; // [order][storage block][group] → path id
    private readonly int[] _columns;   // first feature column of each order's invariants
    private readonly bool[][] _live;   // [order][storage block]: needed for the invariants (the features)
    private readonly bool[] _constantSeed; // [order]: Ȳ of the invariant block is w alone (no purifier takes it as a regressor)
    private readonly double[] _c = new double[TRep.CoefficientCount];
    private readonly double[][] _density;   // per factor position
    private readonly double[][] _values;    // per order (order 1 = density factor 0)
    private readonly double[] _x;
    private readonly double[] _r;
    private readonly double[][] _densityBatch; // values-only path: per factor, [centre][DensitySize]
    private readonly double[][] _valuesBatch;  // per order, [centre][Stride(order)]; order 1 = _densityBatch[0]
    private readonly double[] _xBatch;         // one block's expansion, [centre][rows][ExpandedWidth] (contiguous for the GEMM)
    private readonly double[] _rBatch;         // one block's regressors, [centre][rows][RegressorCount]
    private readonly int[] _active;            // inner indices of a product that are not zero in every row
    private readonly ulong[] _seen;
    private readonly double[] _xBlock;          // six rows of X, active columns gathered (NicePackedGemm)
    private readonly NicePackedMatrix?[][] _packedProjections; // [order][storage block]: V as panels (null: identity)
    private readonly int[] _all;               // 0, 1, 2, … (every inner index)
    private double[][] _densityTangent;
    private double[][] _tangents;
    private double[] _dx = [];
    private double[] _dr = [];
    private int _capacity; // gradient directions the tangent buffers hold
    private AdjointBuffers? _adjoint;
    private int[] _atomChannels = [];
    private int[] _channels = [];
    private double[] _radialValues = [];
    private double[] _radialDerivatives = [];
    private double[] _pairScratch = [];

    /// <summary>Creates the descriptor for <paramref name="model"/>, which must match the spec of <typeparamref name="TRep"/>.</summary>
    /// <exception cref="ModelMismatchException">the model's l_max, n_max, body order, λ_max, species rank or species differ from the spec.</exception>
    /// <exception cref="InvalidParameterException">the radial basis is ragged (not N functions in every channel).</exception>
    public NiceDescriptor(NiceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckModel(model);
        _model = model;
        _layout = model.Expansion.Layout;
        var parameters = model.Parameters.Density;
        var spec = TRep.Spec;
        string name = typeof(TRep).Name;

        var radial = RadialIntegrals.Create(parameters.Basis, parameters.RadialCount, parameters.LMax,
            parameters.Cutoff, parameters.DensityWidth, parameters.SplineAccuracy);
        for (int l = 0; l <= spec.LMax; l++)
            if (radial.Count(l) != spec.NMax || radial.Offset(l) != l * spec.NMax)
                throw new InvalidParameterException("basis",
                    $"{name}: generated kernels need {spec.NMax} radial functions in every angular channel, the {parameters.Basis} basis has {radial.Count(l)} for l = {l}");
        var weight = parameters.CreatePairWeight();
        _pairRadial = new PairRadial(radial, weight);
        _radialStride = (spec.LMax + 1) * spec.NMax;
        // The centre's own density, exactly as the generic SphericalExpansion: w_c F(0) Y_00 I_n0(0).
        var i0 = new double[radial.TotalCount];
        radial.Compute(0.0, i0, []);
        double f0 = weight.Value(0.0), y00 = 0.5 / Math.Sqrt(Math.PI);
        _selfTerm = new double[spec.NMax];
        for (int n = 0; n < spec.NMax; n++) _selfTerm[n] = parameters.CenterWeight * f0 * y00 * i0[radial.Offset(0) + n];

        int orders = model.BodyOrder;
        _paths = new int[orders + 1][][];
        for (int o = 2; o <= orders; o++)
        {
            var blocks = model.Orders[o].StorageBlocks;
            _paths[o] = new int[blocks.Length][];
            for (int s = 0; s < blocks.Length; s++)
            {
                var groups = blocks[s].Groups;
                _paths[o][s] = new int[groups.Length];
                for (int g = 0; g < groups.Length; g++)
                {
                    int id = TRep.PathId(groups[g].InputLambda, groups[g].L, groups[g].Lambda);
                    if (id < 0)
                        throw new ModelMismatchException(
                            $"{name} has no coupling path (k, l, λ) = ({groups[g].InputLambda}, {groups[g].L}, {groups[g].Lambda}) used by the model at body order {o} (λ_max = {TRep.MaxLambda})");
                    _paths[o][s][g] = id;
                }
            }
        }
        _live = LiveBlocks(model);
        _constantSeed = new bool[orders + 1];
        for (int o = 2; o <= orders; o++) _constantSeed[o] = true;
        for (int o = 2; o <= orders; o++)
            foreach (var blk in model.Orders[o].StorageBlocks)
                if (blk.Purifier is { } purifier)
                    foreach (var reg in purifier.Regressors)
                        if (reg.Block < 0) _constantSeed[reg.Order] = false;
        _columns = new int[orders + 1];
        for (int o = 2; o <= orders; o++) _columns[o] = _columns[o - 1] + model.InvariantCounts[o - 1];

        int factors = model.DensityModel.FactorCount;
        _density = new double[factors][];
        _densityTangent = new double[factors][];
        for (int t = 0; t < factors; t++)
        {
            _density[t] = new double[model.DensitySize];
            _densityTangent[t] = [];
        }
        _values = new double[orders + 1][];
        _tangents = new double[orders + 1][];
        for (int o = 1; o <= orders; o++)
        {
            _values[o] = o == 1 ? _density[0] : new double[model.OrderSizes[o]];
            _tangents[o] = [];
        }
        _x = new double[model.MaxExpandedSize];
        _r = new double[model.MaxRegressorSize];
        _densityBatch = new double[factors][];
        for (int t = 0; t < factors; t++) _densityBatch[t] = new double[BatchSize * model.DensitySize];
        _valuesBatch = new double[orders + 1][];
        for (int o = 1; o <= orders; o++) _valuesBatch[o] = o == 1 ? _densityBatch[0] : new double[BatchSize * model.OrderSizes[o]];
        _xBatch = new double[BatchSize * model.MaxExpandedSize];
        _rBatch = new double[BatchSize * model.MaxRegressorSize];
        int inner = Math.Max(model.MaxExpandedSize, model.MaxRegressorSize);
        _active = new int[inner];
        _seen = new ulong[inner];
        _xBlock = new double[NicePackedGemm.BlockBufferLength(inner)];
        _packedProjections = new NicePackedMatrix?[orders + 1][];
        for (int o = 2; o <= orders; o++)
        {
            var blocks = model.Orders[o].StorageBlocks;
            _packedProjections[o] = new NicePackedMatrix?[blocks.Length];
            for (int s = 0; s < blocks.Length; s++)
                if (blocks[s].Projection is { } v) _packedProjections[o][s] = new NicePackedMatrix(v, blocks[s].ExpandedWidth, blocks[s].Width);
        }
        _all = new int[inner];
        NiceGemm.All(_all, inner);
    }

    /// <summary>
    /// Centres per batch on the values-only path: every contraction then multiplies the stacked rows of all of them
    /// by V at once (<see cref="NicePackedGemm"/>), so each projection matrix is streamed from memory once per batch, not per centre.
    /// </summary>
    private const int BatchSize = 32;


    /// <summary>The fitted model.</summary>
    public NiceModel Model => _model;

    /// <summary>The spec of the generated kernel.</summary>
    public RepresentationSpec Spec => TRep.Spec;

    /// <summary>Number of features per atom (the model's invariants of every order).</summary>
    public int FeatureCount => _model.FeatureCount;

    /// <summary>Species channels (the model's).</summary>
    public SpeciesList Species => _model.Species;

    /// <summary>Computes the features (and requested gradients) of every atom; allocates the result.</summary>
    public FeatureResult Compute(Structure structure, GradientKinds gradients = GradientKinds.None)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var result = new FeatureResult(structure.AtomCount, FeatureCount, gradients);
        Compute(structure, result.Values, result.PositionGradients, result.StrainGradients, result.CellGradients);
        return result;
    }

    /// <summary>
    /// Computes into caller-provided arrays (layouts of <see cref="FeatureResult"/>; N atoms, F features):
    /// <paramref name="values"/> [N·F]; each gradient span is empty (not computed) or exactly
    /// [N·3·F] (positions, Σ_i ∂X_i/∂r_k) or [N·9·F] (strain, cell). No allocation once the buffers have grown.
    /// </summary>
    /// <exception cref="InvalidParameterException">a span has the wrong length.</exception>
    /// <exception cref="InvalidStructureException">an atom's species is not in the species list, or atoms coincide.</exception>
    public void Compute(Structure structure, Span<double> values, Span<double> positionGradients = default,
        Span<double> strainGradients = default, Span<double> cellGradients = default)
    {
        ArgumentNullException.ThrowIfNull(structure);
        int atoms = structure.AtomCount, f = FeatureCount;
        CheckLength(values, atoms * f, "values", allowEmpty: false);
        int maxPairs = Begin(structure, f, positionGradients, strainGradients, cellGradients);
        bool gradients = !positionGradients.IsEmpty || !strainGradients.IsEmpty || !cellGradients.IsEmpty;
        Ensure(maxPairs, gradients);
        if (gradients) _adjoint ??= new AdjointBuffers(_model);
        if (!gradients)
        {
            for (int begin = 0; begin < atoms; begin += BatchSize)
            {
                int count = Math.Min(BatchSize, atoms - begin);
                for (int b = 0; b < count; b++) BatchDensity(begin + b, b);
                RunBatch(count);
                for (int b = 0; b < count; b++) CopyInvariants(b, values.Slice((begin + b) * f, f));
            }
            return;
        }
        for (int i = 0; i < atoms; i++)
            ComputeCentre(i, gradients, values.Slice(i * f, f), positionGradients,
                strainGradients.IsEmpty ? [] : strainGradients.Slice(i * 9 * f, 9 * f),
                cellGradients.IsEmpty ? [] : cellGradients.Slice(i * 9 * f, 9 * f));
    }

    private void ComputeCentre(int i, bool gradients, Span<double> values, Span<double> positions, Span<double> strain, Span<double> cell)
    {
        var nl = _neighbors;
        int start = nl.Offsets[i], pairs = nl.Offsets[i + 1] - start, stride = _radialStride;
        var vectors = nl.Vectors.Slice(3 * start, 3 * pairs);
        var distances = nl.Distances.Slice(start, pairs);
        var neighbours = nl.Neighbors.Slice(start, pairs);
        var channels = _channels.AsSpan(0, pairs);
        var radial = _radialValues.AsSpan(0, pairs * stride);
        var dRadial = gradients ? _radialDerivatives.AsSpan(0, pairs * stride) : Span<double>.Empty;
        for (int q = 0; q < pairs; q++)
        {
            channels[q] = _atomChannels[neighbours[q]];
            _pairRadial.Evaluate(distances[q], radial.Slice(q * stride, stride), gradients ? dRadial.Slice(q * stride, stride) : []);
        }
        var input = new CentreInput(vectors, channels, radial, dRadial, _atomChannels[i], _selfTerm);
        int dirs = gradients ? 3 * pairs : 0;
        TRep.ComputeDensity(in input, _c, _pairScratch, dirs > 0);
        Run(dirs, channels);

        int f = FeatureCount;
        for (int o = 1; o <= _model.BodyOrder; o++)
        {
            int size = _model.InvariantCounts[o], column = _columns[o];
            int offset = _model.OrderOffsets[o][_model.Orders[o].StorageIndex(-1)];
            _values[o].AsSpan(offset, size).CopyTo(values.Slice(column, size));
            if (dirs == 0) continue;
            // G_q[d][column + v] = ∂X_i/∂(v_q)_d, assembled as in FeatureComputer (MATH §3.4).
            var tangent = _tangents[o].AsSpan(offset * dirs, size * dirs);
            var shifts = nl.Shifts.Slice(3 * start, 3 * pairs);
            for (int v = 0; v < size; v++)
            {
                var g = tangent.Slice(v * dirs, dirs);
                int col = column + v;
                for (int q = 0; q < pairs; q++)
                {
                    int j = neighbours[q];
                    for (int d = 0; d < 3; d++)
                    {
                        double gd = g[3 * q + d];
                        if (!positions.IsEmpty)
                        {
                            positions[(j * 3 + d) * f + col] += gd;
                            positions[(i * 3 + d) * f + col] -= gd;
                        }
                        if (!strain.IsEmpty)
                            for (int alpha = 0; alpha < 3; alpha++) strain[(alpha * 3 + d) * f + col] += vectors[3 * q + alpha] * gd;
                        if (!cell.IsEmpty)
                            for (int k = 0; k < 3; k++) cell[(k * 3 + d) * f + col] += shifts[3 * q + k] * gd;
                    }
                }
            }
        }
    }

    /// <summary>
    /// A linear model on the features, E_i = Σ_f w_f X_if, for every atom, with the gradients of Σ_i E_i by reverse
    /// mode (the generic <see cref="NiceModel.CreateLinearCalculator"/>'s numbers): after the batched forward pass the
    /// adjoints flow down every order — X̄ = Ȳ Vᵀ and R̄ = −X̄ βᵀ as batched products, the CG products through the
    /// generated adjoint paths — to c̄, and ∂E_i/∂v_q = Σ c̄ ∂c/∂v_q. Costs a few times the values, whatever the number
    /// of neighbours. Layouts as <see cref="FeatureResult"/> with one feature: <paramref name="energies"/> [N],
    /// <paramref name="positionGradients"/> [N·3] = ∂(Σ_i E_i)/∂r_k (forces are their negatives),
    /// <paramref name="strainGradients"/> and <paramref name="cellGradients"/> [N·9] per atom; empty spans are skipped.
    /// </summary>
    /// <exception cref="InvalidParameterException">the weights are not one per feature, or a span has the wrong length.</exception>
    public void ComputeLinear(Structure structure, ReadOnlySpan<double> weights, Span<double> energies, Span<double> positionGradients = default,
        Span<double> strainGradients = default, Span<double> cellGradients = default)
    {
        ArgumentNullException.ThrowIfNull(structure);
        int atoms = structure.AtomCount;
        if (weights.Length != FeatureCount) throw new InvalidParameterException("weights", $"need one weight per feature ({FeatureCount}), got {weights.Length}");
        CheckLength(energies, atoms, "energies", allowEmpty: false);
        int maxPairs = Begin(structure, 1, positionGradients, strainGradients, cellGradients);
        bool gradients = !positionGradients.IsEmpty || !strainGradients.IsEmpty || !cellGradients.IsEmpty;
        Ensure(maxPairs, gradients, tangents: false);
        if (gradients)
        {
            _adjoint ??= new AdjointBuffers(_model);
            ConstantAdjoints(weights);
        }

        for (int begin = 0; begin < atoms; begin += BatchSize)
        {
            int count = Math.Min(BatchSize, atoms - begin);
            for (int b = 0; b < count; b++) BatchDensity(begin + b, b);
            RunBatch(count);
            for (int b = 0; b < count; b++) energies[begin + b] = LinearValue(b, weights);
            if (!gradients) continue;
            Backward(count, weights);
            for (int b = 0; b < count; b++) PairAdjoint(begin + b, b, positionGradients, strainGradients, cellGradients);
        }
    }

    /// <summary>
    /// For an invariant block whose Ȳ is the weights alone (<see cref="_constantSeed"/>), X̄[c][x] = Σ_p V[x][p] w[c·W + p]
    /// is the same for every centre: computed once per call instead of once per centre.
    /// </summary>
    private void ConstantAdjoints(ReadOnlySpan<double> weights)
    {
        var model = _model;
        var a = _adjoint!;
        int channels = model.Channels;
        for (int o = 2; o <= model.BodyOrder; o++)
        {
            if (!_constantSeed[o]) continue;
            var block = model.Orders[o].Invariants;
            int width = block.Width, nx = block.ExpandedWidth;
            var xbar = a.InvariantXBar[o];
            for (int c = 0; c < channels; c++)
            {
                var w = weights.Slice(_columns[o] + c * width, width);
                if (block.Projection is not { } v)
                {
                    w.CopyTo(xbar.AsSpan(c * nx, nx));
                    continue;
                }
                for (int x = 0; x < nx; x++) xbar[c * nx + x] = VectorMath.Dot(v.AsSpan(x * width, width), w);
            }
        }
    }

    /// <summary>Σ_f w_f X_f of batch centre <paramref name="b"/>.</summary>
    private double LinearValue(int b, ReadOnlySpan<double> weights)
    {
        var model = _model;
        double sum = 0;
        for (int o = 1; o <= model.BodyOrder; o++)
        {
            int size = model.InvariantCounts[o];
            int offset = model.OrderOffsets[o][model.Orders[o].StorageIndex(-1)];
            sum += VectorMath.Dot(weights.Slice(_columns[o], size), _valuesBatch[o].AsSpan(b * Stride(o) + offset, size));
        }
        return sum;
    }

    /// <summary>Reverse sweep for the batch: seeds Ȳ = w on the invariants, then every order from ν_max down to the density adjoints.</summary>
    private void Backward(int count, ReadOnlySpan<double> weights)
    {
        var model = _model;
        var a = _adjoint!;
        for (int o = 1; o <= model.BodyOrder; o++) a.Orders[o].AsSpan(0, count * Stride(o)).Clear();
        for (int t = 1; t < a.Density.Length; t++) a.Density[t].AsSpan(0, count * model.DensitySize).Clear();
        for (int o = 1; o <= model.BodyOrder; o++)
        {
            int size = model.InvariantCounts[o];
            int offset = model.OrderOffsets[o][model.Orders[o].StorageIndex(-1)];
            for (int b = 0; b < count; b++) KernelMath.Axpy(1.0, weights.Slice(_columns[o], size), a.Orders[o].AsSpan(b * Stride(o) + offset, size));
        }
        for (int order = model.BodyOrder; order >= 2; order--)
        {
            var blocks = model.Orders[order].StorageBlocks;
            for (int s = 0; s < blocks.Length; s++)
                if (_live[order][s]) BackwardBlock(blocks[s], order, s, count);
        }
    }

    /// <summary>Adjoint of <see cref="BatchBlock"/>: X̄ = Ȳ Vᵀ, R̄ = −X̄ βᵀ into the regressors, then the generated CG adjoints.</summary>
    private void BackwardBlock(FittedBlock block, int order, int storageIndex, int count)
    {
        var model = _model;
        var a = _adjoint!;
        int channels = model.Channels, width = block.Width;
        int nx = block.ExpandedWidth, rows = block.Components * channels, xStride = channels * nx, xs = rows * nx, ys = rows * width;
        int m = count * rows, stride = Stride(order), offset = model.OrderOffsets[order][storageIndex];
        if (_constantSeed[order] && storageIndex == model.Orders[order].StorageIndex(-1))
        {
            for (int b = 0; b < count; b++) a.InvariantXBar[order].AsSpan(0, xs).CopyTo(_xBatch.AsSpan(b * xs, xs));
        }
        else
        {
            var ybar = a.Y.AsSpan(0, m * width);
            for (int b = 0; b < count; b++) a.Orders[order].AsSpan(b * stride + offset, ys).CopyTo(ybar.Slice(b * ys, ys));
            if (ybar.IndexOfAnyExcept(0.0) < 0) return;
            if (a.ProjectionT[order][storageIndex] is { } vt) NiceGemm.Multiply(ybar, m, width, vt, nx, _xBatch, m, 0, 1.0, accumulate: false, _all.AsSpan(0, width));
            else ybar.CopyTo(_xBatch);
        }

        if (block.Purifier is { } purifier)
        {
            int nr = purifier.RegressorCount;
            NiceGemm.Multiply(_xBatch, m, nx, a.PurifierT[order][storageIndex]!, nr, _rBatch, m, 0, -1.0, accumulate: false, _all.AsSpan(0, nx));
            for (int b = 0; b < count; b++)
            {
                int col = 0;
                foreach (var reg in purifier.Regressors)
                {
                    var om = model.Orders[reg.Order];
                    int s = om.StorageIndex(reg.Block);
                    int regWidth = (reg.Block >= 0 ? om.Covariant[reg.Block] : om.Invariants).Width;
                    var dst = a.Orders[reg.Order].AsSpan(b * Stride(reg.Order) + model.OrderOffsets[reg.Order][s]);
                    for (int row = 0; row < rows; row++)
                        KernelMath.Axpy(1.0, _rBatch.AsSpan((b * rows + row) * nr + col, reg.Take), dst.Slice(row * regWidth, reg.Take));
                    col += reg.Take;
                }
            }
        }

        int t = model.FactorIndex(order);
        var previous = model.Orders[order - 1].Covariant;
        var previousOffsets = model.OrderOffsets[order - 1];
        var features = model.DensityModel.Features;
        var densityOffsets = model.DensityOffsets;
        int inputStride = Stride(order - 1), densitySize = model.DensitySize;
        var paths = _paths[order][storageIndex];
        var groups = block.Groups;
        var input = _valuesBatch[order - 1];
        var inputBar = a.Orders[order - 1];
        var density = _densityBatch[t];
        var densityBar = a.Density[t];
        for (int b = 0; b < count; b++)
        {
            int inputBase = b * inputStride, densityBase = b * densitySize, xBase = b * xs;
            for (int gi = 0; gi < groups.Length; gi++)
            {
                var g = groups[gi];
                int pb = previous[g.InputBlock].Width, offT = inputBase + previousOffsets[g.InputBlock], fl = features[g.L], offD = densityBase + densityOffsets[g.L];
                for (int c = 0; c < channels; c++)
                    TRep.CoupleAdjoint(paths[gi], _xBatch.AsSpan(xBase + c * nx + g.Offset), xStride,
                        input.AsSpan(offT + c * pb), inputBar.AsSpan(offT + c * pb), channels * pb,
                        density.AsSpan(offD + c * fl), densityBar.AsSpan(offD + c * fl), channels * fl, g.P1, g.F2);
            }
        }
    }

    /// <summary>
    /// c̄ = Σ_t D̄^(t) M^(t)ᵀ of batch centre <paramref name="b"/> (atom <paramref name="i"/>), then G_q[d] = Σ_{l m n} c̄[l m b_q n] ∂c/∂(v_q)_d
    /// from the recomputed per-pair density gradients, assembled into position, strain and cell gradients (MATH §3.4).
    /// </summary>
    private void PairAdjoint(int i, int b, Span<double> positions, Span<double> strain, Span<double> cell)
    {
        var model = _model;
        var a = _adjoint!;
        var dm = model.DensityModel;
        int densitySize = model.DensitySize;
        var cbar = a.CoefficientBar;
        Array.Clear(cbar);
        for (int t = 0; t < dm.FactorCount; t++)
            NiceKernels.DensityAdjoint(a.Density[t].AsSpan(b * densitySize, densitySize), _layout, dm.Maps[t], dm.Channels, dm.Features,
                model.DensityOffsets, dm.IdentityScale, cbar);

        var nl = _neighbors;
        int start = nl.Offsets[i], pairs = nl.Offsets[i + 1] - start, stride = _radialStride;
        if (pairs == 0) return;
        var vectors = nl.Vectors.Slice(3 * start, 3 * pairs);
        var distances = nl.Distances.Slice(start, pairs);
        var neighbours = nl.Neighbors.Slice(start, pairs);
        var shifts = nl.Shifts.Slice(3 * start, 3 * pairs);
        var channels = _channels.AsSpan(0, pairs);
        var radial = _radialValues.AsSpan(0, pairs * stride);
        var dRadial = _radialDerivatives.AsSpan(0, pairs * stride);
        for (int q = 0; q < pairs; q++)
        {
            channels[q] = _atomChannels[neighbours[q]];
            _pairRadial.Evaluate(distances[q], radial.Slice(q * stride, stride), dRadial.Slice(q * stride, stride));
        }
        var input = new CentreInput(vectors, channels, radial, dRadial, _atomChannels[i], _selfTerm);
        TRep.ComputeDensity(in input, _c, _pairScratch, true);

        int ps = _layout.PairSize;
        for (int q = 0; q < pairs; q++)
        {
            var g = TRep.PairDensityGradient(_pairScratch, q);
            int channel = channels[q], j = neighbours[q];
            for (int d = 0; d < 3; d++)
            {
                var gd = g.Slice(d * ps, ps);
                double sum = 0;
                for (int l = 0; l <= _layout.LMax; l++)
                {
                    int nlr = _layout.RadialCount(l);
                    for (int m = -l; m <= l; m++)
                        sum += VectorMath.Dot(cbar.AsSpan(_layout.Index(l, m, channel, 0), nlr), gd.Slice(_layout.PairIndex(l, m, 0), nlr));
                }
                if (!positions.IsEmpty)
                {
                    positions[j * 3 + d] += sum;
                    positions[i * 3 + d] -= sum;
                }
                if (!strain.IsEmpty)
                    for (int alpha = 0; alpha < 3; alpha++) strain[i * 9 + alpha * 3 + d] += vectors[3 * q + alpha] * sum;
                if (!cell.IsEmpty)
                    for (int k = 0; k < 3; k++) cell[i * 9 + k * 3 + d] += shifts[3 * q + k] * sum;
            }
        }
    }

    /// <summary>Buffers of the reverse sweep and the transposed Vᵀ, βᵀ (allocated on the first call with gradients).</summary>
    private sealed class AdjointBuffers
    {
        public AdjointBuffers(NiceModel model)
        {
            int factors = model.DensityModel.FactorCount;
            Density = new double[factors][];
            for (int t = 0; t < factors; t++) Density[t] = new double[BatchSize * model.DensitySize];
            Orders = new double[model.BodyOrder + 1][];
            Orders[1] = Density[0];
            for (int o = 2; o <= model.BodyOrder; o++) Orders[o] = new double[BatchSize * model.OrderSizes[o]];
            ProjectionT = new double[]?[model.BodyOrder + 1][];
            PurifierT = new double[]?[model.BodyOrder + 1][];
            int maxY = 0;
            for (int o = 2; o <= model.BodyOrder; o++)
            {
                var blocks = model.Orders[o].StorageBlocks;
                ProjectionT[o] = new double[]?[blocks.Length];
                PurifierT[o] = new double[]?[blocks.Length];
                for (int s = 0; s < blocks.Length; s++)
                {
                    var blk = blocks[s];
                    maxY = Math.Max(maxY, blk.Components * model.Channels * blk.Width);
                    if (blk.Projection is { } v) ProjectionT[o][s] = Transpose(v, blk.ExpandedWidth, blk.Width);
                    if (blk.Purifier is { } p) PurifierT[o][s] = Transpose(p.Coefficients, p.RegressorCount, blk.ExpandedWidth);
                }
            }
            Y = new double[BatchSize * maxY];
            InvariantXBar = new double[model.BodyOrder + 1][];
            for (int o = 2; o <= model.BodyOrder; o++) InvariantXBar[o] = new double[model.Channels * model.Orders[o].Invariants.ExpandedWidth];
            CoefficientBar = new double[model.Expansion.Layout.Size];
        }

        /// <summary>D̄ per factor position, [centre][DensitySize].</summary>
        public double[][] Density { get; }
        /// <summary>Ȳ per order, [centre][Stride(order)]; order 1 is the factor-1 density adjoint.</summary>
        public double[][] Orders { get; }
        /// <summary>Vᵀ (Width × ExpandedWidth) per block, null for the identity.</summary>
        public double[]?[][] ProjectionT { get; }
        /// <summary>βᵀ (ExpandedWidth × RegressorCount) per purified block.</summary>
        public double[]?[][] PurifierT { get; }
        /// <summary>One block's Ȳ gathered contiguously, [centre][rows][Width].</summary>
        public double[] Y { get; }
        /// <summary>Per order, X̄ [c][x] of the invariant block when its Ȳ is the weights alone (the same for every centre).</summary>
        public double[][] InvariantXBar { get; }
        /// <summary>c̄ of one centre.</summary>
        public double[] CoefficientBar { get; }

        private static double[] Transpose(double[] a, int rows, int cols)
        {
            var t = new double[a.Length];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
            return t;
        }
    }

    /// <summary>
    /// The blocks the features depend on: every order's invariant block, and, from the highest order down, the
    /// input blocks of the coupling groups and the purification regressors of every block already marked. The others
    /// (e.g. the pseudotensor blocks of order ν_max − 1 when the last step is invariants-only, or the covariant blocks
    /// of the last order) only serve <see cref="NiceModel.CreateEquivariantCalculator"/> and are not computed here.
    /// </summary>
    private static bool[][] LiveBlocks(NiceModel model)
    {
        var live = new bool[model.BodyOrder + 1][];
        for (int o = 1; o <= model.BodyOrder; o++)
        {
            live[o] = new bool[model.Orders[o].StorageBlocks.Length];
            live[o][model.Orders[o].StorageIndex(-1)] = true;
        }
        for (int o = model.BodyOrder; o >= 2; o--)
        {
            var blocks = model.Orders[o].StorageBlocks;
            for (int s = 0; s < blocks.Length; s++)
            {
                if (!live[o][s]) continue;
                foreach (var g in blocks[s].Groups) live[o - 1][g.InputBlock] = true;
                if (blocks[s].Purifier is { } p)
                    foreach (var reg in p.Regressors) live[reg.Order][model.Orders[reg.Order].StorageIndex(reg.Block)] = true;
            }
        }
        return live;
    }

    /// <summary>Per-centre stride of order <paramref name="order"/> in the batch arrays (order 1 is the whole density).</summary>
    private int Stride(int order) => order == 1 ? _model.DensitySize : _model.OrderSizes[order];

    /// <summary>c of centre <paramref name="i"/> (values only) and its density maps into batch slot <paramref name="b"/>.</summary>
    private void BatchDensity(int i, int b)
    {
        var nl = _neighbors;
        int start = nl.Offsets[i], pairs = nl.Offsets[i + 1] - start, stride = _radialStride;
        var distances = nl.Distances.Slice(start, pairs);
        var neighbours = nl.Neighbors.Slice(start, pairs);
        var channels = _channels.AsSpan(0, pairs);
        var radial = _radialValues.AsSpan(0, pairs * stride);
        for (int q = 0; q < pairs; q++)
        {
            channels[q] = _atomChannels[neighbours[q]];
            _pairRadial.Evaluate(distances[q], radial.Slice(q * stride, stride), []);
        }
        var input = new CentreInput(nl.Vectors.Slice(3 * start, 3 * pairs), channels, radial, [], _atomChannels[i], _selfTerm);
        TRep.ComputeDensity(in input, _c, [], false);
        var dm = _model.DensityModel;
        int size = _model.DensitySize;
        for (int t = 0; t < dm.FactorCount; t++)
            NiceKernels.Density(_c, _layout, dm.Maps[t], dm.Channels, dm.Features, _model.DensityOffsets, dm.IdentityScale, _densityBatch[t].AsSpan(b * size, size));
    }

    /// <summary>Every block of every order for the <paramref name="count"/> centres of the batch.</summary>
    private void RunBatch(int count)
    {
        var model = _model;
        for (int order = 2; order <= model.BodyOrder; order++)
        {
            var blocks = model.Orders[order].StorageBlocks;
            for (int s = 0; s < blocks.Length; s++)
                if (_live[order][s]) BatchBlock(blocks[s], order, s, count);
        }
    }

    /// <summary>
    /// One block for the whole batch: expansion per centre (generated couplings), then purification
    /// X −= R β (+ β₀) and contraction Y = X V as products of the stacked (centre, μ, c) rows.
    /// </summary>
    private void BatchBlock(FittedBlock block, int order, int storageIndex, int count)
    {
        var model = _model;
        int channels = model.Channels;
        int t = model.FactorIndex(order);
        var previous = model.Orders[order - 1].Covariant;
        var previousOffsets = model.OrderOffsets[order - 1];
        var features = model.DensityModel.Features;
        var densityOffsets = model.DensityOffsets;
        int nx = block.ExpandedWidth, rows = block.Components * channels, xStride = channels * nx, xs = rows * nx;
        int inputStride = Stride(order - 1), densitySize = model.DensitySize;
        var paths = _paths[order][storageIndex];
        var groups = block.Groups;
        var input = _valuesBatch[order - 1];
        var density = _densityBatch[t];

        // Group outer, centre inner: each coupling path's code runs for every centre of the batch in turn (the
        // generated paths together are far larger than the instruction cache).
        for (int gi = 0; gi < groups.Length; gi++)
        {
            var g = groups[gi];
            int path = paths[gi], pb = previous[g.InputBlock].Width, fl = features[g.L];
            int offT = previousOffsets[g.InputBlock], offD = densityOffsets[g.L], offX = g.Offset;
            for (int b = 0; b < count; b++, offT += inputStride, offD += densitySize, offX += xs)
                for (int c = 0; c < channels; c++)
                    TRep.Couple(path, input.AsSpan(offT + c * pb), channels * pb, density.AsSpan(offD + c * fl), channels * fl,
                        g.P1, g.F2, _xBatch.AsSpan(offX + c * nx), xStride);
        }
        int m = count * rows;
        if (block.Purifier is { } purifier)
        {
            int nr = purifier.RegressorCount;
            for (int b = 0; b < count; b++) GatherRegressors(purifier, rows, b, _rBatch.AsSpan(b * rows * nr, rows * nr));
            NiceGemm.Multiply(_rBatch, m, nr, purifier.Coefficients, nx, _xBatch, m, 0, -1.0, accumulate: true, _all.AsSpan(0, nr));
            if (purifier.Intercept is { } b0)
                for (int row = 0; row < m; row++) KernelMath.Axpy(-1.0, b0, _xBatch.AsSpan(row * nx, nx));
        }
        int outputStride = Stride(order), offset = model.OrderOffsets[order][storageIndex];
        if (block.Projection is null)
        {
            for (int b = 0; b < count; b++) _xBatch.AsSpan(b * xs, xs).CopyTo(_valuesBatch[order].AsSpan(b * outputStride + offset, xs));
            return;
        }
        int active = NiceGemm.ActiveColumns(_xBatch, m, nx, _seen, _active);
        NicePackedGemm.Multiply(_xBatch, m, nx, _packedProjections[order][storageIndex]!, _valuesBatch[order].AsSpan(offset), rows, outputStride, _active.AsSpan(0, active), _xBlock);
    }

    /// <summary>R[μ][c][r] of batch centre <paramref name="b"/>: the first Take features of each regressor block (NiceKernels.Regressors).</summary>
    private void GatherRegressors(Purifier purifier, int rows, int b, Span<double> r)
    {
        var model = _model;
        int nr = purifier.RegressorCount, col = 0;
        foreach (var reg in purifier.Regressors)
        {
            var om = model.Orders[reg.Order];
            int s = om.StorageIndex(reg.Block);
            int width = (reg.Block >= 0 ? om.Covariant[reg.Block] : om.Invariants).Width;
            var src = _valuesBatch[reg.Order].AsSpan(b * Stride(reg.Order) + model.OrderOffsets[reg.Order][s]);
            for (int row = 0; row < rows; row++) src.Slice(row * width, reg.Take).CopyTo(r.Slice(row * nr + col, reg.Take));
            col += reg.Take;
        }
    }

    /// <summary>The invariants of every order of batch centre <paramref name="b"/> into its feature row.</summary>
    private void CopyInvariants(int b, Span<double> values)
    {
        var model = _model;
        for (int o = 1; o <= model.BodyOrder; o++)
        {
            int size = model.InvariantCounts[o];
            int offset = model.OrderOffsets[o][model.Orders[o].StorageIndex(-1)];
            _valuesBatch[o].AsSpan(b * Stride(o) + offset, size).CopyTo(values.Slice(_columns[o], size));
        }
    }

    /// <summary>Density maps (and tangents), then every block of every order (NiceLayout.cs).</summary>
    private void Run(int dirs, ReadOnlySpan<int> pairChannels)
    {
        var model = _model;
        var dm = model.DensityModel;
        for (int t = 0; t < dm.FactorCount; t++)
        {
            NiceKernels.Density(_c, _layout, dm.Maps[t], dm.Channels, dm.Features, model.DensityOffsets, dm.IdentityScale, _density[t]);
            if (dirs > 0) DensityTangent(dm.Maps[t], pairChannels, _densityTangent[t]);
        }
        for (int order = 2; order <= model.BodyOrder; order++)
        {
            var blocks = model.Orders[order].StorageBlocks;
            for (int s = 0; s < blocks.Length; s++)
                if (_live[order][s]) ComputeBlock(blocks[s], order, s, dirs);
        }
    }

    /// <summary>dD_l[m][w][dir] = Σ_n g_q[d][l m n] M_l[b_q·N + n][w] (dir = 3q + d), from the generated per-pair gradients.</summary>
    private void DensityTangent(double[][] maps, ReadOnlySpan<int> pairChannels, Span<double> tangent)
    {
        var dm = _model.DensityModel;
        int pairs = pairChannels.Length, dirs = 3 * pairs, channels = dm.Channels;
        var offsets = _model.DensityOffsets;
        tangent[..(dirs * _model.DensitySize)].Clear();
        for (int l = 0; l < dm.Features.Length; l++)
        {
            int nl = _layout.RadialCount(l), w = channels * dm.Features[l];
            var map = maps[l];
            double scale = dm.IdentityScale[l];
            for (int p = 0; p < pairs; p++)
                NiceKernels.AddPairDensityTangent(TRep.PairDensityGradient(_pairScratch, p), _layout, l, pairChannels[p] * nl, map, w,
                    offsets[l], scale, p, dirs, tangent);
        }
    }

    /// <summary>Expansion (generated couplings) → purification → projection of one block, and the same for its tangents.</summary>
    private void ComputeBlock(FittedBlock block, int order, int storageIndex, int dirs)
    {
        var model = _model;
        int channels = model.Channels;
        int t = model.FactorIndex(order);
        var previous = model.Orders[order - 1].Covariant;
        var previousOffsets = model.OrderOffsets[order - 1];
        var features = model.DensityModel.Features;
        var densityOffsets = model.DensityOffsets;
        int nx = block.ExpandedWidth, rows = block.Components * channels, xStride = channels * nx;
        int offset = model.OrderOffsets[order][storageIndex], size = rows * block.Width;
        var paths = _paths[order][storageIndex];
        var groups = block.Groups;
        var input = _values[order - 1];
        var density = _density[t];

        // X[μ][c][Offset + i] for every group; the groups tile the expanded columns, so X needs no clearing.
        for (int gi = 0; gi < groups.Length; gi++)
        {
            var g = groups[gi];
            int pb = previous[g.InputBlock].Width, offT = previousOffsets[g.InputBlock], fl = features[g.L], offD = densityOffsets[g.L];
            for (int c = 0; c < channels; c++)
                TRep.Couple(paths[gi], input.AsSpan(offT + c * pb), channels * pb, density.AsSpan(offD + c * fl), channels * fl,
                    g.P1, g.F2, _x.AsSpan(c * nx + g.Offset), xStride);
        }
        if (block.Purifier is { } purifier)
        {
            NiceKernels.Regressors(purifier, block.Components, channels, _values, model.OrderOffsets, model.Orders, 0, _r);
            NiceKernels.Purify(purifier, rows, nx, _r, _x, intercept: true);
        }
        NiceKernels.Project(_x, rows, nx, block.Projection, block.Width, _values[order].AsSpan(offset, size));
        if (dirs == 0) return;

        var inputTangent = _tangents[order - 1];
        var densityTangent = _densityTangent[t];
        for (int gi = 0; gi < groups.Length; gi++)
        {
            var g = groups[gi];
            int pb = previous[g.InputBlock].Width, offT = previousOffsets[g.InputBlock], fl = features[g.L], offD = densityOffsets[g.L];
            for (int c = 0; c < channels; c++)
                TRep.CoupleTangent(paths[gi], dirs, input.AsSpan(offT + c * pb), inputTangent.AsSpan((offT + c * pb) * dirs), channels * pb,
                    density.AsSpan(offD + c * fl), densityTangent.AsSpan((offD + c * fl) * dirs), channels * fl,
                    g.P1, g.F2, _dx.AsSpan((c * nx + g.Offset) * dirs), xStride);
        }
        // Per row (μ, c) the tangents are matrices over (feature, direction): dX_row −= βᵀ dR_row, dY_row = Vᵀ dX_row.
        var transposed = _adjoint!;
        var all = _all.AsSpan(0, nx);
        if (block.Purifier is { } p)
        {
            int nr = p.RegressorCount;
            NiceKernels.Regressors(p, block.Components, channels, _tangents, model.OrderOffsets, model.Orders, dirs, _dr);
            var betaT = transposed.PurifierT[order][storageIndex]!;
            for (int row = 0; row < rows; row++)
                NiceGemm.Multiply(betaT, nx, nr, _dr.AsSpan(row * nr * dirs, nr * dirs), dirs, _dx.AsSpan(row * nx * dirs, nx * dirs), nx, 0, -1.0, accumulate: true, _all.AsSpan(0, nr));
        }
        int width = block.Width;
        var output = _tangents[order].AsSpan(dirs * offset, dirs * size);
        if (transposed.ProjectionT[order][storageIndex] is not { } vt)
        {
            _dx.AsSpan(0, dirs * size).CopyTo(output);
            return;
        }
        for (int row = 0; row < rows; row++)
            NiceGemm.Multiply(vt, width, nx, _dx.AsSpan(row * nx * dirs, nx * dirs), dirs, output.Slice(row * width * dirs, width * dirs), width, 0, 1.0, accumulate: false, all);
    }

    /// <summary>Grows the per-centre buffers to <paramref name="maxPairs"/> neighbours.</summary>
    private void Ensure(int maxPairs, bool gradients, bool tangents = true)
    {
        if (_channels.Length < maxPairs) _channels = new int[maxPairs];
        if (_radialValues.Length < maxPairs * _radialStride) _radialValues = new double[maxPairs * _radialStride];
        if (!gradients) return;
        if (_radialDerivatives.Length < maxPairs * _radialStride) _radialDerivatives = new double[maxPairs * _radialStride];
        int scratch = (maxPairs + 3) / 4 * 4 * TRep.PairScratchCount; // the kernels use pair scratch in blocks of 4 pairs (SIMD lanes)
        if (_pairScratch.Length < scratch) _pairScratch = new double[scratch];
        if (!tangents) return;
        int dirs = 3 * maxPairs;
        if (dirs <= _capacity) return;
        var model = _model;
        for (int t = 0; t < _densityTangent.Length; t++) _densityTangent[t] = new double[dirs * model.DensitySize];
        _tangents[1] = _densityTangent[0];
        for (int o = 2; o <= model.BodyOrder; o++) _tangents[o] = new double[dirs * model.OrderSizes[o]];
        _dx = new double[dirs * model.MaxExpandedSize];
        _dr = new double[dirs * model.MaxRegressorSize];
        _capacity = dirs;
    }

    /// <summary>
    /// Null when <paramref name="model"/> can run with <typeparamref name="TRep"/>, else the first field in which it
    /// differs from the spec (l_max, n_max, body order ν, λ_max, species rank K, species): for callers that pick a
    /// generated kernel when one matches and fall back to the generic path otherwise.
    /// </summary>
    public static string? Mismatch(NiceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var spec = TRep.Spec;
        var p = model.Parameters;
        string Differs(string field, object expected, object actual) =>
            $"{typeof(TRep).Name} was generated for {field} = {expected}, but the NICE model has {field} = {actual}";

        if (p.Density.LMax != spec.LMax) return Differs("l_max", spec.LMax, p.Density.LMax);
        if (p.Density.RadialCount != spec.NMax) return Differs("n_max", spec.NMax, p.Density.RadialCount);
        if (model.BodyOrder != spec.BodyOrder) return Differs("body order ν", spec.BodyOrder, model.BodyOrder);
        if (p.LambdaCap != TRep.MaxLambda) return Differs("λ_max", TRep.MaxLambda, p.LambdaCap);
        int rank = p.SpeciesMode == NiceSpeciesMode.TensorReduced ? p.SpeciesRank : 0;
        if (rank != spec.SpeciesRank) return Differs("species rank K", spec.SpeciesRank, rank);
        if (spec.AtomicNumbers.Length > 0)
        {
            var fixedList = new SpeciesList(spec.AtomicNumbers.ToArray());
            if (!fixedList.AtomicNumbers.SequenceEqual(model.Species.AtomicNumbers)) return Differs("species", fixedList, model.Species);
        }
        else if (model.Species.Count != spec.SpeciesCount) return Differs("species count", spec.SpeciesCount, model.Species.Count);
        return null;
    }

    /// <summary>Throws <see cref="ModelMismatchException"/> naming the first field in which the model differs from the spec.</summary>
    private static void CheckModel(NiceModel model)
    {
        if (Mismatch(model) is { } message) throw new ModelMismatchException(message);
    }

    /// <summary>
    /// Start of <see cref="Compute(Structure, Span{double}, Span{double}, Span{double}, Span{double})"/> and <see cref="ComputeLinear"/>:
    /// checks the gradient spans (<paramref name="width"/> numbers per atom row and direction), assigns species channels,
    /// updates the neighbour list and clears the gradients. Returns the largest number of pairs of a centre.
    /// </summary>
    private int Begin(Structure structure, int width, Span<double> positionGradients, Span<double> strainGradients, Span<double> cellGradients)
    {
        int atoms = structure.AtomCount;
        CheckLength(positionGradients, atoms * 3 * width, "position-gradients", allowEmpty: true);
        CheckLength(strainGradients, atoms * 9 * width, "strain-gradients", allowEmpty: true);
        CheckLength(cellGradients, atoms * 9 * width, "cell-gradients", allowEmpty: true);
        Species.AssignChannels(structure, ref _atomChannels);
        _neighbors.Update(structure, _model.Parameters.Density.Cutoff);
        positionGradients.Clear();
        strainGradients.Clear();
        cellGradients.Clear();
        return _neighbors.MaxPairCount();
    }

    private static void CheckLength(Span<double> span, int expected, string what, bool allowEmpty)
    {
        if (allowEmpty && span.IsEmpty) return;
        if (span.Length != expected)
            throw new InvalidParameterException(what, $"needs {expected} elements for this structure, got {span.Length}");
    }
}
