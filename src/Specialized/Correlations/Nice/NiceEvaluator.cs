using Specialized.Density;
using Specialized.Features;

namespace Specialized.Correlations.Nice;

/// <summary>
/// Replays a fitted <see cref="NiceModel"/> on one centre at a time: ν=1 expansion, density maps, then
/// for every order ν = 2 … ν_max and every block expansion → purification → contraction, with
/// forward-mode tangents along every pair direction (chain rule; every step after the CG products is
/// linear). Holds all scratch buffers: nothing is allocated per centre once the largest neighbour count
/// has been seen. Not thread-safe (one per thread).
/// </summary>
internal sealed class NiceEvaluator
{
    private readonly NiceModel _model;
    private readonly SphericalExpansion.Scratch _scratch;
    private readonly double[] _c;
    private readonly double[][] _density;
    private readonly double[][] _densityTangent;
    private readonly double[] _x;
    private readonly double[] _r;
    private double[] _g = [];
    private int[] _pairSpecies = [];
    private double[] _dx = [];
    private double[] _dr = [];
    private int _capacity; // gradient directions the tangent buffers can hold

    public NiceEvaluator(NiceModel model)
    {
        _model = model;
        _scratch = model.Expansion.CreateScratch();
        _c = new double[model.Expansion.Layout.Size];
        int factors = model.DensityModel.FactorCount;
        _density = new double[factors][];
        _densityTangent = new double[factors][];
        for (int t = 0; t < factors; t++)
        {
            _density[t] = new double[model.DensitySize];
            _densityTangent[t] = [];
        }
        Store = new BlockStore(model.BodyOrder);
        for (int o = 1; o <= model.BodyOrder; o++)
        {
            Store.Offsets[o] = model.OrderOffsets[o];
            Store.Values[o] = o == 1 ? _density[0] : new double[model.OrderSizes[o]];
            Store.Tangents[o] = [];
        }
        _x = new double[model.MaxExpandedSize];
        _r = new double[model.MaxRegressorSize];
    }

    /// <summary>Values and (dir-minor) tangents of every block of the last computed centre.</summary>
    public BlockStore Store { get; }

    /// <summary>Computes every block of <paramref name="centre"/>, with tangents when <paramref name="gradients"/>.</summary>
    public void Compute(StructureContext context, int centre, bool gradients)
    {
        var expansion = _model.Expansion;
        int pairs = context.PairCount(centre);
        int dirs = gradients ? 3 * pairs : 0;
        int ps = expansion.Layout.PairSize;
        if (gradients)
        {
            EnsureCapacity(dirs);
            if (_g.Length < pairs * 3 * ps) _g = new double[pairs * 3 * ps];
            if (_pairSpecies.Length < pairs) _pairSpecies = new int[pairs];
            int start = context.Neighbors.Offsets[centre];
            for (int q = 0; q < pairs; q++) _pairSpecies[q] = context.SpeciesIndex[context.Neighbors.Neighbors[start + q]];
        }
        expansion.ComputeCentre(context, centre, _c, gradients ? _g.AsSpan(0, pairs * 3 * ps) : [], _scratch);
        Run(dirs, pairs);
    }

    /// <summary>
    /// Values of every block of <paramref name="centre"/> plus the ν=1 per-pair gradients (<see cref="PairGradients"/>,
    /// <see cref="PairSpecies"/>), but no tangents: the forward pass of the reverse-mode (adjoint) evaluation.
    /// </summary>
    public void ComputeForAdjoint(StructureContext context, int centre)
    {
        var expansion = _model.Expansion;
        int pairs = context.PairCount(centre);
        int ps = expansion.Layout.PairSize;
        if (_g.Length < pairs * 3 * ps) _g = new double[pairs * 3 * ps];
        if (_pairSpecies.Length < pairs) _pairSpecies = new int[pairs];
        int start = context.Neighbors.Offsets[centre];
        for (int q = 0; q < pairs; q++) _pairSpecies[q] = context.SpeciesIndex[context.Neighbors.Neighbors[start + q]];
        expansion.ComputeCentre(context, centre, _c, _g.AsSpan(0, pairs * 3 * ps), _scratch);
        PairCount = pairs;
        Run(0, pairs);
    }

