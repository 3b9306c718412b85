using System.Collections.Generic;
using Specialized.Generators.Model;

namespace Specialized.Generators.Emit;

/// <summary>
/// One <c>LambdaSoap.L{λ}{Plus|Minus}</c> file: the block method, which calls one method per coupling path
/// (l1, l2), and their gradient twins. Inside a path, the non-zero real CG coefficients are grouped by
/// (μ, m1): w = Σ_{m2} C[m1, m2, μ] c_{l2 m2} is formed once and added as the outer product c_{l1 m1} ⊗ w.
/// </summary>
internal static class LambdaSoapPart
{
    public static void Write(KernelPlan plan, OutputPlan block, CodeWriter w)
    {
        const string S = KernelEmitter.Span, R = KernelEmitter.ReadOnlySpan;
        var paths = new List<CouplingPlan>();
        foreach (var p in plan.Couplings)
            if (p.Lambda == block.Lambda && p.Sigma == block.Sigma) paths.Add(p);
        int lam = block.Lambda;
        string name = block.Method;

        w.Line("/// <summary>");
        w.Line("/// λ-SOAP block λ = " + lam + ", σ = " + Lit.Sigma(block.Sigma) + " (MATH §4.3, featomic EquivariantPowerSpectrum), stored [μ][property]:");
        w.Line("/// <code>");
        w.Line("/// T_μ[(l1 l2)][a1 n1][a2 n2] = Σ_{m1 m2} C^{l1 l2 λ}[m1, m2, μ] c_{l1 m1}[a1 n1] c_{l2 m2}[a2 n2],   σ = (−1)^(l1+l2+λ)");
        w.Line("/// </code>");
        w.Line("/// over every ordered path (l1, l2), l1 then l2 ascending: " + string.Join(", ", paths.ConvertAll(p => "(" + p.L1 + ", " + p.L2 + ")")) + ".");
        w.Line("/// </summary>");
        w.Open("private static void " + name + "(" + R + " c, " + S + " t)");
        w.Line("t.Clear();");
        w.Line("ChannelBuffer wBuffer = default;");
        w.Line(S + " w = wBuffer;");
        foreach (var p in paths) w.Line(PathName(name, p) + "(c, t, w);");
        w.Close();
        w.Line();

        w.Line("/// <summary>");
        w.Line("/// Pair gradient of the block for one direction, g = ∂c/∂v_d of a neighbour of channel b (bn = b·N):");
        w.Line("/// <code>");
        w.Line("/// ∂T_μ[(l1 l2)][a1 n1][a2 n2] = Σ C[m1, m2, μ] ( δ(a1, b) g_{l1 m1}[n1] c_{l2 m2}[a2 n2] + δ(a2, b) c_{l1 m1}[a1 n1] g_{l2 m2}[n2] )");
        w.Line("/// </code>");
        w.Line("/// </summary>");
        w.Open("private static void " + name + "Gradient(" + R + " c, " + R + " g, int b, " + S + " t)");
        w.Line("ChannelBuffer wBuffer = default;");
        w.Line(S + " w = wBuffer;");
        w.Line("RadialBuffer wgBuffer = default;");
        w.Line(S + " wg = wgBuffer;");
        w.Line("int bn = b * NMax;");
        foreach (var p in paths) w.Line(PathName(name, p) + "Gradient(c, g, bn, t, w, wg);");
        w.Close();

        int width = plan.ChannelWidth, square = width * width;
        foreach (var p in paths)
        {
            w.Line();
            w.Region("path (l1, l2) = (" + p.L1 + ", " + p.L2 + ") → λ = " + lam + ", σ = " + Lit.Sigma(p.Sigma) + ": properties [" + p.PropertyOffset + ", " + (p.PropertyOffset + square) + ")");
            w.Line("/// <summary>");
            w.Line("/// Coupling C^{" + p.L1 + " " + p.L2 + " " + lam + "}: T_μ[(a1 n1)(a2 n2)] += Σ_{m1 m2} C[m1, m2, μ] c_{" + p.L1 + " m1}[a1 n1] c_{" + p.L2 + " m2}[a2 n2]");
            w.Line("/// (" + CountTerms(p) + " non-zero coefficients in " + p.Groups.Count + " (μ, m1) groups).");
            w.Line("/// </summary>");
            w.Open("private static void " + PathName(name, p) + "(" + R + " c, " + S + " t, " + S + " w)");
            foreach (var gr in p.Groups)
            {
                Comment(w, p, gr, lam);
                Combination(w, gr, m2 => "c.Slice(" + plan.RowOffset(p.L2, m2) + ", ChannelWidth)", "w");
                w.Line("AddOuter(c.Slice(" + plan.RowOffset(p.L1, gr.M1) + ", ChannelWidth), w, t.Slice("
                    + ((gr.Mu + lam) * block.Properties + p.PropertyOffset) + ", " + square + "));");
            }
            w.Close();
            w.Line();
            w.Line("/// <summary>Pair gradient of path (" + p.L1 + ", " + p.L2 + "): rows (b, n1) get g_{" + p.L1 + " m1} ⊗ w, columns (b, n2) get c_{" + p.L1 + " m1} ⊗ wg.</summary>");
            w.Open("private static void " + PathName(name, p) + "Gradient(" + R + " c, " + R + " g, int bn, " + S + " t, " + S + " w, " + S + " wg)");
            foreach (var gr in p.Groups)
            {
                Comment(w, p, gr, lam);
                Combination(w, gr, m2 => "c.Slice(" + plan.RowOffset(p.L2, m2) + ", ChannelWidth)", "w");
                Combination(w, gr, m2 => "g.Slice(" + plan.PairRowOffset(p.L2, m2) + ", NMax)", "wg");
                int start = (gr.Mu + lam) * block.Properties + p.PropertyOffset;
                w.Line("AddOuter(g.Slice(" + plan.PairRowOffset(p.L1, gr.M1) + ", NMax), w, t.Slice(" + start + " + bn * ChannelWidth));");
                w.Line("AddOuter(c.Slice(" + plan.RowOffset(p.L1, gr.M1) + ", ChannelWidth), wg, t.Slice(" + start + " + bn), ChannelWidth);");
            }
            w.Close();
            w.EndRegion();
        }
    }

