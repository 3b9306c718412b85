// Portable: compiled into the runtime and linked into the source generator.
#nullable enable
using System;

namespace Specialized.Angular;

/// <summary>One non-zero real CG coefficient <c>C^{l1 l2 L}[M1, M2, M] = Value</c>.</summary>
public readonly struct CgEntry : IEquatable<CgEntry>
{
    /// <summary>Creates an entry.</summary>
    public CgEntry(int m1, int m2, int m, double value)
    {
        M1 = m1;
        M2 = m2;
        M = m;
        Value = value;
    }

    /// <summary>Magnetic index of the first factor, −l1..l1.</summary>
    public int M1 { get; }

    /// <summary>Magnetic index of the second factor, −l2..l2.</summary>
    public int M2 { get; }

    /// <summary>Magnetic index of the coupled result, −L..L.</summary>
    public int M { get; }

    /// <summary>The coefficient (rounded once from the exact value).</summary>
    public double Value { get; }

    /// <inheritdoc/>
    public bool Equals(CgEntry other) =>
        M1 == other.M1 && M2 == other.M2 && M == other.M && Value.Equals(other.Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CgEntry other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked(((M1 * 397 ^ M2) * 397 ^ M) * 397 ^ Value.GetHashCode());

    /// <summary>Text form <c>(m1, m2, M): value</c> with a round-trip value.</summary>
    public override string ToString() =>
        "(" + M1 + ", " + M2 + ", " + M + "): " + Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The real-basis Clebsch–Gordan tensor <c>C^{l1 l2 L}</c> of one triangle-allowed triple
/// (featomic convention, see <see cref="ClebschGordan"/>). Immutable; obtained from
/// <see cref="ClebschGordan.Real"/> (cached).
/// </summary>
/// <remarks>
/// Sparse form: <see cref="Count"/> entries, sorted by M, then m1, then m2, only <c>|C| ≥ 1e-14</c>.
/// Dense form: <c>((m1 + l1)(2 l2 + 1) + (m2 + l2))(2L + 1) + (M + L)</c>, dropped entries exactly 0
/// (built lazily on the first dense access, so that caching many sparse tables stays cheap).
/// </remarks>
public sealed partial class RealCgTable
{
    // Sparse entries (parallel arrays) and the dense tensor; never exposed mutable.
    private readonly int[] _m1;
    private readonly int[] _m2;
    private readonly int[] _m;
    private readonly double[] _values;
    private double[]? _dense; // built on first use (benign race: every thread builds the same array)

    internal RealCgTable(int l1, int l2, int l, int[] m1, int[] m2, int[] m, double[] values)
    {
        L1 = l1;
        L2 = l2;
        L = l;
        _m1 = m1;
        _m2 = m2;
        _m = m;
        _values = values;
    }

    /// <summary>The dense tensor, built once on first use and published with a full fence.</summary>
    private double[] DenseArray
    {
        get
        {
            var dense = System.Threading.Volatile.Read(ref _dense);
            if (dense is not null) return dense;
            dense = new double[ClebschGordan.DenseLength(L1, L2, L)];
            for (int k = 0; k < _values.Length; k++) dense[ClebschGordan.DenseIndex(L1, L2, L, _m1[k], _m2[k], _m[k])] = _values[k];
            return System.Threading.Interlocked.CompareExchange(ref _dense, dense, null) ?? dense;
        }
    }

    /// <summary>Degree of the first factor.</summary>
    public int L1 { get; }

    /// <summary>Degree of the second factor.</summary>
    public int L2 { get; }

    /// <summary>Degree of the coupled result.</summary>
    public int L { get; }

    /// <summary>Parity factor σ = (−1)^(l1 + l2 + L) of the coupling (MATH §4.1).</summary>
    public int Sigma => ((L1 + L2 + L) & 1) == 0 ? 1 : -1;

    /// <summary>Number of non-zero entries.</summary>
    public int Count => _values.Length;

    /// <summary>The k-th non-zero entry (sorted by M, m1, m2).</summary>
    public CgEntry this[int k] => new CgEntry(_m1[k], _m2[k], _m[k], _values[k]);

    /// <summary>The coefficient <c>C[m1, m2, M]</c> (0 when dropped); indices must be in range.</summary>
    public double this[int m1, int m2, int M]
    {
        get
        {
            if (m1 < -L1 || m1 > L1 || m2 < -L2 || m2 > L2 || M < -L || M > L)
                throw new ArgumentOutOfRangeException(nameof(m1), "magnetic index out of range");
            return DenseArray[ClebschGordan.DenseIndex(L1, L2, L, m1, m2, M)];
        }
    }

    /// <summary>m1 of the k-th entry.</summary>
    public int EntryM1(int k) => _m1[k];

    /// <summary>m2 of the k-th entry.</summary>
    public int EntryM2(int k) => _m2[k];

    /// <summary>M of the k-th entry.</summary>
    public int EntryM(int k) => _m[k];

    /// <summary>Value of the k-th entry.</summary>
    public double EntryValue(int k) => _values[k];

    /// <summary>A fresh copy of the dense tensor (layout <see cref="ClebschGordan.DenseIndex"/>).</summary>
    public double[] ToDense() => (double[])DenseArray.Clone();

    /// <summary>A fresh array of the non-zero entries (sorted by M, m1, m2).</summary>
    public CgEntry[] ToEntries()
    {
        var entries = new CgEntry[_values.Length];
        for (int k = 0; k < entries.Length; k++) entries[k] = this[k];
        return entries;
    }
}
