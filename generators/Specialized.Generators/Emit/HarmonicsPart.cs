using System.Collections.Generic;
using Specialized.Angular;
using Specialized.Generators.Model;

namespace Specialized.Generators.Emit;

/// <summary>
/// The <c>Harmonics</c> file: straight-line real spherical harmonics and Cartesian gradients with literal
/// constants (no loops over l or m), evaluated for 4 points at once on <c>Vector256&lt;double&gt;</c> lanes, and the
/// public batched (structure-of-arrays) entry points. Each lane performs the operations of the runtime
/// <c>SphericalHarmonics</c> recursion in its order, with terms that are exactly zero left out, so both agree to rounding.
/// </summary>
internal static class HarmonicsPart
{
    /// <summary>Vector of doubles the block methods work on (one lane per point).</summary>
    public const string V = "global::System.Runtime.Intrinsics.Vector256<double>";
    /// <summary>
    /// Hot straight-line kernels are compiled fully optimised at once (no tier-0 pass: their size would keep them
    /// interpreted-speed for the first thousands of calls); ignored by NativeAOT, which always optimises.
    /// </summary>
    public const string AggressiveOptimization = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";
    /// <summary>Points per block (lanes of <see cref="V"/>).</summary>
    public const int Lanes = 4;

    /// <summary>Pairs per density chunk (a multiple of <see cref="Lanes"/>, at most DensityAccumulator.MaxChunkPairs).</summary>
    public const int ChunkPairs = 32;

