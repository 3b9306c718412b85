using System.Globalization;
using Specialized.Density;

namespace Specialized.Correlations.Nice;

/// <summary>How neighbour species enter the ν=1 channels (MATH §5.2, §6.3).</summary>
public enum NiceSpeciesMode
{
    /// <summary>
    /// One channel per species, folded with the radial index as in NICE: ν=1 feature q = a·N_l + n
    /// (MATH §11). Feature counts grow with the number of species.
    /// </summary>
    PerSpecies = 0,
    /// <summary>
    /// Tensor-reduced (MATH §6.3.5, "R + Z" mixing, element-wise coupling): per factor position t a
    /// matrix W^(t) maps (species, n) to K channels, Ã^(t)_{k l m} = Σ_{a n} W^(t)_{(a,n) k} c_{a n l m},
    /// and every body-order product is taken channel by channel. Feature counts do not depend on the
    /// number of species.
    /// </summary>
    TensorReduced = 1,
}

/// <summary>Where the tensor-reduced mixing matrices W^(t) come from.</summary>
public enum SpeciesEmbeddingKind
{
    /// <summary>
    /// i.i.d. N(0, 1) entries, a separate matrix per factor position t ("tensor sketch"); entry
    /// W^(t)_{(a,n) k} depends only on (Z_a, seed, t, n, k), so adding an element leaves the rows of the
    /// others unchanged (MATH §6.3.5 item 5).
    /// </summary>
    Random = 0,
    /// <summary>
    /// Data-driven alchemical compression (MATH §6.2): the K leading eigenvectors of the uncentred second
    /// moment of the ν=1 channels (a, n) over (environment, l, m) rows, shared by every factor position.
    /// </summary>
    Fitted = 1,
    /// <summary>User-supplied matrices (<see cref="NiceParameters.CustomEmbedding"/>), one per factor position.</summary>
    Custom = 2,
}

/// <summary>Scaling of the ν=1 coefficients before the iteration.</summary>
public enum NiceScaling
{
    /// <summary>No scaling.</summary>
    None = 0,
    /// <summary>
    /// One global factor s = 1/√(mean over training environments of Σ_{a n} c_{a n 0 0}²) (NICE's
    /// "signal integral" scaler with individually=False), so products of every order stay O(1).
    /// </summary>
    Global = 1,
}

/// <summary>
/// Widths of one body-order step ν → ν+1 (MATH §5.4–5.7). Every width is optional: null means
/// "everything" (no thresholding for Expand*, no contraction for Keep*: the identity projection).
/// </summary>
/// <param name="ExpandCovariant">Number of (feature, k, feature, l) tasks kept per output inversion parity in the covariant branch.</param>
/// <param name="KeepCovariant">PCA components kept per (λ, σ) block of the covariant branch (null = no contraction).</param>
/// <param name="ExpandInvariant">Number of tasks kept in the invariant branch (λ = 0, σ = +1 outputs only).</param>
/// <param name="KeepInvariant">PCA components kept for the invariants of this order (null = no contraction).</param>
public sealed record NiceStep(int? ExpandCovariant, int? KeepCovariant, int? ExpandInvariant, int? KeepInvariant)
{
    /// <summary>The NICE tutorial's step: expand 150 / keep 50 covariants, expand 300 / keep 200 invariants.</summary>
    public static NiceStep Tutorial { get; } = new(150, 50, 300, 200);

    /// <summary>The full recursion: no thresholding, no contraction.</summary>
    public static NiceStep All { get; } = new(null, null, null, null);

    /// <summary>Text form <c>COV/INV expand, COV/INV keep</c> with "all" for null.</summary>
    public override string ToString() =>
        $"expand {Text(ExpandCovariant)}/{Text(ExpandInvariant)}, keep {Text(KeepCovariant)}/{Text(KeepInvariant)}";

    internal static string Text(int? v) => v is { } x ? x.ToString(CultureInfo.InvariantCulture) : "all";

    internal void Validate(int order)
    {
        Check(ExpandCovariant, "expand (covariant)");
        Check(KeepCovariant, "keep (covariant)");
        Check(ExpandInvariant, "expand (invariant)");
        Check(KeepInvariant, "keep (invariant)");
        void Check(int? v, string what)
        {
            if (v is < 1) throw new InvalidParameterException(what, $"must be at least 1 (or all) at body order {order}, got {v}");
        }
    }
}

/// <summary>
/// Optional purification (MATH §5.6): before the contraction, each new block is replaced by its residual
/// after a ridge regression (α = 1e-12 × mean diagonal of the normal matrix) on the first
/// <see cref="MaxTakeCovariant"/> / <see cref="MaxTakeInvariant"/> features of every lower order's block with
/// the same (λ, σ); no intercept for covariants (it would break equivariance), an intercept for invariants.
/// </summary>
/// <param name="MaxTakeCovariant">Features taken from each lower order's same-(λ, σ) block.</param>
/// <param name="MaxTakeInvariant">Features taken from each lower order's invariants.</param>
public sealed record NicePurification(int MaxTakeCovariant = 10, int MaxTakeInvariant = 50);

