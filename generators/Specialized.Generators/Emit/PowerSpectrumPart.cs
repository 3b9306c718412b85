using System;
using Specialized.Generators.Model;

namespace Specialized.Generators.Emit;

/// <summary>
/// The <c>PowerSpectrum</c> file: per l, the small matrix product Σ_m c_{lm}[a1]ᵀ c_{lm}[a2] as rank-1
/// updates over m, scaled by the literal s_{a1a2} (−1)^l/√(2l+1) (computed exactly as the generic calculator does).
/// </summary>
internal static class PowerSpectrumPart
{
    public static void Write(KernelPlan plan, CodeWriter w)
    {
        const string S = KernelEmitter.Span, R = KernelEmitter.ReadOnlySpan;
        int L = plan.L, N = plan.N;
        int nn = N * N;

        w.Line("/// <summary>Columns of one species pair (a1, a2): Σ_l N² = (l_max + 1) N², layout [l][n1][n2].</summary>");
        w.Line("private const int SpeciesPairSize = " + ((L + 1) * nn) + ";");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// SOAP power spectrum, featomic normalisation (MATH §4.2), species pairs a1 ≤ a2 in order, then l, n1, n2:");
        w.Line("/// <code>");
        w.Line("/// p[a1 a2][l][n1][n2] = s_{a1 a2} (−1)^l/√(2l+1) Σ_m c_{l m}[a1 n1] c_{l m}[a2 n2],   s = √2 if a1 ≠ a2, else 1");
        w.Line("/// </code>");
        w.Line("/// (p = c ⊗_0 c; the √2 makes dot products equal those of the full (a1, a2) + (a2, a1) product).");
        w.Line("/// </summary>");
        w.Open("private static void PowerSpectrum(" + R + " c, " + S + " p)");
        w.Line("p.Clear();");
        w.Line("int s = 0;");
        w.Open("for (int a1 = 0; a1 < SpeciesChannels; a1++)");
        w.Open("for (int a2 = a1; a2 < SpeciesChannels; a2++, s++)");
        w.Line("var block = p.Slice(s * SpeciesPairSize, SpeciesPairSize);");
        w.Line("int o1 = a1 * NMax, o2 = a2 * NMax;");
        w.Line("bool same = a1 == a2;");
        for (int l = 0; l <= L; l++)
        {
            w.Region("l = " + l);
            w.Line("var p" + l + " = block.Slice(" + (l * nn) + ", " + nn + ");");
            for (int m = -l; m <= l; m++)
            {
                int row = plan.RowOffset(l, m);
                w.Line("AddOuter(c.Slice(" + row + " + o1, NMax), c.Slice(" + row + " + o2, NMax), p" + l + "); // m = " + Lit.M(m));
            }
            w.Line("Scale(p" + l + ", same ? " + Lit.D(Scale(1.0, l)) + " : " + Lit.D(Scale(Math.Sqrt(2.0), l)) + "); // s (−1)^" + l + "/√" + (2 * l + 1));
            w.EndRegion();
        }
        w.Close();
        w.Close();
        w.Close();
        w.Line();

        w.Line("/// <summary>");
        w.Line("/// Pair gradient of the power spectrum for one direction, g = ∂c/∂v_d of a neighbour of channel b (only pairs containing b change):");
        w.Line("/// <code>");
        w.Line("/// ∂p[a1 a2][l][n1][n2] = s (−1)^l/√(2l+1) Σ_m ( δ(a1, b) g_{lm}[n1] c_{lm}[a2 n2] + δ(a2, b) c_{lm}[a1 n1] g_{lm}[n2] )");
        w.Line("/// </code>");
        w.Line("/// </summary>");
        w.Open("private static void PowerSpectrumGradient(" + R + " c, " + R + " g, int b, " + S + " p)");
        w.Open("for (int a = 0; a < SpeciesChannels; a++)");
        w.Line("int a1 = a < b ? a : b, a2 = a < b ? b : a;");
        w.Line("int s = a1 * SpeciesChannels - a1 * (a1 - 1) / 2 + (a2 - a1); // index of (a1, a2) among the pairs a1 ≤ a2");
        w.Line("var block = p.Slice(s * SpeciesPairSize, SpeciesPairSize);");
        w.Line("int o1 = a1 * NMax, o2 = a2 * NMax;");
        w.Line("bool first = a1 == b, second = a2 == b, same = a1 == a2;");
        for (int l = 0; l <= L; l++)
        {
            w.Region("l = " + l);
            w.Line("var p" + l + " = block.Slice(" + (l * nn) + ", " + nn + ");");
            w.Open("if (first)");
            for (int m = -l; m <= l; m++)
                w.Line("AddOuter(g.Slice(" + plan.PairRowOffset(l, m) + ", NMax), c.Slice(" + plan.RowOffset(l, m) + " + o2, NMax), p" + l + "); // m = " + Lit.M(m));
            w.Close();
            w.Open("if (second)");
            for (int m = -l; m <= l; m++)
                w.Line("AddOuter(c.Slice(" + plan.RowOffset(l, m) + " + o1, NMax), g.Slice(" + plan.PairRowOffset(l, m) + ", NMax), p" + l + "); // m = " + Lit.M(m));
            w.Close();
            w.Line("Scale(p" + l + ", same ? " + Lit.D(Scale(1.0, l)) + " : " + Lit.D(Scale(Math.Sqrt(2.0), l)) + ");");
            w.EndRegion();
        }
        w.Close();
        w.Close();
    }

    /// <summary>s (−1)^l / √(2l+1), evaluated with the same operations as the generic PowerSpectrumCalculator.</summary>
    private static double Scale(double pairScale, int l) => pairScale * ((l & 1) == 0 ? 1.0 : -1.0) / Math.Sqrt(2 * l + 1);
}
