namespace Specialized.Radial;

/// <summary>
/// Radial integrals I_nl(r) of one neighbour's density projected on the radial basis (MATH §3.1):
/// the spherical-expansion coefficient of a neighbour at distance r and direction r̂ is
/// F(r) · I_nl(r) · Y_lm(r̂). All functions of all angular channels are evaluated together.
/// <para>Flattened layout: channel l occupies indices [Offset(l), Offset(l) + Count(l)), with n fastest,
/// i.e. index = Offset(l) + n. Channels may have different sizes (ragged bases).</para>
/// <para>Implementations are immutable after construction; <see cref="Compute"/> is thread-safe and allocation-free.</para>
/// </summary>
public interface IRadialIntegral
{
    /// <summary>Largest angular channel l_max.</summary>
    int MaxAngular { get; }

    /// <summary>Number of radial functions in angular channel <paramref name="l"/> (0 ≤ l ≤ <see cref="MaxAngular"/>).</summary>
    int Count(int l);

    /// <summary>Σ_{l' &lt; l} Count(l'): start of channel l in the flattened (l, n) layout (0 ≤ l ≤ MaxAngular + 1).</summary>
    int Offset(int l);

    /// <summary>Total number of functions, Offset(MaxAngular + 1).</summary>
    int TotalCount { get; }

    /// <summary>Largest r (Å) at which the integrals are evaluated (the spherical cutoff).</summary>
    double Cutoff { get; }

    /// <summary>
    /// Evaluates values[Offset(l) + n] = I_nl(r) and derivatives[Offset(l) + n] = dI_nl/dr for all l ≤ MaxAngular and n.
    /// <paramref name="derivatives"/> may be empty (values only); otherwise both spans need at least
    /// <see cref="TotalCount"/> elements. Does not allocate.
    /// </summary>
    void Compute(double r, Span<double> values, Span<double> derivatives);
}
