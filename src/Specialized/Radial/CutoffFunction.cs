namespace Specialized.Radial;

/// <summary>Kind of smoothing applied at the cutoff radius (MATH §1.3).</summary>
public enum CutoffKind
{
    /// <summary>
    /// f_c(r) = 1 for r ≤ r_c − w, ½[1 + cos(π(r − r_c + w)/w)] for r_c − w &lt; r &lt; r_c, 0 for r ≥ r_c
    /// (featomic <c>ShiftedCosine{width}</c>, librascal "cosine shifted" with <c>cutoff_smooth_width</c>).
    /// </summary>
    ShiftedCosine,

    /// <summary>f_c(r) = 1 for r &lt; r_c, 0 otherwise; f_c' = 0 (featomic <c>Step</c>).</summary>
    Step,
}

/// <summary>
/// Cutoff (smoothing) function f_c(r) that multiplies each neighbour's contribution (MATH §1.3).
/// Immutable value type with no virtual dispatch; evaluation is branch-only and allocation-free.
/// </summary>
public readonly struct CutoffFunction : IEquatable<CutoffFunction>
{
    private readonly double _start;      // r_c − w: beginning of the switching interval
    private readonly double _piOverWidth; // π / w (0 for Step or w = 0)

    /// <summary>Kind of smoothing.</summary>
    public CutoffKind Kind { get; }

    /// <summary>Cutoff radius r_c (Å): f_c(r) = 0 for r ≥ r_c.</summary>
    public double Cutoff { get; }

    /// <summary>Width w of the switching region (0 for <see cref="CutoffKind.Step"/>).</summary>
    public double Width { get; }

    private CutoffFunction(CutoffKind kind, double cutoff, double width)
    {
        Kind = kind;
        Cutoff = cutoff;
        Width = width;
        _start = cutoff - width;
        _piOverWidth = width > 0 ? Math.PI / width : 0.0;
    }

    /// <summary>Shifted-cosine cutoff with switching width <paramref name="width"/> (0 ≤ w &lt; r_c; w = 0 behaves as a step).</summary>
    /// <exception cref="InvalidParameterException">cutoff not finite and &gt; 0, or width outside [0, cutoff).</exception>
    public static CutoffFunction ShiftedCosine(double cutoff, double width)
    {
        ValidateCutoff(cutoff);
        if (!double.IsFinite(width) || width < 0 || width >= cutoff)
            throw new InvalidParameterException(nameof(width), $"the shifted-cosine width must satisfy 0 ≤ width < cutoff ({cutoff}), got {width}");
        return new CutoffFunction(CutoffKind.ShiftedCosine, cutoff, width);
    }

    /// <summary>Step cutoff: f_c = 1 below <paramref name="cutoff"/>, 0 at and above it.</summary>
    /// <exception cref="InvalidParameterException">cutoff not finite and &gt; 0.</exception>
    public static CutoffFunction Step(double cutoff)
    {
        ValidateCutoff(cutoff);
        return new CutoffFunction(CutoffKind.Step, cutoff, 0.0);
    }

    private static void ValidateCutoff(double cutoff)
    {
        if (!double.IsFinite(cutoff) || cutoff <= 0)
            throw new InvalidParameterException(nameof(cutoff), $"the cutoff radius must be finite and > 0, got {cutoff}");
    }

    /// <summary>f_c(r).</summary>
    public double Value(double r)
    {
        if (r >= Cutoff) return 0.0;
        if (r <= _start) return 1.0;
        // ShiftedCosine with w > 0 (for Step and w = 0, _start == Cutoff so we never get here).
        return 0.5 * (1.0 + Math.Cos(_piOverWidth * (r - _start)));
    }

    /// <summary>df_c/dr; 0 outside the switching interval (and everywhere for <see cref="CutoffKind.Step"/>).</summary>
    public double Derivative(double r)
    {
        if (r >= Cutoff || r <= _start) return 0.0;
        return -0.5 * _piOverWidth * Math.Sin(_piOverWidth * (r - _start));
    }

    /// <summary>Value and derivative in one call.</summary>
    public void Evaluate(double r, out double value, out double derivative)
    {
        if (r >= Cutoff)
        {
            value = 0.0;
            derivative = 0.0;
        }
        else if (r <= _start)
        {
            value = 1.0;
            derivative = 0.0;
        }
        else
        {
            var (sin, cos) = Math.SinCos(_piOverWidth * (r - _start));
            value = 0.5 * (1.0 + cos);
            derivative = -0.5 * _piOverWidth * sin;
        }
    }

    /// <inheritdoc/>
    public bool Equals(CutoffFunction other) => Kind == other.Kind && Cutoff.Equals(other.Cutoff) && Width.Equals(other.Width);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CutoffFunction other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Cutoff, Width);

    /// <summary>Equality of kind, cutoff and width.</summary>
    public static bool operator ==(CutoffFunction left, CutoffFunction right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(CutoffFunction left, CutoffFunction right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => Kind == CutoffKind.Step ? $"Step(cutoff={Cutoff})" : $"ShiftedCosine(cutoff={Cutoff}, width={Width})";
}
