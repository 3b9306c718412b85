using Specialized.Density;
using Specialized.Features;
using Specialized.Models.LinearAlgebra;
using Specialized.Numerics;
using Specialized.Serialization;
using Specialized.Structures;

namespace Specialized.Models.Kernels;

/// <summary>Sparse environments of one species for an equivariant kernel, and their projection.</summary>
/// <param name="PointCount">M_s.</param>
/// <param name="Rank">R_s, kept eigenvectors of the (C·M_s)² matrix K_MM.</param>
/// <param name="Tensors">Scaled equivariant features T̂_m = T_m/‖x_m‖, [m][μ][q].</param>
/// <param name="Scalars">Normalised invariant features x̂_m, [m][f].</param>
/// <param name="Projection">P_s = Λ^{-1/2} Vᵀ, [r][(m, μ')].</param>
public sealed record EquivariantSparseBlock(int PointCount, int Rank, double[] Tensors, double[] Scalars, double[] Projection);

/// <summary>
/// The fitted part of a symmetry-adapted sparse kernel model (SA-GPR, Grisafi et al. PRL 120, 036002 (2018);
/// MATH §8.3 kernel version) in projected-process form. With the equivariant features scaled by the norm
/// of the invariant features of the same environment, T̂_i = T_i/‖x_i‖ (C = 2λ+1 components × Q properties;
/// both are quadratic in the density, so T̂ is scale-free, and unlike T_i/‖T_i‖ it stays continuous where
/// T_i vanishes, e.g. at a centre of symmetry), and normalised invariant features x̂_i = x_i/‖x_i‖:
/// <code>
///   k_{μμ'}(i, m) = δ_{a_i a_m} (Σ_q T̂_{iμq} T̂_{mμ'q}) (x̂_i·x̂_m)^{ζ−1}
///   K_MM = V Λ Vᵀ over the index (m, μ'),   φ_i[μ, r] = Σ_{m μ'} P[r, (m μ')] k_{μμ'}(i, m),   P = Λ^{-1/2} Vᵀ
/// </code>
/// k(R·i, m) = D^λ(R) k(i, m), so φ_i rotates like T_i and a linear readout shared across μ stays exactly
/// equivariant; φ_i φ_jᵀ is the Nyström approximation of the equivariant kernel.
/// </summary>
public sealed class EquivariantKernelMap
{
    /// <summary>Creates a map from fitted data (one block per species channel).</summary>
    public EquivariantKernelMap(int zeta, int components, int tensorProperties, int scalarFeatures, IReadOnlyList<EquivariantSparseBlock> blocks)
    {
        if (zeta < 1) throw new InvalidParameterException("zeta", $"must be at least 1, got {zeta}");
        if (components < 1 || components % 2 == 0) throw new InvalidParameterException("components", $"must be 2λ+1, got {components}");
        ArgumentNullException.ThrowIfNull(blocks);
        foreach (var b in blocks)
            if (b.PointCount < 0 || b.Rank < 0 || b.Rank > components * b.PointCount
                || b.Tensors.Length != b.PointCount * components * tensorProperties || b.Scalars.Length != b.PointCount * scalarFeatures
                || b.Projection.Length != b.Rank * components * b.PointCount)
                throw new InvalidParameterException("blocks", "an equivariant sparse block's sizes are inconsistent");
        Zeta = zeta;
        Components = components;
        TensorProperties = tensorProperties;
        ScalarFeatures = scalarFeatures;
        Blocks = [.. blocks];
        Offsets = new int[Blocks.Count + 1];
        for (int s = 0; s < Blocks.Count; s++) Offsets[s + 1] = Offsets[s] + Blocks[s].Rank;
    }

    /// <summary>Kernel exponent ζ (the invariant kernel enters as (x̂_i·x̂_m)^{ζ−1}).</summary>
    public int Zeta { get; }
    /// <summary>C = 2λ+1.</summary>
    public int Components { get; }
    /// <summary>Q, properties of the equivariant block.</summary>
    public int TensorProperties { get; }
    /// <summary>Features of the invariant representation.</summary>
    public int ScalarFeatures { get; }
    /// <summary>One block per species channel.</summary>
    public IReadOnlyList<EquivariantSparseBlock> Blocks { get; }
    internal int[] Offsets { get; }
    /// <summary>Properties of φ per component: Σ_s R_s.</summary>
    public int PropertyCount => Offsets[^1];

