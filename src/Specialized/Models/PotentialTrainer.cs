using System.Diagnostics;
using Specialized.Features;
using Specialized.Models.Kernels;
using Specialized.Models.Regression;
using Specialized.Structures;

namespace Specialized.Models;

/// <summary>Options of <see cref="PotentialTrainer"/>.</summary>
public sealed record PotentialFitOptions
{
    /// <summary>Info key of the total energy.</summary>
    public string EnergyKey { get; init; } = "energy";
    /// <summary>Per-atom array of the forces (null: energies only).</summary>
    public string? ForcesKey { get; init; } = "forces";
    /// <summary>Info key of the virial (9 values, energy units, W = −∂E/∂ε), or null.</summary>
    public string? VirialKey { get; init; }
    /// <summary>Info key of the stress (9 values, energy/Å³, σ = −W/V), used when <see cref="VirialKey"/> is null.</summary>
    public string? StressKey { get; init; }
    /// <summary>Energy rows get weight EnergyWeight/√N (N atoms): 1/EnergyWeight is the expected error per atom (GAP convention).</summary>
    public double EnergyWeight { get; init; } = 1;
    /// <summary>Force-component rows get weight ForceWeight (1/expected force error).</summary>
    public double ForceWeight { get; init; } = 1;
    /// <summary>Virial-component rows get weight VirialWeight/√N (1/expected virial error per atom).</summary>
    public double VirialWeight { get; init; } = 1;
    /// <summary>Separate weights per centre species (true) or one weight vector for all centres.</summary>
    public bool SpeciesResolved { get; init; } = true;
    /// <summary>Sparse-kernel (GPR) options, or null for linear ridge on the features.</summary>
    public KernelOptions? Kernel { get; init; }
    /// <summary>Regularisation grid, folds and solver.</summary>
    public RidgeOptions Ridge { get; init; } = new();
    /// <summary>Threads for the feature computation.</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Progress messages, or null.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Throws <see cref="InvalidParameterException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(EnergyKey);
        if (!(EnergyWeight > 0) || !double.IsFinite(EnergyWeight)) throw new InvalidParameterException("energy-weight", $"must be positive, got {EnergyWeight}");
        if (!(ForceWeight > 0) || !double.IsFinite(ForceWeight)) throw new InvalidParameterException("force-weight", $"must be positive, got {ForceWeight}");
        if (!(VirialWeight > 0) || !double.IsFinite(VirialWeight)) throw new InvalidParameterException("virial-weight", $"must be positive, got {VirialWeight}");
        if (Threads < 1) throw new InvalidParameterException("threads", $"must be at least 1, got {Threads}");
        Kernel?.Validate();
        Ridge.Validate();
    }
}

/// <summary>A fitted potential and how it was chosen.</summary>
/// <param name="Model">The model.</param>
/// <param name="Ridge">Solver result: chosen α, cross-validation table, method.</param>
/// <param name="TargetNames">Target kinds of the CV table columns (energy, forces, virial).</param>
public sealed record PotentialFit(PotentialModel Model, RidgeResult Ridge, IReadOnlyList<string> TargetNames);

/// <summary>
/// Fits <see cref="PotentialModel"/>s: joint weighted ridge on energies, forces and virials (MATH §8.1).
/// For every training structure A the rows are
/// <code>
///   energy:  [Σ_{i∈A, c(i)=c} X_i]_c , [N_s(A)]_s                     = E_A               weight w_E/√N_A
///   forces:  [−Σ_{i, c(i)=c} ∂X_i/∂r_kd]_c , 0                        = F_kd              weight w_F
///   virial:  [−½ Σ_{i, c(i)=c} (∂X_i/∂ε_αβ + ∂X_i/∂ε_βα)]_c , 0       = ½(W_αβ + W_βα)    weight w_W/√N_A  (αβ = xx yy zz yz xz xy)
/// </code>
/// with the per-species baselines N_s unpenalised, and the penalty chosen by k-fold cross-validation over
/// structures (<see cref="RidgeSolver"/>).
/// </summary>
public static class PotentialTrainer
{
    /// <summary>Names of the target kinds (CV table columns).</summary>
    public static readonly IReadOnlyList<string> TargetNames = ["energy", "forces", "virial"];

