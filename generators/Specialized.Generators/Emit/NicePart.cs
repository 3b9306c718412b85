using System.Collections.Generic;
using System.Linq;
using Specialized.Generators.Model;

namespace Specialized.Generators.Emit;

/// <summary>
/// The <c>Nice</c> file of a NICE / tensor-reduced spec: the ν=1 density with its per-pair gradients (built on the
/// emitted harmonics and density helpers), and one straight-line method per (k, l, λ) coupling path of the
/// body-order iteration with literal real CG coefficients, for values, forward tangents and adjoints, plus the
/// switch that dispatches on a path id. The fitted data (pair lists, purifiers, projections, embeddings) are
/// run-time data of <c>NiceDescriptor</c>.
/// </summary>
internal static class NicePart
{
    private const string R = KernelEmitter.ReadOnlySpan, S = KernelEmitter.Span;
    private const string Ints = "global::System.ReadOnlySpan<int>";

    public static void Write(KernelPlan plan, CodeWriter w)
    {
        var spec = plan.Spec;
        var paths = plan.NicePaths;
        w.Line("/// <summary>NICE cap λ_max on every equivariant block.</summary>");
        w.Line("public const int LambdaCap = " + spec.LambdaCap + ";");
        w.Line("/// <summary>Number of (k, l, λ) coupling paths (ids 0 … PathCount − 1).</summary>");
        w.Line("public const int NicePathCount = " + paths.Count + ";");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public static int MaxLambda => LambdaCap;");
        w.Line("/// <inheritdoc/>");
        w.Line("public static int PathCount => NicePathCount;");
        w.Line();
        WriteDensity(w);
        w.Line();

        w.Line("/// <inheritdoc/>");
        w.Open("public static int PathId(int k, int l, int lambda) => (k, l, lambda) switch");
        foreach (var p in paths) w.Line("(" + p.K + ", " + p.L + ", " + p.Lambda + ") => " + p.Id + ",");
        w.Line("_ => -1,");
        w.Close(";");
        w.Line();

        w.Line("/// <inheritdoc/>");
        w.Open("public static void Couple(int path, " + R + " t, int tStride, " + R + " d, int dStride, " + Ints + " p1, " + Ints + " f2, " + S + " x, int xStride)");
        w.Open("switch (path)");
        foreach (var p in paths) w.Line("case " + p.Id + ": " + Name(p) + "(t, tStride, d, dStride, p1, f2, x, xStride); return;");
        w.Line("default: throw new global::System.ArgumentOutOfRangeException(nameof(path));");
        w.Close();
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public static void CoupleTangent(int path, int dirs, " + R + " t, " + R + " tTangent, int tStride, " + R + " d, " + R + " dTangent, int dStride, "
            + Ints + " p1, " + Ints + " f2, " + S + " xTangent, int xStride)");
        w.Open("switch (path)");
        foreach (var p in paths) w.Line("case " + p.Id + ": " + Name(p) + "Tangent(dirs, t, tTangent, tStride, d, dTangent, dStride, p1, f2, xTangent, xStride); return;");
        w.Line("default: throw new global::System.ArgumentOutOfRangeException(nameof(path));");
        w.Close();
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public static void CoupleAdjoint(int path, " + R + " xBar, int xStride, " + R + " t, " + S + " tBar, int tStride, " + R + " d, " + S + " dBar, int dStride, "
            + Ints + " p1, " + Ints + " f2)");
        w.Open("switch (path)");
        foreach (var p in paths) w.Line("case " + p.Id + ": " + Name(p) + "Adjoint(xBar, xStride, t, tBar, tStride, d, dBar, dStride, p1, f2); return;");
        w.Line("default: throw new global::System.ArgumentOutOfRangeException(nameof(path));");
        w.Close();
        w.Close();

        foreach (var p in paths)
        {
            w.Line();
            w.Region("path " + p.Id + ": (k, l) = (" + p.K + ", " + p.L + ") → λ = " + p.Lambda + ", σ = σ_T·" + ((p.K + p.L + p.Lambda) % 2 == 0 ? "(+1)" : "(−1)"));
            WriteValues(p, w);
            w.Line();
            WriteTangent(p, w);
            w.Line();
            WriteAdjoint(p, w);
            w.EndRegion();
        }
    }

