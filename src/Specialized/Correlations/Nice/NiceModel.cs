using Specialized.Density;
using Specialized.Features;
using Specialized.Models.LinearAlgebra;
using Specialized.Structures;

namespace Specialized.Correlations.Nice;

/// <summary>Options of <see cref="NiceModel.Fit(IEnumerable{Structure}, NiceParameters, SpeciesList?, NiceFitOptions?)"/>.</summary>
public sealed record NiceFitOptions
{
    /// <summary>
    /// Largest number of training environments (atoms) used; when there are more, an evenly strided
    /// deterministic subset is taken (null: all).
    /// </summary>
    public int? MaxEnvironments { get; init; }

    /// <summary>Dense solver for the eigendecompositions and ridge solves (null: <see cref="DenseSolvers.Default"/>).</summary>
    public IDenseSolver? Solver { get; init; }
}

/// <summary>
/// A fitted NICE (N-body Iterative Contraction of Equivariants, MATH §5) or tensor-reduced (MATH §6.3)
/// representation: the ν=1 maps (species embedding or initial PCA), and for every body order the
/// thresholded coupling lists, purifications and per-(λ, σ) contractions learned by <see cref="Fit(IEnumerable{Structure}, NiceParameters, SpeciesList?, NiceFitOptions?)"/>.
/// <see cref="CreateCalculator"/> replays them as an <see cref="IFeatureCalculator"/> (invariants of every
/// ν = 1 … ν_max concatenated, with per-pair gradients, hence positions/strain/cell gradients through
/// <see cref="FeatureComputer"/>); <see cref="CreateEquivariantCalculator"/> exposes one (λ, σ) block.
/// Immutable and thread-safe once built.
/// </summary>
/// <remarks>
/// Invariant feature vector of a centre: for ν = 1 … ν_max, the invariants of order ν, each [channel][feature]
/// (channel outer; one channel per species, K tensor-reduced). Fitted-parameter layout: see NiceLayout.cs.
/// </remarks>
public sealed partial class NiceModel
{
    internal NiceModel(NiceParameters parameters, SpeciesList species, DensityModel density, OrderModel[] orders, SphericalExpansion? expansion = null)
    {
        Parameters = parameters;
        Species = species;
        Expansion = expansion ?? new SphericalExpansion(parameters.Density, species);
        DensityModel = density;
        Orders = orders;
        (DensityOffsets, DensitySize) = NiceKernels.DensityLayout(density.Channels, density.Features);
        OrderOffsets = new int[orders.Length][];
        OrderSizes = new int[orders.Length];
        int maxExpanded = 0, maxRegressors = 0;
        for (int o = 1; o < orders.Length; o++)
        {
            (OrderOffsets[o], OrderSizes[o]) = BlockStore.Layout(orders[o], density.Channels);
            foreach (var b in orders[o].StorageBlocks)
            {
                int rows = b.Components * density.Channels;
                maxExpanded = Math.Max(maxExpanded, rows * b.ExpandedWidth);
                if (b.Purifier is { } p) maxRegressors = Math.Max(maxRegressors, rows * p.RegressorCount);
            }
        }
        MaxExpandedSize = maxExpanded;
        MaxRegressorSize = maxRegressors;
        var invariantCounts = new int[orders.Length];
        for (int o = 1; o < orders.Length; o++) invariantCounts[o] = density.Channels * orders[o].Invariants.Width;
        InvariantCounts = invariantCounts;
        FeatureCount = invariantCounts.Sum();
    }

    /// <summary>The representation's parameters.</summary>
    public NiceParameters Parameters { get; }
    /// <summary>Species channels (every atom must be one of them).</summary>
    public SpeciesList Species { get; }
    /// <summary>Largest body order ν_max.</summary>
    public int BodyOrder => Orders.Length - 1;
    /// <summary>Number of invariant features per centre (all orders).</summary>
    public int FeatureCount { get; }
    /// <summary>Channels C of every block (1 per species, K tensor-reduced).</summary>
    public int Channels => DensityModel.Channels;
    /// <summary>Global ν=1 scale factor s.</summary>
    public double Scale => DensityModel.Scale;

    /// <summary>Number of invariant features of order <paramref name="order"/> (1 … ν_max).</summary>
    public int InvariantCount(int order) => InvariantCounts[CheckOrder(order)];

    /// <summary>The highest order whose covariant (λ, σ) blocks were fitted.</summary>
    public int CovariantOrder
    {
        get
        {
            for (int o = BodyOrder; o >= 1; o--)
                if (Orders[o].Covariant.Length > 0) return o;
            return 1;
        }
    }

    /// <summary>The (λ, σ) blocks available at <paramref name="order"/> (default: <see cref="CovariantOrder"/>), with their widths per channel.</summary>
    public IReadOnlyList<(NiceBlockKey Key, int Width)> EquivariantBlocks(int? order = null) =>
        [.. Orders[CheckOrder(order ?? CovariantOrder)].Covariant.Select(b => (b.Key, b.Width))];

