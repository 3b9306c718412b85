// Portable: compiled into the runtime and linked into the source generator.
#nullable enable
using System;
using System.Numerics;

namespace Specialized.Angular;

/// <summary>
/// An exact real number of the form <c>Sign · √(Numerator / Denominator)</c> with
/// <c>Numerator ≥ 0</c>, <c>Denominator &gt; 0</c> coprime and <c>Sign ∈ {−1, 0, +1}</c>
/// (Sign = 0 exactly when the value is zero; then Numerator = 0, Denominator = 1).
/// Clebsch–Gordan coefficients and spherical-harmonic prefactors are of this form.
/// </summary>
public readonly struct SignedSqrtRational : IEquatable<SignedSqrtRational>
{
    /// <summary>Creates <c>sign · √(numerator/denominator)</c>, reducing the fraction.</summary>
    public SignedSqrtRational(int sign, BigInteger numerator, BigInteger denominator)
    {
        if (numerator.Sign < 0) throw new ArgumentOutOfRangeException(nameof(numerator), "must be ≥ 0");
        if (denominator.Sign <= 0) throw new ArgumentOutOfRangeException(nameof(denominator), "must be > 0");
        if (sign == 0 || numerator.IsZero)
        {
            Sign = 0;
            Numerator = BigInteger.Zero;
            Denominator = BigInteger.One;
            return;
        }
        var g = BigInteger.GreatestCommonDivisor(numerator, denominator);
        Sign = sign > 0 ? 1 : -1;
        Numerator = numerator / g;
        Denominator = denominator / g;
    }

    /// <summary>−1, 0 or +1.</summary>
    public int Sign { get; }

    /// <summary>Numerator of the squared magnitude (reduced).</summary>
    public BigInteger Numerator { get; }

    /// <summary>Denominator of the squared magnitude (reduced, positive).</summary>
    public BigInteger Denominator { get; }

    /// <summary>The value rounded once to the nearest double.</summary>
    public double ToDouble() =>
        Sign == 0 ? 0.0 : Sign * ExactArithmetic.SqrtRatioToDouble(Numerator, Denominator);

    /// <summary>The signed square <c>Sign · Numerator / Denominator</c> rounded once to a double.</summary>
    public double SignedSquareToDouble() =>
        Sign == 0 ? 0.0 : Sign * ExactArithmetic.RatioToDouble(Numerator, Denominator);

    /// <inheritdoc/>
    public bool Equals(SignedSqrtRational other) =>
        Sign == other.Sign && Numerator.Equals(other.Numerator) && Denominator.Equals(other.Denominator);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SignedSqrtRational other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => unchecked((Sign * 397) ^ (Numerator.GetHashCode() * 31) ^ Denominator.GetHashCode());

    /// <summary>Text form, e.g. <c>-sqrt(2/3)</c> or <c>0</c>.</summary>
    public override string ToString() =>
        Sign == 0 ? "0" : (Sign < 0 ? "-" : "") + "sqrt(" + Numerator.ToString() + "/" + Denominator.ToString() + ")";
}