    private static void WriteDensity(CodeWriter w)
    {
        w.Line("/// <inheritdoc/>");
        w.Open("public static void ComputeDensity(scoped in " + KernelEmitter.Runtime + ".CentreInput input, " + S + " coefficients, " + S + " pairScratch, bool gradients)");
        w.Line("int pairs = input.PairCount;");
        w.Line("if (coefficients.Length < CoefficientSize || input.Vectors.Length < 3 * pairs || input.Radial.Length < pairs * RadialSize || input.SelfTerm.Length < NMax)");
        w.Line("    throw new global::System.ArgumentException(\"ComputeDensity: a buffer is shorter than the spec needs\");");
        w.Line("if (gradients && (pairScratch.Length < PairBlockCount(pairs) * PairLanes * PairScratchSize || input.RadialDerivatives.Length < pairs * RadialSize))");
        w.Line("    throw new global::System.ArgumentException(\"ComputeDensity: a gradient buffer is shorter than the spec needs\");");
        w.Line("// c[l][m][a][n] (the kernel's Density: harmonics of PairLanes pairs per SIMD block, kept in pairScratch with gradients)");
        w.Line("Density(in input, coefficients, pairScratch, gradients);");
        w.Line("if (!gradients) return;");
        w.Open("for (int q = 0; q < pairs; q++)");
        w.Line("// pair q is lane k of the block starting at q − k; g[d][l² + l + m][n] = ∂/∂v_d of its density contribution");
        w.Line("int k = q % PairLanes;");
        w.Line("var block = pairScratch.Slice((q - k) * PairScratchSize, PairLanes * PairScratchSize);");
        w.Line("double x = input.Vectors[3 * q], y = input.Vectors[3 * q + 1], z = input.Vectors[3 * q + 2];");
        w.Line("DensityPairGradient(x, y, z, block.Slice(k, PairLanes * HarmonicsCount - k), block.Slice(PairLanes * HarmonicsCount + k, 3 * PairLanes * HarmonicsCount - k),");
        w.Line("    input.Radial.Slice(q * RadialSize, RadialSize), input.RadialDerivatives.Slice(q * RadialSize, RadialSize),");
        w.Line("    block.Slice(4 * PairLanes * HarmonicsCount + k * 3 * PairCoefficientSize, 3 * PairCoefficientSize));");
        w.Close();
        w.Close();
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public static " + R + " PairDensityGradient(" + R + " pairScratch, int pair) =>");
        w.Line("    pairScratch.Slice((pair - pair % PairLanes) * PairScratchSize + 4 * PairLanes * HarmonicsCount + pair % PairLanes * 3 * PairCoefficientSize, 3 * PairCoefficientSize);");
    }

    private static string Name(NicePathPlan p) => "CoupleK" + p.K + "L" + p.L + "To" + p.Lambda;

    private static string T(int kappa) => "t" + Lit.MName(kappa);
    private static string D(int m) => "d" + Lit.MName(m);

    /// <summary>Row offset text "r * stride + " for row r (empty for row 0).</summary>
    private static string Row(int row, string stride) => row == 0 ? "" : row + " * " + stride + " + ";

    /// <summary>Loads the factor components used by the path's terms: t_κ = T[κ][a], d_m = D[m][b].</summary>
    private static void Loads(NicePathPlan p, CodeWriter w)
    {
        w.Line("int a = p1[i], b = f2[i];");
        var kappas = p.Terms.Select(t => t.Kappa).Distinct().OrderBy(k => k).ToList();
        var ms = p.Terms.Select(t => t.M).Distinct().OrderBy(m => m).ToList();
        w.Line("double " + string.Join(", ", kappas.Select(k => T(k) + " = t[" + Row(k + p.K, "tStride") + "a]")) + ";");
        w.Line("double " + string.Join(", ", ms.Select(m => D(m) + " = d[" + Row(m + p.L, "dStride") + "b]")) + ";");
    }

    private static void Signature(NicePathPlan p, CodeWriter w, string what)
    {
        w.Line("/// <summary>");
        w.Line("/// " + what + " of the coupling C^{" + p.K + " " + p.L + " " + p.Lambda + "} (" + p.Terms.Count + " non-zero coefficients) for every pair (p1_i, f2_i):");
        w.Line("/// <code>");
        w.Line("/// X[μ][i] = Σ_{κ m} C[κ, m, μ] T[κ][p1_i] D[m][f2_i],   rows κ + " + p.K + ", m + " + p.L + ", μ + " + p.Lambda + " (strides tStride, dStride, xStride)");
        w.Line("/// </code>");
        w.Line("/// </summary>");
    }

