using System.Diagnostics;
using Specialized.Features;
using Specialized.Models.Kernels;
using Specialized.Models.Regression;
using Specialized.Structures;

namespace Specialized.Models;

/// <summary>Options of <see cref="TensorTrainer"/>.</summary>
public sealed record TensorFitOptions
{
    /// <summary>Info key of the target: a dipole (3 values) or a polarizability (9 values, row-major 3×3).</summary>
    public string Key { get; init; } = "mu";
    /// <summary>Separate weights per centre species.</summary>
    public bool SpeciesResolved { get; init; } = true;
    /// <summary>
    /// Symmetry-adapted sparse kernel (SA-GPR, <see cref="EquivariantKernelMap"/>) options, or null for a linear
    /// model on the equivariant features. The kernel needs an invariant representation for its modulation.
    /// </summary>
    public KernelOptions? Kernel { get; init; }
    /// <summary>Regularisation grid, folds and solver (each λ block is cross-validated separately).</summary>
    public RidgeOptions Ridge { get; init; } = new();
    /// <summary>Threads for the feature computation.</summary>
    public int Threads { get; init; } = 1;
    /// <summary>Progress messages, or null.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>A fitted tensor model and the ridge result of each λ block.</summary>
public sealed record TensorFit(TensorModel Model, IReadOnlyList<RidgeResult> Blocks);

/// <summary>A representation for one λ block: its spec (may be null: not savable) and calculator.</summary>
/// <param name="Spec">Description for the model file.</param>
/// <param name="Calculator">The calculator (2λ+1 components).</param>
public sealed record BlockRepresentation(RepresentationSpec? Spec, IFeatureCalculator Calculator)
{
    /// <summary>A built-in or registered representation.</summary>
    public static BlockRepresentation From(RepresentationSpec spec) => new(spec, RepresentationCatalog.Create(spec));
}

/// <summary>
/// Fits symmetry-adapted linear models of tensors (MATH §8.3): for each λ block the rows are the 2λ+1
/// spherical components of every structure, (A, μ) → Σ_{i∈A, c(i)=c} T_{i, μ, q} with weights shared across
/// μ, targets from <see cref="SphericalTensors"/>; no bias for λ &gt; 0, per-species baselines for λ = 0.
/// </summary>
public static class TensorTrainer
{
    /// <summary>
    /// Dipole model from a λ = 1, σ = +1 block; <paramref name="scalar"/> is the invariant representation of the
    /// kernel modulation, required when <see cref="TensorFitOptions.Kernel"/> is set.
    /// </summary>
    public static TensorFit FitDipole(BlockRepresentation representation, IReadOnlyList<Structure> training, TensorFitOptions options, BlockRepresentation? scalar = null)
    {
        ArgumentNullException.ThrowIfNull(representation);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        var targets = new double[training.Count][];
        for (int k = 0; k < training.Count; k++)
        {
            var mu = Targets.Vector(training[k], options.Key, 3, k);
            targets[k] = new double[3];
            SphericalTensors.VectorToSpherical(mu, targets[k]);
        }
        var (block, ridge) = FitBlock(1, representation, training, targets, bias: false, options, scalar);
        var metadata = Metadata(options, training, [ridge]);
        var model = new TensorModel(ModelKind.Dipole, [block], metadata);
        return new TensorFit(model, [ridge]);
    }

    /// <summary>
    /// Polarizability model from an invariant block (λ = 0) and a λ = 2, σ = +1 block. With a kernel, the
    /// invariant block also serves as the modulation of both blocks' kernels.
    /// </summary>
    public static TensorFit FitPolarizability(BlockRepresentation scalar, BlockRepresentation tensor, IReadOnlyList<Structure> training, TensorFitOptions options)
    {
        ArgumentNullException.ThrowIfNull(scalar);
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        var t0 = new double[training.Count][];
        var t2 = new double[training.Count][];
        for (int k = 0; k < training.Count; k++)
        {
            var alpha = Targets.Vector(training[k], options.Key, 9, k);
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < a; b++)
                    if (Math.Abs(alpha[3 * a + b] - alpha[3 * b + a]) > 1e-6 * (1 + Math.Abs(alpha[3 * a + b])))
                        throw new InvalidStructureException($"structure {k}: polarizability '{options.Key}' is not symmetric ({alpha[3 * a + b]} vs {alpha[3 * b + a]})");
            t0[k] = new double[1];
            t2[k] = new double[5];
            SphericalTensors.MatrixToSpherical(alpha, 0, t0[k]);
            SphericalTensors.MatrixToSpherical(alpha, 2, t2[k]);
        }
        var (b0, r0) = FitBlock(0, scalar, training, t0, bias: true, options, scalar);
        var (b2, r2) = FitBlock(2, tensor, training, t2, bias: false, options, scalar);
        var model = new TensorModel(ModelKind.Polarizability, [b0, b2], Metadata(options, training, [r0, r2]));
        return new TensorFit(model, [r0, r2]);
    }

