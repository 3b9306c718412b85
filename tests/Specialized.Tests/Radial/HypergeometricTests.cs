using Specialized.Radial;
using Specialized.Tests.Support;
using Xunit.Abstractions;

namespace Specialized.Tests.Radial;

public class HypergeometricTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-14; // brief: ≤ 1e-13; achieved ≈ 1.6e-15

    private static double RelativeError(double actual, double expected) => Math.Abs(actual - expected) / Math.Abs(expected);

    private delegate void ScaledPair(double a, double b, double z, out double m0, out double m1);

    /// <summary>
    /// Every row of librascal's 200-digit table: value and d/dz = (a/b) M(a+1; b+1; z), the latter both
    /// directly and through the identity used by the GTO code, d/dz M = M − ((b−a)/b) M(a; b+1; z).
    /// </summary>
    [SharedFact]
    public void MatchesLibrascalTableEveryRow()
    {
        var table = SharedData.Load("librascal", "hyp1f1-reference");
        Assert.Equal(4800, table.Shape[0]);
        double maxValue = 0, maxDerivative = 0, maxIdentity = 0;
        int worstRow = -1;
        for (int i = 0; i < table.Shape[0]; i++)
        {
            double a = table[i, 0], b = table[i, 1], z = table[i, 2], m = table[i, 3], dm = table[i, 4];
            double value = Hypergeometric.Hyp1F1(a, b, z);
            double derivative = a / b * Hypergeometric.Hyp1F1(a + 1, b + 1, z);
            Hypergeometric.Hyp1F1ScaledPair(a, b, z, out double s0, out double s1);
            double viaIdentity = (s0 - (b - a) / b * s1) * Math.Exp(z);
            double ev = RelativeError(value, m);
            if (ev > maxValue)
            {
                maxValue = ev;
                worstRow = i;
            }
            maxDerivative = Math.Max(maxDerivative, RelativeError(derivative, dm));
            maxIdentity = Math.Max(maxIdentity, RelativeError(viaIdentity, dm));
        }
        output.WriteLine($"max rel error: value {maxValue:E2} (row {worstRow}), d/dz {maxDerivative:E2}, d/dz via identity {maxIdentity:E2}");
        Assert.True(maxValue <= Tolerance, $"value {maxValue}");
        Assert.True(maxDerivative <= Tolerance, $"derivative {maxDerivative}");
        Assert.True(maxIdentity <= Tolerance, $"identity {maxIdentity}");
    }

    /// <summary>The Kummer-series path alone reproduces every row (values and b+1 companions).</summary>
    [SharedFact]
    public void SeriesPathMatchesEveryRow() => CheckPath(Hypergeometric.SeriesScaledPair, requireAll: true, "series");

    /// <summary>The asymptotic path, wherever it accepts a row, reproduces it.</summary>
    [SharedFact]
    public void AsymptoticPathMatchesWhereUsed() => CheckPath(
        (double a, double b, double z, out double m0, out double m1) =>
        {
            if (!Hypergeometric.TryAsymptoticScaledPair(a, b, z, out m0, out m1)) m0 = m1 = double.NaN;
        }, requireAll: false, "asymptotic");

    private void CheckPath(ScaledPair path, bool requireAll, string name)
    {
        var table = SharedData.Load("librascal", "hyp1f1-reference");
        double max = 0;
        int used = 0;
        for (int i = 0; i < table.Shape[0]; i++)
        {
            double a = table[i, 0], b = table[i, 1], z = table[i, 2];
            path(a, b, z, out double m0, out _);
            path(a + 1, b + 1, z, out double d0, out _);
            if (double.IsNaN(m0) || double.IsNaN(d0))
            {
                Assert.False(requireAll);
                continue;
            }
            used++;
            max = Math.Max(max, RelativeError(m0 * Math.Exp(z), table[i, 3]));
            max = Math.Max(max, RelativeError(a / b * d0 * Math.Exp(z), table[i, 4]));
        }
        output.WriteLine($"{name}: {used} rows, max rel error {max:E2}");
        Assert.True(max <= Tolerance, $"{name} {max}");
        Assert.True(used > 0);
    }

    // 50-digit mpmath values of e^{-z} M(a; b; z) and e^{-z} M(a; b+1; z), Generators/hyp1f1_reference.py
    private static readonly (double A, double B, double Z, double Scaled, double ScaledNextB)[] ExtraReference =
    [
        (2.2999999999999998, 7.0999999999999996, 2000.0, 1.0610456803171630421e-13, 3.7642582820526026839e-16),
        (0.69999999999999996, 0.20000000000000001, 50.0, 24.93278342930097967, 0.10033942092407466217),
        (13.25, 3.5, 800.0, 86106857103169740178.0, 371095739600493926.19),
        (1.5, 21.5, 10000.0, 1.2493086333546264571e-61, 2.6858789851382216885e-64),
        (11.0, 1.5, 500.0, 12853777431464600395.0, 37817410342959338.786),
        (21.5, 20.5, 3000.0, 147.34146341463414634, 1.0),
        (3.5, 22.5, 100000.0, 7.1664712955506474548e-76, 1.6124157230422492708e-79),
        (0.5, 1.5, 0.29999999999999999, 0.82207285139752980576, 0.78829140559011920659),
        (40.0, 2.5, 120.0, 8.8789171197698434854e+35, 1.4661641245625852751e+34),
        (5.5, 5.5, 700.0, 1.0, 0.007806884304045109494),
    ];

    /// <summary>Beyond the table: large z (up to 1e5, where M itself overflows) and non-half-integer a, b.</summary>
    [Fact]
    public void MatchesHighPrecisionBeyondTable()
    {
        double max = 0;
        foreach (var (a, b, z, scaled, next) in ExtraReference)
        {
            Hypergeometric.Hyp1F1ScaledPair(a, b, z, out double m0, out double m1);
            max = Math.Max(max, Math.Max(RelativeError(m0, scaled), RelativeError(m1, next)));
            Assert.True(RelativeError(m0, scaled) <= Tolerance, $"a={a} b={b} z={z}: {m0} vs {scaled}");
            Assert.True(RelativeError(m1, next) <= Tolerance, $"a={a} b+1={b + 1} z={z}: {m1} vs {next}");
        }
        output.WriteLine($"max rel error beyond the table: {max:E2}");
    }

    /// <summary>The two independent algorithms agree wherever the asymptotic one is accepted (GTO parameters, z up to 5000).</summary>
    [Fact]
    public void SeriesAndAsymptoticAgreeForLargeZ()
    {
        double max = 0;
        int accepted = 0;
        foreach (double z in new[] { 60.0, 150.0, 400.0, 1000.0, 5000.0 })
        {
            for (int l = 0; l <= 21; l++)
            {
                for (int n = 0; n <= 21; n++)
                {
                    double a = 0.5 * (n + l + 3), b = l + 1.5;
                    if (!Hypergeometric.TryAsymptoticScaledPair(a, b, z, out double x0, out double x1)) continue;
                    accepted++;
                    Hypergeometric.SeriesScaledPair(a, b, z, out double s0, out double s1);
                    max = Math.Max(max, Math.Max(RelativeError(x0, s0), RelativeError(x1, s1)));
                }
            }
        }
        output.WriteLine($"{accepted} asymptotic evaluations, max rel difference to the series {max:E2}");
        Assert.True(accepted > 1000);
        Assert.True(max <= Tolerance, $"{max}");
    }

    [Fact]
    public void DomainIsChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Hypergeometric.Hyp1F1Scaled(0.0, 1.0, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Hypergeometric.Hyp1F1Scaled(1.0, -1.0, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Hypergeometric.Hyp1F1Scaled(1.0, 1.0, -1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Hypergeometric.Hyp1F1Scaled(1.0, 1.0, double.NaN));
        Assert.Equal(1.0, Hypergeometric.Hyp1F1(2.5, 3.5, 0.0));
        Assert.Equal(Math.Exp(1.7), Hypergeometric.Hyp1F1(1.5, 1.5, 1.7), 1e-15 * Math.Exp(1.7)); // M(a; a; z) = e^z
    }
}
