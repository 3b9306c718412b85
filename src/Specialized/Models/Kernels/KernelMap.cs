using Specialized.Features;
using Specialized.Models.LinearAlgebra;
using Specialized.Numerics;
using Specialized.Structures;

namespace Specialized.Models.Kernels;

/// <summary>How the sparse (representative) environments are chosen.</summary>
public enum SparseSelection
{
    /// <summary>Farthest-point sampling on the normalised features (start: the first environment).</summary>
    FarthestPoint,
    /// <summary>Deterministic CUR (Imbalzano et al. 2018): repeatedly take the environment with the largest
    /// weight in the leading left singular vector of the residual, then project it out.</summary>
    Cur,
}

/// <summary>Options of <see cref="KernelMap.Fit"/>.</summary>
public sealed record KernelOptions
{
    /// <summary>Exponent ζ ≥ 1 of the polynomial kernel k(i, j) = δ_{a_i a_j} (x̂_i·x̂_j)^ζ.</summary>
    public int Zeta { get; init; } = 2;
    /// <summary>Sparse environments per species M_s (fewer when the training set has fewer environments).</summary>
    public int SparsePoints { get; init; } = 200;
    /// <summary>Selection method.</summary>
    public SparseSelection Selection { get; init; } = SparseSelection.FarthestPoint;
    /// <summary>Eigenvalues of K_MM below this fraction of the largest are dropped (numerical rank).</summary>
    public double RelativeEigenvalueCutoff { get; init; } = 1e-10;
    /// <summary>Threads for the feature computation.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Throws <see cref="InvalidParameterException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (Zeta < 1 || Zeta > 16) throw new InvalidParameterException("zeta", $"must be in 1..16, got {Zeta}");
        if (SparsePoints < 1) throw new InvalidParameterException("sparse-points", $"must be at least 1, got {SparsePoints}");
        if (!(RelativeEigenvalueCutoff > 0 && RelativeEigenvalueCutoff < 1)) throw new InvalidParameterException("eigenvalue-cutoff", $"must be in (0, 1), got {RelativeEigenvalueCutoff}");
        if (Threads < 1) throw new InvalidParameterException("threads", $"must be at least 1, got {Threads}");
    }
}

/// <summary>The sparse environments of one centre species and their projection.</summary>
/// <param name="PointCount">M_s, number of sparse environments.</param>
/// <param name="Rank">R_s ≤ M_s, number of kept eigenvectors of K_MM.</param>
/// <param name="Points">Unit-norm features x̂_m of the sparse environments, [m][feature].</param>
/// <param name="Projection">P_s = Λ^{-1/2} Vᵀ restricted to the kept eigenpairs, [r][m].</param>
public sealed record SparseBlock(int PointCount, int Rank, double[] Points, double[] Projection);

/// <summary>
/// The fitted part of a sparse kernel model in projected-process (subset-of-regressors) form (MATH §8.2).
/// With the polynomial kernel k(i, m) = δ_{a_i a_m} (x̂_i·x̂_m)^ζ on normalised features x̂ = x/‖x‖
/// and M_s sparse environments per species s, K_MM = V Λ Vᵀ, each atom gets the Nyström features
/// <code>
///   φ_i = Λ^{-1/2} Vᵀ k_{M_s}(x_i)     (only the block of its species s = a_i is non-zero)
/// </code>
/// so that φ_i·φ_j is the projected-process approximation of k(i, j), and ridge regression on
/// φ with penalty λ‖β‖² is exactly the SoR solution (K_MN K_NM + λ K_MM) a = K_MN y with a = V Λ^{-1/2} β.
/// <see cref="KernelFeatureCalculator"/> evaluates φ (and its gradients) for any structure.
/// </summary>
public sealed class KernelMap
{
    /// <summary>Creates a map from fitted data (one block per species channel, in species-list order).</summary>
    public KernelMap(int zeta, int inputFeatureCount, IReadOnlyList<SparseBlock> blocks)
    {
        if (zeta < 1) throw new InvalidParameterException("zeta", $"must be at least 1, got {zeta}");
        if (inputFeatureCount < 1) throw new InvalidParameterException("inputFeatureCount", $"must be at least 1, got {inputFeatureCount}");
        ArgumentNullException.ThrowIfNull(blocks);
        foreach (var b in blocks)
        {
            if (b.PointCount < 0 || b.Rank < 0 || b.Rank > b.PointCount
                || b.Points.Length != b.PointCount * inputFeatureCount || b.Projection.Length != b.Rank * b.PointCount)
                throw new InvalidParameterException("blocks", "a sparse block's sizes are inconsistent");
        }
        Zeta = zeta;
        InputFeatureCount = inputFeatureCount;
        Blocks = [.. blocks];
        Offsets = new int[Blocks.Count + 1];
        for (int s = 0; s < Blocks.Count; s++) Offsets[s + 1] = Offsets[s] + Blocks[s].Rank;
    }

    /// <summary>Kernel exponent ζ.</summary>
    public int Zeta { get; }
    /// <summary>Feature count of the underlying representation.</summary>
    public int InputFeatureCount { get; }
    /// <summary>One block per species channel.</summary>
    public IReadOnlyList<SparseBlock> Blocks { get; }
    /// <summary>Start of each species' block in φ (length species + 1).</summary>
    internal int[] Offsets { get; }
    /// <summary>Length of φ: Σ_s R_s.</summary>
    public int FeatureCount => Offsets[^1];