    private static ModelMetadata Metadata(TensorFitOptions options, IReadOnlyList<Structure> training, IReadOnlyList<RidgeResult> ridges)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var metadata = new ModelMetadata()
            .Set("model", options.Kernel is null ? "symmetry-adapted ridge" : "symmetry-adapted sparse GPR")
            .Set("target_key", options.Key)
            .Set("training_structures", training.Count.ToString(c));
        if (options.Kernel is { } k)
            metadata.Set("kernel", FormattableString.Invariant($"zeta={k.Zeta}, up to {k.SparsePoints} sparse points per species, {k.Selection}"));
        for (int b = 0; b < ridges.Count; b++)
            PotentialTrainer.AddRidgeMetadata(metadata, ridges[b], $"block{b}_", ["components"]);
        return metadata;
    }

    /// <summary>Fits one λ block to per-structure spherical targets (2λ+1 values each).</summary>
    public static (TensorBlock Block, RidgeResult Ridge) FitBlock(int lambda, BlockRepresentation representation, IReadOnlyList<Structure> training,
        IReadOnlyList<double[]> targets, bool bias, TensorFitOptions options, BlockRepresentation? scalar = null)
    {
        ArgumentNullException.ThrowIfNull(representation);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        options.Ridge.Validate();
        if (training.Count == 0) throw new InvalidParameterException("training", "no training structures");
        if (bias && lambda != 0) throw new InvalidParameterException("bias", "only λ = 0 blocks can have baselines");
        var calculator = representation.Calculator;
        int components = 2 * lambda + 1;
        if (calculator.ComponentCount != components)
            throw new InvalidParameterException("representation", $"block λ={lambda} needs {components} components, '{calculator.Name}' has {calculator.ComponentCount}");
        var clock = Stopwatch.StartNew();
        TensorKernel? kernel = null;
        IFeatureCalculator features = calculator;
        bool resolved = options.SpeciesResolved;
        if (options.Kernel is { } kernelOptions)
        {
            if (scalar is null) throw new InvalidParameterException("kernel", "a symmetry-adapted kernel needs an invariant representation for its modulation");
            options.Log?.Invoke($"fit: λ={lambda}: selecting {kernelOptions.SparsePoints} sparse environments per species (zeta={kernelOptions.Zeta})");
            var map = EquivariantKernelMap.Fit(calculator, scalar.Calculator, training, kernelOptions with { Threads = options.Threads }, options.Ridge.Solver);
            kernel = new TensorKernel(scalar.Spec, scalar.Calculator, map);
            features = new EquivariantKernelCalculator(calculator, scalar.Calculator, map);
            resolved = false; // the Nyström features are already species blocks
        }
        options.Log?.Invoke($"fit: λ={lambda}: computing {features.Name} features ({features.FeatureCount} per atom) of {training.Count} structures");
        var sums = FeatureSums.Compute(features, training, resolved, GradientKinds.None, options.Threads);
        int channels = resolved ? calculator.Species.Count : 1;
        int props = features.FeatureCount / components;
        int p = channels * props, q = bias ? calculator.Species.Count : 0, n = p + q;
        var problem = new RidgeProblem(p, q, [$"lambda={lambda}"]);
        for (int k = 0; k < training.Count; k++)
        {
            if (targets[k].Length != components) throw new InvalidParameterException("targets", $"structure {k} has {targets[k].Length} components, expected {components}");
            var rows = new double[components * n];
            for (int mu = 0; mu < components; mu++)
            {
                for (int c = 0; c < channels; c++)
                    sums[k].Values.AsSpan((c * components + mu) * props, props).CopyTo(rows.AsSpan(mu * n + c * props, props));
                for (int s = 0; s < q; s++) rows[mu * n + p + s] = sums[k].Counts[s];
            }
            problem.AddGroup(rows, targets[k], Enumerable.Repeat(1.0, components).ToArray(), new int[components],
                Enumerable.Repeat(training[k].AtomCount, components).ToArray());
        }
        var ridge = RidgeSolver.Fit(problem, options.Ridge);
        var readout = new LinearReadout(resolved, channels, props, ridge.Coefficients.AsSpan(0, p).ToArray(), ridge.Coefficients.AsSpan(p, q).ToArray());
        options.Log?.Invoke($"fit: λ={lambda}: alpha={ridge.Alpha:G3} ({ridge.Method}), {clock.Elapsed.TotalSeconds:F1} s");
        return (new TensorBlock(lambda, representation.Spec, calculator, readout, kernel), ridge);
    }
}