    public static void Write(KernelPlan plan, CodeWriter w)
    {
        const string S = KernelEmitter.Span, R = KernelEmitter.ReadOnlySpan;
        int L = plan.L, hc = plan.HarmonicsCount;

        // ---- public batched API -------------------------------------------------------------------
        w.Line("/// <summary>");
        w.Line("/// Real spherical harmonics of a batch of P points, structure of arrays: ylm[(l² + l + m)·P + p] = Y_lm(v_p/|v_p|),");
        w.Line("/// l ≤ " + L + ", v_p = (x[p], y[p], z[p]) ≠ 0, P = x.Length (y and z as long, ylm at least HarmonicsCount·P).");
        w.Line("/// Orthonormal real harmonics without Condon–Shortley phase (Y_1 = √(3/4π) (y, z, x)/|v| for m = −1, 0, +1), MATH §2.1–2.2.");
        w.Line("/// Points are evaluated " + Lanes + " at a time (one SIMD lane each, <see cref=\"HarmonicsBlock\"/>); a last partial block is padded.");
        w.Line("/// </summary>");
        w.Open("public static void Harmonics(" + R + " x, " + R + " y, " + R + " z, " + S + " ylm)");
        w.Line("int count = x.Length;");
        w.Line("if (y.Length != count || z.Length != count || ylm.Length < HarmonicsCount * count)");
        w.Line("    throw new global::System.ArgumentException(\"Harmonics: x, y and z need the same length P and ylm at least HarmonicsCount·P elements\");");
        w.Line("ref double yr = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(ylm);");
        w.Line("nuint stride = (nuint)count;");
        w.Line("int p = 0;");
        w.Line("for (; p <= count - " + Lanes + "; p += " + Lanes + ")");
        w.Line("    HarmonicsBlock(Lanes(x, p), Lanes(y, p), Lanes(z, p), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref yr, p), stride);");
        w.Line("if (p == count) return;");
        w.Line("// last partial block: padded lanes hold (0, 0, 1) and are not copied out");
        w.Line("HarmonicsBlockBuffer tail = default;");
        w.Line("ref double tr = ref global::System.Runtime.CompilerServices.Unsafe.As<HarmonicsBlockBuffer, double>(ref tail);");
        w.Line("HarmonicsBlock(PaddedLanes(x, p, 0.0), PaddedLanes(y, p, 0.0), PaddedLanes(z, p, 1.0), ref tr, " + Lanes + ");");
        w.Line("for (int i = 0; i < HarmonicsCount; i++)");
        w.Line("    for (int k = 0; p + k < count; k++) ylm[i * count + p + k] = global::System.Runtime.CompilerServices.Unsafe.Add(ref tr, i * " + Lanes + " + k);");
        w.Close();
        w.Line();

        w.Line("/// <summary>");
        w.Line("/// Y_lm as <see cref=\"Harmonics(" + "global::System.ReadOnlySpan{double}, global::System.ReadOnlySpan{double}, global::System.ReadOnlySpan{double}, global::System.Span{double})\"/>");
        w.Line("/// and their Cartesian gradients dylm[(d·HarmonicsCount + l² + l + m)·P + p] = ∂Y_lm(v_p/|v_p|)/∂v_d (d = x, y, z; dylm at least 3·HarmonicsCount·P).");
        w.Line("/// </summary>");
        w.Open("public static void HarmonicsWithGradients(" + R + " x, " + R + " y, " + R + " z, " + S + " ylm, " + S + " dylm)");
        w.Line("int count = x.Length;");
        w.Line("if (y.Length != count || z.Length != count || ylm.Length < HarmonicsCount * count || dylm.Length < 3 * HarmonicsCount * count)");
        w.Line("    throw new global::System.ArgumentException(\"HarmonicsWithGradients: x, y and z need the same length P, ylm HarmonicsCount·P and dylm 3·HarmonicsCount·P elements\");");
        w.Line("ref double yr = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(ylm);");
        w.Line("ref double dr = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dylm);");
        w.Line("nuint stride = (nuint)count;");
        w.Line("int p = 0;");
        w.Line("for (; p <= count - " + Lanes + "; p += " + Lanes + ")");
        w.Line("    HarmonicsWithGradientsBlock(Lanes(x, p), Lanes(y, p), Lanes(z, p), ref global::System.Runtime.CompilerServices.Unsafe.Add(ref yr, p),");
        w.Line("        ref global::System.Runtime.CompilerServices.Unsafe.Add(ref dr, p), stride);");
        w.Line("if (p == count) return;");
        w.Line("HarmonicsBlockBuffer tail = default;");
        w.Line("HarmonicsGradientBlockBuffer dtail = default;");
        w.Line("ref double tr = ref global::System.Runtime.CompilerServices.Unsafe.As<HarmonicsBlockBuffer, double>(ref tail);");
        w.Line("ref double dtr = ref global::System.Runtime.CompilerServices.Unsafe.As<HarmonicsGradientBlockBuffer, double>(ref dtail);");
        w.Line("HarmonicsWithGradientsBlock(PaddedLanes(x, p, 0.0), PaddedLanes(y, p, 0.0), PaddedLanes(z, p, 1.0), ref tr, ref dtr, " + Lanes + ");");
        w.Open("for (int k = 0; p + k < count; k++)");
        w.Line("for (int i = 0; i < HarmonicsCount; i++) ylm[i * count + p + k] = global::System.Runtime.CompilerServices.Unsafe.Add(ref tr, i * " + Lanes + " + k);");
        w.Line("for (int i = 0; i < 3 * HarmonicsCount; i++) dylm[i * count + p + k] = global::System.Runtime.CompilerServices.Unsafe.Add(ref dtr, i * " + Lanes + " + k);");
        w.Close();
        w.Close();
        w.Line();

        // ---- block kernels ------------------------------------------------------------------------
        w.Line("/// <summary>");
        w.Line("/// Y_lm at " + Lanes + " points at once (one SIMD lane per point): Y_lm of lane k is stored at ylm[(l² + l + m)·stride + k].");
        w.Line("/// Cartesian recursion of MATH §2.2 at the unit vector u = v/|v|, r_xy² = u_x² + u_y², written out for every (l, m):");
        w.Line("/// <code>");
        w.Line("/// c_m + i s_m = (u_x + i u_y)^m");
        w.Line("/// Q_l^l = −(2l−1) Q_{l−1}^{l−1},  Q_l^{l−1} = −u_z Q_l^l,  Q_l^m = A_l^m u_z Q_l^{m+1} + B_l^m r_xy² Q_l^{m+2}");
        w.Line("/// Y_l,0 = K_l^0 Q_l^0,  Y_l,m = K_l^m Q_l^m c_m,  Y_l,−m = K_l^m Q_l^m s_m   (m &gt; 0)");
        w.Line("/// </code>");
        w.Line("/// A, B, K and Q_l^l are literals from the runtime's SphericalHarmonicsConstants (exact, rounded once); every lane");
        w.Line("/// performs the runtime recursion's operations in its order (exactly-zero terms left out), so both agree to rounding.");
        w.Line("/// </summary>");
        w.Line(AggressiveOptimization);
        w.Open("private static void HarmonicsBlock(" + V + " x, " + V + " y, " + V + " z, ref double ylm, nuint stride)");
        Prelude(plan, w, gradients: false);
        for (int l = 0; l <= L; l++)
        {
            w.Region("l = " + l);
            Recursion(plan, w, l);
            int centre = l * l + l;
            Store(w, "ylm", centre, l == 0 ? Broadcast(Lit.D(K(plan, 0, 0))) : Lit.D(K(plan, l, 0)) + " * " + Q(l, 0), "Y" + KernelEmitter.Lm(l, 0));
            for (int m = 1; m <= l; m++)
            {
                string kq = Lit.D(K(plan, l, m)) + " * " + Q(l, m);
                Store(w, "ylm", centre + m, kq + " * c" + m, "Y" + KernelEmitter.Lm(l, m));
                Store(w, "ylm", centre - m, kq + " * s" + m, "Y" + KernelEmitter.Lm(l, -m));
            }
            w.EndRegion();
        }
        w.Close();
        w.Line();

        w.Line("/// <summary>");
        w.Line("/// Y_lm as <see cref=\"HarmonicsBlock\"/> and dylm[(d·HarmonicsCount + l² + l + m)·stride + k] = ∂Y_lm(v/|v|)/∂v_d of lane k (d = x, y, z).");
        w.Line("/// The solid harmonic Ỹ = r^l Y has the exact gradient (MATH §2.2, ∂Q_l^m/∂x = x Q_{l−1}^{m+1}, ∂Q_l^m/∂z = (l+m) Q_{l−1}^m)");
        w.Line("/// <code>");
        w.Line("/// ∂Ỹ_l,m/∂x = K (u_x Q_{l−1}^{m+1} c_m + m Q_l^m c_{m−1})   ∂Ỹ_l,−m/∂x = K (u_x Q_{l−1}^{m+1} s_m + m Q_l^m s_{m−1})");
        w.Line("/// ∂Ỹ_l,m/∂y = K (u_y Q_{l−1}^{m+1} c_m − m Q_l^m s_{m−1})   ∂Ỹ_l,−m/∂y = K (u_y Q_{l−1}^{m+1} s_m + m Q_l^m c_{m−1})");
        w.Line("/// ∂Ỹ_l,m/∂z = K (l+m) Q_{l−1}^m c_m                       ∂Ỹ_l,−m/∂z = K (l+m) Q_{l−1}^m s_m");
        w.Line("/// </code>");
        w.Line("/// and ∇_v Y = (∇Ỹ(u) − l Y u)/|v| (orthogonal to v, regular at the poles). Exactly-zero terms are omitted.");
        w.Line("/// </summary>");
        w.Line(AggressiveOptimization);
        w.Open("private static void HarmonicsWithGradientsBlock(" + V + " x, " + V + " y, " + V + " z, ref double ylm, ref double dylm, nuint stride)");
        Prelude(plan, w, gradients: true);
        for (int l = 0; l <= L; l++)
        {
            w.Region("l = " + l);
            Recursion(plan, w, l);
            int centre = l * l + l;
            if (l == 0)
            {
                Store(w, "ylm", 0, Broadcast(Lit.D(K(plan, 0, 0))), "Y(0, 0)");
                for (int d = 0; d < 3; d++) Store(w, "dylm", d * hc, V + ".Zero", null);
                w.EndRegion();
                continue;
            }
            // m = 0: ∇Ỹ = K (u_x Q_{l−1}^1, u_y Q_{l−1}^1, l Q_{l−1}^0)
            double k0 = K(plan, l, 0);
            w.Open("// Y" + KernelEmitter.Lm(l, 0));
            w.Line("var y0 = " + Lit.D(k0) + " * " + Q(l, 0) + ";");
            w.Line(l == 1 ? "var ly = y0;" : "var ly = " + Lit.D(l) + " * y0;");
            Store(w, "ylm", centre, "y0", null);
            string? qUp0 = HasQ(l - 1, 1) ? Q(l - 1, 1) : null;
            Project(w, hc, centre, qUp0 is null ? null : Lit.D(k0) + " * ux * " + qUp0,
                qUp0 is null ? null : Lit.D(k0) + " * uy * " + qUp0,
                l == 1 ? Broadcast(Lit.D(k0)) : Lit.D(k0 * l) + " * " + Q(l - 1, 0), "ly");
            w.Close();
            for (int m = 1; m <= l; m++)
            {
                double k = K(plan, l, m);
                string kl = Lit.D(k);
                string qlm = Q(l, m);
                string? qUp = HasQ(l - 1, m + 1) ? Q(l - 1, m + 1) : null;
                string? qSame = HasQ(l - 1, m) ? Q(l - 1, m) : null;
                // m Q_l^m is a scalar literal when m = l (Q_l^l is a constant): broadcast it where it stands alone
                string mq = m == 1 ? qlm : Lit.D(m) + " * " + qlm;
                string mqAlone = m == l ? Broadcast(mq) : mq;
                string? cm1 = m - 1 == 0 ? null : "c" + (m - 1);   // c_0 = 1
                string? sm1 = m - 1 == 0 ? null : "s" + (m - 1);   // s_0 = 0
                w.Open("// Y" + KernelEmitter.Lm(l, m) + " and Y" + KernelEmitter.Lm(l, -m));
                w.Line("var yc = " + kl + " * " + qlm + " * c" + m + ";");
                w.Line("var ys = " + kl + " * " + qlm + " * s" + m + ";");
                w.Line(l == 1 ? "var lyc = yc;" : "var lyc = " + Lit.D(l) + " * yc;");
                w.Line(l == 1 ? "var lys = ys;" : "var lys = " + Lit.D(l) + " * ys;");
                Store(w, "ylm", centre + m, "yc", null);
                Store(w, "ylm", centre - m, "ys", null);
                string? gz(string cs) => qSame is null ? null : Lit.D(k * (l + m)) + " * " + qSame + " * " + cs;
                // cos part
                Project(w, hc, centre + m,
                    Sum(kl, qUp is null ? null : "ux * " + qUp + " * c" + m, '+', cm1 is null ? mqAlone : mq + " * " + cm1),
                    Sum(kl, qUp is null ? null : "uy * " + qUp + " * c" + m, '-', sm1 is null ? null : mq + " * " + sm1),
                    gz("c" + m), "lyc");
                // sin part
                Project(w, hc, centre - m,
                    Sum(kl, qUp is null ? null : "ux * " + qUp + " * s" + m, '+', sm1 is null ? null : mq + " * " + sm1),
                    Sum(kl, qUp is null ? null : "uy * " + qUp + " * s" + m, '+', cm1 is null ? mqAlone : mq + " * " + cm1),
                    gz("s" + m), "lys");
                w.Close();
            }
            w.EndRegion();
        }
        w.Close();
        w.Line();

        w.Line("/// <summary>x[p … p + " + (Lanes - 1) + "] as one vector.</summary>");
        w.Line("private static " + V + " Lanes(" + R + " x, int p) => global::System.Runtime.Intrinsics.Vector256.Create(x.Slice(p, " + Lanes + "));");
        w.Line();
        w.Line("/// <summary>x[p …] as one vector, lanes past the end of x set to <paramref name=\"pad\"/>.</summary>");
        w.Open("private static " + V + " PaddedLanes(" + R + " x, int p, double pad)");
        w.Line("return global::System.Runtime.Intrinsics.Vector256.Create(x[p], p + 1 < x.Length ? x[p + 1] : pad, p + 2 < x.Length ? x[p + 2] : pad, p + 3 < x.Length ? x[p + 3] : pad);");
        w.Close();
        w.Line();
        w.Line("/// <summary>Y_lm of one block, [l² + l + m][lane].</summary>");
        w.Line("[global::System.Runtime.CompilerServices.InlineArray(" + Lanes + " * HarmonicsCount)]");
        w.Open("private struct HarmonicsBlockBuffer");
        w.Line("private double _element0;");
        w.Close();
        w.Line();
        w.Line("/// <summary>Y_lm of one density chunk, DensityChunkPairs / PairLanes blocks of [l² + l + m][lane].</summary>");
        w.Line("[global::System.Runtime.CompilerServices.InlineArray(DensityChunkPairs * HarmonicsCount)]");
        w.Open("private struct HarmonicsChunkBuffer");
        w.Line("private double _element0;");
        w.Close();
        w.Line();
        w.Line("/// <summary>∂Y_lm/∂v_d of one block, [d][l² + l + m][lane].</summary>");
        w.Line("[global::System.Runtime.CompilerServices.InlineArray(" + (3 * Lanes) + " * HarmonicsCount)]");
        w.Open("private struct HarmonicsGradientBlockBuffer");
        w.Line("private double _element0;");
        w.Close();
    }