    private static string PathName(string block, CouplingPlan p) => block + "_" + p.L1 + "_" + p.L2;

    private static int CountTerms(CouplingPlan p)
    {
        int n = 0;
        foreach (var g in p.Groups) n += g.Terms.Count;
        return n;
    }

    private static void Comment(CodeWriter w, CouplingPlan p, CgGroup gr, int lam)
    {
        var parts = new List<string>();
        foreach (var t in gr.Terms)
            parts.Add("C[" + Lit.M(gr.M1) + ", " + Lit.M(t.M2) + ", " + Lit.M(gr.Mu) + "] = " + Lit.D(t.Value));
        w.Line("// μ = " + Lit.M(gr.Mu) + ", m1 = " + Lit.M(gr.M1) + ": " + string.Join("; ", parts));
    }

    /// <summary>dst = Σ_{m2} C[m1, m2, μ] row(m2), in the table's m2 order.</summary>
    private static void Combination(CodeWriter w, CgGroup gr, System.Func<int, string> row, string dst)
    {
        var t = gr.Terms;
        if (t.Count == 1)
        {
            w.Line("ScaleInto(" + Lit.D(t[0].Value) + ", " + row(t[0].M2) + ", " + dst + ");");
            return;
        }
        w.Line("Combine(" + Lit.D(t[0].Value) + ", " + row(t[0].M2) + ", " + Lit.D(t[1].Value) + ", " + row(t[1].M2) + ", " + dst + ");");
        for (int k = 2; k < t.Count; k++)
            w.Line("Axpy(" + Lit.D(t[k].Value) + ", " + row(t[k].M2) + ", " + dst + ");");
    }
}