    private static void WriteValues(NicePathPlan p, CodeWriter w)
    {
        Signature(p, w, "Values");
        w.Line("/// <remarks>");
        w.Line("/// Factored through the block side: E[μ][m] = Σ_κ C[κ, m, μ] T[κ][p1] is formed when p1 changes (the pairs run");
        w.Line("/// p1 outer, f2 inner), then X[μ][i] = Σ_m E[μ][m] D[m][f2_i] per pair.");
        w.Line("/// </remarks>");
        w.Open("private static void " + Name(p) + "(" + R + " t, int tStride, " + R + " d, int dStride, " + Ints + " p1, " + Ints + " f2, " + S + " x, int xStride)");
        var kappas = p.Terms.Select(t => t.Kappa).Distinct().OrderBy(k => k).ToList();
        var ms = p.Terms.Select(t => t.M).Distinct().OrderBy(m => m).ToList();
        // (μ, m) entries of E with their κ terms, μ then m ascending
        var entries = p.Terms.GroupBy(t => (t.Mu, t.M)).OrderBy(g => g.Key.Mu).ThenBy(g => g.Key.M).ToList();
        w.Line("double " + string.Join(", ", entries.Select(e => E(e.Key.Mu, e.Key.M) + " = 0.0")) + ";");
        w.Line("int previous = 0;");
        w.Open("for (int i = 0; i < p1.Length; i++)");
        w.Line("int a = p1[i], b = f2[i];");
        w.Open("if (i == 0 || a != previous)");
        w.Line("previous = a;");
        w.Line("double " + string.Join(", ", kappas.Select(k => T(k) + " = t[" + Row(k + p.K, "tStride") + "a]")) + ";");
        foreach (var e in entries)
            w.Line(E(e.Key.Mu, e.Key.M) + " = " + string.Join(" + ", e.Select(t => Lit.D(t.Value) + " * " + T(t.Kappa))) + ";");
        w.Close();
        w.Line("double " + string.Join(", ", ms.Select(m => D(m) + " = d[" + Row(m + p.L, "dStride") + "b]")) + ";");
        for (int mu = -p.Lambda; mu <= p.Lambda; mu++)
        {
            var row = entries.Where(e => e.Key.Mu == mu).ToList();
            string sum = row.Count == 0 ? "0.0" : string.Join(" + ", row.Select(e => E(e.Key.Mu, e.Key.M) + " * " + D(e.Key.M)));
            w.Line("x[" + Row(mu + p.Lambda, "xStride") + "i] = " + sum + "; // μ = " + Lit.M(mu));
        }
        w.Close();
        w.Close();
    }

    /// <summary>Local name of E[μ][m].</summary>
    private static string E(int mu, int m) => "e" + Lit.MName(mu) + "_" + Lit.MName(m);

    private static void WriteTangent(NicePathPlan p, CodeWriter w)
    {
        Signature(p, w, "Forward tangents (dir-minor, dirs per value)");
        w.Line("/// <remarks>∂X[μ] = Σ_κ (Σ_m C d_m) ∂T_κ + Σ_m (Σ_κ C t_κ) ∂D_m, one vector pass over the directions per factor component.</remarks>");
        w.Open("private static void " + Name(p) + "Tangent(int dirs, " + R + " t, " + R + " tTangent, int tStride, " + R + " d, " + R + " dTangent, int dStride, "
            + Ints + " p1, " + Ints + " f2, " + S + " xTangent, int xStride)");
        w.Open("for (int i = 0; i < p1.Length; i++)");
        Loads(p, w);
        var kappas = p.Terms.Select(t => t.Kappa).Distinct().OrderBy(k => k).ToList();
        var ms = p.Terms.Select(t => t.M).Distinct().OrderBy(m => m).ToList();
        foreach (var k in kappas) w.Line("var d" + T(k) + " = tTangent.Slice((" + Row(k + p.K, "tStride") + "a) * dirs, dirs);");
        foreach (var m in ms) w.Line("var d" + D(m) + " = dTangent.Slice((" + Row(m + p.L, "dStride") + "b) * dirs, dirs);");
        for (int mu = -p.Lambda; mu <= p.Lambda; mu++)
        {
            var terms = p.Terms.Where(t => t.Mu == mu).ToList();
            var ops = new List<(string Coefficient, string Span)>();
            foreach (var k in kappas)
            {
                var ts = terms.Where(t => t.Kappa == k).ToList();
                if (ts.Count > 0) ops.Add((string.Join(" + ", ts.Select(t => Lit.D(t.Value) + " * " + D(t.M))), "d" + T(k)));
            }
            foreach (var m in ms)
            {
                var ts = terms.Where(t => t.M == m).ToList();
                if (ts.Count > 0) ops.Add((string.Join(" + ", ts.Select(t => Lit.D(t.Value) + " * " + T(t.Kappa))), "d" + D(m)));
            }
            string o = "o" + Lit.MName(mu);
            w.Line("var " + o + " = xTangent.Slice((" + Row(mu + p.Lambda, "xStride") + "i) * dirs, dirs); // μ = " + Lit.M(mu));
            if (ops.Count == 0)
            {
                w.Line(o + ".Clear();");
                continue;
            }
            if (ops.Count == 1) w.Line("ScaleInto(" + ops[0].Coefficient + ", " + ops[0].Span + ", " + o + ");");
            else w.Line("Combine(" + ops[0].Coefficient + ", " + ops[0].Span + ", " + ops[1].Coefficient + ", " + ops[1].Span + ", " + o + ");");
            for (int k = ops.Count == 1 ? 1 : 2; k < ops.Count; k++) w.Line("Axpy(" + ops[k].Coefficient + ", " + ops[k].Span + ", " + o + ");");
        }
        w.Close();
        w.Close();
    }