    /// <summary>Pairs of the last <see cref="ComputeForAdjoint"/> centre.</summary>
    public int PairCount { get; private set; }
    /// <summary>ν=1 per-pair gradients of the last <see cref="ComputeForAdjoint"/> centre, [pair][d][PairIndex].</summary>
    public ReadOnlySpan<double> PairGradients => _g;
    /// <summary>Species channel of the neighbour of each pair of the last <see cref="ComputeForAdjoint"/> centre.</summary>
    public ReadOnlySpan<int> PairSpecies => _pairSpecies;
    /// <summary>Density values per factor position of the last centre.</summary>
    public double[][] DensityValues => _density;

    /// <summary>Computes every block from given ν=1 coefficients (layout of the model's expansion), values only.</summary>
    public void ComputeFromCoefficients(ReadOnlySpan<double> coefficients)
    {
        coefficients.CopyTo(_c);
        Run(0, 0);
    }

    private void EnsureCapacity(int dirs)
    {
        if (dirs <= _capacity) return;
        int cap = Math.Max(dirs, _capacity + _capacity / 2);
        for (int t = 0; t < _density.Length; t++) _densityTangent[t] = new double[cap * _model.DensitySize];
        Store.Tangents[1] = _densityTangent[0];
        for (int o = 2; o <= _model.BodyOrder; o++) Store.Tangents[o] = new double[cap * _model.OrderSizes[o]];
        _dx = new double[cap * _model.MaxExpandedSize];
        _dr = new double[cap * _model.MaxRegressorSize];
        _capacity = cap;
    }

    private void Run(int dirs, int pairs)
    {
        var dm = _model.DensityModel;
        var layout = _model.Expansion.Layout;
        Store.Dirs = dirs;
        for (int t = 0; t < dm.FactorCount; t++)
        {
            NiceKernels.Density(_c, layout, dm.Maps[t], dm.Channels, dm.Features, _model.DensityOffsets, dm.IdentityScale, _density[t]);
            if (dirs > 0)
                NiceKernels.DensityTangent(_g, _pairSpecies.AsSpan(0, pairs), layout, dm.Maps[t], dm.Channels, dm.Features,
                    _model.DensityOffsets, dm.IdentityScale, _model.DensitySize, _densityTangent[t]);
        }
        for (int order = 2; order <= _model.BodyOrder; order++)
        {
            int s = 0;
            foreach (var block in _model.Orders[order].StorageBlocks) ComputeBlock(block, order, s++, dirs);
        }
    }

    private void ComputeBlock(FittedBlock block, int order, int storageIndex, int dirs)
    {
        var model = _model;
        int channels = model.DensityModel.Channels;
        int t = model.FactorIndex(order);
        var previous = model.Orders[order - 1].Covariant;
        int nx = block.ExpandedWidth, rows = block.Components * channels;
        int offset = Store.Offsets[order][storageIndex], size = rows * block.Width;

        NiceKernels.Expand(block, channels, Store.Values[order - 1], Store.Offsets[order - 1], previous,
            _density[t], model.DensityOffsets, model.DensityModel.Features, _x);
        if (block.Purifier is { } purifier)
        {
            NiceKernels.Regressors(purifier, block.Components, channels, Store.Values, Store.Offsets, model.Orders, 0, _r);
            NiceKernels.Purify(purifier, rows, nx, _r, _x, intercept: true);
        }
        NiceKernels.Project(_x, rows, nx, block.Projection, block.Width, Store.Values[order].AsSpan(offset, size));
        if (dirs == 0) return;

        NiceKernels.ExpandTangent(block, channels, dirs, Store.Values[order - 1], Store.Tangents[order - 1], Store.Offsets[order - 1],
            previous, _density[t], _densityTangent[t], model.DensityOffsets, model.DensityModel.Features, _dx);
        if (block.Purifier is { } p)
        {
            NiceKernels.Regressors(p, block.Components, channels, Store.Tangents, Store.Offsets, model.Orders, dirs, _dr);
            NiceKernels.PurifyTangent(p, rows, nx, dirs, _dr, _dx);
        }
        NiceKernels.ProjectTangent(_dx, rows, nx, block.Projection, block.Width, dirs, Store.Tangents[order].AsSpan(dirs * offset, dirs * size));
    }
}
