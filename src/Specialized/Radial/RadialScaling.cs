namespace Specialized.Radial;

/// <summary>
/// Radial scaling of the neighbour weights (Willatt, Musil, Ceriotti 2018, eq. 21; featomic
/// <c>Willatt2018{scale, rate, exponent}</c>; MATH §1.4):
/// u(r) = rate / (rate + (r/scale)^m),
/// u'(r) = −rate · m / scale · (r/scale)^(m−1) / (rate + (r/scale)^m)².
/// The classic form 1/(1 + (r/r_0)^m) is rate = 1.
/// </summary>
public readonly struct RadialScaling : IEquatable<RadialScaling>
{
    /// <summary>Rate c (&gt; 0).</summary>
    public double Rate { get; }

    /// <summary>Scale r_0 (Å, &gt; 0).</summary>
    public double Scale { get; }

    /// <summary>Exponent m (&gt; 0).</summary>
    public double Exponent { get; }

    /// <summary>Creates the scaling; all three parameters must be finite and strictly positive.</summary>
    /// <exception cref="InvalidParameterException">a parameter is not finite and &gt; 0.</exception>
    public RadialScaling(double rate, double scale, double exponent)
    {
        if (!double.IsFinite(rate) || rate <= 0)
            throw new InvalidParameterException(nameof(rate), $"the radial-scaling rate must be finite and > 0, got {rate}");
        if (!double.IsFinite(scale) || scale <= 0)
            throw new InvalidParameterException(nameof(scale), $"the radial-scaling scale must be finite and > 0, got {scale}");
        if (!double.IsFinite(exponent) || exponent <= 0)
            throw new InvalidParameterException(nameof(exponent), $"the radial-scaling exponent must be finite and > 0, got {exponent}");
        Rate = rate;
        Scale = scale;
        Exponent = exponent;
    }

    /// <summary>u(r).</summary>
    public double Value(double r) => Rate / (Rate + Math.Pow(r / Scale, Exponent));

    /// <summary>du/dr (for exponent &lt; 1 this diverges at r = 0).</summary>
    public double Derivative(double r)
    {
        Evaluate(r, out _, out double d);
        return d;
    }

    /// <summary>Value and derivative in one call (one <see cref="Math.Pow(double, double)"/>).</summary>
    public void Evaluate(double r, out double value, out double derivative)
    {
        double x = r / Scale;
        if (x == 0.0)
        {
            // Limits at r = 0: u = 1; u' = 0 (m > 1), −1/(rate·scale) (m = 1), −∞ (m < 1).
            value = 1.0;
            derivative = Exponent > 1.0 ? 0.0 : Exponent == 1.0 ? -1.0 / (Rate * Scale) : double.NegativeInfinity;
            return;
        }
        double xm1 = Math.Pow(x, Exponent - 1.0); // (r/r0)^(m−1)
        double xm = xm1 * x;                      // (r/r0)^m
        double denominator = Rate + xm;
        value = Rate / denominator;
        derivative = -Rate * Exponent / Scale * xm1 / (denominator * denominator);
    }

    /// <inheritdoc/>
    public bool Equals(RadialScaling other) => Rate.Equals(other.Rate) && Scale.Equals(other.Scale) && Exponent.Equals(other.Exponent);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RadialScaling other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Rate, Scale, Exponent);

    /// <summary>Equality of all parameters.</summary>
    public static bool operator ==(RadialScaling left, RadialScaling right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(RadialScaling left, RadialScaling right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"RadialScaling(rate={Rate}, scale={Scale}, exponent={Exponent})";
}

/// <summary>
/// Weight of one neighbour's contribution, F(r) = u(r) f_c(r), F'(r) = u'(r) f_c(r) + u(r) f_c'(r)
/// (MATH §1.4), where u = 1 when no radial scaling is used. The centre ("self") contribution uses
/// F(0) = 1 regardless of the scaling (MATH §1.5); this type does not special-case r = 0.
/// </summary>
public readonly struct PairWeight : IEquatable<PairWeight>
{
    private readonly bool _hasScaling;
    private readonly RadialScaling _scaling;

    /// <summary>The cutoff function f_c.</summary>
    public CutoffFunction Cutoff { get; }

    /// <summary>The radial scaling u, or null when none is applied.</summary>
    public RadialScaling? Scaling => _hasScaling ? _scaling : null;

    /// <summary>Combines a cutoff function with an optional radial scaling.</summary>
    public PairWeight(CutoffFunction cutoff, RadialScaling? scaling = null)
    {
        Cutoff = cutoff;
        _hasScaling = scaling.HasValue;
        _scaling = scaling.GetValueOrDefault();
    }

    /// <summary>F(r).</summary>
    public double Value(double r)
    {
        double fc = Cutoff.Value(r);
        return _hasScaling && fc != 0.0 ? fc * _scaling.Value(r) : fc;
    }

    /// <summary>F(r) and F'(r).</summary>
    public void Evaluate(double r, out double value, out double derivative)
    {
        Cutoff.Evaluate(r, out double fc, out double dfc);
        if (!_hasScaling || (fc == 0.0 && dfc == 0.0))
        {
            value = fc;
            derivative = dfc;
            return;
        }
        _scaling.Evaluate(r, out double u, out double du);
        value = u * fc;
        derivative = du * fc + u * dfc;
    }

    /// <inheritdoc/>
    public bool Equals(PairWeight other) => Cutoff == other.Cutoff && Nullable.Equals(Scaling, other.Scaling);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PairWeight other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Cutoff, Scaling);

    /// <summary>Equality of cutoff and scaling.</summary>
    public static bool operator ==(PairWeight left, PairWeight right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(PairWeight left, PairWeight right) => !left.Equals(right);
}
