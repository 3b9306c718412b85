using Specialized.Generators.Model;

namespace Specialized.Generators.Emit;

/// <summary>
/// The <c>Density</c> file: ν=1 accumulation per pair (one vector update over n per (l, m)), the per-pair
/// density gradient, and the outputs that are slices of c (spherical expansion, radial spectrum, ν=1 blocks).
/// </summary>
internal static class DensityPart
{
    public static void Write(KernelPlan plan, CodeWriter w)
    {
        const string S = KernelEmitter.Span, R = KernelEmitter.ReadOnlySpan;
        int L = plan.L, N = plan.N, hc = plan.HarmonicsCount;

        w.Line("/// <summary>");
        w.Line("/// Gradient of one pair's contribution F I_nl Y_lm with respect to its vector v (MATH §3.4), g[d][l² + l + m][n];");
        w.Line("/// the pair's Y_lm and ∂Y_lm/∂v_d are lane-strided (ylm[" + HarmonicsPart.Lanes + "·(l² + l + m)], dylm[" + HarmonicsPart.Lanes + "·(d·HarmonicsCount + l² + l + m)]):");
        w.Line("/// <code>");
        w.Line("/// ∂/∂v_d [F I_nl Y_lm] = (F I_nl)'(r) · Y_lm v_d/r + F I_nl · ∂Y_lm/∂v_d");
        w.Line("/// </code>");
        w.Line("/// </summary>");
        w.Open("private static void DensityPairGradient(double x, double y, double z, " + R + " ylm, " + R + " dylm, " + R + " radial, " + R + " dRadial, " + S + " g)");
        w.Line("_ = ylm[" + HarmonicsPart.Lanes + " * (HarmonicsCount - 1)];");
        w.Line("_ = dylm[" + HarmonicsPart.Lanes + " * (3 * HarmonicsCount - 1)];");
        w.Line("double inv = 1.0 / global::System.Math.Sqrt(x * x + y * y + z * z);");
        w.Line("double ux = x * inv, uy = y * inv, uz = z * inv;");
        w.Line("var gx = g.Slice(0, PairCoefficientSize);");
        w.Line("var gy = g.Slice(PairCoefficientSize, PairCoefficientSize);");
        w.Line("var gz = g.Slice(2 * PairCoefficientSize, PairCoefficientSize);");
        for (int l = 0; l <= L; l++)
        {
            w.Region("l = " + l);
            w.Line("var r" + l + " = radial.Slice(" + (l * N) + ", NMax);");
            w.Line("var dr" + l + " = dRadial.Slice(" + (l * N) + ", NMax);");
            for (int m = -l; m <= l; m++)
            {
                int i = l * l + l + m;
                int o = plan.PairRowOffset(l, m);
                w.Line("// Y" + KernelEmitter.Lm(l, m));
                int f = HarmonicsPart.Lanes;
                w.Line("Combine(ylm[" + f * i + "] * ux, dr" + l + ", dylm[" + f * i + "], r" + l + ", gx.Slice(" + o + ", NMax));");
                w.Line("Combine(ylm[" + f * i + "] * uy, dr" + l + ", dylm[" + f * (hc + i) + "], r" + l + ", gy.Slice(" + o + ", NMax));");
                w.Line("Combine(ylm[" + f * i + "] * uz, dr" + l + ", dylm[" + f * (2 * hc + i) + "], r" + l + ", gz.Slice(" + o + ", NMax));");
            }
            w.EndRegion();
        }
        w.Close();

        foreach (var o in plan.Outputs)
        {
            switch (o.Kind)
            {
                case OutputPlan.SphericalExpansion:
                    w.Line();
                    w.Line("/// <summary>Spherical expansion output: c itself, [l][m][a][n].</summary>");
                    w.Line("private static void " + o.Method + "(" + R + " c, " + S + " t) => c.Slice(0, CoefficientSize).CopyTo(t);");
                    w.Line();
                    w.Line("/// <summary>Its pair gradient: the pair's density gradient g lands in the columns of channel b.</summary>");
                    w.Open("private static void " + o.Method + "Gradient(" + R + " c, " + R + " g, int b, " + S + " t)");
                    w.Line("int bn = b * NMax;");
                    for (int l = 0; l <= L; l++)
                    {
                        w.Region("l = " + l);
                        for (int m = -l; m <= l; m++)
                            w.Line("g.Slice(" + plan.PairRowOffset(l, m) + ", NMax).CopyTo(t.Slice(" + plan.RowOffset(l, m) + " + bn, NMax)); // " + KernelEmitter.Lm(l, m));
                        w.EndRegion();
                    }
                    w.Close();
                    break;
                case OutputPlan.RadialSpectrum:
                    w.Line();
                    w.Line("/// <summary>Radial spectrum (ν=1 invariants): c_{a n 0 0}, [a][n].</summary>");
                    w.Line("private static void " + o.Method + "(" + R + " c, " + S + " t) => c.Slice(0, ChannelWidth).CopyTo(t);");
                    w.Line();
                    w.Line("/// <summary>Its pair gradient: g_{0 0}[n] in the columns of channel b.</summary>");
                    w.Line("private static void " + o.Method + "Gradient(" + R + " c, " + R + " g, int b, " + S + " t) => g.Slice(0, NMax).CopyTo(t.Slice(b * NMax, NMax));");
                    break;
                case OutputPlan.DensityBlock:
                    int lam = o.Lambda;
                    w.Line();
                    w.Line("/// <summary>ν=1 equivariant block λ = " + lam + ", σ = +1: the l = " + lam + " rows of c, [μ][a][n].</summary>");
                    w.Line("private static void " + o.Method + "(" + R + " c, " + S + " t) => c.Slice(" + plan.RowOffset(lam, -lam) + ", " + (2 * lam + 1) + " * ChannelWidth).CopyTo(t);");
                    w.Line();
                    w.Line("/// <summary>Its pair gradient: g_{" + lam + " μ}[n] in the columns of channel b.</summary>");
                    w.Open("private static void " + o.Method + "Gradient(" + R + " c, " + R + " g, int b, " + S + " t)");
                    w.Line("int bn = b * NMax;");
                    for (int m = -lam; m <= lam; m++)
                        w.Line("g.Slice(" + plan.PairRowOffset(lam, m) + ", NMax).CopyTo(t.Slice(" + ((m + lam) * plan.ChannelWidth) + " + bn, NMax)); // μ = " + Lit.M(m));
                    w.Close();
                    break;
            }
        }
    }
}
