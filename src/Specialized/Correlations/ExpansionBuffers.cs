using Specialized.Density;
using Specialized.Features;

namespace Specialized.Correlations;

/// <summary>
/// Per-thread buffers holding one centre's ν=1 coefficients c (layout <see cref="ExpansionLayout"/>)
/// and, when gradients are requested, its per-pair gradients g as [local pair q][d][PairIndex(l, m, n)].
/// Shared by the workers of every representation built on the spherical expansion.
/// </summary>
internal sealed class ExpansionBuffers(SphericalExpansion expansion)
{
    private readonly SphericalExpansion.Scratch _scratch = expansion.CreateScratch();
    private double[] _pairGradients = [];

    private readonly bool[] _present = new bool[expansion.Layout.SpeciesCount];

    /// <summary>
    /// Species channels a whose coefficients c_a of centre <paramref name="centre"/> can be non-zero:
    /// the centre's own species and those of its neighbours. Every other c_a is exactly zero.
    /// </summary>
    public ReadOnlySpan<bool> PresentSpecies(StructureContext context, int centre)
    {
        Array.Clear(_present);
        _present[context.SpeciesIndex[centre]] = true;
        var nl = context.Neighbors;
        for (int p = nl.Offsets[centre]; p < nl.Offsets[centre + 1]; p++) _present[context.SpeciesIndex[nl.Neighbors[p]]] = true;
        return _present;
    }

    /// <summary>c of the last computed centre.</summary>
    public double[] Coefficients { get; } = new double[expansion.Layout.Size];

    /// <summary>Computes centre <paramref name="centre"/>; returns its per-pair gradients (empty unless requested).</summary>
    public ReadOnlySpan<double> Compute(StructureContext context, int centre, bool gradients)
    {
        int length = gradients ? context.PairCount(centre) * 3 * expansion.Layout.PairSize : 0;
        if (_pairGradients.Length < length) _pairGradients = new double[length];
        var g = _pairGradients.AsSpan(0, length);
        expansion.ComputeCentre(context, centre, Coefficients, g, _scratch);
        return g;
    }

    /// <summary>g of local pair <paramref name="pair"/> of the last centre computed with gradients, as [d][PairIndex] (3 · PairSize).</summary>
    public ReadOnlySpan<double> PairGradient(int pair) =>
        _pairGradients.AsSpan(pair * 3 * expansion.Layout.PairSize, 3 * expansion.Layout.PairSize);
}