    /// <summary>
    /// Selects sparse environments (farthest-point sampling on x̂, per species) among the atoms of
    /// <paramref name="structures"/> and builds the projections.
    /// </summary>
    public static EquivariantKernelMap Fit(IFeatureCalculator tensor, IFeatureCalculator scalar, IReadOnlyList<Structure> structures,
        KernelOptions options, IDenseSolver? solver = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(scalar);
        ArgumentNullException.ThrowIfNull(structures);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        EquivariantKernelCalculator.CheckCompatible(tensor, scalar);
        solver ??= DenseSolvers.Default;
        int c = tensor.ComponentCount, q = tensor.FeatureCount / c, f = scalar.FeatureCount, species = tensor.Species.Count;
        var tensors = new List<double[]>[species];
        var scalars = new List<double[]>[species];
        for (int s = 0; s < species; s++)
        {
            tensors[s] = [];
            scalars[s] = [];
        }
        var tc = new FeatureComputer(tensor);
        var sc = new FeatureComputer(scalar);
        var results = new (FeatureResult T, FeatureResult X)[structures.Count];
        Parallelism.For(structures.Count, options.Threads, k => results[k] = (tc.Compute(structures[k]), sc.Compute(structures[k])));
        for (int k = 0; k < structures.Count; k++)
        {
            var index = tensor.Species.Assign(structures[k]);
            for (int i = 0; i < index.Length; i++)
            {
                var t = results[k].T.Row(i).ToArray();
                var x = results[k].X.Row(i).ToArray();
                if (NormaliseBoth(t, x))
                {
                    tensors[index[i]].Add(t);
                    scalars[index[i]].Add(x);
                }
            }
        }
        var blocks = new EquivariantSparseBlock[species];
        for (int s = 0; s < species; s++)
        {
            int m = Math.Min(options.SparsePoints, scalars[s].Count);
            var chosen = options.Selection == SparseSelection.FarthestPoint ? SparseSelector.FarthestPoint(scalars[s], m) : SparseSelector.Cur(scalars[s], m);
            m = chosen.Length;
            var tm = new double[m * c * q];
            var xm = new double[m * f];
            for (int r = 0; r < m; r++)
            {
                tensors[s][chosen[r]].CopyTo(tm, r * c * q);
                scalars[s][chosen[r]].CopyTo(xm, r * f);
            }
            blocks[s] = Project(tm, xm, m, c, q, f, options.Zeta, options.RelativeEigenvalueCutoff, solver);
        }
        return new EquivariantKernelMap(options.Zeta, c, q, f, blocks);
    }

    /// <summary>T ← T/‖x‖, x ← x/‖x‖ (see the class remarks); false when ‖x‖ = 0.</summary>
    internal static bool NormaliseBoth(Span<double> t, Span<double> x)
    {
        double norm = KernelMap.Normalise(x);
        if (!(norm > 0)) return false;
        for (int k = 0; k < t.Length; k++) t[k] /= norm;
        return true;
    }

