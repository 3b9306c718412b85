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
    internal FeatureResult(int atoms, int features, GradientKinds kinds)
    {
        AtomCount = atoms;
        FeatureCount = features;
        Values = new double[atoms * features];
        if (kinds.HasFlag(GradientKinds.Positions)) PositionGradients = new double[atoms * 3 * features];
        if (kinds.HasFlag(GradientKinds.Strain)) StrainGradients = new double[atoms * 9 * features];
        if (kinds.HasFlag(GradientKinds.Cell)) CellGradients = new double[atoms * 9 * features];
    }

    /// <summary>Number of atoms (rows).</summary>
    public int AtomCount { get; }
    /// <summary>Number of features per atom.</summary>
    public int FeatureCount { get; }
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
/// (own-image pairs j = i cancel in the position gradient, as they must).
/// </summary>
public sealed class FeatureComputer
{
    private readonly IFeatureCalculator _calculator;
    private readonly int _threads;

    /// <summary>Creates the driver; <paramref name="threads"/> ≥ 1.</summary>
    public FeatureComputer(IFeatureCalculator calculator, int threads = 1)
    {
        if (threads < 1) throw new InvalidParameterException("threads", $"must be at least 1, got {threads}");
        _calculator = calculator;
        _threads = threads;
    }

    /// <summary>The calculator.</summary>
    public IFeatureCalculator Calculator => _calculator;

    /// <summary>Computes the features (and requested gradients) of every atom of <paramref name="structure"/>.</summary>
    public FeatureResult Compute(Structure structure, GradientKinds gradients = GradientKinds.None)
    {
        var context = new StructureContext(structure, _calculator.Species, _calculator.Cutoff);
        int atoms = context.AtomCount, f = _calculator.FeatureCount;
        var result = new FeatureResult(atoms, f, gradients);
        if (atoms == 0) return result;
        int threads = Math.Min(_threads, atoms);
        if (threads == 1)
        {
            var state = new ThreadState(_calculator, context, result.PositionGradients);
            for (int i = 0; i < atoms; i++) ComputeCentre(context, i, result, state);
            return result;
        }

        var partials = new List<double[]>();
        Parallel.For(0, atoms, new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => new ThreadState(_calculator, context, result.PositionGradients is null ? null : new double[result.PositionGradients.Length]),
            (i, _, state) => { ComputeCentre(context, i, result, state); return state; },
            state => { if (state.Positions is not null) lock (partials) partials.Add(state.Positions); });
        if (result.PositionGradients is { } pos)
            foreach (var part in partials)
                for (int k = 0; k < pos.Length; k++) pos[k] += part[k];
        return result;
    }

    private sealed class ThreadState(IFeatureCalculator calculator, StructureContext context, double[]? positions)
    {
        public readonly ICentreWorker Worker = calculator.CreateWorker();
        public readonly double[]? Positions = positions;
        public double[] PairGradients = new double[MaxPairs(context) * 3 * calculator.FeatureCount];

        private static int MaxPairs(StructureContext context)
        {
            int max = 0;
            for (int i = 0; i < context.AtomCount; i++) max = Math.Max(max, context.PairCount(i));
            return max;
        }
    }

    private static void ComputeCentre(StructureContext context, int i, FeatureResult result, ThreadState state)
    {
        int f = result.FeatureCount;
        var values = result.Values.AsSpan(i * f, f);
        bool any = result.PositionGradients is not null || result.StrainGradients is not null || result.CellGradients is not null;
        if (!any)
        {
            state.Worker.Compute(context, i, values, []);
            return;
        }

        var nl = context.Neighbors;
        int start = nl.Offsets[i], pairs = context.PairCount(i);
        var g = state.PairGradients.AsSpan(0, pairs * 3 * f);
        if (pairs == 0)
        {
            state.Worker.Compute(context, i, values, []);
            return;
        }
        state.Worker.Compute(context, i, values, g);

        if (state.Positions is { } pos)
        {
            for (int q = 0; q < pairs; q++)
            {
                int j = nl.Neighbors[start + q];
                for (int d = 0; d < 3; d++)
                {
                    var src = g.Slice((q * 3 + d) * f, f);
                    var toJ = pos.AsSpan((j * 3 + d) * f, f);
                    var toI = pos.AsSpan((i * 3 + d) * f, f);
                    for (int k = 0; k < f; k++)
                    {
                        toJ[k] += src[k];
                        toI[k] -= src[k];
                    }
                }
            }
        }

        if (result.StrainGradients is { } strain)
        {
            var dst = strain.AsSpan(i * 9 * f, 9 * f);
            for (int q = 0; q < pairs; q++)
                for (int alpha = 0; alpha < 3; alpha++)
                {
                    double v = nl.Vectors[3 * (start + q) + alpha];
                    for (int beta = 0; beta < 3; beta++)
                        Axpy(v, g.Slice((q * 3 + beta) * f, f), dst.Slice((alpha * 3 + beta) * f, f));
                }
        }

        if (result.CellGradients is { } cell)
        {
            var dst = cell.AsSpan(i * 9 * f, 9 * f);
            for (int q = 0; q < pairs; q++)
                for (int k = 0; k < 3; k++)
                {
                    int s = nl.Shifts[3 * (start + q) + k];
                    if (s == 0) continue;
                    for (int beta = 0; beta < 3; beta++)
                        Axpy(s, g.Slice((q * 3 + beta) * f, f), dst.Slice((k * 3 + beta) * f, f));
                }
        }
    }

    private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        for (int k = 0; k < x.Length; k++) y[k] += a * x[k];
    }
}