/// <summary>
/// Everything that defines a NICE / tensor-reduced representation except the fitted numbers: the
/// density hyperparameters, the species channels, the body order and λ cap, and the widths of every
/// step. A fitted <see cref="NiceModel"/> records its parameters; loading a contraction file into
/// different parameters is an error naming the first difference.
/// </summary>
public sealed record NiceParameters
{
    /// <summary>ν=1 density hyperparameters.</summary>
    public SoapParameters Density { get; init; } = new();

    /// <summary>Largest body order ν_max ≥ 1 (number of density factors); invariants of every ν ≤ ν_max are returned.</summary>
    public int BodyOrder { get; init; } = 3;

    /// <summary>Cap λ_max on the angular momentum of every equivariant block (null: the density's l_max).</summary>
    public int? MaxLambda { get; init; }

    /// <summary>
    /// Widths of the steps to ν = 2 … ν_max, in order; a shorter list repeats its last entry (an empty list
    /// means <see cref="NiceStep.Tutorial"/> for every step).
    /// </summary>
    public IReadOnlyList<NiceStep> Steps { get; init; } = [];

    /// <summary>
    /// Per-species mode only: PCA components kept per l of the ν=1 density (MATH §5.4 step 2), or null for
    /// no contraction (the raw (a, n) channels).
    /// </summary>
    public int? InitialKeep { get; init; }

    /// <summary>Species handling.</summary>
    public NiceSpeciesMode SpeciesMode { get; init; } = NiceSpeciesMode.PerSpecies;

    /// <summary>Tensor-reduced rank K (number of mixed channels).</summary>
    public int SpeciesRank { get; init; } = 8;

    /// <summary>Origin of the tensor-reduced mixing matrices.</summary>
    public SpeciesEmbeddingKind Embedding { get; init; } = SpeciesEmbeddingKind.Random;

    /// <summary>Seed of the random mixing matrices.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Custom mixing matrices for <see cref="SpeciesEmbeddingKind.Custom"/>: one per factor position
    /// t = 1 … ν_max (a single matrix is used for every position), each row-major (A·N) × K with row
    /// a·N + n (a the species channel, N the largest radial count).
    /// </summary>
    public IReadOnlyList<double[]>? CustomEmbedding { get; init; }

    /// <summary>Scaling of the ν=1 coefficients.</summary>
    public NiceScaling Scaling { get; init; } = NiceScaling.Global;

    /// <summary>Purification against lower orders, or null for none.</summary>
    public NicePurification? Purification { get; init; }

    /// <summary>
    /// Also fit the covariant branch at ν_max, so that the equivariant blocks of the last order are
    /// available (<see cref="NiceModel.CreateEquivariantCalculator"/>). Otherwise the last step is
    /// invariants-only (NICE's usual last block) and the equivariant blocks are those of order ν_max − 1.
    /// </summary>
    public bool CovariantsAtLastOrder { get; init; }

    /// <summary>The λ cap in effect.</summary>
    public int LambdaCap => MaxLambda ?? Density.LMax;

    /// <summary>The widths of the step producing order <paramref name="order"/> (2 … ν_max).</summary>
    public NiceStep StepFor(int order)
    {
        if (Steps.Count == 0) return NiceStep.Tutorial;
        return Steps[Math.Min(order - 2, Steps.Count - 1)];
    }

    /// <summary>Throws <see cref="InvalidParameterException"/> naming the first invalid parameter.</summary>
    public void Validate()
    {
        Density.Validate();
        if (BodyOrder < 1 || BodyOrder > 8) throw new InvalidParameterException("body-order", $"must be in 1..8, got {BodyOrder}");
        int largest = Math.Max(1, BodyOrder) * Density.LMax;
        if (MaxLambda is { } cap && (cap < 0 || cap > largest))
            throw new InvalidParameterException("max-lambda", $"must be in 0..ν_max·l_max = {largest}, got {cap}");
        for (int order = 2; order <= BodyOrder; order++) StepFor(order).Validate(order);
        if (InitialKeep is < 1) throw new InvalidParameterException("initial-keep", $"must be at least 1 (or all), got {InitialKeep}");
        if (SpeciesMode == NiceSpeciesMode.TensorReduced)
        {
            if (SpeciesRank < 1 || SpeciesRank > 100000) throw new InvalidParameterException("species-rank", $"must be in 1..100000, got {SpeciesRank}");
            if (Embedding == SpeciesEmbeddingKind.Custom && (CustomEmbedding is null || CustomEmbedding.Count == 0))
                throw new InvalidParameterException("embedding", "custom embedding needs CustomEmbedding matrices");
        }
        if (Purification is { } p && (p.MaxTakeCovariant < 1 || p.MaxTakeInvariant < 1))
            throw new InvalidParameterException("purify", $"max-take must be at least 1, got {p.MaxTakeCovariant}/{p.MaxTakeInvariant}");
    }
}
