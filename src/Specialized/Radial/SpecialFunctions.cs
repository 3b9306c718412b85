namespace Specialized.Radial;

/// <summary>Special functions needed by the radial integrals (all allocation-free).</summary>
internal static class SpecialFunctions
{
    /// <summary>√π.</summary>
    public const double SqrtPi = 1.7724538509055160273;

    /// <summary>
    /// Γ(x) for x = m/2, m = 1, 2, 3, …, by the exact recurrences Γ(1) = 1, Γ(½) = √π, Γ(x+1) = xΓ(x)
    /// (each factor is exact, so the relative error is ≲ (x+1)·ulp). Overflows to +∞ above x ≈ 171.
    /// </summary>
    public static double GammaHalfInteger(int twiceX)
    {
        if (twiceX <= 0) throw new ArgumentOutOfRangeException(nameof(twiceX));
        double result;
        double x;
        if ((twiceX & 1) == 0)
        {
            result = 1.0;
            x = 1.0;
        }
        else
        {
            result = SqrtPi;
            x = 0.5;
        }
        double target = 0.5 * twiceX;
        while (x < target)
        {
            result *= x;
            x += 1.0;
        }
        return result;
    }

    /// <summary>Γ(m/2) in double-double (same recurrences).</summary>
    public static DoubleDouble GammaHalfIntegerDD(int twiceX)
    {
        if (twiceX <= 0) throw new ArgumentOutOfRangeException(nameof(twiceX));
        DoubleDouble result;
        double x;
        if ((twiceX & 1) == 0)
        {
            result = 1.0;
            x = 1.0;
        }
        else
        {
            result = DoubleDouble.Sqrt(DoubleDouble.Pi);
            x = 0.5;
        }
        double target = 0.5 * twiceX;
        while (x < target)
        {
            result *= x;
            x += 1.0;
        }
        return result;
    }

    // Lanczos approximation, g = 7, 9 coefficients (relative accuracy ~1e-15 for x ≥ 0.5).
    private static readonly double[] LanczosCoefficients =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, absolute accuracy ~1e-14; used only for decisions, not results).</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x));
        if (x < 0.5)
        {
            // Γ(x) = Γ(x+1)/x
            return LogGamma(x + 1.0) - Math.Log(x);
        }
        x -= 1.0;
        double sum = LanczosCoefficients[0];
        for (int i = 1; i < LanczosCoefficients.Length; i++) sum += LanczosCoefficients[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>
    /// Spherical Bessel functions of the first kind j_l(x) and j_{l+1}(x) for l ≥ 0, x ≥ 0.
    /// <list type="bullet">
    /// <item>x² ≤ 2l+3: power series j_l = x^l/(2l+1)!! Σ_k (−x²/2)^k / (k! (2l+3)(2l+5)…(2l+2k+1)); the terms
    /// decrease from the first one, so cancellation is at most a factor 2.</item>
    /// <item>x ≥ l+1: upward recurrence j_{k+1} = (2k+1)/x j_k − j_{k−1} from j_0 = sin x/x,
    /// j_1 = sin x/x² − cos x/x (stable while k &lt; x).</item>
    /// <item>otherwise: Miller's backward recurrence from k = l + 40 (where j_{k+1}/j_k ≤ ½, so the
    /// start error decays below 1e-24), normalised with the exact j_0 or j_1, whichever is larger.</item>
    /// </list>
    /// Accuracy: a few ulp relative (absolute near the zeros).
    /// </summary>
    public static void SphericalBesselJ(int l, double x, out double jl, out double jl1)
    {
        if (x == 0.0)
        {
            jl = l == 0 ? 1.0 : 0.0;
            jl1 = 0.0;
            return;
        }
        if (x * x <= 2 * l + 3)
        {
            jl = SphericalBesselSeries(l, x);
            jl1 = SphericalBesselSeries(l + 1, x);
            return;
        }
        var (sin, cos) = Math.SinCos(x);
        double j0 = sin / x;
        double j1 = (j0 - cos) / x;
        if (x >= l + 1)
        {
            // upward
            if (l == 0)
            {
                jl = j0;
                jl1 = j1;
                return;
            }
            double previous = j0, current = j1;
            for (int k = 1; k <= l; k++)
            {
                double next = (2 * k + 1) / x * current - previous;
                previous = current;
                current = next;
            }
            jl = previous;
            jl1 = current;
            return;
        }

        // Miller backward recurrence: f_{k−1} = (2k+1)/x f_k − f_{k+1}.
        int start = l + 40;
        double fNext = 0.0, f = 1e-300;
        double fl = 0.0, fl1 = 0.0;
        for (int k = start; k >= 1; k--)
        {
            double fPrevious = (2 * k + 1) / x * f - fNext;
            fNext = f;
            f = fPrevious; // f now holds f_{k−1}, fNext holds f_k
            if (k - 1 == l + 1) fl1 = f;
            else if (k - 1 == l) fl = f;
            if (Math.Abs(f) > 1e250)
            {
                f *= 1e-250;
                fNext *= 1e-250;
                fl *= 1e-250;
                fl1 *= 1e-250;
            }
        }
        // f = f_0, fNext = f_1
        double scale = Math.Abs(j0) >= Math.Abs(j1) ? j0 / f : j1 / fNext;
        jl = fl * scale;
        jl1 = fl1 * scale;
    }

    private static double SphericalBesselSeries(int l, double x)
    {
        // prefactor x^l/(2l+1)!! as a product (no overflow of the double factorial)
        double prefactor = 1.0;
        for (int i = 1; i <= l; i++) prefactor *= x / (2 * i + 1);
        if (prefactor == 0.0) return 0.0;
        double y = -0.5 * x * x;
        double term = 1.0, sum = 1.0;
        for (int k = 1; k < 200; k++)
        {
            term *= y / (k * (2.0 * (l + k) + 1.0));
            sum += term;
            if (Math.Abs(term) < 1e-17 * Math.Abs(sum)) break;
        }
        return prefactor * sum;
    }
}