    /// <summary>Adds the run's T̄ sums into tBar[κ][run] (when a run is open) and resets them.</summary>
    private static void FlushRun(NicePathPlan p, List<int> kappas, CodeWriter w)
    {
        w.Open("if (run >= 0)");
        foreach (var k in kappas) w.Line("tBar[" + Row(k + p.K, "tStride") + "run] += s" + T(k) + ";");
        w.Line(string.Join(" ", kappas.Select(k => "s" + T(k) + " = 0.0;")));
        w.Close();
    }

    private static void WriteAdjoint(NicePathPlan p, CodeWriter w)
    {
        Signature(p, w, "Adjoint (reverse mode)");
        w.Line("/// <remarks>");
        w.Line("/// T̄[κ][p1_i] += Σ_{m μ} C X̄[μ][i] d_m;  D̄[m][f2_i] += Σ_{κ μ} C X̄[μ][i] t_κ. Pairs come in runs of equal p1 (p1 outer,");
        w.Line("/// f2 inner), so T̄ is summed in registers over a run and stored once per run.");
        w.Line("/// </remarks>");
        w.Open("private static void " + Name(p) + "Adjoint(" + R + " xBar, int xStride, " + R + " t, " + S + " tBar, int tStride, " + R + " d, " + S + " dBar, int dStride, "
            + Ints + " p1, " + Ints + " f2)");
        var kappas = p.Terms.Select(t => t.Kappa).Distinct().OrderBy(k => k).ToList();
        w.Line("int run = -1;");
        w.Line("double " + string.Join(", ", kappas.Select(k => "s" + T(k) + " = 0.0")) + ";");
        w.Open("for (int i = 0; i < p1.Length; i++)");
        w.Open("if (p1[i] != run)");
        FlushRun(p, kappas, w);
        w.Line("run = p1[i];");
        w.Close();
        Loads(p, w);
        var mus = p.Terms.Select(t => t.Mu).Distinct().OrderBy(m => m).ToList();
        w.Line("double " + string.Join(", ", mus.Select(mu => "x" + Lit.MName(mu) + " = xBar[" + Row(mu + p.Lambda, "xStride") + "i]")) + ";");
        foreach (var k in kappas)
            w.Line("s" + T(k) + " += " + string.Join(" + ", p.Terms.Where(t => t.Kappa == k).Select(t => Lit.D(t.Value) + " * x" + Lit.MName(t.Mu) + " * " + D(t.M))) + ";");
        foreach (var m in p.Terms.Select(t => t.M).Distinct().OrderBy(m => m))
            w.Line("dBar[" + Row(m + p.L, "dStride") + "b] += " + string.Join(" + ", p.Terms.Where(t => t.M == m).Select(t => Lit.D(t.Value) + " * x" + Lit.MName(t.Mu) + " * " + T(t.Kappa))) + ";");
        w.Close();
        FlushRun(p, kappas, w);
        w.Close();
    }
}