    private static EquivariantSparseBlock Project(double[] tm, double[] xm, int m, int c, int q, int f, int zeta, double cutoff, IDenseSolver solver)
    {
        if (m == 0) return new EquivariantSparseBlock(0, 0, [], [], []);
        int n = m * c;
        // K[(m, μ), (m', μ')] = (T̂_m T̂_m'ᵀ)_{μμ'} (x̂_m·x̂_m')^{ζ−1}; T̂ rows (m, μ) are contiguous in tm.
        var k = new double[n * n];
        solver.Multiply(tm, n, q, tm, n, k, transposeB: true);
        var xx = new double[m * m];
        solver.Multiply(xm, m, f, xm, m, xx, transposeB: true);
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) k[a * n + b] *= Math.Pow(xx[(a / c) * m + b / c], zeta - 1);
        for (int a = 0; a < n; a++)
            for (int b = 0; b < a; b++)
            {
                double avg = 0.5 * (k[a * n + b] + k[b * n + a]);
                k[a * n + b] = avg;
                k[b * n + a] = avg;
            }
        var w = new double[n];
        var v = new double[n * n];
        solver.SymmetricEigen(k, n, w, v);
        double max = w[n - 1];
        var kept = new List<int>();
        for (int e = n - 1; e >= 0; e--)
            if (w[e] > cutoff * max) kept.Add(e);
        var projection = new double[kept.Count * n];
        for (int r = 0; r < kept.Count; r++)
        {
            int e = kept[r];
            double scale = 1 / Math.Sqrt(w[e]);
            int arg = 0;
            for (int i = 1; i < n; i++)
                if (Math.Abs(v[i * n + e]) > Math.Abs(v[arg * n + e])) arg = i;
            if (v[arg * n + e] < 0) scale = -scale;
            for (int i = 0; i < n; i++) projection[r * n + i] = scale * v[i * n + e];
        }
        return new EquivariantSparseBlock(m, kept.Count, tm, xm, projection);
    }

    internal void WriteTo(BinaryWriter w)
    {
        w.Write(Zeta);
        w.Write(Components);
        w.Write(TensorProperties);
        w.Write(ScalarFeatures);
        w.Write(Blocks.Count);
        foreach (var b in Blocks)
        {
            w.Write(b.PointCount);
            w.Write(b.Rank);
            Binary.WriteDoubles(w, b.Tensors);
            Binary.WriteDoubles(w, b.Scalars);
            Binary.WriteDoubles(w, b.Projection);
        }
    }

    internal static EquivariantKernelMap ReadFrom(BinaryReader r)
    {
        int zeta = r.ReadInt32(), c = r.ReadInt32(), q = r.ReadInt32(), f = r.ReadInt32();
        int count = Binary.ReadCount(r, 200, "equivariant kernel blocks");
        var blocks = new EquivariantSparseBlock[count];
        for (int s = 0; s < count; s++)
        {
            int m = r.ReadInt32(), rank = r.ReadInt32();
            blocks[s] = new EquivariantSparseBlock(m, rank, Binary.ReadDoubles(r), Binary.ReadDoubles(r), Binary.ReadDoubles(r));
        }
        try
        {
            return new EquivariantKernelMap(zeta, c, q, f, blocks);
        }
        catch (InvalidParameterException e)
        {
            throw new MalformedDataException($"equivariant kernel map: {e.Message}");
        }
    }
}

