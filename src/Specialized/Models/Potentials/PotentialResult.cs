namespace Specialized.Models.Potentials;

/// <summary>
/// Energy and its derivatives for one structure, as computed by an interatomic potential.
/// </summary>
/// <remarks>
/// <para>Units: eV and Å. Conventions (those of ASE and QUIP):</para>
/// <list type="bullet">
/// <item><see cref="Forces"/>: F_i = −∂E/∂r_i, flat atom-major, F[3i + d].</item>
/// <item><see cref="Virial"/>: W_ab = −∂E/∂ε_ab, where positions and cell are deformed together as
/// row vectors, r → r (I + ε). For interactions expressed through displacement vectors d this is
/// W_ab = −Σ d_a ∂E/∂d_b. Row-major 3×3, W[3a + b].</item>
/// <item><see cref="Stress"/>: σ = −W / V (so σ_ab = (1/V) ∂E/∂ε_ab; positive under tension,
/// negative under compression), row-major 3×3. Only defined for cells periodic along all three axes.</item>
/// </list>
/// </remarks>
public sealed class PotentialResult
{
    /// <summary>Creates a result; <paramref name="forces"/> holds 3 values per atom, <paramref name="virial"/> and <paramref name="stress"/> 9 values.</summary>
    public PotentialResult(double energy, double[] forces, double[] virial, double[]? stress)
    {
        ArgumentNullException.ThrowIfNull(forces);
        ArgumentNullException.ThrowIfNull(virial);
        if (forces.Length % 3 != 0) throw new ArgumentException($"forces hold {forces.Length} values, not a multiple of 3", nameof(forces));
        if (virial.Length != 9) throw new ArgumentException($"virial holds {virial.Length} values, expected 9", nameof(virial));
        if (stress is not null && stress.Length != 9) throw new ArgumentException($"stress holds {stress.Length} values, expected 9", nameof(stress));
        Energy = energy;
        Forces = forces;
        Virial = virial;
        Stress = stress;
    }

    /// <summary>Total energy in eV.</summary>
    public double Energy { get; }

    /// <summary>Forces in eV/Å, F[3i + d] = −∂E/∂r_{i,d}.</summary>
    public double[] Forces { get; }

    /// <summary>Virial in eV, row-major 3×3: W_ab = −∂E/∂ε_ab (see the class remarks).</summary>
    public double[] Virial { get; }

    /// <summary>Stress in eV/Å³, row-major 3×3, σ = −W/V; null unless the cell is periodic along all three axes.</summary>
    public double[]? Stress { get; }
}
