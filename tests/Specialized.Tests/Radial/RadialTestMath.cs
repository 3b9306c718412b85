namespace Specialized.Tests.Radial;

/// <summary>Independent numerical tools for the radial tests (quadrature, scaled modified spherical Bessel functions).</summary>
internal static class RadialTestMath
{
    private static readonly (double[] Nodes, double[] Weights) Rule = Specialized.Tests.Support.Quadrature.GaussLegendre(32);

    /// <summary>∫_a^b f by composite 32-point Gauss–Legendre on <paramref name="panels"/> equal panels.</summary>
    public static double Integrate(Func<double, double> f, double a, double b, int panels)
    {
        double width = (b - a) / panels;
        double sum = 0;
        for (int p = 0; p < panels; p++)
        {
            double mid = a + (p + 0.5) * width, half = 0.5 * width;
            double panel = 0;
            for (int i = 0; i < Rule.Nodes.Length; i++) panel += Rule.Weights[i] * f(mid + half * Rule.Nodes[i]);
            sum += panel * half;
        }
        return sum;
    }

    /// <summary>e^{−z} i_l(z): power series for z ≤ 100, Miller's backward recurrence above.</summary>
    public static double ScaledModifiedSphericalBesselI(int l, double z) =>
        z <= 100 ? ScaledModifiedSphericalBesselISeries(l, z) : ScaledModifiedSphericalBesselIMiller(l, z);

    /// <summary>
    /// e^{−z} i_l(z) for 0 ≤ z ≤ 700 by the power series i_l(z) = z^l/(2l+1)!! Σ_k (z²/2)^k / (k! (2l+3)(2l+5)…(2l+2k+1)),
    /// whose terms are all positive; e^{−z} is folded into the first term so nothing overflows.
    /// </summary>
    public static double ScaledModifiedSphericalBesselISeries(int l, double z)
    {
        if (z == 0) return l == 0 ? 1.0 : 0.0;
        if (z > 700) throw new ArgumentOutOfRangeException(nameof(z));
        double term = Math.Exp(-z);
        for (int i = 1; i <= l; i++) term *= z / (2 * i + 1);
        double sum = term;
        double y = 0.5 * z * z;
        for (int k = 1; k < 100000; k++)
        {
            term *= y / (k * (2.0 * (l + k) + 1));
            sum += term;
            if (term < 1e-18 * sum && k > z) break;
        }
        return sum;
    }

    /// <summary>
    /// e^{−z} i_l(z) for z &gt; 0 by Miller's backward recurrence f_{k−1} = f_{k+1} + (2k+1)/z f_k (i_l is the
    /// minimal solution as k grows) from k = l + 30 + √(60 z), normalised with e^{−z} i_0(z) = (1 − e^{−2z})/(2z).
    /// </summary>
    public static double ScaledModifiedSphericalBesselIMiller(int l, double z)
    {
        int start = l + 30 + (int)Math.Sqrt(60 * z);
        double next = 0, current = 1e-300, atL = 0;
        for (int k = start; k >= 1; k--)
        {
            double previous = next + (2 * k + 1) / z * current;
            next = current;
            current = previous;
            if (k - 1 == l) atL = current;
            if (current > 1e250)
            {
                current *= 1e-250;
                next *= 1e-250;
                atL *= 1e-250;
            }
        }
        if (l == 0) atL = current;
        double exact0 = (1 - Math.Exp(-2 * z)) / (2 * z);
        return atL * (exact0 / current);
    }

    /// <summary>Γ(n + 3/2) by the exact product √π · ½ · (3/2) ⋯ (n + ½).</summary>
    public static double GammaNPlusThreeHalves(int n)
    {
        double g = Math.Sqrt(Math.PI) * 0.5;
        for (int k = 1; k <= n; k++) g *= k + 0.5;
        return g;
    }

    /// <summary>Normalised GTO primitive φ_n(x) = 𝒩_n x^n exp(−x²/(2σ_n²)), σ_n = r_0 max(√n,1)/N.</summary>
    public static double GtoPrimitive(int n, int count, double basisRadius, double x)
    {
        double sigma = basisRadius * Math.Max(Math.Sqrt(n), 1) / count;
        double norm = Math.Sqrt(2 / (Math.Pow(sigma, 2 * n + 3) * GammaNPlusThreeHalves(n)));
        return norm * Math.Pow(x, n) * Math.Exp(-x * x / (2 * sigma * sigma));
    }

    /// <summary>
    /// Quadrature oracle (MATH §3.2) for the normalised primitive radial integral
    /// P_nl(r) = 𝒩_n · 4π (πσ²)^{−3/4} ∫_0^∞ x² · x^n e^{−x²/(2σ_n²)} · e^{−(x−r)²/(2σ²)} · [e^{−xr/σ²} i_l(x r/σ²)] dx.
    /// </summary>
    public static double GtoPrimitiveIntegralByQuadrature(int n, int l, double r, int count, double basisRadius, double sigma)
    {
        if (r == 0 && l > 0) return 0.0;
        double sigmaN = basisRadius * Math.Max(Math.Sqrt(n), 1) / count;
        double b = 1 / (2 * sigmaN * sigmaN), a = 1 / (2 * sigma * sigma);
        // the two Gaussians combine into one centred at x* with width s; the polynomial x^(n+l+2) moves the peak by ≲ s√(n+l+2)
        double center = 2 * a * r / (2 * a + 2 * b);
        double s = 1 / Math.Sqrt(2 * a + 2 * b);
        double upper = center + s * (2 * Math.Sqrt(n + l + 2.0) + 14);
        int panels = Math.Max(40, (int)Math.Ceiling(upper / (0.5 * s)));
        double integral = Integrate(x =>
        {
            if (x == 0) return 0.0;
            double d = x - r;
            return GtoPrimitive(n, count, basisRadius, x) * x * x * Math.Exp(-d * d * a) * ScaledModifiedSphericalBesselI(l, x * r * 2 * a);
        }, 0, upper, panels);
        return 4 * Math.PI * Math.Pow(Math.PI * sigma * sigma, -0.75) * integral;
    }
}