    /// <summary>
    /// Selects sparse environments among the atoms of <paramref name="structures"/> and builds the projections.
    /// <paramref name="inner"/> must give invariant features (one component).
    /// </summary>
    public static KernelMap Fit(IFeatureCalculator inner, IReadOnlyList<Structure> structures, KernelOptions options, IDenseSolver? solver = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(structures);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (inner.ComponentCount != 1)
            throw new InvalidParameterException("representation", $"the polynomial kernel needs invariant features, '{inner.Name}' has {inner.ComponentCount} components");
        solver ??= DenseSolvers.Default;
        int f = inner.FeatureCount, species = inner.Species.Count;
        var perSpecies = new List<double[]>[species];
        for (int s = 0; s < species; s++) perSpecies[s] = [];
        var computer = new FeatureComputer(inner, 1);
        var results = new FeatureResult[structures.Count];
        Parallelism.For(structures.Count, options.Threads, k => results[k] = computer.Compute(structures[k]));
        for (int k = 0; k < structures.Count; k++)
        {
            var index = inner.Species.Assign(structures[k]);
            for (int i = 0; i < index.Length; i++)
            {
                var x = results[k].Row(i).ToArray();
                if (Normalise(x) > 0) perSpecies[index[i]].Add(x);
            }
        }

        var blocks = new SparseBlock[species];
        for (int s = 0; s < species; s++)
        {
            var env = perSpecies[s];
            int m = Math.Min(options.SparsePoints, env.Count);
            int[] chosen = options.Selection == SparseSelection.FarthestPoint
                ? SparseSelector.FarthestPoint(env, m)
                : SparseSelector.Cur(env, m);
            m = chosen.Length;
            var points = new double[m * f];
            for (int r = 0; r < m; r++) env[chosen[r]].CopyTo(points, r * f);
            blocks[s] = Project(points, m, f, options.Zeta, options.RelativeEigenvalueCutoff, solver);
        }
        return new KernelMap(options.Zeta, f, blocks);
    }

    /// <summary>Builds P = Λ^{-1/2} Vᵀ from K_MM = (X̂_M X̂_Mᵀ)^ζ, keeping eigenvalues above the cutoff (largest first).</summary>
    private static SparseBlock Project(double[] points, int m, int f, int zeta, double cutoff, IDenseSolver solver)
    {
        if (m == 0) return new SparseBlock(0, 0, [], []);
        var k = new double[m * m];
        solver.Multiply(points, m, f, points, m, k, transposeB: true);
        for (int i = 0; i < k.Length; i++) k[i] = Math.Pow(k[i], zeta);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < i; j++)
            {
                double avg = 0.5 * (k[i * m + j] + k[j * m + i]);
                k[i * m + j] = avg;
                k[j * m + i] = avg;
            }
        var w = new double[m];
        var v = new double[m * m];
        solver.SymmetricEigen(k, m, w, v);
        double max = w[m - 1];
        var kept = new List<int>();
        for (int e = m - 1; e >= 0; e--)
            if (w[e] > cutoff * max) kept.Add(e);
        var projection = new double[kept.Count * m];
        for (int r = 0; r < kept.Count; r++)
        {
            int e = kept[r];
            double scale = 1 / Math.Sqrt(w[e]);
            // Fix the eigenvector sign (largest-magnitude entry positive) so that fits are reproducible across solvers.
            int arg = 0;
            for (int i = 1; i < m; i++)
                if (Math.Abs(v[i * m + e]) > Math.Abs(v[arg * m + e])) arg = i;
            if (v[arg * m + e] < 0) scale = -scale;
            for (int i = 0; i < m; i++) projection[r * m + i] = scale * v[i * m + e];
        }
        return new SparseBlock(m, kept.Count, points, projection);
    }

    /// <summary>x ← x/‖x‖; returns ‖x‖ (x unchanged when it is zero).</summary>
    internal static double Normalise(Span<double> x)
    {
        double norm = Math.Sqrt(VectorMath.Dot(x, x));
        if (norm > 0)
            for (int k = 0; k < x.Length; k++) x[k] /= norm;
        return norm;
    }

    internal void WriteTo(BinaryWriter w)
    {
        w.Write(Zeta);
        w.Write(InputFeatureCount);
        w.Write(Blocks.Count);
        foreach (var b in Blocks)
        {
            w.Write(b.PointCount);
            w.Write(b.Rank);
            Serialization.Binary.WriteDoubles(w, b.Points);
            Serialization.Binary.WriteDoubles(w, b.Projection);
        }
    }

    internal static KernelMap ReadFrom(BinaryReader r)
    {
        int zeta = r.ReadInt32();
        int f = r.ReadInt32();
        int count = Serialization.Binary.ReadCount(r, 200, "kernel blocks");
        var blocks = new SparseBlock[count];
        for (int s = 0; s < count; s++)
        {
            int m = r.ReadInt32(), rank = r.ReadInt32();
            var points = Serialization.Binary.ReadDoubles(r);
            var projection = Serialization.Binary.ReadDoubles(r);
            blocks[s] = new SparseBlock(m, rank, points, projection);
        }
        return new KernelMap(zeta, f, blocks);
    }
}
