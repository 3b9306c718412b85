namespace Specialized.Kernels;

/// <summary>
/// Declares a compile-time specialised representation. The Specialized source generator turns
/// <code>
/// [Representation(LMax = 6, NMax = 8, BodyOrder = 2)]
/// public partial struct SiliconSoap;
/// </code>
/// into an implementation of <see cref="IRepresentationKernel{TSelf}"/> for exactly that spec:
/// unrolled real spherical harmonics up to <see cref="LMax"/>, every Clebsch–Gordan coupling the
/// requested outputs need as straight-line code, and fixed-size buffers. Run it with
/// <see cref="Descriptor{TRep}"/>, which takes the continuous hyperparameters (cutoff, widths,
/// radial basis, scaling, species list) at construction.
/// </summary>
/// <remarks>
/// <para>The spec holds everything that fixes array shapes and loop structure; the analyzer checks it
/// (diagnostics SPEC001…, see the generator's README section). Outputs, in this column order:</para>
/// <list type="number">
/// <item><see cref="SphericalExpansion"/>: the ν=1 coefficients c_{a n l m}, featomic order (l, m, a, n);</item>
/// <item><see cref="Invariants"/>: ν=1 → the radial spectrum c_{a n 0 0} (a, n); ν=2 → the SOAP power spectrum
/// (species pair a1 ≤ a2, l, n1, n2);</item>
/// <item>one λ-SOAP block per <see cref="EquivariantBlockAttribute"/>, sorted by λ then σ = +1 before −1,
/// each stored [μ][property] with properties (l1, l2, a1, n1, a2, n2) (ν=2) or (a, n) (ν=1, where the
/// block (λ, +1) is the l = λ part of the density).</item>
/// </list>
/// <para>Each layout is the one of the generic calculator with the same name, so results compare directly.</para>
/// <para>NICE / tensor-reduced specs (BodyOrder ≥ 3 or SpeciesRank &gt; 0) implement <see cref="INiceKernel{TSelf}"/>
/// instead: every CG coupling path of the iteration up to <see cref="MaxLambda"/> is generated, and the fitted
/// contractions are loaded at run time (<see cref="NiceDescriptor{TRep}"/>); their features are the model's invariants.</para>
/// </remarks>
[AttributeUsage(AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class RepresentationAttribute : Attribute
{
    /// <summary>Largest angular channel l_max (0 … 20; the analyzer also rejects specs whose generated code would be unreasonably large). Required (SPEC003).</summary>
    public int LMax { get; set; } = -1;

    /// <summary>Number of radial functions per angular channel (featomic max_radial + 1; 1 … 30). Required (SPEC003).</summary>
    public int NMax { get; set; } = -1;

    /// <summary>
    /// Body order ν: 1 = density coefficients, 2 = power spectrum / λ-SOAP, 3 … 8 = NICE (the invariants of every
    /// order ν' ≤ ν of a fitted <c>NiceModel</c>, run with <see cref="NiceDescriptor{TRep}"/>). Default 2.
    /// </summary>
    public int BodyOrder { get; set; } = 2;

    /// <summary>
    /// Species rank K: 0 = one density channel per species (NICE folds (species, n) into the feature index);
    /// K &gt; 0 = a tensor-reduced species embedding with K channels (needs BodyOrder ≥ 2; the kernel is then a
    /// NICE kernel, run with <see cref="NiceDescriptor{TRep}"/> and a tensor-reduced <c>NiceModel</c> of rank K).
    /// </summary>
    public int SpeciesRank { get; set; }

    /// <summary>
    /// NICE / tensor-reduced specs only: the cap λ_max on the angular momentum of every equivariant block of the
    /// iteration (<c>NiceParameters.MaxLambda</c>; 0 … BodyOrder·LMax, default LMax). It fixes the set of
    /// (k, l, λ) coupling paths the generator emits.
    /// </summary>
    public int MaxLambda { get; set; } = -1;

    /// <summary>
    /// Number of species channels when <see cref="SpeciesRank"/> is 0 (1 … 64). Optional when
    /// <see cref="Species"/> is given (it is then the length of that list).
    /// </summary>
    public int SpeciesCount { get; set; }

    /// <summary>
    /// Optional fixed species list (atomic numbers, ascending, distinct). When given, the descriptor
    /// uses it and rejects a different runtime species list.
    /// </summary>
    public int[]? Species { get; set; }

    /// <summary>Emit the rotation invariants (radial spectrum for ν=1, power spectrum for ν=2). Default true.</summary>
    public bool Invariants { get; set; } = true;

    /// <summary>Also emit the ν=1 spherical-expansion coefficients themselves. Default false.</summary>
    public bool SphericalExpansion { get; set; }
}

/// <summary>
/// Requests one O(3) equivariant block (λ, σ) from a <see cref="RepresentationAttribute"/> spec
/// (λ-SOAP for ν=2: <c>T^{λσ}_{(l1 a1 n1)(l2 a2 n2); μ} = Σ C^{l1 l2 λ}[m1, m2, μ] c_{a1 n1 l1 m1} c_{a2 n2 l2 m2}</c>
/// over every ordered (l1, l2) with σ = (−1)^{l1+l2+λ}). Repeat the attribute for several blocks.
/// </summary>
[AttributeUsage(AttributeTargets.Struct, AllowMultiple = true, Inherited = false)]
public sealed class EquivariantBlockAttribute : Attribute
{
    /// <summary>Requests the block (<paramref name="lambda"/>, <paramref name="sigma"/>); σ = +1 true tensor, −1 pseudotensor.</summary>
    public EquivariantBlockAttribute(int lambda, int sigma = 1)
    {
        Lambda = lambda;
        Sigma = sigma;
    }

    /// <summary>Angular momentum λ of the block.</summary>
    public int Lambda { get; }

    /// <summary>Parity label σ (+1 or −1): the block changes by σ (−1)^λ under inversion.</summary>
    public int Sigma { get; }
}
