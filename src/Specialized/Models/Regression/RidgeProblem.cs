namespace Specialized.Models.Regression;

/// <summary>
/// A weighted linear least-squares problem with a ridge penalty on part of the coefficients:
/// <code>
///   minimise  Σ_r w_r² (y_r − z_r·θ)²  +  λ ‖θ_P‖²,      θ = (θ_P, θ_Q)
/// </code>
/// where the first <see cref="PenalizedCount"/> columns (feature weights) are penalised and the last
/// <see cref="FreeCount"/> columns (per-species baselines) are not. Rows come in groups (one group
/// per training structure); cross-validation folds are unions of whole groups, so the energy,
/// force and virial rows of one structure are always in the same fold.
/// Every row also carries a target kind (an index into <see cref="TargetNames"/>, e.g. energy,
/// forces, virial) and an atom count, used only to report errors per kind and per atom.
/// </summary>
public sealed class RidgeProblem
{
    private readonly List<Group> _groups = [];

    /// <summary>Creates an empty problem.</summary>
    /// <param name="penalizedColumns">Number of penalised columns P (first in every row).</param>
    /// <param name="freeColumns">Number of unpenalised columns Q (last in every row).</param>
    /// <param name="targetNames">Names of the target kinds rows may have.</param>
    public RidgeProblem(int penalizedColumns, int freeColumns, IReadOnlyList<string> targetNames)
    {
        if (penalizedColumns < 0) throw new InvalidParameterException("penalizedColumns", $"must be ≥ 0, got {penalizedColumns}");
        if (freeColumns < 0) throw new InvalidParameterException("freeColumns", $"must be ≥ 0, got {freeColumns}");
        if (penalizedColumns + freeColumns == 0) throw new InvalidParameterException("columns", "the problem has no columns");
        ArgumentNullException.ThrowIfNull(targetNames);
        if (targetNames.Count == 0) throw new InvalidParameterException("targetNames", "at least one target kind is needed");
        PenalizedCount = penalizedColumns;
        FreeCount = freeColumns;
        TargetNames = [.. targetNames];
    }

    /// <summary>Number of penalised columns P.</summary>
    public int PenalizedCount { get; }
    /// <summary>Number of unpenalised columns Q.</summary>
    public int FreeCount { get; }
    /// <summary>Total number of columns P + Q.</summary>
    public int ColumnCount => PenalizedCount + FreeCount;
    /// <summary>Names of the target kinds.</summary>
    public IReadOnlyList<string> TargetNames { get; }
    /// <summary>Number of groups (structures) added.</summary>
    public int GroupCount => _groups.Count;
    /// <summary>Total number of rows.</summary>
    public int RowCount { get; private set; }

    internal IReadOnlyList<Group> Groups => _groups;

    /// <summary>
    /// Adds one group of rows. <paramref name="rows"/> is row-major [row][column] with
    /// <see cref="ColumnCount"/> columns; the other spans have one entry per row. Weights must be
    /// positive (a row with weight zero should simply not be added); values must be finite.
    /// </summary>
    public void AddGroup(ReadOnlySpan<double> rows, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights,
        ReadOnlySpan<int> kinds, ReadOnlySpan<int> atoms)
    {
        int m = targets.Length, n = ColumnCount;
        if (rows.Length != m * n) throw new ArgumentException($"rows holds {rows.Length} values, expected {m} × {n}", nameof(rows));
        if (weights.Length != m || kinds.Length != m || atoms.Length != m)
            throw new ArgumentException("targets, weights, kinds and atoms must have one entry per row");
        for (int r = 0; r < m; r++)
        {
            if (!double.IsFinite(targets[r])) throw new InvalidParameterException("targets", $"row {r} of group {_groups.Count} is NaN or infinite");
            if (!(weights[r] > 0) || !double.IsFinite(weights[r])) throw new InvalidParameterException("weights", $"row {r} of group {_groups.Count} has weight {weights[r]} (must be positive)");
            if ((uint)kinds[r] >= (uint)TargetNames.Count) throw new ArgumentOutOfRangeException(nameof(kinds), $"row {r}: kind {kinds[r]} is not a target index");
        }
        foreach (var v in rows)
            if (!double.IsFinite(v)) throw new InvalidParameterException("rows", $"group {_groups.Count} has a NaN or infinite design entry");
        _groups.Add(new Group(rows.ToArray(), targets.ToArray(), weights.ToArray(), kinds.ToArray(), atoms.ToArray()));
        RowCount += m;
    }

    /// <summary>One group's rows (unweighted) with their metadata.</summary>
    internal sealed record Group(double[] Rows, double[] Targets, double[] Weights, int[] Kinds, int[] Atoms)
    {
        public int RowCount => Targets.Length;
    }
}