    internal SphericalExpansion Expansion { get; }
    internal DensityModel DensityModel { get; }
    /// <summary>Orders[ν], ν = 1 … ν_max (index 0 unused).</summary>
    internal OrderModel[] Orders { get; }
    internal int[] DensityOffsets { get; }
    internal int DensitySize { get; }
    internal int[][] OrderOffsets { get; }
    internal int[] OrderSizes { get; }
    internal int MaxExpandedSize { get; }
    internal int MaxRegressorSize { get; }
    internal int[] InvariantCounts { get; }

    /// <summary>Factor position (0-based) whose density map feeds the step producing <paramref name="order"/>.</summary>
    internal int FactorIndex(int order) => DensityModel.FactorCount == 1 ? 0 : order - 1;

    private int CheckOrder(int order)
    {
        if (order < 1 || order > BodyOrder) throw new InvalidParameterException("order", $"must be in 1..{BodyOrder}, got {order}");
        return order;
    }

    /// <summary>
    /// Learns every contraction (and the species embedding when fitted) from the atoms of
    /// <paramref name="structures"/>. <paramref name="species"/> defaults to every species present.
    /// Deterministic: the same structures, parameters and seed give a bit-identical model file.
    /// </summary>
    public static NiceModel Fit(IEnumerable<Structure> structures, NiceParameters parameters, SpeciesList? species = null, NiceFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(structures);
        ArgumentNullException.ThrowIfNull(parameters);
        var list = structures.ToList();
        parameters.Validate();
        species ??= SpeciesList.From(list);
        var expansion = new SphericalExpansion(parameters.Density, species);
        int total = list.Sum(s => s.AtomCount);
        if (total == 0) throw new InvalidParameterException("structures", "no atoms to fit the NICE contractions on");
        int max = options?.MaxEnvironments ?? int.MaxValue;
        if (max < 1) throw new InvalidParameterException("max-environments", $"must be at least 1, got {max}");
        var selected = new HashSet<long>();
        if (total > max)
            for (long k = 0; k < max; k++) selected.Add(k * total / max);

        var coefficients = new List<double[]>();
        var scratch = expansion.CreateScratch();
        long index = 0;
        foreach (var s in list)
        {
            var context = new StructureContext(s, species, parameters.Density.Cutoff);
            for (int i = 0; i < s.AtomCount; i++, index++)
            {
                if (total > max && !selected.Contains(index)) continue;
                var c = new double[expansion.Layout.Size];
                expansion.ComputeCentre(context, i, c, [], scratch);
                coefficients.Add(c);
            }
        }
        return NiceFitter.Fit(parameters, species, coefficients, options?.Solver ?? DenseSolvers.Default, expansion);
    }

    /// <summary>Fits on given ν=1 coefficient vectors (layout of <see cref="ExpansionLayout"/>; tests and oracles).</summary>
    internal static NiceModel FitCoefficients(NiceParameters parameters, SpeciesList species, IReadOnlyList<double[]> coefficients, IDenseSolver? solver = null)
    {
        parameters.Validate();
        return NiceFitter.Fit(parameters, species, coefficients, solver ?? DenseSolvers.Default);
    }

    /// <summary>The invariant features of every order (values and per-pair gradients) as a calculator.</summary>
    public IFeatureCalculator CreateCalculator() => new NiceInvariantCalculator(this);

    /// <summary>
    /// The (λ, σ) equivariant block of <paramref name="order"/> (default: <see cref="CovariantOrder"/>) as a
    /// calculator: ComponentCount = 2λ+1, values [μ][property] with property = channel·Width + feature (the
    /// layout of <see cref="LambdaSoapCalculator"/>). For dipoles use (1, +1), for polarizabilities (0, +1) and (2, +1).
    /// </summary>
    public IFeatureCalculator CreateEquivariantCalculator(int lambda, int sigma, int? order = null)
    {
        int o = CheckOrder(order ?? CovariantOrder);
        var key = new NiceBlockKey(lambda, sigma);
        int index = Array.FindIndex(Orders[o].Covariant, b => b.Key == key);
        if (index < 0)
        {
            string available = string.Join(", ", Orders[o].Covariant.Select(b => b.Key.ToString()));
            throw new InvalidParameterException("lambda",
                $"no {key} block at body order {o} (available: {(available.Length == 0 ? "none" : available)}; set CovariantsAtLastOrder to fit the last order's blocks)");
        }
        return new NiceEquivariantCalculator(this, o, index);
    }

