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
/// <item>per-pair scratch (length <see cref="PairScratchCount"/> per pair, pairs rounded up to a multiple of 4): the kernel's own
/// per-pair intermediates (harmonics and their gradients, density gradients), layout documented in the generated code; without
/// gradients it is optional (when long enough it holds the harmonics of a chunk of pairs, saving the kernel a stack buffer);</item>
/// <item>values (length <see cref="FeatureCount"/>): the spec's outputs concatenated in
/// <see cref="RepresentationSpec.Outputs"/> order, each in its generic calculator's layout;</item>
/// <item>pair gradients: <c>[pair q][d][feature]</c> = ∂X_i/∂(v_q)_d, v_q = r_j − r_i + S·H (the generic
/// <see cref="ICentreWorker"/> contract).</item>
/// </list>
/// <para>NICE / tensor-reduced specs (body order ν ≥ 3 or species rank K &gt; 0) implement <see cref="INiceKernel{TSelf}"/>:
/// their <see cref="ComputeCentre"/> outputs the ν=1 coefficients c, and the body-order iteration runs with a fitted
/// model in <see cref="NiceDescriptor{TRep}"/>.</para>
/// </remarks>
public interface IRepresentationKernel<TSelf> where TSelf : struct, IRepresentationKernel<TSelf>
{
    /// <summary>The spec the kernel was generated for (shapes, outputs and their column ranges). Cached; no allocation.</summary>
    static abstract RepresentationSpec Spec { get; }

    /// <summary>Number of ν=1 coefficients per centre, (L+1)² A N.</summary>
    static abstract int CoefficientCount { get; }

    /// <summary>Doubles of per-pair scratch the kernel needs when gradients are requested (and uses, when given, without them).</summary>
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
    /// (optional when <paramref name="pairGradients"/> is empty: it may then be empty or shorter).</param>
    /// <param name="values">Output X_i, length ≥ <see cref="FeatureCount"/> (fully overwritten).</param>
    /// <param name="pairGradients">Output [q][d][f], length ≥ pairs · 3 · <see cref="FeatureCount"/> (fully overwritten), or empty for values only.</param>
    static abstract void ComputeCentre(
        scoped in CentreInput input,
        Span<double> coefficients,
        Span<double> pairScratch,
        Span<double> values,
        Span<double> pairGradients);

    /// <summary>
    /// True when the kernel implements <see cref="AddPositionGradientRow"/>: position gradients computed row by row
    /// ("pull"), each atom's row from the stored coefficients of itself and its neighbours, instead of scattering
    /// every pair gradient G_q into two rows. <see cref="Descriptor{TRep}"/> uses it when only position gradients are asked for.
    /// </summary>
    static virtual bool HasPositionGradientRows => false;

    /// <summary>
    /// Adds to <paramref name="row"/> ([d][f], 3·<see cref="FeatureCount"/>) the position gradient of every centre's
    /// features with respect to atom k = <paramref name="atom"/> that involves k's pairs (MATH §3.4):
    /// <code>
    ///   row[d][f] += Σ_q ( ∂X_{j_q}/∂(v_{j_q k})_d − ∂X_k/∂(v_{k j_q})_d )[f]   =   Σ_i ∂X_i[f]/∂(r_k)_d
    /// </code>
    /// over the pairs q of k (full neighbour list: j_q is a neighbour of k exactly when k is one of j_q, v_{j k} = −v_{k j}).
    /// <paramref name="input"/> holds k's pairs with radial derivatives; <paramref name="coefficients"/> holds the ν=1
    /// coefficients of every atom, [atom][<see cref="CoefficientCount"/>], as left by <see cref="ComputeCentre"/>.
    /// </summary>
    /// <param name="input">Atom k's pairs, radial values and derivatives.</param>
    /// <param name="neighbours">Atom index j_q of each pair's neighbour.</param>
    /// <param name="coefficients">ν=1 coefficients of every atom of the structure.</param>
    /// <param name="atom">k.</param>
    /// <param name="pairScratch">Per-pair scratch, as for <see cref="ComputeCentre"/>.</param>
    /// <param name="row">Atom k's rows of Σ_i ∂X_i/∂r_k, [d][f]; added to.</param>
    /// <exception cref="NotSupportedException">the kernel does not implement it (<see cref="HasPositionGradientRows"/> is false).</exception>
    static virtual void AddPositionGradientRow(scoped in CentreInput input, ReadOnlySpan<int> neighbours, ReadOnlySpan<double> coefficients,
        int atom, Span<double> pairScratch, Span<double> row) =>
        throw new NotSupportedException($"{typeof(TSelf).Name} computes position gradients through ComputeCentre only");
}
