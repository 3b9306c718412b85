namespace Specialized.Radial;

/// <summary>Radial basis families available through <see cref="RadialIntegrals.Create"/>.</summary>
public enum RadialBasisKind
{
    /// <summary>Gaussian-type orbitals with a Gaussian atomic density, Löwdin-orthonormalised (featomic <c>Gto</c>; MATH §3.2).</summary>
    Gto,

    /// <summary>Laplacian eigenstates (spherical Bessel functions) with a δ atomic density; ragged (MATH §3.3).</summary>
    LaplacianEigenstate,
}

/// <summary>Factory for the radial integrals used by the spherical expansion.</summary>
public static class RadialIntegrals
{
    /// <summary>
    /// Creates a radial integral, optionally splined.
    /// </summary>
    /// <param name="kind">Basis family.</param>
    /// <param name="nMax">Number of radial functions (featomic max_radial + 1): per channel for <see cref="RadialBasisKind.Gto"/>;
    /// in channel l = 0 (which fixes the eigenvalue threshold) for <see cref="RadialBasisKind.LaplacianEigenstate"/>.</param>
    /// <param name="lMax">l_max for <see cref="RadialBasisKind.Gto"/>; for <see cref="RadialBasisKind.LaplacianEigenstate"/> a cap
    /// on the natural l_max (the result's <see cref="IRadialIntegral.MaxAngular"/> is min(lMax, natural l_max)).</param>
    /// <param name="cutoff">Spherical cutoff r_c (Å), also the basis radius.</param>
    /// <param name="densityWidth">Gaussian density width σ (Å) for <see cref="RadialBasisKind.Gto"/>;
    /// ignored for <see cref="RadialBasisKind.LaplacianEigenstate"/>, which uses a δ density.</param>
    /// <param name="splineAccuracy">null: exact evaluation; otherwise the accuracy of a <see cref="SplinedRadialIntegral"/>.</param>
    /// <exception cref="InvalidParameterException">a parameter is out of range.</exception>
    public static IRadialIntegral Create(RadialBasisKind kind, int nMax, int lMax, double cutoff, double densityWidth, double? splineAccuracy)
    {
        IRadialIntegral exact = kind switch
        {
            RadialBasisKind.Gto => new GtoRadialIntegral(nMax, lMax, cutoff, densityWidth),
            RadialBasisKind.LaplacianEigenstate => lMax < 0
                ? throw new InvalidParameterException(nameof(lMax), $"must be ≥ 0, got {lMax}")
                : new LaplacianEigenstateRadialIntegral(nMax, cutoff, lMax),
            _ => throw new InvalidParameterException(nameof(kind), $"unknown radial basis {kind}"),
        };
        return splineAccuracy is { } accuracy ? new SplinedRadialIntegral(exact, accuracy) : exact;
    }
}
