using Specialized.Density;
using Specialized.Features;

namespace Specialized.Correlations;

/// <summary>
/// The shape shared by the workers of representations built on one spherical expansion: compute c
/// (and g = ∂c/∂v per pair) of a centre, write X_i from c, and write each pair gradient G_q from c and
/// g_q. <see cref="Compute"/> (all pairs at once) and <see cref="BeginCentre"/> +
/// <see cref="PairGradient"/> (one pair at a time) run the same arithmetic.
/// </summary>
internal abstract class ExpansionWorker(SphericalExpansion expansion, int featureCount) : IPairGradientWorker
{
    /// <summary>c and g of the current centre.</summary>
    protected ExpansionBuffers Buffers { get; } = new(expansion);

    /// <inheritdoc/>
    public void Compute(StructureContext context, int centre, Span<double> values, Span<double> pairGradients)
    {
        if (pairGradients.IsEmpty)
        {
            Buffers.Compute(context, centre, gradients: false);
            WriteValues(context, centre, values);
            return;
        }
        BeginCentre(context, centre, values);
        // The whole-centre contract writes every column of G_p (zeros outside PairGradientColumns(b)):
        // consumers such as the models' readouts contract all F columns. The sparse route is IPairGradientWorker.
        pairGradients[..(context.PairCount(centre) * 3 * featureCount)].Clear();
        for (int q = 0; q < context.PairCount(centre); q++)
            PairGradient(context, centre, q, pairGradients.Slice(q * 3 * featureCount, 3 * featureCount));
    }

    /// <inheritdoc/>
    public void BeginCentre(StructureContext context, int centre, Span<double> values)
    {
        Buffers.Compute(context, centre, gradients: true);
        WriteValues(context, centre, values);
    }

    /// <inheritdoc/>
    public void PairGradient(StructureContext context, int centre, int pair, Span<double> gradient)
    {
        int b = context.SpeciesIndex[context.Neighbors.Neighbors[context.Neighbors.Offsets[centre] + pair]];
        WritePairGradient(context, centre, b, Buffers.PairGradient(pair), gradient);
    }

    /// <summary>Writes X_i (length F) from <see cref="ExpansionBuffers.Coefficients"/>.</summary>
    protected abstract void WriteValues(StructureContext context, int centre, Span<double> values);

    /// <summary>
    /// Writes G_q as [d][f] (3·F) from c and the pair's g (<paramref name="g"/>, [d][PairIndex]), neighbour
    /// species <paramref name="b"/>; only the columns PairGradientColumns(b) need be written.
    /// </summary>
    protected abstract void WritePairGradient(StructureContext context, int centre, int b, ReadOnlySpan<double> g, Span<double> gradient);
}
