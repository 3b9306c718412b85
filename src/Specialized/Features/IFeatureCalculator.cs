namespace Specialized.Features;

/// <summary>
/// A per-atom representation on the generic (run-time specified) path. Values of centre i are a
/// vector X_i of <see cref="FeatureCount"/> numbers (for an equivariant block: components × properties,
/// component-major). Gradients are produced per neighbour pair p = (i, j, S) of the full neighbour
/// list as G_p = ∂X_i/∂r_ij (3 × F, w.r.t. the pair vector), from which every gradient kind follows
/// linearly (see <see cref="FeatureComputer"/>).
/// </summary>
public interface IFeatureCalculator
{
    /// <summary>Short name (e.g. "power-spectrum").</summary>
    string Name { get; }
    /// <summary>Species channels (every atom of a structure must be one of them).</summary>
    Density.SpeciesList Species { get; }
    /// <summary>Cutoff radius of the neighbour list the calculator needs.</summary>
    double Cutoff { get; }
    /// <summary>Number of values per centre.</summary>
    int FeatureCount { get; }
    /// <summary>Number of equivariant components (2λ+1) per property; 1 for invariants.</summary>
    int ComponentCount { get; }
    /// <summary>Labels of the properties (FeatureCount / ComponentCount of them).</summary>
    FeatureLabels Properties { get; }
    /// <summary>Creates a worker holding its own scratch buffers (one per thread).</summary>
    ICentreWorker CreateWorker();

    /// <summary>
    /// The columns of a pair gradient G_p that can be non-zero when the neighbour of pair p is in
    /// species channel <paramref name="neighbourSpecies"/>, as sorted, disjoint, non-empty ranges.
    /// IPairGradientWorker.PairGradient need only write these columns of G_p (ICentreWorker.Compute writes all of them, zeros elsewhere); drivers read only these and treat the others
    /// as zero. With many species most of G_p vanishes (the power spectrum's (a1, a2) blocks with
    /// a1 ≠ b ≠ a2), so this bounds the gradient work by the non-zero blocks. Default: every column.
    /// </summary>
    ColumnRange[] PairGradientColumns(int neighbourSpecies) => [new ColumnRange(0, FeatureCount)];
}

/// <summary>
/// A centre worker that can also hand out its pair gradients one pair at a time, so a driver can use
/// each G_p while it is in cache and hold one pair's gradient (3 × F) instead of the whole centre's
/// (pairs × 3 × F). Results are identical to <see cref="ICentreWorker.Compute"/>.
/// </summary>
public interface IPairGradientWorker : ICentreWorker
{
    /// <summary>Writes X_i into <paramref name="values"/> and prepares the pair gradients of centre <paramref name="centre"/>.</summary>
    void BeginCentre(StructureContext context, int centre, Span<double> values);

    /// <summary>
    /// Writes G_q of local pair <paramref name="pair"/> of the centre begun last into
    /// <paramref name="gradient"/> as [direction d][feature f] (3·F); only the columns
    /// <see cref="IFeatureCalculator.PairGradientColumns"/>(a_j) need be written.
    /// </summary>
    void PairGradient(StructureContext context, int centre, int pair, Span<double> gradient);
}

/// <summary>A half-open range of feature columns [Start, Start + Length).</summary>
public readonly record struct ColumnRange(int Start, int Length)
{
    /// <summary>One past the last column.</summary>
    public int End => Start + Length;

    /// <summary>Sorts <paramref name="ranges"/> and merges overlapping or adjacent ones (empty ranges are dropped).</summary>
    public static ColumnRange[] Normalise(IEnumerable<ColumnRange> ranges)
    {
        var merged = new List<ColumnRange>();
        foreach (var r in ranges.Where(r => r.Length > 0).OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End)
                merged[^1] = merged[^1] with { Length = Math.Max(merged[^1].End, r.End) - merged[^1].Start };
            else
                merged.Add(r);
        }
        return [.. merged];
    }
}

/// <summary>Computes one centre at a time; not thread-safe (create one per thread).</summary>
public interface ICentreWorker
{
    /// <summary>
    /// Writes X_i into <paramref name="values"/> (length F) and, when <paramref name="pairGradients"/>
    /// is non-empty, G_p into it as [local pair q][direction d][feature f] (length PairCount(i)·3·F),
    /// q running over the pairs of centre i in neighbour-list order. Every column is written: the
    /// columns outside <see cref="IFeatureCalculator.PairGradientColumns"/>(a_j) are zero. (Drivers
    /// that want to touch only the non-zero columns use <see cref="IPairGradientWorker"/>.)
    /// </summary>
    void Compute(StructureContext context, int centre, Span<double> values, Span<double> pairGradients);
}
