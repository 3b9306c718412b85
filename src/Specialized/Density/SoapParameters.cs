using Specialized.Radial;

namespace Specialized.Density;

/// <summary>
/// Continuous hyperparameters of the atom-density expansion, with featomic's meaning and defaults
/// (cutoff 5 Å, shifted-cosine width 0.5 Å, Gaussian density width 0.3 Å, GTO basis with 8 radial
/// functions, l_max 6, centre weight 1, radial integrals splined to 1e-8).
/// <see cref="RadialCount"/> is the number of radial functions (featomic's max_radial + 1).
/// For the Laplacian-eigenstate basis the density is a δ function (<see cref="DensityWidth"/> unused)
/// and <see cref="RadialCount"/> fixes the largest eigenvalue: the basis is ragged in l (MATH §3.3).
/// </summary>
public sealed record SoapParameters
{
    /// <summary>Cutoff radius r_c in Å (strict: pairs with r &lt; r_c).</summary>
    public double Cutoff { get; init; } = 5.0;
    /// <summary>Cutoff function.</summary>
    public CutoffKind CutoffFunction { get; init; } = CutoffKind.ShiftedCosine;
    /// <summary>Width w of the shifted-cosine switching region in Å.</summary>
    public double CutoffWidth { get; init; } = 0.5;
    /// <summary>Gaussian density width σ in Å (GTO basis only).</summary>
    public double DensityWidth { get; init; } = 0.3;
    /// <summary>Number of radial functions N (featomic max_radial = N − 1).</summary>
    public int RadialCount { get; init; } = 8;
    /// <summary>Largest angular channel l_max.</summary>
    public int LMax { get; init; } = 6;
    /// <summary>Radial basis.</summary>
    public RadialBasisKind Basis { get; init; } = RadialBasisKind.Gto;
    /// <summary>Willatt-2018 radial scaling u(r) = rate / (rate + (r/scale)^exponent), or null for none.</summary>
    public RadialScalingParameters? RadialScaling { get; init; }
    /// <summary>Weight w_c of the centre atom's own density (MATH §1.5).</summary>
    public double CenterWeight { get; init; } = 1.0;
    /// <summary>Target accuracy of the Hermite splines of the radial integrals, or null to evaluate them exactly.</summary>
    public double? SplineAccuracy { get; init; } = 1e-8;

    /// <summary>The pair weight F(r) = u(r) f_c(r) these parameters define.</summary>
    public PairWeight CreatePairWeight() => new(
        CutoffFunction == CutoffKind.ShiftedCosine ? Radial.CutoffFunction.ShiftedCosine(Cutoff, CutoffWidth) : Radial.CutoffFunction.Step(Cutoff),
        RadialScaling is { } s ? new Radial.RadialScaling(s.Rate, s.Scale, s.Exponent) : null);

    /// <summary>Throws <see cref="InvalidParameterException"/> naming the first invalid hyperparameter.</summary>
    public void Validate()
    {
        if (!(Cutoff > 0) || !double.IsFinite(Cutoff)) throw new InvalidParameterException("cutoff", $"must be a positive number, got {Cutoff}");
        if (CutoffFunction == CutoffKind.ShiftedCosine && (!(CutoffWidth > 0) || !(CutoffWidth < Cutoff)))
            throw new InvalidParameterException("cutoff-width", $"must be in (0, cutoff = {Cutoff}), got {CutoffWidth}");
        if (Basis == RadialBasisKind.Gto && (!(DensityWidth > 0) || !double.IsFinite(DensityWidth)))
            throw new InvalidParameterException("density-width", $"must be a positive number, got {DensityWidth}");
        if (RadialCount < 1 || RadialCount > 30) throw new InvalidParameterException("n-max", $"number of radial functions must be in 1..30, got {RadialCount}");
        if (LMax < 0 || LMax > 20) throw new InvalidParameterException("l-max", $"must be in 0..20, got {LMax}");
        if (!(CenterWeight >= 0) || !double.IsFinite(CenterWeight)) throw new InvalidParameterException("center-weight", $"must be a non-negative number, got {CenterWeight}");
        if (SplineAccuracy is { } acc && !(acc > 0 && acc < 1)) throw new InvalidParameterException("spline-accuracy", $"must be in (0, 1), got {acc}");
        RadialScaling?.Validate();
    }
}

/// <summary>Willatt-2018 radial scaling hyperparameters: u(r) = rate / (rate + (r/scale)^exponent).</summary>
public sealed record RadialScalingParameters(double Rate, double Scale, double Exponent)
{
    /// <summary>Throws <see cref="InvalidParameterException"/> when a value is out of range.</summary>
    public void Validate()
    {
        if (!(Rate > 0) || !double.IsFinite(Rate)) throw new InvalidParameterException("radial-scaling-rate", $"must be positive, got {Rate}");
        if (!(Scale > 0) || !double.IsFinite(Scale)) throw new InvalidParameterException("radial-scaling-scale", $"must be positive, got {Scale}");
        if (!(Exponent > 0) || !double.IsFinite(Exponent)) throw new InvalidParameterException("radial-scaling-exponent", $"must be positive, got {Exponent}");
    }
}
