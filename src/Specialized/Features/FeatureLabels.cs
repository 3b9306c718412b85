namespace Specialized.Features;

/// <summary>
/// Names and integer values labelling each feature column, like featomic's property labels
/// (e.g. names (neighbor_1_type, neighbor_2_type, l, n_1, n_2), one value tuple per column).
/// </summary>
public sealed class FeatureLabels
{
    /// <summary>Creates labels; every entry of <paramref name="values"/> must have one value per name.</summary>
    public FeatureLabels(string[] names, int[][] values)
    {
        foreach (var v in values)
            if (v.Length != names.Length) throw new ArgumentException("label tuple length differs from the number of names");
        Names = names;
        Values = values;
    }

    /// <summary>Label dimension names.</summary>
    public string[] Names { get; }
    /// <summary>One tuple per column.</summary>
    public int[][] Values { get; }
    /// <summary>Number of labelled columns.</summary>
    public int Count => Values.Length;
}
