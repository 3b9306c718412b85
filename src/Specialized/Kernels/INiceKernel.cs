namespace Specialized.Kernels;

/// <summary>
/// The compile-time part of a NICE / tensor-reduced representation (a <see cref="RepresentationAttribute"/> spec with
/// BodyOrder ≥ 3 or SpeciesRank &gt; 0), implemented by generated code and run with a fitted model by
/// <see cref="NiceDescriptor{TRep}"/>. Its <see cref="IRepresentationKernel{TSelf}"/> part computes the ν=1 coefficients
/// c (one output, the spherical expansion); this part adds the density with its per-pair gradients and every
/// (k, l, λ) Clebsch–Gordan coupling path of the body-order iteration, each a straight-line method with literal
/// coefficients, selected by a path id (a switch: no delegates, virtual calls or reflection).
/// </summary>
/// <typeparam name="TSelf">The generated struct itself.</typeparam>
/// <remarks>
/// <para>Coupling of one path (NiceLayout.cs step 1): for every pair i of the lists (p1, f2),</para>
/// <code>X[μ + λ][i] = Σ_{κ m} C^{k l λ}[κ, m, μ] T[κ + k][p1_i] D[m + l][f2_i]</code>
/// <para>with the rows of T, D and X <c>tStride</c>, <c>dStride</c> and <c>xStride</c> apart (the spans start at the
/// block's, channel's and group's first column). Tangents are dir-minor: value v has its <c>dirs</c> directional
/// derivatives at [v·dirs, (v+1)·dirs).</para>
/// </remarks>
public interface INiceKernel<TSelf> : IRepresentationKernel<TSelf> where TSelf : struct, INiceKernel<TSelf>
{
    /// <summary>The cap λ_max on the angular momentum of every equivariant block (<see cref="RepresentationAttribute.MaxLambda"/>).</summary>
    static abstract int MaxLambda { get; }

    /// <summary>Number of coupling paths.</summary>
    static abstract int PathCount { get; }

    /// <summary>Id of the path (k, l, λ), or −1 when the spec has no such path.</summary>
    static abstract int PathId(int k, int l, int lambda);

    /// <summary>
    /// ν=1 coefficients c ([l][m][a][n], as <see cref="IRepresentationKernel{TSelf}.ComputeCentre"/>) and, when
    /// <paramref name="gradients"/>, the per-pair density gradients in <paramref name="pairScratch"/>
    /// (read them with <see cref="PairDensityGradient"/>). The kernel uses the pair scratch in blocks of 4 pairs (SIMD
    /// lanes): with gradients it needs ⌈pairs / 4⌉ · 4 · <see cref="IRepresentationKernel{TSelf}.PairScratchCount"/> doubles.
    /// </summary>
    static abstract void ComputeDensity(scoped in CentreInput input, Span<double> coefficients, Span<double> pairScratch, bool gradients);

    /// <summary>The density gradient of pair <paramref name="pair"/>, g[d][l² + l + m][n] = ∂c_{l m b n}/∂(v_q)_d (b the neighbour's channel).</summary>
    static abstract ReadOnlySpan<double> PairDensityGradient(ReadOnlySpan<double> pairScratch, int pair);

    /// <summary>Values of path <paramref name="path"/> for every pair (overwrites X's columns 0 … pairs − 1 of each row).</summary>
    static abstract void Couple(int path, ReadOnlySpan<double> t, int tStride, ReadOnlySpan<double> d, int dStride,
        ReadOnlySpan<int> p1, ReadOnlySpan<int> f2, Span<double> x, int xStride);

    /// <summary>Forward tangents of path <paramref name="path"/> (product rule on both factors; overwrites).</summary>
    static abstract void CoupleTangent(int path, int dirs, ReadOnlySpan<double> t, ReadOnlySpan<double> tTangent, int tStride,
        ReadOnlySpan<double> d, ReadOnlySpan<double> dTangent, int dStride, ReadOnlySpan<int> p1, ReadOnlySpan<int> f2,
        Span<double> xTangent, int xStride);

    /// <summary>Adjoint of path <paramref name="path"/>: accumulates T̄ and D̄ from X̄.</summary>
    static abstract void CoupleAdjoint(int path, ReadOnlySpan<double> xBar, int xStride, ReadOnlySpan<double> t, Span<double> tBar, int tStride,
        ReadOnlySpan<double> d, Span<double> dBar, int dStride, ReadOnlySpan<int> p1, ReadOnlySpan<int> f2);
}
