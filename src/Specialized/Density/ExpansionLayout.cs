using Specialized.Radial;

namespace Specialized.Density;

/// <summary>
/// Memory layout of the ν=1 density coefficients c_{a n l m} of one centre, in featomic's column order
/// (l, m, a, n): l slowest, then m = −l…l, then the species channel a, then n fastest.
/// <code>
///   Index(l, m, a, n) = BlockOffset(l) + ((m + l)·A + a)·N_l + n,   BlockOffset(l) = Σ_{l'&lt;l} (2l'+1)·A·N_l'
/// </code>
/// so each l block is a row-major (2l+1) × (A·N_l) matrix, which makes the ν=2 products
/// matrix products over m. N_l is the number of radial functions of channel l (ragged for the
/// Laplacian-eigenstate basis).
/// The per-pair ("single species") layout drops the species index:
/// <code>PairIndex(l, m, n) = PairOffset(l) + (m + l)·N_l + n,   PairOffset(l) = Σ_{l'&lt;l} (2l'+1)·N_l'</code>
/// </summary>
public sealed class ExpansionLayout
{
    private readonly int[] _radialCounts;
    private readonly int[] _blockOffsets;
    private readonly int[] _pairOffsets;

    /// <summary>Creates the layout for <paramref name="speciesCount"/> channels and N_l = <paramref name="radialCounts"/>[l].</summary>
    public ExpansionLayout(int speciesCount, IReadOnlyList<int> radialCounts)
    {
        if (speciesCount < 1) throw new InvalidParameterException("species", "at least one species channel is needed");
        SpeciesCount = speciesCount;
        _radialCounts = [.. radialCounts];
        LMax = _radialCounts.Length - 1;
        _blockOffsets = new int[LMax + 2];
        _pairOffsets = new int[LMax + 2];
        for (int l = 0; l <= LMax; l++)
        {
            _blockOffsets[l + 1] = _blockOffsets[l] + (2 * l + 1) * speciesCount * _radialCounts[l];
            _pairOffsets[l + 1] = _pairOffsets[l] + (2 * l + 1) * _radialCounts[l];
        }
    }

    /// <summary>Layout matching a radial integral (N_l = radial.Count(l) for l ≤ radial.MaxAngular).</summary>
    public static ExpansionLayout For(IRadialIntegral radial, int speciesCount) =>
        new(speciesCount, [.. Enumerable.Range(0, radial.MaxAngular + 1).Select(radial.Count)]);

    /// <summary>Largest angular channel.</summary>
    public int LMax { get; }
    /// <summary>Number of species channels A.</summary>
    public int SpeciesCount { get; }
    /// <summary>N_l, the number of radial functions of channel l.</summary>
    public int RadialCount(int l) => _radialCounts[l];
    /// <summary>Start of the l block in the full layout.</summary>
    public int BlockOffset(int l) => _blockOffsets[l];
    /// <summary>Start of the l block in the per-pair layout.</summary>
    public int PairOffset(int l) => _pairOffsets[l];
    /// <summary>Total number of coefficients per centre, A · Σ_l (2l+1) N_l.</summary>
    public int Size => _blockOffsets[LMax + 1];
    /// <summary>Coefficients per pair (one species), Σ_l (2l+1) N_l.</summary>
    public int PairSize => _pairOffsets[LMax + 1];
    /// <summary>Flat index of c_{a n l m}.</summary>
    public int Index(int l, int m, int a, int n) => _blockOffsets[l] + ((m + l) * SpeciesCount + a) * _radialCounts[l] + n;
    /// <summary>Flat per-pair index of (l, m, n).</summary>
    public int PairIndex(int l, int m, int n) => _pairOffsets[l] + (m + l) * _radialCounts[l] + n;
}
