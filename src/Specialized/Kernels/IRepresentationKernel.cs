using Specialized.Features;

namespace Specialized.Kernels;

/// <summary>
/// A compile-time specialised per-centre kernel, implemented by the code the Specialized source
/// generator emits for a <see cref="RepresentationAttribute"/> spec. All members are static, so
/// <see cref="Descriptor{TRep}"/> (generic over a struct implementing this) calls them directly:
/// no reflection, no virtual dispatch, and the JIT/ILC compiles one specialised driver per spec.
/// </summary>
/// <typeparam name="TSelf">The generated struct itself.</typeparam>
/// <remarks>
/// <para>Layouts (N = <see cref="RepresentationSpec.NMax"/>, A = number of species channels, L = l_max):</para>
/// <list type="bullet">
/// <item>coefficients c (length <see cref="CoefficientCount"/> = (L+1)² A N): featomic order
/// <c>[l][m][a][n]</c>, index <c>l² A N + (m + l) A N + a N + n</c> (see <c>Density.ExpansionLayout</c>);</item>
/// <item>per-pair scratch (length <see cref="PairScratchCount"/> per pair, pairs rounded up to a multiple of 4, used only with gradients): the kernel's own
/// per-pair intermediates (harmonics and their gradients, density gradients), layout documented in the generated code;</item>
/// <item>values (length <see cref="FeatureCount"/>): the spec's outputs concatenated in
/// <see cref="RepresentationSpec.Outputs"/> order, each in its generic calculator's layout;</item>
/// <item>pair gradients: <c>[pair q][d][feature]</c> = ∂X_i/∂(v_q)_d, v_q = r_j − r_i + S·H (the generic
/// <see cref="ICentreWorker"/> contract).</item>
/// </list>
/// <para>Extension points: a body order ν ≥ 3 adds coupled intermediate blocks after the ν=2 stage;
/// a species rank K &gt; 0 replaces the one-hot species channel of each neighbour by K embedding weights
/// (carried by <see cref="CentreInput"/>). Neither changes this interface's shape.</para>
/// </remarks>
public interface IRepresentationKernel<TSelf> where TSelf : struct, IRepresentationKernel<TSelf>
{
    /// <summary>The spec the kernel was generated for (shapes, outputs and their column ranges). Cached; no allocation.</summary>
    static abstract RepresentationSpec Spec { get; }

    /// <summary>Number of ν=1 coefficients per centre, (L+1)² A N.</summary>
    static abstract int CoefficientCount { get; }

    /// <summary>Doubles of per-pair scratch the kernel needs when gradients are requested.</summary>
    static abstract int PairScratchCount { get; }

    /// <summary>Number of values per centre (all outputs).</summary>
    static abstract int FeatureCount { get; }

    /// <summary>
    /// Computes one centre: ν=1 coefficients from the neighbour vectors and radial values, then every
    /// requested output, and — when <paramref name="pairGradients"/> is not empty — the gradient of every
    /// value with respect to every pair vector.
    /// </summary>
    /// <param name="input">Neighbours, radial values and the centre's own contribution.</param>
    /// <param name="coefficients">Scratch for c, length ≥ <see cref="CoefficientCount"/>; holds c on return.</param>
    /// <param name="pairScratch">Per-pair scratch, length ≥ ⌈pairs/4⌉ · 4 · <see cref="PairScratchCount"/> (kernels work on blocks of 4 pairs)
    /// (ignored when <paramref name="pairGradients"/> is empty).</param>
    /// <param name="values">Output X_i, length ≥ <see cref="FeatureCount"/> (fully overwritten).</param>
    /// <param name="pairGradients">Output [q][d][f], length ≥ pairs · 3 · <see cref="FeatureCount"/> (fully overwritten), or empty for values only.</param>
    static abstract void ComputeCentre(
        scoped in CentreInput input,
        Span<double> coefficients,
        Span<double> pairScratch,
        Span<double> values,
        Span<double> pairGradients);

    /// <summary>
    /// <see cref="ComputeCentre"/> with gradients, but instead of returning the pair gradients G_q = ∂X_i/∂v_q the kernel adds
    /// them to the structure's position-gradient accumulator [atom][d][feature] (MATH §3.4):
    /// <code>
    ///   positions[(j_q·3 + d)·F + f] += G_q[d][f],   positions[(i·3 + d)·F + f] −= G_q[d][f]   for every pair q
    /// </code>
    /// with i = <paramref name="centre"/> and j_q = <paramref name="neighbours"/>[q]. This default computes G into
    /// <paramref name="pairGradients"/> and scatters it; generated kernels override it where they can form each block of
    /// G in registers and add it to both rows at once (no pair-gradient rows are written or read).
    /// </summary>
    /// <param name="input">Neighbours, radial values (with derivatives) and the centre's own contribution.</param>
    /// <param name="neighbours">Atom index j_q of each pair's neighbour.</param>
    /// <param name="centre">Atom index i of the centre.</param>
    /// <param name="coefficients">Scratch for c, as for <see cref="ComputeCentre"/>.</param>
    /// <param name="pairScratch">Per-pair scratch, as for <see cref="ComputeCentre"/>.</param>
    /// <param name="values">Output X_i, length ≥ <see cref="FeatureCount"/> (fully overwritten).</param>
    /// <param name="pairGradients">Scratch [q][d][f] for the default implementation (length ≥ pairs · 3 · <see cref="FeatureCount"/>).</param>
    /// <param name="positions">Accumulator Σ_i ∂X_i/∂r_k, [atom k][d][f]; added to, never cleared.</param>
    static virtual void ComputeCentreAddPositionGradients(
        scoped in CentreInput input,
        ReadOnlySpan<int> neighbours,
        int centre,
        Span<double> coefficients,
        Span<double> pairScratch,
        Span<double> values,
        Span<double> pairGradients,
        Span<double> positions)
    {
        TSelf.ComputeCentre(in input, coefficients, pairScratch, values, pairGradients);
        int f = TSelf.FeatureCount;
        for (int q = 0; q < input.PairCount; q++)
        {
            int j = neighbours[q];
            for (int d = 0; d < 3; d++)
            {
                var g = pairGradients.Slice((q * 3 + d) * f, f);
                KernelMath.Axpy(1.0, g, positions.Slice((j * 3 + d) * f, f));
                KernelMath.Axpy(-1.0, g, positions.Slice((centre * 3 + d) * f, f));
            }
        }
    }
}