    /// <summary>A vector with every lane equal to a scalar expression.</summary>
    private static string Broadcast(string scalar) => "Broadcast(" + scalar + ")";

    /// <summary>Stores a vector expression at row <paramref name="index"/> of a [row][lane] block.</summary>
    private static void Store(CodeWriter w, string target, int index, string value, string? comment)
    {
        string offset = index == 0 ? "0" : index == 1 ? "stride" : index + " * stride";
        w.Line("Store(" + value + ", ref " + target + ", " + offset + ");" + (comment is null ? "" : " // " + comment));
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
        Store(w, "dylm", index, One(gx, "ux"), null);
        Store(w, "dylm", hc + index, One(gy, "uy"), null);
        Store(w, "dylm", 2 * hc + index, One(gz, "uz"), null);
    }

    private static void Prelude(KernelPlan plan, CodeWriter w, bool gradients)
    {
        int L = plan.L;
        w.Line("var r = global::System.Runtime.Intrinsics.Vector256.Sqrt(x * x + y * y + z * z);");
        w.Line("var ux = x / r;");
        w.Line("var uy = y / r;");
        w.Line("var uz = z / r;");
        if (gradients) w.Line("var invR = " + V + ".One / r;");
        if (L >= 2) w.Line("var rxy2 = ux * ux + uy * uy;");
        if (L >= 1)
        {
            w.Line("// c_m + i s_m = (u_x + i u_y)^m");
            w.Line("var c1 = ux;");
            w.Line("var s1 = uy;");
            for (int m = 2; m <= L; m++)
            {
                w.Line("var c" + m + " = c" + (m - 1) + " * ux - s" + (m - 1) + " * uy;");
                w.Line("var s" + m + " = c" + (m - 1) + " * uy + s" + (m - 1) + " * ux;");
            }
        }
    }

