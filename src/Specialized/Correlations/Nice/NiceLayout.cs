using Specialized.Angular;

namespace Specialized.Correlations.Nice;

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Fitted-parameter layout of a NICE / tensor-reduced model (the data a generated kernel loads at run
// time; MATH §5, §6.3.5, §11).
//
// Channels. Every block carries a channel index c = 0 … C−1: C = 1 in per-species mode (the species
// live inside the feature index, q = a·N_l + n), C = K in tensor-reduced mode (products are taken
// channel by channel, and every projection below is shared by all channels).
//
// Density (order 1). For each factor position t (one shared map per-species, t = 1 … ν_max
// tensor-reduced) and each l ≤ l_max a row-major map M^(t)_l of shape (A·N_l) × (C·F_l):
//     D^(t)_l[m][c][f] = Σ_q c_{l m q} M^(t)_l[q][c·F_l + f],      q = a·N_l + n
// (per species: M = s·V_l, the initial PCA or the identity; tensor-reduced: F_l = 1 and
// M[(a,n)][k] = s·W^(t)[a·N + n][k]). s is the global scale. The order-1 blocks are (λ=l, σ=+1),
// l ≤ min(l_max, λ_max), values D^(1)_l.
//
// Block values, every order: [μ][c][p], μ = −λ…λ slowest, feature p fastest ((2λ+1)·C·Width numbers).
// Gradients: [dir][μ][c][p] with dir = 3·(local pair) + Cartesian direction (FeatureComputer order).
//
// Step ν → ν+1, per output block (λ, σ) of a branch (covariant branch: every (λ, σ) with λ ≤ λ_max;
// invariant branch: (0, +1) only):
//  1. Expansion X[μ][c][x], x = 0 … ExpandedWidth−1, a list of coupling groups in canonical order
//     (input block of order ν in its canonical order, then density l ascending). Group g couples input
//     block b = (k, σ_b) with density l into λ with the real CG table C^{k l λ} (featomic convention,
//     block first, density second) for its list of (p1, f2) pairs, columns Offset … Offset+Count−1:
//        X[μ][c][Offset+i] = Σ_{κ, m} C^{k l λ}[κ, m, μ] T_b[κ][c][p1_i] · D^(ν+1)_l[m][c][f2_i]
//     σ = σ_b (−1)^{k+l+λ}. Pairs keep the enumeration order (p1 outer, f2 inner).
//  2. Optional purification: X ← X − R β (− 1·β₀ for invariants), R[μ][c][r] the concatenation of
//     the first Take features of each lower-order same-(λ, σ) block listed in Regressors; β row-major
//     (Σ Take) × ExpandedWidth.
//  3. Contraction Y[μ][c][j] = Σ_x X[μ][c][x] V[x][j], V row-major ExpandedWidth × Width (absent: the
//     identity, Width = ExpandedWidth). Importances (length Width) drive the next step's thresholding.
//
// The source generator hard-codes every (k, l, λ) coupling path (the CG tables; INiceKernel, NicePart.cs) and
// NiceDescriptor<TRep> loops over the (p1, f2) pair lists and V, β, M of the fitted model.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/// <summary>
/// O(3) label of an equivariant block: angular momentum λ and σ = ±1 (the block picks up σ(−1)^λ under
/// inversion, MATH §0). Canonical order: λ ascending, then σ = +1 before σ = −1.
/// </summary>
/// <param name="Lambda">Angular momentum λ ≥ 0.</param>
/// <param name="Sigma">+1 (true tensor) or −1 (pseudotensor).</param>
public readonly record struct NiceBlockKey(int Lambda, int Sigma) : IComparable<NiceBlockKey>
{
    /// <summary>Inversion eigenvalue π = σ(−1)^λ (NICE's even/odd containers).</summary>
    public int Parity => (Lambda & 1) == 0 ? Sigma : -Sigma;

    /// <inheritdoc/>
    public int CompareTo(NiceBlockKey other) =>
        Lambda != other.Lambda ? Lambda.CompareTo(other.Lambda) : other.Sigma.CompareTo(Sigma);

    /// <inheritdoc/>
    public override string ToString() => $"(λ={Lambda}, σ={(Sigma > 0 ? "+1" : "-1")})";
}

/// <summary>One non-zero CG entry with 0-based component indices (κ+k, m+l, μ+λ).</summary>
internal readonly record struct CgTerm(int Kappa, int M, int Mu, double Value);

/// <summary>
/// The pairs (p1, f2) of one coupling path (input block (k, σ_b) of the previous order) ⊗ (density l) → λ,
/// occupying expanded columns [Offset, Offset + Count).
/// </summary>
internal sealed class CouplingGroup
{
    public CouplingGroup(int inputBlock, int inputLambda, int inputSigma, int l, int lambda, int offset, int[] p1, int[] f2)
    {
        InputBlock = inputBlock;
        InputLambda = inputLambda;
        InputSigma = inputSigma;
        L = l;
        Lambda = lambda;
        Offset = offset;
        P1 = p1;
        F2 = f2;
        var table = ClebschGordan.Real(inputLambda, l, lambda);
        var terms = new CgTerm[table.Count];
        for (int k = 0; k < terms.Length; k++)
            terms[k] = new CgTerm(table.EntryM1(k) + inputLambda, table.EntryM2(k) + l, table.EntryM(k) + lambda, table.EntryValue(k));
        Terms = terms;
    }

    /// <summary>Index of the input block in the previous order's covariant block list.</summary>
    public int InputBlock { get; }
    /// <summary>λ (= k) of the input block.</summary>
    public int InputLambda { get; }
    /// <summary>σ of the input block.</summary>
    public int InputSigma { get; }
    /// <summary>Angular channel l of the density factor.</summary>
    public int L { get; }
    /// <summary>Output λ.</summary>
    public int Lambda { get; }
    /// <summary>First expanded column.</summary>
    public int Offset { get; }
    /// <summary>Input-block feature of each pair.</summary>
    public int[] P1 { get; }
    /// <summary>Density feature of each pair.</summary>
    public int[] F2 { get; }
    /// <summary>Number of pairs (columns).</summary>
    public int Count => P1.Length;
    /// <summary>Sparse real CG table C^{k l λ} (sorted by μ, κ, m).</summary>
    public CgTerm[] Terms { get; }
}

/// <summary>A lower-order block used as a purification regressor: its first <see cref="Take"/> features.</summary>
/// <param name="Order">Body order ν' of the block.</param>
/// <param name="Block">Index in that order's covariant list, or −1 for the order's invariant block.</param>
/// <param name="Take">Number of leading features used.</param>
internal readonly record struct RegressorRef(int Order, int Block, int Take);

/// <summary>Fitted purification X ← X − R β − β₀ (MATH §5.6).</summary>
internal sealed class Purifier
{
    public Purifier(RegressorRef[] regressors, double[] coefficients, double[]? intercept)
    {
        Regressors = regressors;
        Coefficients = coefficients;
        Intercept = intercept;
        RegressorCount = regressors.Sum(r => r.Take);
    }

    public RegressorRef[] Regressors { get; }
    /// <summary>Σ Take.</summary>
    public int RegressorCount { get; }
    /// <summary>β, row-major RegressorCount × ExpandedWidth.</summary>
    public double[] Coefficients { get; }
    /// <summary>β₀ (invariants only), length ExpandedWidth, or null.</summary>
    public double[]? Intercept { get; }
}

/// <summary>One fitted (λ, σ) block of one order: expansion, purification, contraction.</summary>
internal sealed class FittedBlock
{
    public FittedBlock(NiceBlockKey key, int order, CouplingGroup[] groups, int expandedWidth, Purifier? purifier,
        double[]? projection, int width, double[] importances, int densityL = -1)
    {
        Key = key;
        Order = order;
        Groups = groups;
        ExpandedWidth = expandedWidth;
        Purifier = purifier;
        Projection = projection;
        Width = width;
        Importances = importances;
        DensityL = densityL;
    }

    public NiceBlockKey Key { get; }
    public int Order { get; }
    /// <summary>Coupling groups in canonical order (empty for order-1 blocks).</summary>
    public CouplingGroup[] Groups { get; }
    public int ExpandedWidth { get; }
    public Purifier? Purifier { get; }
    /// <summary>V, row-major ExpandedWidth × Width, or null for the identity.</summary>
    public double[]? Projection { get; }
    /// <summary>Features per channel after the contraction.</summary>
    public int Width { get; }
    /// <summary>Normalised importances (sum 1), length Width.</summary>
    public double[] Importances { get; }
    /// <summary>For order-1 blocks: the density channel l; −1 otherwise.</summary>
    public int DensityL { get; }
    /// <summary>Number of components 2λ+1.</summary>
    public int Components => 2 * Key.Lambda + 1;
}

/// <summary>The fitted blocks of one body order.</summary>
internal sealed class OrderModel
{
    public OrderModel(int order, FittedBlock[] covariant, FittedBlock? invariant)
    {
        Order = order;
        Covariant = covariant;
        Invariant = invariant;
        StorageBlocks = invariant is null ? covariant : [.. covariant, invariant];
    }

    public int Order { get; }
    /// <summary>Covariant blocks in canonical (λ, σ) order (empty when this order has no covariant branch).</summary>
    public FittedBlock[] Covariant { get; }
    /// <summary>The invariant-branch block (order ≥ 2), or null at order 1 (whose invariants are Covariant[0]).</summary>
    public FittedBlock? Invariant { get; }

    /// <summary>The block holding the invariants of this order.</summary>
    public FittedBlock Invariants => Invariant ?? Covariant[0];

    /// <summary>Blocks in storage order: covariant blocks, then the invariant block.</summary>
    public FittedBlock[] StorageBlocks { get; }

    /// <summary>Storage index of <paramref name="block"/> (−1: the invariant block).</summary>
    public int StorageIndex(int block) => block >= 0 ? block : Invariant is null ? 0 : Covariant.Length;
}

/// <summary>The fitted ν=1 maps (see the layout note above).</summary>
internal sealed class DensityModel
{
    public DensityModel(int channels, int[] features, double[][][] maps, double[][] importances, double scale, double[][]? embedding)
    {
        Channels = channels;
        Features = features;
        Maps = maps;
        Importances = importances;
        Scale = scale;
        Embedding = embedding;
        IdentityScale = new double[features.Length];
        for (int l = 0; l < features.Length; l++)
            IdentityScale[l] = maps[0][l].Length == 0 && features[l] > 0 ? scale
                : channels == 1 && features[l] > 0 && factorsAreIdentity(l) ? maps[0][l][0] : double.NaN;

        bool factorsAreIdentity(int l)
        {
            int w = features[l];
            foreach (var factor in maps)
            {
                var map = factor[l];
                if (map.Length != w * w) return false;
                for (int i = 0; i < w; i++)
                    for (int j = 0; j < w; j++)
                        if (map[i * w + j] != (i == j ? map[0] : 0.0)) return false;
            }
            return true;
        }
    }

    /// <summary>Per l: s when every map M^(t)_l is s times the identity (stored empty or dense; the density is the scaled raw channels), else NaN.</summary>
    public double[] IdentityScale { get; }

    /// <summary>C: 1 per species, K tensor-reduced.</summary>
    public int Channels { get; }
    /// <summary>F_l, features per channel of the density at l.</summary>
    public int[] Features { get; }
    /// <summary>M^(t)_l, [factor][l] row-major (A·N_l) × (C·F_l); an empty array stands for s·I (per species, no initial contraction).</summary>
    public double[][][] Maps { get; }
    /// <summary>Importance of each density feature, [l][f], normalised per l.</summary>
    public double[][] Importances { get; }
    /// <summary>Global scale s (1 when unscaled).</summary>
    public double Scale { get; }
    /// <summary>Tensor-reduced W^(t) [factor] row-major (A·N) × K (unscaled), or null per species.</summary>
    public double[][]? Embedding { get; }
    /// <summary>Number of factor positions with their own map (1 per species, ν_max tensor-reduced).</summary>
    public int FactorCount => Maps.Length;
    /// <summary>Largest l.</summary>
    public int LMax => Features.Length - 1;
}
