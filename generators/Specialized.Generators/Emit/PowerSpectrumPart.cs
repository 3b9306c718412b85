using System;
using Specialized.Generators.Model;

namespace Specialized.Generators.Emit;

/// <summary>
/// The <c>PowerSpectrum</c> file: per l, the small matrix product Σ_m c_{lm}[a1]ᵀ c_{lm}[a2] (a Gram matrix of
/// two column blocks of c, <c>KernelMath.Gram</c>), scaled by the literal s_{a1a2} (−1)^l/√(2l+1) (computed exactly as the generic calculator does).
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
        w.Line("int s = 0;");
        w.Open("for (int a1 = 0; a1 < SpeciesChannels; a1++)");
        w.Open("for (int a2 = a1; a2 < SpeciesChannels; a2++, s++)");
        w.Line("var block = p.Slice(s * SpeciesPairSize, SpeciesPairSize);");
        w.Line("int o1 = a1 * NMax, o2 = a2 * NMax;");
        w.Line("bool same = a1 == a2;");
        for (int l = 0; l <= L; l++)
        {
            int row = plan.RowOffset(l, -l);
            w.Line("// l = " + l + ": p[n1][n2] = s (−1)^" + l + "/√" + (2 * l + 1) + " Σ_m c_" + l + "m[a1 n1] c_" + l + "m[a2 n2], m = " + (-l) + " … " + l + " (rows " + plan.ChannelWidth + " apart from " + row + ")");
            w.Line("Gram(c.Slice(" + row + "), " + (2 * l + 1) + ", ChannelWidth, o1, o2, NMax, same ? " + Lit.D(Scale(1.0, l)) + " : " + Lit.D(Scale(Math.Sqrt(2.0), l)) + ", block.Slice(" + (l * nn) + ", " + nn + "));");
        }
        w.Close();
        w.Close();
        w.Close();
        w.Line();

        int f = HarmonicsPart.Lanes, W = plan.ChannelWidth;
        w.Line("/// <summary>");
        w.Line("/// The contractions of one pair's harmonics with c that the power-spectrum gradient needs, for all l and directions at once");
        w.Line("/// (layout [l][α, β_x, β_y, β_z][a][n], 4 ChannelWidth per l; Y_lm = ylm[" + f + "·(l² + l + m)], ∂_d Y_lm = dylm[" + f + "·(d·HarmonicsCount + l² + l + m)], lane-strided):");
        w.Line("/// <code>");
        w.Line("/// α_l[a n] = Σ_m Y_lm c_lm[a n],   β_l^d[a n] = Σ_m ∂_d Y_lm c_lm[a n]");
        w.Line("/// </code>");
        w.Line("/// </summary>");
        w.Open("private static void PowerSpectrumPairSetup(" + R + " c, " + R + " ylm, " + R + " dylm, " + S + " contractions)");
        for (int l = 0; l <= L; l++)
            w.Line("ContractHarmonics(c.Slice(" + plan.RowOffset(l, -l) + "), " + (2 * l + 1) + ", ChannelWidth, ylm.Slice(" + f * l * l + "), dylm.Slice(" + f * l * l + "), "
                + f + " * HarmonicsCount, contractions.Slice(" + (4 * l * W) + ", " + (4 * W) + ")); // l = " + l);
        w.Close();
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Pair gradient of the power spectrum for direction d of a neighbour of channel b (only the species pairs containing b change):");
        w.Line("/// <code>");
        w.Line("/// ∂p[a1 a2][l][n1][n2] = s (−1)^l/√(2l+1) Σ_m ( δ(a1, b) g_{lm}[n1] c_{lm}[a2 n2] + δ(a2, b) c_{lm}[a1 n1] g_{lm}[n2] )");
        w.Line("/// </code>");
        w.Line("/// Since the pair's density gradient is g_{lm}[n] = R'_l[n] Y_lm u_d + R_l[n] ∂_d Y_lm (u = v/r), the sum over m has rank two:");
        w.Line("/// Σ_m g_{lm} ⊗ c_{lm}[a] = (u_d R'_l) ⊗ α_l[a] + R_l ⊗ β_l^d[a], with α and β from <see cref=\"PowerSpectrumPairSetup\"/>,");
        w.Line("/// so every block is one or two rank-2 outer products (<see cref=\"ScatterGradient\"/>).");
        w.Line("/// The result is added to <paramref name=\"plus\"/> and, when not empty, subtracted from <paramref name=\"minus\"/>.");
        w.Line("/// </summary>");
        w.Open("private static void PowerSpectrumGradient(" + R + " contractions, int d, double ud, " + R + " radial, " + R + " dRadial, int b, " + S + " plus, " + S + " minus)");
        for (int l = 0; l <= L; l++)
        {
            w.Line("// l = " + l + (l == 0 ? ": ∂_d Y_00 = 0, so β_0 = 0" : ": α_" + l + " at " + (4 * l * W) + ", β_" + l + "^d at " + (4 * l * W) + " + (1 + d)·ChannelWidth"));
            w.Line("ScatterGradient(ud, dRadial.Slice(" + (l * N) + ", NMax), radial.Slice(" + (l * N) + ", NMax), contractions.Slice(" + (4 * l * W) + ", ChannelWidth), "
                + (l == 0 ? "default" : "contractions.Slice(" + (4 * l * W) + " + (1 + d) * ChannelWidth, ChannelWidth)") + ", b, " + (l * nn) + ", " + Lit.D(Scale(1.0, l)) + ", " + Lit.D(Scale(Math.Sqrt(2.0), l)) + ", plus, minus);");
        }
        w.Close();
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// For every species pair (a1 ≤ a2) containing b, block[l] += scale · (δ(a1, b) X[a2] + δ(a2, b) X[a1]ᵀ) in plus (and −= in minus) with");
        w.Line("/// X[a] = (u_d R') ⊗ α[a] + R ⊗ β[a] (β empty: zero); scale = sameScale for a1 = a2, crossScale otherwise.");
        w.Line("/// </summary>");
        w.Open("private static void ScatterGradient(double ud, " + R + " dRadial, " + R + " radial, " + R + " alpha, " + R + " beta, int b, int lOffset, double sameScale, double crossScale, " + S + " plus, " + S + " minus)");
        w.Line("bool hasMinus = !minus.IsEmpty;");
        w.Open("for (int a = 0; a < SpeciesChannels; a++)");
        w.Line("int a1 = a < b ? a : b, a2 = a < b ? b : a;");
        w.Line("int s = a1 * SpeciesChannels - a1 * (a1 - 1) / 2 + (a2 - a1); // index of (a1, a2) among the pairs a1 ≤ a2");
        w.Line("int offset = s * SpeciesPairSize + lOffset;");
        w.Line("// a = b: X[b] + X[b]ᵀ;  a > b (a1 = b): X[a];  a < b (a2 = b): X[a]ᵀ");
        w.Line("AddPowerSpectrumPairGradient(a1 == a2 ? sameScale : crossScale, ud, dRadial, radial, alpha.Slice(a * NMax, NMax), beta.IsEmpty ? beta : beta.Slice(a * NMax, NMax),");
        w.Line("    a == b ? 2 : a > b ? 0 : 1, plus.Slice(offset, NMax * NMax), hasMinus ? minus.Slice(offset, NMax * NMax) : default);");
        w.Close();
        w.Close();
    }

    /// <summary>s (−1)^l / √(2l+1), evaluated with the same operations as the generic PowerSpectrumCalculator.</summary>
    public static double Scale(double pairScale, int l) => pairScale * ((l & 1) == 0 ? 1.0 : -1.0) / Math.Sqrt(2 * l + 1);
}
