using Specialized.Correlations.Nice;
using Specialized.Density;

namespace Specialized.Tests.Nice;

/// <summary>
/// MATH §4.5 counting oracle: the number of linearly independent components of the full recursion per
/// (ν, λ, σ) equals the multiplicity of the O(3) irrep (λ, π = σ(−1)^λ) in Sym^ν(⊕_l N_l V_l), computed
/// here by an independent character-formula integration.
/// </summary>
public class NiceCountingTests
{
    /// <summary>χ_l(x) = Σ_{m=−l}^{l} cos(m x) = sin((2l+1)x/2)/sin(x/2).</summary>
    private static double Chi(int l, double x)
    {
        double s = 1;
        for (int m = 1; m <= l; m++) s += 2 * Math.Cos(m * x);
        return s;
    }

    /// <summary>Character of Sym^ν(V) at a rotation by θ (improper: composed with the inversion), by Newton's identities.</summary>
    private static double SymmetricPowerCharacter(int nu, double theta, bool improper, int[] radialCounts)
    {
        var h = new double[nu + 1];
        h[0] = 1;
        for (int n = 1; n <= nu; n++)
        {
            double sum = 0;
            for (int k = 1; k <= n; k++)
            {
                double chiV = 0;
                for (int l = 0; l < radialCounts.Length; l++)
                {
                    double sign = improper && k % 2 == 1 && l % 2 == 1 ? -1 : 1;
                    chiV += radialCounts[l] * sign * Chi(l, k * theta);
                }
                sum += chiV * h[n - k];
            }
            h[n] = sum / n;
        }
        return h[nu];
    }

    /// <summary>mult(λ, π) = ½ [∫ χ_Sym(R) χ_λ(R) dR + π ∫ χ_Sym(I R) χ_λ(R) dR], ∫ f dR = (1/π)∫_0^π f (1 − cos θ) dθ.</summary>
    public static int Multiplicity(int nu, int lambda, int sigma, int[] radialCounts)
    {
        int parity = lambda % 2 == 0 ? sigma : -sigma;
        const int points = 4000; // midpoint rule: exact for trigonometric polynomials of degree < 2·points
        double proper = 0, improper = 0;
        for (int j = 0; j < points; j++)
        {
            double theta = (j + 0.5) * Math.PI / points;
            double w = (1 - Math.Cos(theta)) * Chi(lambda, theta) / points;
            proper += w * SymmetricPowerCharacter(nu, theta, false, radialCounts);
            improper += w * SymmetricPowerCharacter(nu, theta, true, radialCounts);
        }
        double mult = 0.5 * (proper + parity * improper);
        int rounded = (int)Math.Round(mult);
        Assert.True(Math.Abs(mult - rounded) < 1e-6, $"character integral {mult} is not an integer");
        return rounded;
    }

    [Fact]
    public void CharacterFormulaReproducesTheMathTable()
    {
        // MATH §4.5 table (character formula, confirmed there by numerical ranks).
        int[] n1l1 = [1, 1], n7l1 = [7, 7], n1l8 = [.. Enumerable.Repeat(1, 9)];
        Assert.Equal([2, 1, 0], new[] { Multiplicity(2, 0, 1, n1l1), Multiplicity(2, 1, 1, n1l1), Multiplicity(2, 1, -1, n1l1) });
        Assert.Equal([3, 2], new[] { Multiplicity(4, 0, 1, n1l1), Multiplicity(4, 1, 1, n1l1) });
        Assert.Equal([3, 3], new[] { Multiplicity(5, 0, 1, n1l1), Multiplicity(5, 1, 1, n1l1) });
        Assert.Equal([56, 49, 21], new[] { Multiplicity(2, 0, 1, n7l1), Multiplicity(2, 1, 1, n7l1), Multiplicity(2, 1, -1, n7l1) });
        Assert.Equal([280, 35, 392, 147],
            new[] { Multiplicity(3, 0, 1, n7l1), Multiplicity(3, 0, -1, n7l1), Multiplicity(3, 1, 1, n7l1), Multiplicity(3, 1, -1, n7l1) });
        Assert.Equal([15, 7, 15, 10], new[] { Multiplicity(2, 2, 1, n1l8), Multiplicity(2, 2, -1, n1l8), Multiplicity(2, 8, 1, n1l8), Multiplicity(2, 8, -1, n1l8) });
        Assert.Equal([55, 14, 166, 126, 259, 229],
            new[] { Multiplicity(3, 0, 1, n1l8), Multiplicity(3, 0, -1, n1l8), Multiplicity(3, 2, 1, n1l8), Multiplicity(3, 2, -1, n1l8), Multiplicity(3, 8, 1, n1l8), Multiplicity(3, 8, -1, n1l8) });
    }

    /// <summary>
    /// Full recursion (no thresholding, no contraction) on random Gaussian ν=1 coefficients: the rank of
    /// every (ν, λ, σ) block with λ ≤ <paramref name="checkLambda"/> equals the character formula.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 4, 4, 4, 40)]   // λ cap ν·l_max: the recursion is exact at every order
    [InlineData(7, 1, 3, 3, 3, 320)]
    [InlineData(1, 8, 2, 8, 8, 60)]
    [InlineData(1, 8, 3, 8, 2, 80)]   // intermediate λ capped at l_max (MATH §4.5: loses nothing at ν = 3)
    public void RankOfTheFullRecursionEqualsTheCharacterFormula(int nMax, int lMax, int bodyOrder, int cap, int checkLambda, int samples)
    {
        var density = new SoapParameters { RadialCount = nMax, LMax = lMax, Cutoff = 4, SplineAccuracy = null };
        var species = new SpeciesList([1]);
        var parameters = NiceTestSupport.Full(density, bodyOrder, cap);
        var layout = new SphericalExpansion(density, species).Layout;
        var coefficients = NiceTestSupport.RandomCoefficients(17 + nMax + lMax, samples, layout.Size);
        var model = NiceModel.FitCoefficients(parameters, species, coefficients);
        var blocks = coefficients.Select(c => model.EvaluateCoefficients(c)).ToList();
        var radial = Enumerable.Repeat(nMax, lMax + 1).ToArray();

        int compared = 0;
        for (int nu = 2; nu <= bodyOrder; nu++)
        {
            var keys = model.StorageKeys(nu);
            double scale = blocks.SelectMany(b => b[nu]).SelectMany(v => v).Max(Math.Abs);
            for (int lambda = 0; lambda <= Math.Min(cap, checkLambda); lambda++)
                foreach (int sigma in new[] { 1, -1 })
                {
                    int expected = Multiplicity(nu, lambda, sigma, radial);
                    int s = Array.FindIndex(keys, k => !k.Invariant && k.Key == new NiceBlockKey(lambda, sigma));
                    int rank = 0;
                    if (s >= 0)
                    {
                        int width = keys[s].Width, dim = 2 * lambda + 1;
                        Assert.True(samples * dim >= expected + 10, "enough rows to reveal the rank");
                        var a = new double[samples * dim * width];
                        for (int e = 0; e < samples; e++) blocks[e][nu][s].CopyTo(a, e * dim * width);
                        rank = NiceTestSupport.Rank(a, samples * dim, width, scale);
                    }
                    Assert.True(expected == rank, $"n_max={nMax} l_max={lMax} ν={nu} (λ={lambda}, σ={sigma}): rank {rank}, character formula {expected}");
                    compared++;
                }
        }
        Assert.True(compared >= 4);
    }
}
