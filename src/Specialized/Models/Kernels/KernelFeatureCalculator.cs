using Specialized.Density;
using Specialized.Features;
using Specialized.Numerics;

namespace Specialized.Models.Kernels;

/// <summary>
/// The Nyström features φ_i of a <see cref="KernelMap"/> as an <see cref="IFeatureCalculator"/>, so a
/// sparse kernel model plugs into the same linear machinery (energies, forces, virials) as any
/// representation. Values (s = a_i, offsets o_s of <see cref="KernelMap"/>):
/// <code>
///   t_m = x̂_i·x̂_m,   φ_{i, o_s + r} = Σ_m P_s[r, m] t_m^ζ,   other blocks 0
/// </code>
/// Pair gradients by the chain rule through the normalisation ∂x̂/∂v = (I − x̂x̂ᵀ)(∂x/∂v)/‖x‖:
/// <code>
///   ∂φ_{i, o_s + r}/∂v_d = Σ_m P_s[r, m] ζ t_m^{ζ−1} (x̂_m·G_d − t_m x̂_i·G_d)/‖x_i‖,   G_d = ∂x_i/∂v_d
/// </code>
/// A centre with ‖x_i‖ = 0 or a species without sparse points gets φ_i = 0.
/// </summary>
public sealed class KernelFeatureCalculator : IFeatureCalculator
{
    /// <summary>Wraps <paramref name="inner"/> (invariant features) with <paramref name="map"/>.</summary>
    public KernelFeatureCalculator(IFeatureCalculator inner, KernelMap map)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(map);
        if (inner.ComponentCount != 1)
            throw new InvalidParameterException("representation", $"the polynomial kernel needs invariant features, '{inner.Name}' has {inner.ComponentCount} components");
        if (inner.FeatureCount != map.InputFeatureCount)
            throw new InvalidParameterException("kernel", $"the kernel map expects {map.InputFeatureCount} features, '{inner.Name}' gives {inner.FeatureCount}");
        if (inner.Species.Count != map.Blocks.Count)
            throw new InvalidParameterException("kernel", $"the kernel map has {map.Blocks.Count} species blocks, the representation {inner.Species.Count} species");
        Inner = inner;
        Map = map;
        var labels = new int[map.FeatureCount][];
        for (int s = 0; s < map.Blocks.Count; s++)
            for (int r = 0; r < map.Blocks[s].Rank; r++) labels[map.Offsets[s] + r] = [inner.Species.AtomicNumbers[s], r];
        Properties = new FeatureLabels(["center_type", "nystrom_index"], labels);
    }

    /// <summary>The underlying representation.</summary>
    public IFeatureCalculator Inner { get; }
    /// <summary>The fitted map.</summary>
    public KernelMap Map { get; }
    /// <inheritdoc/>
    public string Name => "kernel(" + Inner.Name + ")";
    /// <inheritdoc/>
    public SpeciesList Species => Inner.Species;
    /// <inheritdoc/>
    public double Cutoff => Inner.Cutoff;
    /// <inheritdoc/>
    public int FeatureCount => Map.FeatureCount;
    /// <inheritdoc/>
    public int ComponentCount => 1;
    /// <inheritdoc/>
    public FeatureLabels Properties { get; }

    /// <inheritdoc/>
    public ICentreWorker CreateWorker() => new Worker(this);

    private sealed class Worker(KernelFeatureCalculator owner) : ICentreWorker
    {
        private readonly ICentreWorker _inner = owner.Inner.CreateWorker();
        private readonly double[] _x = new double[owner.Inner.FeatureCount];
        private readonly double[] _t = new double[owner.Map.Blocks.Count == 0 ? 0 : owner.Map.Blocks.Max(b => b.PointCount)];
        private readonly double[] _dk = new double[owner.Map.Blocks.Count == 0 ? 0 : owner.Map.Blocks.Max(b => b.PointCount)];
        private readonly double[] _u = new double[owner.Map.Blocks.Count == 0 ? 0 : owner.Map.Blocks.Max(b => b.PointCount)];
        private double[] _g = [];

        public void Compute(StructureContext context, int centre, Span<double> values, Span<double> pairGradients)
        {
            var map = owner.Map;
            int fin = map.InputFeatureCount, fout = map.FeatureCount, zeta = map.Zeta;
            int pairs = context.PairCount(centre);
            bool gradients = !pairGradients.IsEmpty;
            if (gradients && _g.Length < pairs * 3 * fin) _g = new double[pairs * 3 * fin];
            var g = gradients ? _g.AsSpan(0, pairs * 3 * fin) : [];
            _inner.Compute(context, centre, _x, g);
            values[..fout].Clear();
            if (gradients) pairGradients[..(pairs * 3 * fout)].Clear();

            int s = context.SpeciesIndex[centre];
            var block = map.Blocks[s];
            int m = block.PointCount, rank = block.Rank, offset = map.Offsets[s];
            double norm = KernelMap.Normalise(_x);
            if (m == 0 || !(norm > 0)) return;

            for (int k = 0; k < m; k++)
            {
                double t = VectorMath.Dot(_x, block.Points.AsSpan(k * fin, fin));
                _t[k] = t;
                double tz1 = Pow(t, zeta - 1);
                _dk[k] = zeta * tz1;
                _u[k] = tz1 * t;
            }
            var phi = values.Slice(offset, rank);
            for (int r = 0; r < rank; r++) phi[r] = VectorMath.Dot(block.Projection.AsSpan(r * m, m), _u.AsSpan(0, m));
            if (!gradients) return;

            double inv = 1 / norm;
            for (int q = 0; q < pairs; q++)
                for (int d = 0; d < 3; d++)
                {
                    var gd = g.Slice((q * 3 + d) * fin, fin);
                    double xg = VectorMath.Dot(_x, gd);
                    for (int k = 0; k < m; k++)
                        _u[k] = _dk[k] * (VectorMath.Dot(block.Points.AsSpan(k * fin, fin), gd) - _t[k] * xg) * inv;
                    var dst = pairGradients.Slice((q * 3 + d) * fout + offset, rank);
                    for (int r = 0; r < rank; r++) dst[r] = VectorMath.Dot(block.Projection.AsSpan(r * m, m), _u.AsSpan(0, m));
                }
        }

        private static double Pow(double t, int n)
        {
            double result = 1;
            for (int k = 0; k < n; k++) result *= t;
            return result;
        }
    }
}
