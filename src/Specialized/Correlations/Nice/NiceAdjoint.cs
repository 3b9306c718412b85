using Specialized.Density;
using Specialized.Features;

namespace Specialized.Correlations.Nice;

/// <summary>
/// Reverse-mode (adjoint) evaluation of a linear function of the invariants, y = Σ_f w_f X_f, for one centre:
/// after the forward values, the adjoints X̄ = ∂y/∂X flow from the highest order down through every
/// contraction (X̄ = Ȳ Vᵀ), purification (R̄ = −X̄ βᵀ into the lower-order blocks) and CG product
/// (T̄[κ] += Σ C X̄[μ] D[m], D̄[m] += Σ C X̄[μ] T[κ]) to the ν=1 coefficients, c̄ = Σ_t D̄^(t) M^(t)ᵀ, and
/// ∂y/∂v_p = Σ_{l m n} c̄[l][m][b_p n] ∂c_{lmn}/∂v_p. One backward sweep per output costs about as much as
/// the forward pass, whatever the number of neighbours (forward-mode tangents cost 3·pairs forward passes).
/// </summary>
internal sealed class NiceAdjoint
{
    private readonly NiceModel _model;
    private readonly NiceEvaluator _forward;
    private readonly double[][] _adjoint;        // per order; order 1 = density factor 0
    private readonly double[][] _densityAdjoint; // per factor
    private readonly double[] _xbar;
    private readonly double[] _rbar;
    private readonly double[] _cbar;

    public NiceAdjoint(NiceModel model)
    {
        _model = model;
        _forward = new NiceEvaluator(model);
        int factors = model.DensityModel.FactorCount;
        _densityAdjoint = new double[factors][];
        for (int t = 0; t < factors; t++) _densityAdjoint[t] = new double[model.DensitySize];
        _adjoint = new double[model.BodyOrder + 1][];
        _adjoint[1] = _densityAdjoint[0];
        for (int o = 2; o <= model.BodyOrder; o++) _adjoint[o] = new double[model.OrderSizes[o]];
        _xbar = new double[model.MaxExpandedSize];
        _rbar = new double[model.MaxRegressorSize];
        _cbar = new double[model.Expansion.Layout.Size];
    }

    /// <summary>The forward evaluator (values of every block after <see cref="Forward"/>).</summary>
    public NiceEvaluator Evaluator => _forward;

    /// <summary>Forward pass: values of every block and the ν=1 per-pair gradients.</summary>
    public void Forward(StructureContext context, int centre) => _forward.ComputeForAdjoint(context, centre);

    /// <summary>
    /// Backward pass for the invariant weights <paramref name="weights"/> (length FeatureCount, the layout of
    /// <see cref="NiceModel.CreateCalculator"/>): writes ∂y/∂v_p into <paramref name="pairGradients"/>[p·3·stride + d·stride].
    /// </summary>
    public void Backward(ReadOnlySpan<double> weights, Span<double> pairGradients, int stride)
    {
        var model = _model;
        var store = _forward.Store;
        int channels = model.Channels;
        foreach (var a in _densityAdjoint) Array.Clear(a);
        for (int o = 2; o <= model.BodyOrder; o++) Array.Clear(_adjoint[o]);

        // Seed: ∂y/∂(invariants of order o) = w.
        int column = 0;
        for (int o = 1; o <= model.BodyOrder; o++)
        {
            int size = model.InvariantCounts[o];
            int offset = store.Offsets[o][model.Orders[o].StorageIndex(-1)];
            weights.Slice(column, size).CopyTo(_adjoint[o].AsSpan(offset, size));
            column += size;
        }

        for (int order = model.BodyOrder; order >= 2; order--)
        {
            var om = model.Orders[order];
            int t = model.FactorIndex(order), s = 0;
            foreach (var block in om.StorageBlocks)
            {
                int offset = store.Offsets[order][s++];
                int rows = block.Components * channels, nx = block.ExpandedWidth;
                var ybar = _adjoint[order].AsSpan(offset, rows * block.Width);
                if (ybar.IndexOfAnyExcept(0.0) < 0) continue;
                NiceKernels.ProjectAdjoint(ybar, rows, nx, block.Projection, block.Width, _xbar);
                if (block.Purifier is { } purifier)
                {
                    NiceKernels.PurifyAdjoint(purifier, rows, nx, _xbar, _rbar);
                    NiceKernels.RegressorsAdjoint(purifier, block.Components, channels, _adjoint, store.Offsets, model.Orders, _rbar);
                }
                NiceKernels.ExpandAdjoint(block, channels, _xbar, store.Values[order - 1], _adjoint[order - 1], store.Offsets[order - 1],
                    model.Orders[order - 1].Covariant, _forward.DensityValues[t], _densityAdjoint[t], model.DensityOffsets, model.DensityModel.Features);
            }
        }

        var layout = model.Expansion.Layout;
        var dm = model.DensityModel;
        Array.Clear(_cbar);
        for (int t = 0; t < dm.FactorCount; t++)
            NiceKernels.DensityAdjoint(_densityAdjoint[t], layout, dm.Maps[t], channels, dm.Features, model.DensityOffsets, dm.IdentityScale, _cbar);

        int pairs = _forward.PairCount, ps = layout.PairSize;
        var g = _forward.PairGradients;
        var species = _forward.PairSpecies;
        for (int p = 0; p < pairs; p++)
        {
            int b = species[p];
            for (int d = 0; d < 3; d++)
            {
                var gd = g.Slice((p * 3 + d) * ps, ps);
                double sum = 0;
                for (int l = 0; l <= layout.LMax; l++)
                {
                    int nl = layout.RadialCount(l);
                    for (int m = -l; m <= l; m++)
                    {
                        var cb = _cbar.AsSpan(layout.Index(l, m, b, 0), nl);
                        var gs = gd.Slice(layout.PairIndex(l, m, 0), nl);
                        for (int n = 0; n < nl; n++) sum += cb[n] * gs[n];
                    }
                }
                pairGradients[(p * 3 + d) * stride] = sum;
            }
        }
    }
}

