namespace Specialized.Neighbors;

/// <summary>
/// One accepted pair of the centre being built: neighbour j, cell shift S = (S0, S1, S2), pair
/// vector r_ij = (X, Y, Z) and distance D = |r_ij|. Pairs of a centre are collected as entries,
/// sorted into the canonical order (<see cref="CompareTo"/>) and then copied to the flat arrays
/// of <see cref="NeighborList"/>.
/// </summary>
internal struct PairEntry : IComparable<PairEntry>
{
    public int J, S0, S1, S2;
    public double X, Y, Z, D;

    /// <summary>
    /// The canonical order of the pairs of one centre: by neighbour j, then lexicographically by
    /// the cell shift (s1, s2, s3). (j, S) is unique within a centre, so the order is total and
    /// does not depend on how the pairs were found (cell list or brute force). Implemented on the
    /// struct itself so that <c>Span.Sort()</c> needs no comparer object (and allocates nothing).
    /// </summary>
    public readonly int CompareTo(PairEntry other)
    {
        if (J != other.J) return J < other.J ? -1 : 1;
        if (S0 != other.S0) return S0 < other.S0 ? -1 : 1;
        if (S1 != other.S1) return S1 < other.S1 ? -1 : 1;
        return S2.CompareTo(other.S2);
    }
}
