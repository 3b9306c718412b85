using System.Collections.Generic;
using Specialized.Angular;
using Specialized.Generators.Model;

namespace Specialized.Generators.Emit;

/// <summary>
/// The <c>Harmonics</c> file: straight-line real spherical harmonics and Cartesian gradients with literal
/// constants (no loops over l or m). The operations and their order are those of the runtime
/// <c>SphericalHarmonics</c> recursion, with terms that are exactly zero left out, so both agree to rounding.
/// </summary>
internal static class HarmonicsPart
{
    public static void Write(KernelPlan plan, CodeWriter w)
    {
        const string S = KernelEmitter.Span;
        int L = plan.L;

        w.Line("/// <summary>");
        w.Line("/// ylm[l² + l + m] = Y_lm(v/|v|) for l ≤ " + L + ", v = (x, y, z) ≠ 0: orthonormal real harmonics without");
        w.Line("/// Condon–Shortley phase (Y_1 = √(3/4π) (y, z, x)/|v| for m = −1, 0, +1), by the Cartesian recursion of MATH §2.2");
        w.Line("/// at the unit vector u = v/|v|, r_xy² = u_x² + u_y²:");
        w.Line("/// <code>");
        w.Line("/// c_m + i s_m = (u_x + i u_y)^m");
        w.Line("/// Q_l^l = −(2l−1) Q_{l−1}^{l−1},  Q_l^{l−1} = −u_z Q_l^l,  Q_l^m = A_l^m u_z Q_l^{m+1} + B_l^m r_xy² Q_l^{m+2}");
        w.Line("/// Y_l,0 = K_l^0 Q_l^0,  Y_l,m = K_l^m Q_l^m c_m,  Y_l,−m = K_l^m Q_l^m s_m   (m &gt; 0)");
        w.Line("/// </code>");
        w.Line("/// A, B, K and Q_l^l are literals from the runtime's SphericalHarmonicsConstants (exact, rounded once).");
        w.Line("/// </summary>");
        w.Open("private static void Harmonics(double x, double y, double z, " + S + " ylm)");
        w.Line("_ = ylm[HarmonicsCount - 1];");
        Prelude(plan, w, gradients: false);
        for (int l = 0; l <= L; l++)
        {
            w.Region("l = " + l);
            Recursion(plan, w, l);
            int centre = l * l + l;
            w.Line("ylm[" + centre + "] = " + (l == 0 ? Lit.D(K(plan, 0, 0)) : Lit.D(K(plan, l, 0)) + " * " + Q(l, 0)) + "; // Y" + KernelEmitter.Lm(l, 0));
            for (int m = 1; m <= l; m++)
            {
                string kq = Lit.D(K(plan, l, m)) + " * " + Q(l, m);
                w.Line("ylm[" + (centre + m) + "] = " + kq + " * c" + m + "; // Y" + KernelEmitter.Lm(l, m));
                w.Line("ylm[" + (centre - m) + "] = " + kq + " * s" + m + "; // Y" + KernelEmitter.Lm(l, -m));
            }
            w.EndRegion();
        }
        w.Close();
        w.Line();

        w.Line("/// <summary>");
        w.Line("/// Y_lm as <see cref=\"Harmonics\"/> and dylm[d·HarmonicsCount + l² + l + m] = ∂Y_lm(v/|v|)/∂v_d (d = x, y, z).");
        w.Line("/// The solid harmonic Ỹ = r^l Y has the exact gradient (MATH §2.2, ∂Q_l^m/∂x = x Q_{l−1}^{m+1}, ∂Q_l^m/∂z = (l+m) Q_{l−1}^m)");
        w.Line("/// <code>");
        w.Line("/// ∂Ỹ_l,m/∂x = K (u_x Q_{l−1}^{m+1} c_m + m Q_l^m c_{m−1})   ∂Ỹ_l,−m/∂x = K (u_x Q_{l−1}^{m+1} s_m + m Q_l^m s_{m−1})");
        w.Line("/// ∂Ỹ_l,m/∂y = K (u_y Q_{l−1}^{m+1} c_m − m Q_l^m s_{m−1})   ∂Ỹ_l,−m/∂y = K (u_y Q_{l−1}^{m+1} s_m + m Q_l^m c_{m−1})");
        w.Line("/// ∂Ỹ_l,m/∂z = K (l+m) Q_{l−1}^m c_m                       ∂Ỹ_l,−m/∂z = K (l+m) Q_{l−1}^m s_m");
        w.Line("/// </code>");
        w.Line("/// and ∇_v Y = (∇Ỹ(u) − l Y u)/|v| (orthogonal to v, regular at the poles). Exactly-zero terms are omitted.");
        w.Line("/// </summary>");
        w.Open("private static void HarmonicsWithGradients(double x, double y, double z, " + S + " ylm, " + S + " dylm)");
        w.Line("_ = ylm[HarmonicsCount - 1];");
        w.Line("_ = dylm[3 * HarmonicsCount - 1];");
        Prelude(plan, w, gradients: true);
        int hc = plan.HarmonicsCount;
        for (int l = 0; l <= L; l++)
        {
            w.Region("l = " + l);
            Recursion(plan, w, l);
            int centre = l * l + l;
            if (l == 0)
            {
                w.Line("ylm[0] = " + Lit.D(K(plan, 0, 0)) + "; // Y(0, 0)");
                w.Line("dylm[0] = 0.0;");
                w.Line("dylm[" + hc + "] = 0.0;");
                w.Line("dylm[" + (2 * hc) + "] = 0.0;");
                w.EndRegion();
                continue;
            }
            // m = 0: ∇Ỹ = K (u_x Q_{l−1}^1, u_y Q_{l−1}^1, l Q_{l−1}^0)
            double k0 = K(plan, l, 0);
            w.Open("// Y" + KernelEmitter.Lm(l, 0));
            w.Line("double y0 = " + Lit.D(k0) + " * " + Q(l, 0) + ";");
            w.Line(l == 1 ? "double ly = y0;" : "double ly = " + Lit.D(l) + " * y0;");
            w.Line("ylm[" + centre + "] = y0;");
            string? qUp0 = HasQ(l - 1, 1) ? Q(l - 1, 1) : null;
            Project(w, hc, centre, qUp0 is null ? null : Lit.D(k0) + " * ux * " + qUp0,
                qUp0 is null ? null : Lit.D(k0) + " * uy * " + qUp0,
                l == 1 ? Lit.D(k0) : Lit.D(k0 * l) + " * " + Q(l - 1, 0), "ly");
            w.Close();
            for (int m = 1; m <= l; m++)
            {
                double k = K(plan, l, m);
                string kl = Lit.D(k);
                string qlm = Q(l, m);
                string? qUp = HasQ(l - 1, m + 1) ? Q(l - 1, m + 1) : null;
                string? qSame = HasQ(l - 1, m) ? Q(l - 1, m) : null;
                string mq = m == 1 ? qlm : Lit.D(m) + " * " + qlm;
                string? cm1 = m - 1 == 0 ? null : "c" + (m - 1);   // c_0 = 1
                string? sm1 = m - 1 == 0 ? null : "s" + (m - 1);   // s_0 = 0
                w.Open("// Y" + KernelEmitter.Lm(l, m) + " and Y" + KernelEmitter.Lm(l, -m));
                w.Line("double yc = " + kl + " * " + qlm + " * c" + m + ", ys = " + kl + " * " + qlm + " * s" + m + ";");
                w.Line(l == 1 ? "double lyc = yc, lys = ys;" : "double lyc = " + Lit.D(l) + " * yc, lys = " + Lit.D(l) + " * ys;");
                w.Line("ylm[" + (centre + m) + "] = yc;");
                w.Line("ylm[" + (centre - m) + "] = ys;");
                string? gz(string cs) => qSame is null ? null : Lit.D(k * (l + m)) + " * " + qSame + " * " + cs;
                // cos part
                Project(w, hc, centre + m,
                    Sum(kl, qUp is null ? null : "ux * " + qUp + " * c" + m, '+', cm1 is null ? mq : mq + " * " + cm1),
                    Sum(kl, qUp is null ? null : "uy * " + qUp + " * c" + m, '-', sm1 is null ? null : mq + " * " + sm1),
                    gz("c" + m), "lyc");
                // sin part
                Project(w, hc, centre - m,
                    Sum(kl, qUp is null ? null : "ux * " + qUp + " * s" + m, '+', sm1 is null ? null : mq + " * " + sm1),
                    Sum(kl, qUp is null ? null : "uy * " + qUp + " * s" + m, '+', cm1 is null ? mq : mq + " * " + cm1),
                    gz("s" + m), "lys");
                w.Close();
            }
            w.EndRegion();
        }
        w.Close();
    }

