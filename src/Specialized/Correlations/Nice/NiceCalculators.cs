using Specialized.Density;
using Specialized.Features;

namespace Specialized.Correlations.Nice;

/// <summary>
/// The invariants of every body order of a fitted <see cref="NiceModel"/>, concatenated in increasing ν,
/// each [channel][feature]. Properties are labelled (order, channel, feature).
/// </summary>
internal sealed class NiceInvariantCalculator : IFeatureCalculator
{
    private readonly NiceModel _model;
    private readonly int[] _columnOffsets;

    public NiceInvariantCalculator(NiceModel model)
    {
        _model = model;
        _columnOffsets = new int[model.BodyOrder + 1];
        var labels = new List<int[]>();
        int offset = 0;
        for (int o = 1; o <= model.BodyOrder; o++)
        {
            _columnOffsets[o] = offset;
            int width = model.Orders[o].Invariants.Width;
            for (int c = 0; c < model.Channels; c++)
                for (int p = 0; p < width; p++) labels.Add([o, c, p]);
            offset += model.Channels * width;
        }
        Properties = new FeatureLabels(["order", "channel", "feature"], [.. labels]);
    }

    public string Name => _model.Parameters.SpeciesMode == NiceSpeciesMode.TensorReduced ? "tensor-reduced" : "nice";

    /// <summary>Dir-minor tangents t[v][dir] (v &lt; size) → pair gradients g[dir][column + v] (row length f).</summary>
    internal static void Transpose(ReadOnlySpan<double> tangents, int size, int dirs, Span<double> gradients, int f, int column)
    {
        for (int v = 0; v < size; v++)
        {
            var src = tangents.Slice(v * dirs, dirs);
            for (int dir = 0; dir < dirs; dir++) gradients[dir * f + column + v] = src[dir];
        }
    }
    public SpeciesList Species => _model.Species;
    public double Cutoff => _model.Parameters.Density.Cutoff;
    public int FeatureCount => _model.FeatureCount;
    public int ComponentCount => 1;
    public FeatureLabels Properties { get; }

    public ICentreWorker CreateWorker() => new Worker(this);

    private sealed class Worker(NiceInvariantCalculator owner) : ICentreWorker
    {
        private readonly NiceEvaluator _evaluator = new(owner._model);

        public void Compute(StructureContext context, int centre, Span<double> values, Span<double> pairGradients)
        {
            var model = owner._model;
            bool gradients = !pairGradients.IsEmpty;
            _evaluator.Compute(context, centre, gradients);
            var store = _evaluator.Store;
            int f = model.FeatureCount, dirs = store.Dirs;
            for (int o = 1; o <= model.BodyOrder; o++)
            {
                var om = model.Orders[o];
                int s = om.StorageIndex(-1), size = model.InvariantCounts[o];
                int offset = store.Offsets[o][s], column = owner._columnOffsets[o];
                store.Values[o].AsSpan(offset, size).CopyTo(values.Slice(column, size));
                if (dirs > 0) Transpose(store.Tangents[o].AsSpan(dirs * offset, dirs * size), size, dirs, pairGradients, f, column);
            }
        }
    }
}

/// <summary>One (λ, σ) block of one order of a fitted <see cref="NiceModel"/>: values [μ][channel·Width + feature].</summary>
internal sealed class NiceEquivariantCalculator : IFeatureCalculator
{
    private readonly NiceModel _model;
    private readonly int _order;
    private readonly int _block;
    private readonly int _size;

    public NiceEquivariantCalculator(NiceModel model, int order, int block)
    {
        _model = model;
        _order = order;
        _block = block;
        var b = model.Orders[order].Covariant[block];
        Lambda = b.Key.Lambda;
        Sigma = b.Key.Sigma;
        _size = b.Components * model.Channels * b.Width;
        var labels = new List<int[]>();
        for (int c = 0; c < model.Channels; c++)
            for (int p = 0; p < b.Width; p++) labels.Add([order, c, p]);
        Properties = new FeatureLabels(["order", "channel", "feature"], [.. labels]);
    }

    /// <summary>λ of the block.</summary>
    public int Lambda { get; }
    /// <summary>σ of the block.</summary>
    public int Sigma { get; }
    public string Name => _model.Parameters.SpeciesMode == NiceSpeciesMode.TensorReduced ? "tensor-reduced-equivariant" : "nice-equivariant";
    public SpeciesList Species => _model.Species;
    public double Cutoff => _model.Parameters.Density.Cutoff;
    public int FeatureCount => _size;
    public int ComponentCount => 2 * Lambda + 1;
    public FeatureLabels Properties { get; }

    public ICentreWorker CreateWorker() => new Worker(this);

    private sealed class Worker(NiceEquivariantCalculator owner) : ICentreWorker
    {
        private readonly NiceEvaluator _evaluator = new(owner._model);

        public void Compute(StructureContext context, int centre, Span<double> values, Span<double> pairGradients)
        {
            _evaluator.Compute(context, centre, !pairGradients.IsEmpty);
            var store = _evaluator.Store;
            int size = owner._size, dirs = store.Dirs, offset = store.Offsets[owner._order][owner._block];
            store.Values[owner._order].AsSpan(offset, size).CopyTo(values);
            if (dirs > 0) NiceInvariantCalculator.Transpose(store.Tangents[owner._order].AsSpan(dirs * offset, dirs * size), size, dirs, pairGradients, size, 0);
        }
    }
}