/// <summary>
/// A linear model on the invariants of a fitted <see cref="NiceModel"/> as a calculator: K outputs per centre,
/// y_k = Σ_f W[f][k] X_f, with per-pair gradients from the adjoint sweep, so <see cref="FeatureComputer"/> gives
/// forces (−position gradients of Σ_i y_i) and virials (strain gradients) at about twice the cost of the values.
/// </summary>
internal sealed class NiceLinearCalculator : IFeatureCalculator
{
    private readonly NiceModel _model;
    private readonly double[] _weights;   // FeatureCount × outputs, row-major
    private readonly double[][] _columns; // per output, length FeatureCount

    public NiceLinearCalculator(NiceModel model, double[] weights, int outputs)
    {
        if (outputs < 1) throw new InvalidParameterException("outputs", $"must be at least 1, got {outputs}");
        if (weights.Length != model.FeatureCount * outputs)
            throw new InvalidParameterException("weights", $"need FeatureCount × outputs = {model.FeatureCount} × {outputs} values, got {weights.Length}");
        _model = model;
        _weights = (double[])weights.Clone();
        _columns = new double[outputs][];
        for (int k = 0; k < outputs; k++)
        {
            _columns[k] = new double[model.FeatureCount];
            for (int f = 0; f < model.FeatureCount; f++) _columns[k][f] = weights[f * outputs + k];
        }
        Properties = new FeatureLabels(["output"], [.. Enumerable.Range(0, outputs).Select(k => new[] { k })]);
    }

    public string Name => "nice-linear";
    public SpeciesList Species => _model.Species;
    public double Cutoff => _model.Parameters.Density.Cutoff;
    public int FeatureCount => _columns.Length;
    public int ComponentCount => 1;
    public FeatureLabels Properties { get; }

    public ICentreWorker CreateWorker() => new Worker(this);

    private sealed class Worker(NiceLinearCalculator owner) : ICentreWorker
    {
        private readonly NiceAdjoint _adjoint = new(owner._model);
        private readonly NiceEvaluator _values = new(owner._model);
        private readonly double[] _x = new double[owner._model.FeatureCount];

        public void Compute(StructureContext context, int centre, Span<double> values, Span<double> pairGradients)
        {
            var model = owner._model;
            bool gradients = !pairGradients.IsEmpty;
            NiceEvaluator evaluator;
            if (gradients)
            {
                _adjoint.Forward(context, centre);
                evaluator = _adjoint.Evaluator;
            }
            else
            {
                _values.Compute(context, centre, false);
                evaluator = _values;
            }
            var store = evaluator.Store;
            int column = 0;
            for (int o = 1; o <= model.BodyOrder; o++)
            {
                int size = model.InvariantCounts[o];
                store.Values[o].AsSpan(store.Offsets[o][model.Orders[o].StorageIndex(-1)], size).CopyTo(_x.AsSpan(column));
                column += size;
            }
            int outputs = owner._columns.Length;
            for (int k = 0; k < outputs; k++)
            {
                double y = 0;
                var w = owner._columns[k];
                for (int f = 0; f < _x.Length; f++) y += w[f] * _x[f];
                values[k] = y;
            }
            if (!gradients) return;
            for (int k = 0; k < outputs; k++) _adjoint.Backward(owner._columns[k], pairGradients[k..], outputs);
        }
    }
}