    /// <summary>K · (a ± b) with absent (exactly zero) terms left out; null when both are absent.</summary>
    private static string? Sum(string k, string? a, char op, string? b)
    {
        if (a is null && b is null) return null;
        if (b is null) return k + " * (" + a + ")";
        if (a is null) return op == '+' ? k + " * (" + b + ")" : "-(" + k + " * (" + b + "))";
        return k + " * (" + a + " " + op + " " + b + ")";
    }

    /// <summary>dylm[d][i] = (g_d − lY u_d) / |v|, or −lY u_d / |v| when g_d is exactly zero.</summary>
    private static void Project(CodeWriter w, int hc, int index, string? gx, string? gy, string? gz, string ly)
    {
        string One(string? g, string u) => g is null ? "-(" + ly + " * " + u + ") * invR" : "(" + g + " - " + ly + " * " + u + ") * invR";
        w.Line("dylm[" + index + "] = " + One(gx, "ux") + ";");
        w.Line("dylm[" + (hc + index) + "] = " + One(gy, "uy") + ";");
        w.Line("dylm[" + (2 * hc + index) + "] = " + One(gz, "uz") + ";");
    }

    private static void Prelude(KernelPlan plan, CodeWriter w, bool gradients)
    {
        int L = plan.L;
        w.Line("double r = global::System.Math.Sqrt(x * x + y * y + z * z);");
        w.Line("double ux = x / r, uy = y / r, uz = z / r;");
        if (gradients) w.Line("double invR = 1.0 / r;");
        if (L >= 2) w.Line("double rxy2 = ux * ux + uy * uy;");
        if (L >= 1)
        {
            w.Line("// c_m + i s_m = (u_x + i u_y)^m");
            w.Line("double c1 = ux, s1 = uy;");
            for (int m = 2; m <= L; m++)
                w.Line("double c" + m + " = c" + (m - 1) + " * ux - s" + (m - 1) + " * uy, s" + m + " = c" + (m - 1) + " * uy + s" + (m - 1) + " * ux;");
        }
    }