/// <summary>
/// The features φ_i of an <see cref="EquivariantKernelMap"/> as an <see cref="IFeatureCalculator"/> with
/// 2λ+1 components (values only: gradients are not implemented, tensor models need none).
/// </summary>
public sealed class EquivariantKernelCalculator : IFeatureCalculator
{
    /// <summary>Wraps the equivariant block <paramref name="tensor"/> and the invariant <paramref name="scalar"/> with <paramref name="map"/>.</summary>
    public EquivariantKernelCalculator(IFeatureCalculator tensor, IFeatureCalculator scalar, EquivariantKernelMap map)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(scalar);
        ArgumentNullException.ThrowIfNull(map);
        CheckCompatible(tensor, scalar);
        if (tensor.ComponentCount != map.Components || tensor.FeatureCount != map.Components * map.TensorProperties || scalar.FeatureCount != map.ScalarFeatures)
            throw new InvalidParameterException("kernel", "the equivariant kernel map does not match the representations");
        if (map.Blocks.Count != tensor.Species.Count)
            throw new InvalidParameterException("kernel", $"the map has {map.Blocks.Count} species blocks, the representation {tensor.Species.Count}");
        Tensor = tensor;
        Scalar = scalar;
        Map = map;
        var labels = new int[map.PropertyCount][];
        for (int s = 0; s < map.Blocks.Count; s++)
            for (int r = 0; r < map.Blocks[s].Rank; r++) labels[map.Offsets[s] + r] = [tensor.Species.AtomicNumbers[s], r];
        Properties = new FeatureLabels(["center_type", "nystrom_index"], labels);
    }

    internal static void CheckCompatible(IFeatureCalculator tensor, IFeatureCalculator scalar)
    {
        if (scalar.ComponentCount != 1) throw new InvalidParameterException("representation", $"the modulating representation '{scalar.Name}' must be invariant");
        if (!tensor.Species.AtomicNumbers.SequenceEqual(scalar.Species.AtomicNumbers))
            throw new InvalidParameterException("representation", "the equivariant and invariant representations must have the same species");
        if (tensor.Cutoff != scalar.Cutoff)
            throw new InvalidParameterException("representation", $"the equivariant and invariant representations must have the same cutoff ({tensor.Cutoff} vs {scalar.Cutoff})");
    }

    /// <summary>The equivariant representation.</summary>
    public IFeatureCalculator Tensor { get; }
    /// <summary>The invariant representation of the kernel modulation.</summary>
    public IFeatureCalculator Scalar { get; }
    /// <summary>The fitted map.</summary>
    public EquivariantKernelMap Map { get; }
    /// <inheritdoc/>
    public string Name => "equivariant-kernel(" + Tensor.Name + ")";
    /// <inheritdoc/>
    public SpeciesList Species => Tensor.Species;
    /// <inheritdoc/>
    public double Cutoff => Tensor.Cutoff;
    /// <inheritdoc/>
    public int FeatureCount => Map.Components * Map.PropertyCount;
    /// <inheritdoc/>
    public int ComponentCount => Map.Components;
    /// <inheritdoc/>
    public FeatureLabels Properties { get; }

    /// <inheritdoc/>
    public ICentreWorker CreateWorker() => new Worker(this);

    private sealed class Worker(EquivariantKernelCalculator owner) : ICentreWorker
    {
        private readonly ICentreWorker _tensor = owner.Tensor.CreateWorker();
        private readonly ICentreWorker _scalar = owner.Scalar.CreateWorker();
        private readonly double[] _t = new double[owner.Tensor.FeatureCount];
        private readonly double[] _x = new double[owner.Scalar.FeatureCount];
        private double[] _k = [];

        public void Compute(StructureContext context, int centre, Span<double> values, Span<double> pairGradients)
        {
            if (!pairGradients.IsEmpty)
                throw new InvalidParameterException("gradients", "the equivariant kernel features have no gradients (tensor models need values only)");
            var map = owner.Map;
            int c = map.Components, q = map.TensorProperties, f = map.ScalarFeatures, props = map.PropertyCount;
            values[..(c * props)].Clear();
            _tensor.Compute(context, centre, _t, []);
            _scalar.Compute(context, centre, _x, []);
            int s = context.SpeciesIndex[centre];
            var block = map.Blocks[s];
            int m = block.PointCount, n = m * c;
            if (m == 0 || !EquivariantKernelMap.NormaliseBoth(_t, _x)) return;
            if (_k.Length < c * n) _k = new double[c * n];
            // k[μ][(m, μ')] = (T̂_i T̂_mᵀ)_{μμ'} (x̂_i·x̂_m)^{ζ−1}
            for (int p = 0; p < m; p++)
            {
                double modulation = Math.Pow(VectorMath.Dot(_x, block.Scalars.AsSpan(p * f, f)), map.Zeta - 1);
                for (int mu = 0; mu < c; mu++)
                    for (int nu = 0; nu < c; nu++)
                        _k[mu * n + p * c + nu] = modulation * VectorMath.Dot(_t.AsSpan(mu * q, q), block.Tensors.AsSpan((p * c + nu) * q, q));
            }
            int offset = map.Offsets[s];
            for (int mu = 0; mu < c; mu++)
            {
                var row = _k.AsSpan(mu * n, n);
                var dst = values.Slice(mu * props + offset, block.Rank);
                for (int r = 0; r < block.Rank; r++) dst[r] = VectorMath.Dot(block.Projection.AsSpan(r * n, n), row);
            }
        }
    }
}