    /// <summary>Row l of Q, from m = l down to 0.</summary>
    private static void Recursion(KernelPlan plan, CodeWriter w, int l)
    {
        if (l == 0) return;
        w.Line("// Q_" + l + "^m, m = " + l + " … 0 (Q_" + l + "^" + l + " is a constant)");
        w.Line("double " + Q(l, l) + " = " + Lit.D(plan.Diagonal[l]) + ";");
        w.Line("var " + Q(l, l - 1) + " = -uz * " + Q(l, l) + ";");
        for (int m = l - 2; m >= 0; m--)
        {
            int t = SphericalHarmonicsConstants.TriangularIndex(l, m);
            // a + (−b)·c and a − b·c round identically, so a negative B is written as a subtraction.
            double b = plan.RecursionB[t];
            w.Line("var " + Q(l, m) + " = " + Lit.D(plan.RecursionA[t]) + " * uz * " + Q(l, m + 1)
                + (b < 0 ? " - " + Lit.D(-b) : " + " + Lit.D(b)) + " * rxy2 * " + Q(l, m + 2) + ";");
        }
    }

    private static double K(KernelPlan plan, int l, int m) => plan.Prefactors[SphericalHarmonicsConstants.TriangularIndex(l, m)];

    private static bool HasQ(int l, int m) => l >= 1 && m >= 0 && m <= l || (l == 0 && m == 0);

    private static string Q(int l, int m) => l == 0 ? "1.0" : "q" + l + "_" + m;
}