    /// <summary>Row l of Q, from m = l down to 0.</summary>
    private static void Recursion(KernelPlan plan, CodeWriter w, int l)
    {
        if (l == 0) return;
        w.Line("// Q_" + l + "^m, m = " + l + " … 0");
        w.Line("double " + Q(l, l) + " = " + Lit.D(plan.Diagonal[l]) + ";");
        w.Line("double " + Q(l, l - 1) + " = -uz * " + Q(l, l) + ";");
        for (int m = l - 2; m >= 0; m--)
        {
            int t = SphericalHarmonicsConstants.TriangularIndex(l, m);
            // a + (−b)·c and a − b·c round identically, so a negative B is written as a subtraction.
            double b = plan.RecursionB[t];
            w.Line("double " + Q(l, m) + " = " + Lit.D(plan.RecursionA[t]) + " * uz * " + Q(l, m + 1)
                + (b < 0 ? " - " + Lit.D(-b) : " + " + Lit.D(b)) + " * rxy2 * " + Q(l, m + 2) + ";");
        }
    }

    private static double K(KernelPlan plan, int l, int m) => plan.Prefactors[SphericalHarmonicsConstants.TriangularIndex(l, m)];

    private static bool HasQ(int l, int m) => l >= 1 && m >= 0 && m <= l || (l == 0 && m == 0);

    private static string Q(int l, int m) => l == 0 ? "1.0" : "q" + l + "_" + m;
}
