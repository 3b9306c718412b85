// Portable: compiled into the runtime and linked into the source generator.
#nullable enable
using System;
using System.Collections.Generic;

namespace Specialized.Angular;

/// <summary>One coupling <c>(l1 ⊗ l2 → L)</c> with its parity factor σ = (−1)^(l1 + l2 + L).</summary>
public readonly struct CouplingTriple : IEquatable<CouplingTriple>
{
    /// <summary>Creates a triple (no validation; see <see cref="ClebschGordan.IsTriangle"/>).</summary>
    public CouplingTriple(int l1, int l2, int l)
    {
        L1 = l1;
        L2 = l2;
        L = l;
    }

    /// <summary>Degree of the first factor.</summary>
    public int L1 { get; }

    /// <summary>Degree of the second factor.</summary>
    public int L2 { get; }

    /// <summary>Degree of the coupled result.</summary>
    public int L { get; }

    /// <summary>
    /// σ = (−1)^(l1 + l2 + L): +1 for a "true" product, −1 when the product of two true tensors is a
    /// pseudotensor (MATH §0, §4.1: σ_out = σ_1 σ_2 (−1)^(l1+l2+L)).
    /// </summary>
    public int Sigma => ((L1 + L2 + L) & 1) == 0 ? 1 : -1;

    /// <inheritdoc/>
    public bool Equals(CouplingTriple other) => L1 == other.L1 && L2 == other.L2 && L == other.L;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CouplingTriple other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked((L1 * 397 ^ L2) * 397 ^ L);

    /// <summary>Text form <c>(l1, l2, L)</c>.</summary>
    public override string ToString() => "(" + L1 + ", " + L2 + ", " + L + ")";
}

/// <summary>
/// Enumeration of angular coupling paths (MATH §2.5 selection rules, §11 ordering).
/// </summary>
/// <remarks>
/// Triples are produced in lexicographic order of (l1, l2, L); only the triangle rule
/// <c>|l1 − l2| ≤ L ≤ l1 + l2</c> restricts them (there is no parity rule: odd l1 + l2 + L
/// couplings exist and have σ = −1).
/// </remarks>
public static class CouplingPaths
{
    /// <summary>
    /// All triangle-allowed (l1, l2, L) with l1 ≤ <paramref name="l1Max"/>, l2 ≤ <paramref name="l2Max"/>,
    /// L ≤ <paramref name="lMax"/>, ordered by l1, then l2, then L.
    /// </summary>
    public static CouplingTriple[] Triples(int l1Max, int l2Max, int lMax)
    {
        if (l1Max < 0) throw new ArgumentOutOfRangeException(nameof(l1Max), l1Max, "must be ≥ 0");
        if (l2Max < 0) throw new ArgumentOutOfRangeException(nameof(l2Max), l2Max, "must be ≥ 0");
        if (lMax < 0) throw new ArgumentOutOfRangeException(nameof(lMax), lMax, "must be ≥ 0");
        var list = new List<CouplingTriple>();
        for (int l1 = 0; l1 <= l1Max; l1++)
            for (int l2 = 0; l2 <= l2Max; l2++)
                for (int L = Math.Abs(l1 - l2); L <= Math.Min(l1 + l2, lMax); L++)
                    list.Add(new CouplingTriple(l1, l2, L));
        return list.ToArray();
    }

    /// <summary>All triangle-allowed triples with l1, l2, L ≤ <paramref name="lMax"/> (same order).</summary>
    public static CouplingTriple[] Triples(int lMax) => Triples(lMax, lMax, lMax);

    /// <summary>
    /// Triples with a fixed parity σ = (−1)^(l1+l2+L) (+1 or −1), same order as <see cref="Triples(int, int, int)"/>.
    /// </summary>
    public static CouplingTriple[] Triples(int l1Max, int l2Max, int lMax, int sigma)
    {
        if (sigma != 1 && sigma != -1) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must be +1 or −1");
        var all = Triples(l1Max, l2Max, lMax);
        var list = new List<CouplingTriple>(all.Length);
        foreach (var t in all)
            if (t.Sigma == sigma) list.Add(t);
        return list.ToArray();
    }

    /// <summary>Number of non-zero real CG coefficients of one triple (|C| ≥ 1e-14).</summary>
    public static int NonZeroCount(int l1, int l2, int L) => ClebschGordan.Real(l1, l2, L).Count;

    /// <summary>
    /// Sum of <see cref="NonZeroCount"/> over all triples with l1, l2, L ≤ <paramref name="lMax"/>
    /// (MATH §2.5: 16, 137, 611, 2052, 5265, 11896 for lMax = 1 … 6).
    /// </summary>
    public static int TotalNonZeroCount(int lMax)
    {
        int total = 0;
        foreach (var t in Triples(lMax)) total += NonZeroCount(t.L1, t.L2, t.L);
        return total;
    }
}