    /// <summary>
    /// A linear model on the invariants as a calculator: <paramref name="outputs"/> values per centre,
    /// y_k = Σ_f W[f][k] X_f with W row-major FeatureCount × outputs (the layout of <see cref="CreateCalculator"/>'s
    /// features). Its per-pair gradients come from one reverse-mode sweep per output, so forces and stresses of
    /// an additive linear model (through <see cref="FeatureComputer"/>) cost about twice the values, independent
    /// of the number of neighbours, instead of the 3·pairs-fold cost of the full feature gradients.
    /// </summary>
    public IFeatureCalculator CreateLinearCalculator(double[] weights, int outputs = 1)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return new NiceLinearCalculator(this, weights, outputs);
    }

    /// <summary>Invariant features (and requested gradients) of every atom of <paramref name="structure"/>.</summary>
    public FeatureResult Transform(Structure structure, GradientKinds gradients = GradientKinds.None, int threads = 1) =>
        new FeatureComputer(CreateCalculator(), threads).Compute(structure, gradients);

    /// <summary>Every block of every order for given ν=1 coefficients: [order][storage block] arrays [μ][c][p].</summary>
    internal double[][][] EvaluateCoefficients(ReadOnlySpan<double> coefficients)
    {
        var evaluator = new NiceEvaluator(this);
        evaluator.ComputeFromCoefficients(coefficients);
        return Snapshot(evaluator.Store);
    }

    /// <summary>Every block of every order of one centre of a structure: [order][storage block] arrays [μ][c][p].</summary>
    internal double[][][] EvaluateCentre(Structure structure, int centre)
    {
        var evaluator = new NiceEvaluator(this);
        evaluator.Compute(new StructureContext(structure, Species, Parameters.Density.Cutoff), centre, false);
        return Snapshot(evaluator.Store);
    }

    private double[][][] Snapshot(BlockStore store)
    {
        var result = new double[BodyOrder + 1][][];
        for (int o = 1; o <= BodyOrder; o++)
        {
            var blocks = Orders[o].StorageBlocks.ToArray();
            result[o] = new double[blocks.Length][];
            for (int s = 0; s < blocks.Length; s++)
            {
                int size = blocks[s].Components * Channels * blocks[s].Width;
                result[o][s] = store.Values[o].AsSpan(store.Offsets[o][s], size).ToArray();
            }
        }
        return result;
    }

    /// <summary>Storage-order (λ, σ) keys and widths of the blocks of <paramref name="order"/> (covariant, then invariant).</summary>
    internal (NiceBlockKey Key, int Width, bool Invariant)[] StorageKeys(int order) =>
        [.. Orders[order].StorageBlocks.Select(b => (b.Key, b.Width, ReferenceEquals(b, Orders[order].Invariant)))];
}

public sealed partial class NiceModel
{
    /// <summary>
    /// One line per block: order, (λ, σ), branch, expanded width → kept width, purification regressors; for
    /// logs and the command line.
    /// </summary>
    public string Summary()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"{(Parameters.SpeciesMode == NiceSpeciesMode.TensorReduced ? "tensor-reduced" : "nice")} ν_max={BodyOrder} channels={Channels} scale={Scale:G6} features={FeatureCount}\n");
        for (int o = 1; o <= BodyOrder; o++)
            foreach (var b in Orders[o].StorageBlocks)
            {
                string branch = o == 1 ? "density" : ReferenceEquals(b, Orders[o].Invariant) ? "invariant" : "covariant";
                string purify = b.Purifier is { } p ? $" purified on {p.RegressorCount}" : "";
                string contraction = o == 1 ? "" : b.Projection is null ? $" {b.ExpandedWidth} (no contraction)" : $" {b.ExpandedWidth} → {b.Width}";
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"  ν={o} {b.Key} {branch}: width {b.Width}{contraction}{purify}\n");
            }
        return sb.ToString();
    }
}

public sealed partial class NiceModel
{
    /// <summary>
    /// For an uncontracted block (no projection at any order up to <paramref name="order"/>): per column the
    /// angular path "l1*l2>k2*l3>k3…" and the density feature index of every factor (tests and oracles).
    /// </summary>
    internal (string Path, int[] Features)[] DescribeColumns(int order, int storageIndex)
    {
        var block = Orders[order].StorageBlocks[storageIndex];
        if (order == 1)
            return [.. Enumerable.Range(0, block.Width).Select(f => (block.Key.Lambda.ToString(System.Globalization.CultureInfo.InvariantCulture), new[] { f }))];
        if (block.Projection is not null) throw new InvalidOperationException("columns of a contracted block have no path");
        var result = new (string, int[])[block.ExpandedWidth];
        foreach (var g in block.Groups)
        {
            var inputs = DescribeColumns(order - 1, g.InputBlock);
            for (int i = 0; i < g.Count; i++)
            {
                var (path, features) = inputs[g.P1[i]];
                result[g.Offset + i] = (string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{path}*{g.L}>{g.Lambda}"), [.. features, g.F2[i]]);
            }
        }
        return result;
    }
}