    private static readonly (int A, int B)[] VirialComponents = [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)];

    /// <summary>Fits on the representation described by <paramref name="spec"/>.</summary>
    public static PotentialFit Fit(RepresentationSpec spec, IReadOnlyList<Structure> training, PotentialFitOptions options) =>
        Fit(spec, RepresentationCatalog.Create(spec), training, options);

    /// <summary>
    /// Fits on <paramref name="calculator"/> (invariant features); <paramref name="spec"/> describes it for
    /// the model file and may be null (the model then cannot be saved).
    /// </summary>
    public static PotentialFit Fit(RepresentationSpec? spec, IFeatureCalculator calculator, IReadOnlyList<Structure> training, PotentialFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(calculator);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (training.Count == 0) throw new InvalidParameterException("training", "no training structures");
        if (calculator.ComponentCount != 1)
            throw new InvalidParameterException("representation", $"an energy model needs invariant features, '{calculator.Name}' has {calculator.ComponentCount} components");
        var log = options.Log;
        var clock = Stopwatch.StartNew();

        bool virials = options.VirialKey is not null || options.StressKey is not null;
        var energies = new double[training.Count];
        var forces = new double[training.Count][];
        var virialTargets = new double[training.Count][];
        for (int k = 0; k < training.Count; k++)
        {
            energies[k] = Targets.Scalar(training[k], options.EnergyKey, k);
            if (options.ForcesKey is not null)
            {
                forces[k] = Targets.PerAtomVectors(training[k], options.ForcesKey, k);
                if (forces[k].Length != 3 * training[k].AtomCount)
                    throw new InvalidStructureException($"structure {k}: '{options.ForcesKey}' has {forces[k].Length / 3} rows for {training[k].AtomCount} atoms");
            }
            if (virials && training[k].IsPeriodic) virialTargets[k] = Targets.Virial(training[k], options.VirialKey, options.StressKey, k);
        }

        KernelMap? kernel = null;
        IFeatureCalculator features = calculator;
        bool resolved = options.SpeciesResolved;
        if (options.Kernel is { } kernelOptions)
        {
            log?.Invoke($"fit: selecting {kernelOptions.SparsePoints} sparse environments per species ({kernelOptions.Selection}, zeta={kernelOptions.Zeta})");
            kernel = KernelMap.Fit(calculator, training, kernelOptions with { Threads = options.Threads }, options.Ridge.Solver);
            features = new KernelFeatureCalculator(calculator, kernel);
            resolved = false; // the Nyström features are already species blocks
            log?.Invoke($"fit: kernel features: {features.FeatureCount} (ranks {string.Join(", ", kernel.Blocks.Select(b => b.Rank))})");
        }

        var kinds = GradientKinds.None;
        if (options.ForcesKey is not null) kinds |= GradientKinds.Positions;
        if (virials) kinds |= GradientKinds.Strain;
        log?.Invoke($"fit: computing {features.Name} features ({features.FeatureCount} per atom) and gradients of {training.Count} structures");
        int step = Math.Max(1, training.Count / 10);
        var sums = FeatureSums.Compute(features, training, resolved, kinds, options.Threads,
            done => { if (done % step == 0 || done == training.Count) log?.Invoke($"fit: features {done}/{training.Count} ({clock.Elapsed.TotalSeconds:F1} s)"); });

        int channels = resolved ? calculator.Species.Count : 1;
        int f = features.FeatureCount, p = channels * f, q = calculator.Species.Count, n = p + q;
        var problem = new RidgeProblem(p, q, TargetNames);
        for (int k = 0; k < training.Count; k++)
            AddStructure(problem, sums[k], training[k], energies[k], forces[k], virialTargets[k], options, channels, f, q);
        log?.Invoke($"fit: {problem.RowCount} rows × {n} columns; cross-validating {options.Ridge.Alphas.Count} regularisations over {Math.Min(options.Ridge.Folds, training.Count)} folds");

        var ridge = RidgeSolver.Fit(problem, options.Ridge);
        var weights = ridge.Coefficients.AsSpan(0, p).ToArray();
        var baselines = ridge.Coefficients.AsSpan(p, q).ToArray();
        var readout = new LinearReadout(resolved, channels, f, weights, baselines);
        var metadata = new ModelMetadata()
            .Set("model", kernel is null ? "ridge" : "sparse-gpr")
            .Set("representation", spec?.ToString() ?? calculator.Name)
            .Set("energy_key", options.EnergyKey);
        if (options.ForcesKey is not null) metadata.Set("forces_key", options.ForcesKey);
        if (options.VirialKey is not null) metadata.Set("virial_key", options.VirialKey);
        else if (options.StressKey is not null) metadata.Set("stress_key", options.StressKey);
        if (kernel is not null)
            metadata.Set("kernel", FormattableString.Invariant($"zeta={kernel.Zeta}, sparse points {string.Join("/", kernel.Blocks.Select(b => b.PointCount))}, {options.Kernel!.Selection}"));
        metadata.Set("weights", FormattableString.Invariant($"energy {options.EnergyWeight}/sqrt(N), forces {options.ForceWeight}, virial {options.VirialWeight}/sqrt(N)"))
            .Set("training_structures", training.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("training_atoms", training.Sum(t => t.AtomCount).ToString(System.Globalization.CultureInfo.InvariantCulture));
        AddRidgeMetadata(metadata, ridge, "", TargetNames);
        var model = new PotentialModel(spec, calculator, kernel, readout, metadata);
        log?.Invoke($"fit: done in {clock.Elapsed.TotalSeconds:F1} s (alpha={ridge.Alpha:G3}, {ridge.Method})");
        return new PotentialFit(model, ridge, TargetNames);
    }

    /// <summary>Records α, λ, the solve method and the cross-validation errors at the chosen α.</summary>
    internal static void AddRidgeMetadata(ModelMetadata metadata, RidgeResult ridge, string prefix, IReadOnlyList<string> names)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        metadata.Set(prefix + "alpha", ridge.Alpha.ToString("R", c))
            .Set(prefix + "lambda", ridge.Lambda.ToString("R", c))
            .Set(prefix + "solver", (ridge.Dual ? "dual " : "primal ") + ridge.Method.ToString().ToLowerInvariant());
        var chosen = ridge.CrossValidation.FirstOrDefault(p => p.Alpha == ridge.Alpha);
        if (chosen is null) return;
        metadata.Set(prefix + "cv_folds", ridge.Folds.ToString(c));
        for (int k = 0; k < names.Count; k++)
            if (double.IsFinite(chosen.Rmse[k]))
                metadata.Set(prefix + "cv_rmse_" + names[k].Replace('=', '_'), chosen.Rmse[k].ToString("G6", c));
    }

    private static void AddStructure(RidgeProblem problem, FeatureSums sums, Structure structure, double energy, double[]? forces,
        double[]? virial, PotentialFitOptions options, int channels, int f, int q)
    {
        int atoms = structure.AtomCount, p = channels * f, n = p + q;
        int forceRows = forces is null ? 0 : 3 * atoms;
        int virialRows = virial is null || sums.Strain is null ? 0 : 6;
        int m = 1 + forceRows + virialRows;
        var rows = new double[m * n];
        var targets = new double[m];
        var weights = new double[m];
        var kinds = new int[m];
        var counts = new int[m];
        double sqrtN = Math.Sqrt(Math.Max(atoms, 1));

        sums.Values.AsSpan(0, p).CopyTo(rows.AsSpan(0, p));
        for (int s = 0; s < q; s++) rows[p + s] = sums.Counts[s];
        targets[0] = energy;
        weights[0] = options.EnergyWeight / sqrtN;
        kinds[0] = 0;
        counts[0] = atoms;

        for (int k = 0; k < atoms && forceRows > 0; k++)
            for (int d = 0; d < 3; d++)
            {
                int r = 1 + 3 * k + d;
                var row = rows.AsSpan(r * n, n);
                for (int c = 0; c < channels; c++)
                {
                    var src = sums.Positions!.AsSpan(((c * atoms + k) * 3 + d) * f, f);
                    var dst = row.Slice(c * f, f);
                    for (int x = 0; x < f; x++) dst[x] = -src[x];
                }
                targets[r] = forces![3 * k + d];
                weights[r] = options.ForceWeight;
                kinds[r] = 1;
                counts[r] = atoms;
            }

        for (int v = 0; v < virialRows; v++)
        {
            var (a, b) = VirialComponents[v];
            int r = 1 + forceRows + v;
            var row = rows.AsSpan(r * n, n);
            for (int c = 0; c < channels; c++)
            {
                var ab = sums.Strain!.AsSpan((c * 9 + 3 * a + b) * f, f);
                var ba = sums.Strain!.AsSpan((c * 9 + 3 * b + a) * f, f);
                var dst = row.Slice(c * f, f);
                for (int x = 0; x < f; x++) dst[x] = -0.5 * (ab[x] + ba[x]);
            }
            targets[r] = 0.5 * (virial![3 * a + b] + virial[3 * b + a]);
            weights[r] = options.VirialWeight / sqrtN;
            kinds[r] = 2;
            counts[r] = atoms;
        }
        problem.AddGroup(rows, targets, weights, kinds, counts);
    }
}
