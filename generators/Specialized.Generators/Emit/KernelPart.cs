using System.Collections.Generic;
using System.Linq;
using Specialized.Generators.Model;

namespace Specialized.Generators.Emit;

/// <summary>The <c>Kernel</c> file: constants, spec, buffers and the per-centre pipeline.</summary>
internal static class KernelPart
{
    public static void WriteTypeDocs(KernelPlan plan, CodeWriter w)
    {
        var spec = plan.Spec;
        w.Line("/// <summary>");
        w.Line("/// Kernel generated for " + Xml(spec.AttributeText()) + ":");
        w.Line("/// l_max = " + plan.L + ", " + plan.N + " radial functions, ν = " + spec.BodyOrder + ", " + plan.A + " species channel" + (plan.A == 1 ? "" : "s")
            + (spec.Species.Count > 0 ? " (Z = " + string.Join(", ", spec.Species) + ")" : "") + ".");
        w.Line("/// Run it with <see cref=\"global::Specialized.Kernels.Descriptor{TRep}\"/>. Values per centre (" + plan.FeatureSize + " columns):");
        w.Line("/// <list type=\"bullet\">");
        foreach (var o in plan.Outputs)
            w.Line("/// <item>[" + o.Offset + ", " + (o.Offset + o.Size) + "): " + Describe(plan, o) + "</item>");
        w.Line("/// </list>");
        w.Line("/// </summary>");
    }

    public static string Describe(KernelPlan plan, OutputPlan o) => o.Kind switch
    {
        OutputPlan.SphericalExpansion => "spherical expansion c, [l][m][a][n]",
        OutputPlan.RadialSpectrum => "radial spectrum c_{a n 0 0}, [a][n]",
        OutputPlan.PowerSpectrum => "power spectrum, [a1 ≤ a2][l][n1][n2]",
        OutputPlan.DensityBlock => "equivariant block λ = " + o.Lambda + ", σ = +1 (the l = " + o.Lambda + " density), [μ][a][n]",
        _ => "λ-SOAP block λ = " + o.Lambda + ", σ = " + Lit.Sigma(o.Sigma) + ", [μ][(l1, l2) path][a1][n1][a2][n2]",
    };

    private static string Xml(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string RuntimeKind(OutputPlan o) => o.Kind switch
    {
        OutputPlan.SphericalExpansion or OutputPlan.DensityBlock => "SphericalExpansion",
        OutputPlan.RadialSpectrum => "RadialSpectrum",
        OutputPlan.PowerSpectrum => "PowerSpectrum",
        _ => "LambdaSoap",
    };

    public static void Write(KernelPlan plan, CodeWriter w)
    {
        var spec = plan.Spec;
        const string K = KernelEmitter.Runtime;
        w.Line("/// <summary>Largest angular channel l_max.</summary>");
        w.Line("public const int LMax = " + plan.L + ";");
        w.Line("/// <summary>Radial functions per angular channel.</summary>");
        w.Line("public const int NMax = " + plan.N + ";");
        w.Line("/// <summary>Body order ν.</summary>");
        w.Line("public const int BodyOrder = " + spec.BodyOrder + ";");
        w.Line("/// <summary>Species channels A.</summary>");
        w.Line("public const int SpeciesChannels = " + plan.A + ";");
        w.Line("/// <summary>Real spherical harmonics per pair, (l_max + 1)², flat index l² + l + m.</summary>");
        w.Line("public const int HarmonicsCount = " + plan.HarmonicsCount + ";");
        w.Line("/// <summary>Length of one (l, m) row of c: A·N.</summary>");
        w.Line("public const int ChannelWidth = " + plan.ChannelWidth + ";");
        w.Line("/// <summary>ν=1 coefficients per centre, (l_max + 1)² A N, layout [l][m][a][n]: index (l² + l + m)·A·N + a·N + n.</summary>");
        w.Line("public const int CoefficientSize = " + plan.CoefficientSize + ";");
        w.Line("/// <summary>Density gradient of one pair per direction, (l_max + 1)² N, layout [l² + l + m][n].</summary>");
        w.Line("public const int PairCoefficientSize = " + plan.PairCoefficientSize + ";");
        w.Line("/// <summary>Pairs per SIMD block: the harmonics of " + HarmonicsPart.Lanes + " pairs are computed at once, one vector lane each.</summary>");
        w.Line("public const int PairLanes = " + HarmonicsPart.Lanes + ";");
        w.Line("/// <summary>Pairs per density chunk: their harmonics are stored together and each species channel's sum over them is kept in registers.</summary>");
        w.Line("public const int DensityChunkPairs = " + HarmonicsPart.ChunkPairs + ";");
        w.Line("/// <summary>");
        w.Line("/// Per-pair scratch with gradients, used per block of PairLanes pairs (PairLanes·PairScratchSize doubles): Y_lm [l² + l + m][lane],");
        w.Line("/// then ∂Y_lm/∂v_d [d][l² + l + m][lane]" + (plan.NeedsDensityGradient ? ", then the density gradient of each lane g[lane][d][l² + l + m][n] (3 PairCoefficientSize each)" : "")
            + (plan.HasPositionRows ? ", then one PairSlotSize slot per lane for the position-gradient rows." : "."));
        w.Line("/// </summary>");
        w.Line("public const int PairScratchSize = " + plan.PairScratchSize + ";");
        if (plan.HasPositionRows)
        {
            w.Line("/// <summary>Contractions of one pair with one set of coefficients, [l][α, β_x, β_y, β_z][a][n] (PowerSpectrumPairSetup).</summary>");
            w.Line("public const int ContractionSize = " + plan.ContractionSize + ";");
            w.Line("/// <summary>Per-pair slot of the position-gradient rows after the harmonics of a block: [u_x, u_y, u_z, 0], then two contraction terms.</summary>");
            w.Line("public const int PairSlotSize = 4 + 2 * ContractionSize;");
        }
        w.Line("/// <summary>Radial values per pair, (l_max + 1) N, layout [l][n].</summary>");
        w.Line("public const int RadialSize = " + plan.RadialSize + ";");
        w.Line("/// <summary>Values per centre (all outputs).</summary>");
        w.Line("public const int FeatureSize = " + plan.FeatureSize + ";");
        foreach (var o in plan.Outputs)
        {
            w.Line("/// <summary>First column of " + Describe(plan, o) + ".</summary>");
            w.Line("public const int " + o.Method + "Offset = " + o.Offset + ";");
            w.Line("/// <summary>Columns of " + Describe(plan, o) + ".</summary>");
            w.Line("public const int " + o.Method + "Size = " + o.Size + ";");
        }
        w.Line();

        var outputs = plan.Outputs.Select(o =>
            "new " + K + ".OutputBlock(global::Specialized.Features.RepresentationKind." + RuntimeKind(o) + ", " + o.Lambda + ", " + o.Sigma + ", "
            + o.Offset + ", " + o.Components + ", " + o.Properties + ")");
        string species = spec.Species.Count == 0 ? "global::System.Array.Empty<int>()" : "new int[] { " + string.Join(", ", spec.Species) + " }";
        w.Line("private static readonly " + K + ".RepresentationSpec s_spec = new " + K + ".RepresentationSpec(");
        w.Line("    lMax: " + plan.L + ", nMax: " + plan.N + ", bodyOrder: " + spec.BodyOrder + ", speciesRank: " + spec.SpeciesRank
            + ", speciesCount: " + plan.A + ", atomicNumbers: " + species + ",");
        w.Line("    outputs: new " + K + ".OutputBlock[]");
        w.Line("    {");
        foreach (var o in outputs) w.Line("        " + o + ",");
        w.Line("    });");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public static " + K + ".RepresentationSpec Spec => s_spec;");
        w.Line("/// <inheritdoc/>");
        w.Line("public static int CoefficientCount => CoefficientSize;");
        w.Line("/// <inheritdoc/>");
        w.Line("public static int PairScratchCount => PairScratchSize;");
        w.Line("/// <inheritdoc/>");
        w.Line("public static int FeatureCount => FeatureSize;");
        w.Line();

        WriteComputeCentre(plan, w);
        w.Line();
        WriteDensity(plan, w);
        w.Line();
        if (plan.HasPositionRows)
        {
            WritePositionRows(plan, w);
            w.Line();
        }
        w.Line("/// <summary>Blocks of PairLanes pairs needed for <paramref name=\"pairs\"/> pairs (the last may be partial).</summary>");
        w.Line("public static int PairBlockCount(int pairs) => (pairs + PairLanes - 1) / PairLanes;");
        w.Line();
        w.Line("/// <summary>Component d of the pair vectors q0 … q0 + PairLanes − 1 ([q][3] layout) as one vector; lanes ≥ count hold <paramref name=\"pad\"/>.</summary>");
        w.Open("private static " + HarmonicsPart.V + " PairComponent(global::System.ReadOnlySpan<double> vectors, int q0, int count, int d, double pad)");
        w.Line("int o = 3 * q0 + d;");
        w.Line("if (count == PairLanes) return global::System.Runtime.Intrinsics.Vector256.Create(vectors[o], vectors[o + 3], vectors[o + 6], vectors[o + 9]);");
        w.Line("return global::System.Runtime.Intrinsics.Vector256.Create(vectors[o], count > 1 ? vectors[o + 3] : pad, count > 2 ? vectors[o + 6] : pad, pad);");
        w.Close();
        w.Line();
        WriteBuffers(plan, w);
    }

    private static void WriteComputeCentre(KernelPlan plan, CodeWriter w)
    {
        const string S = KernelEmitter.Span;
        w.Line("/// <inheritdoc/>");
        w.Open("public static void ComputeCentre(scoped in " + KernelEmitter.Runtime + ".CentreInput input, " + S + " coefficients, "
            + S + " pairScratch, " + S + " values, " + S + " pairGradients)");
        w.Line("int pairs = input.PairCount;");
        w.Line("bool gradients = !pairGradients.IsEmpty;");
        w.Line("if (coefficients.Length < CoefficientSize || values.Length < FeatureSize || input.Vectors.Length < 3 * pairs");
        w.Line("    || input.Radial.Length < pairs * RadialSize || input.SelfTerm.Length < NMax)");
        w.Line("    throw new global::System.ArgumentException(\"ComputeCentre: a buffer is shorter than the spec needs\");");
        w.Line("if (gradients && (pairGradients.Length < pairs * 3 * FeatureSize || pairScratch.Length < PairBlockCount(pairs) * PairLanes * PairScratchSize");
        w.Line("    || input.RadialDerivatives.Length < pairs * RadialSize))");
        w.Line("    throw new global::System.ArgumentException(\"ComputeCentre: a gradient buffer is shorter than the spec needs\");");
        w.Line();
        w.Line("var c = Density(in input, coefficients, pairScratch, gradients);");
        w.Line();
        w.Line("// Outputs, each in its generic calculator's layout.");
        foreach (var o in plan.Outputs)
            w.Line(o.Method + "(c, values.Slice(" + o.Method + "Offset, " + o.Method + "Size));");
        w.Line("if (!gradients) return;");
        w.Line();
        w.Line("// Pair gradients G_q = ∂X_i/∂v_q, one row [f] per (q, d) (neighbour channel b = a_q).");
        if (plan.HasPowerSpectrum)
        {
            w.Line("PowerSpectrumPairBuffer contractionBuffer = default;");
            w.Line(S + " contractions = contractionBuffer;");
        }
        w.Open("for (int q = 0; q < pairs; q++)");
        w.Line("int b = input.NeighbourChannels[q];");
        w.Line("// pair q is lane k of the block starting at q − k; its harmonics are lane-strided (entry i at [PairLanes·i])");
        w.Line("int k = q % PairLanes;");
        w.Line("var block = pairScratch.Slice((q - k) * PairScratchSize, PairLanes * PairScratchSize);");
        w.Line("var ylm = block.Slice(k, PairLanes * HarmonicsCount - k);");
        w.Line("var dylm = block.Slice(PairLanes * HarmonicsCount + k, 3 * PairLanes * HarmonicsCount - k);");
        w.Line("var radial = input.Radial.Slice(q * RadialSize, RadialSize);");
        w.Line("var dRadial = input.RadialDerivatives.Slice(q * RadialSize, RadialSize);");
        w.Line("double x = input.Vectors[3 * q], y = input.Vectors[3 * q + 1], z = input.Vectors[3 * q + 2];");
        if (plan.NeedsDensityGradient)
        {
            w.Line("// g[d][l² + l + m][n] = ∂/∂v_d of the pair's density contribution");
            w.Line("var g = block.Slice(4 * PairLanes * HarmonicsCount + k * 3 * PairCoefficientSize, 3 * PairCoefficientSize);");
            w.Line("DensityPairGradient(x, y, z, ylm, dylm, radial, dRadial, g);");
        }
        if (plan.HasPowerSpectrum)
        {
            w.Line("double inverseR = 1.0 / global::System.Math.Sqrt(x * x + y * y + z * z);");
            w.Line("PowerSpectrumPairSetup(c, ylm, dylm, contractions);");
        }
        w.Open("for (int d = 0; d < 3; d++)");
        w.Line("var row = pairGradients.Slice((q * 3 + d) * FeatureSize, FeatureSize);");
        w.Line("row.Clear();");
        if (plan.NeedsDensityGradient) w.Line("var gd = g.Slice(d * PairCoefficientSize, PairCoefficientSize);");
        foreach (var o in plan.Outputs)
        {
            if (o.Kind == OutputPlan.PowerSpectrum)
                w.Line("PowerSpectrumGradient(contractions, d, (d == 0 ? x : d == 1 ? y : z) * inverseR, radial, dRadial, b, row.Slice("
                    + o.Method + "Offset, " + o.Method + "Size), default);");
            else
                w.Line(o.Method + "Gradient(c, gd, b, row.Slice(" + o.Method + "Offset, " + o.Method + "Size));");
        }
        w.Close();
        w.Close();
        w.Close();
    }

    private static void WriteDensity(KernelPlan plan, CodeWriter w)
    {
        const string S = KernelEmitter.Span;
        w.Line("/// <summary>");
        w.Line("/// The ν=1 coefficients c of the centre (returned, a slice of <paramref name=\"coefficients\"/>); with <paramref name=\"gradients\"/>,");
        w.Line("/// also Y_lm and ∂Y_lm/∂v_d of every pair in <paramref name=\"pairScratch\"/> (blocks of PairLanes pairs, lane-strided).");
        w.Line("/// </summary>");
        w.Open("private static " + S + " Density(scoped in " + KernelEmitter.Runtime + ".CentreInput input, " + S + " coefficients, scoped " + S + " pairScratch, bool gradients)");
        w.Line("int pairs = input.PairCount;");
        w.Line("// without gradients the harmonics of a chunk go to the front of pairScratch when it is long enough, else to a stack buffer");
        w.Line("if (!gradients && pairScratch.Length < PairBlockCount(global::System.Math.Min(pairs, DensityChunkPairs)) * PairLanes * HarmonicsCount)");
        w.Line("    return DensityWithChunkBuffer(in input, coefficients);");
        w.Line("// ν=1: c[l][m][a][n] = Σ_q δ(a, a_q) F(r_q) I_nl(r_q) Y_lm(v_q/r_q)  +  δ(l, 0) δ(a, a_i) w_c F(0) Y_00 I_n0(0)");
        w.Line("// Pairs go in chunks of DensityChunkPairs, their harmonics in blocks of PairLanes (one SIMD lane per pair); then each species");
        w.Line("// channel's pairs of the chunk are summed into c with the sums over pairs kept in registers (DensityAccumulator).");
        w.Line("var c = coefficients.Slice(0, CoefficientSize);");
        w.Line("c.Clear();");
        w.Open("for (int q0 = 0; q0 < pairs; q0 += DensityChunkPairs)");
        w.Line("int chunk = global::System.Math.Min(DensityChunkPairs, pairs - q0);");
        w.Line("// with gradients, Y and ∂Y of each block stay in the pair scratch for the gradient pass: [l² + l + m][lane], then [d][l² + l + m][lane]");
        w.Line(S + " ylm = gradients ? pairScratch.Slice(q0 * PairScratchSize) : pairScratch;");
        w.Line("int blockStride = gradients ? PairLanes * PairScratchSize : PairLanes * HarmonicsCount;");
        w.Open("for (int b0 = 0; b0 < chunk; b0 += PairLanes)");
        w.Line("int count = global::System.Math.Min(PairLanes, chunk - b0);");
        w.Line("var x = PairComponent(input.Vectors, q0 + b0, count, 0, 0.0);");
        w.Line("var y = PairComponent(input.Vectors, q0 + b0, count, 1, 0.0);");
        w.Line("var z = PairComponent(input.Vectors, q0 + b0, count, 2, 1.0);");
        w.Line("int block = b0 / PairLanes * blockStride;");
        w.Line("if (gradients) HarmonicsWithGradientsBlock(x, y, z, ref ylm[block], ref ylm[block + PairLanes * HarmonicsCount], PairLanes);");
        w.Line("else HarmonicsBlock(x, y, z, ref ylm[block], PairLanes);");
        w.Close();
        w.Line("global::Specialized.Kernels.DensityAccumulator.AddChunk(ylm, blockStride, input.Radial.Slice(q0 * RadialSize), RadialSize,");
        w.Line("    input.NeighbourChannels.Slice(q0, chunk), chunk, LMax, NMax, c, ChannelWidth);");
        w.Close();
        w.Line("Axpy(1.0, input.SelfTerm.Slice(0, NMax), c.Slice(input.CentreChannel * NMax, NMax));");
        w.Line("return c;");
        w.Close();
        w.Line();
        w.Line("/// <summary><see cref=\"Density\"/> without gradients, the harmonics of each chunk in a stack buffer.</summary>");
        w.Open("private static " + S + " DensityWithChunkBuffer(scoped in " + KernelEmitter.Runtime + ".CentreInput input, " + S + " coefficients)");
        w.Line("HarmonicsChunkBuffer chunkBuffer = default;");
        w.Line("return Density(in input, coefficients, chunkBuffer, false);");
        w.Close();
    }

    private static void WritePositionRows(KernelPlan plan, CodeWriter w)
    {
        const string S = KernelEmitter.Span, R = KernelEmitter.ReadOnlySpan;
        w.Line("/// <inheritdoc/>");
        w.Line("public static bool HasPositionGradientRows => true;");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// Row k = <paramref name=\"atom\"/> of Σ_i ∂X_i/∂r_k from k's pairs (MATH §3.4), pulled rather than scattered: for the pair q = (k → j),");
        w.Line("/// k's own power spectrum loses ∂X_k/∂v_kj and j's gains ∂X_j/∂v_jk, v_jk = −v_kj. Both are the rank-2 blocks of");
        w.Line("/// <see cref=\"PowerSpectrumGradient\"/> built from the pair's Y_lm(v_kj), R and R', because");
        w.Line("/// <code>");
        w.Line("/// Y_lm(−v) = (−1)^l Y_lm(v),   (∇Y_lm)(−v) = (−1)^(l+1) ∇Y_lm(v),   u_jk = −u_kj");
        w.Line("/// row[d] += G(c̃, b),   c̃_l = −(c_k,l + (−1)^l c_j,l)   when b_j = b_k (one term, neighbour channel b = b_j)");
        w.Line("/// row[d] += G(−c_k, b_j) + G(−(−1)^l c_j, b_k)                otherwise");
        w.Line("/// </code>");
        w.Line("/// with G(c, b) the pair gradient of <see cref=\"PowerSpectrumGradient\"/> for coefficients c. Only row k is written, so the");
        w.Line("/// row stays in cache and threads own disjoint rows.");
        w.Line("/// </summary>");
        w.Open("public static void AddPositionGradientRow(scoped in " + KernelEmitter.Runtime + ".CentreInput input, global::System.ReadOnlySpan<int> neighbours, "
            + R + " coefficients, int atom, " + S + " pairScratch, " + S + " row)");
        w.Line("int pairs = input.PairCount;");
        w.Line("if (neighbours.Length < pairs || input.Vectors.Length < 3 * pairs || input.Radial.Length < pairs * RadialSize || input.RadialDerivatives.Length < pairs * RadialSize");
        w.Line("    || pairScratch.Length < PairBlockCount(pairs) * PairLanes * PairScratchSize || row.Length < 3 * FeatureSize || atom < 0 || coefficients.Length < (atom + 1) * CoefficientSize)");
        w.Line("    throw new global::System.ArgumentException(\"AddPositionGradientRow: a buffer is shorter than the spec needs\");");
        w.Line("// Y and ∂Y of k's pairs, PairLanes at a time: [l² + l + m][lane], then [d][l² + l + m][lane]");
        w.Open("for (int q0 = 0; q0 < pairs; q0 += PairLanes)");
        w.Line("int count = global::System.Math.Min(PairLanes, pairs - q0);");
        w.Line("var block = pairScratch.Slice(q0 * PairScratchSize, PairLanes * PairScratchSize);");
        w.Line("HarmonicsWithGradientsBlock(PairComponent(input.Vectors, q0, count, 0, 0.0), PairComponent(input.Vectors, q0, count, 1, 0.0),");
        w.Line("    PairComponent(input.Vectors, q0, count, 2, 1.0), ref block[0], ref block[PairLanes * HarmonicsCount], PairLanes);");
        w.Close();
        w.Line("var own = coefficients.Slice(atom * CoefficientSize, CoefficientSize);");
        w.Line("CoefficientBuffer combinedBuffer = default;");
        w.Line(S + " combined = combinedBuffer;");
        w.Line("int bk = input.CentreChannel;");
        w.Line("// 1. per pair: u = v/r and the contractions of its one or two terms (slot layout: [u_x, u_y, u_z, 0][term 0][term 1])");
        w.Open("for (int q = 0; q < pairs; q++)");
        w.Line("int bj = input.NeighbourChannels[q];");
        w.Line("var neighbour = coefficients.Slice(neighbours[q] * CoefficientSize, CoefficientSize);");
        w.Line("int k = q % PairLanes;");
        w.Line("var block = pairScratch.Slice((q - k) * PairScratchSize, PairLanes * PairScratchSize);");
        w.Line("var ylm = block.Slice(k, PairLanes * HarmonicsCount - k);");
        w.Line("var dylm = block.Slice(PairLanes * HarmonicsCount + k, 3 * PairLanes * HarmonicsCount - k);");
        w.Line("var slot = block.Slice(4 * PairLanes * HarmonicsCount + k * PairSlotSize, PairSlotSize);");
        w.Line("double x = input.Vectors[3 * q], y = input.Vectors[3 * q + 1], z = input.Vectors[3 * q + 2];");
        w.Line("double inverseR = 1.0 / global::System.Math.Sqrt(x * x + y * y + z * z);");
        w.Line("slot[0] = x * inverseR;");
        w.Line("slot[1] = y * inverseR;");
        w.Line("slot[2] = z * inverseR;");
        w.Open("if (bj == bk)");
        w.Line("NeighbourCoefficients(own, -1.0, neighbour, combined);");
        w.Line("PowerSpectrumPairSetup(combined, ylm, dylm, slot.Slice(4, ContractionSize));");
        w.Close();
        w.Open("else");
        w.Line("ScaleInto(-1.0, own, combined);");
        w.Line("PowerSpectrumPairSetup(combined, ylm, dylm, slot.Slice(4, ContractionSize));");
        w.Line("NeighbourCoefficients(own, 0.0, neighbour, combined);");
        w.Line("PowerSpectrumPairSetup(combined, ylm, dylm, slot.Slice(4 + ContractionSize, ContractionSize));");
        w.Close();
        w.Close();
        w.Line("// 2. per (l, d): S[b][a] = Σ_terms (u_d R'_l) ⊗ α_l[a] + R_l ⊗ β_l^d[a] (term channel b), then every species-pair block");
        w.Line("//    of row d: p[a1 a2][l] += s (S[a1][a2] + S[a2][a1]ᵀ)  (the δ(a1, b) X[a2] + δ(a2, b) X[a1]ᵀ of PowerSpectrumGradient, summed over pairs)");
        w.Line("GradientAccumulatorBuffer accumulatorBuffer = default;");
        w.Line(S + " accumulator = accumulatorBuffer;");
        for (int l = 0; l <= plan.L; l++)
            w.Line("PositionRowChannel(in input, pairScratch, bk, " + (l * plan.N) + ", " + (4 * l * plan.ChannelWidth) + ", " + (l * plan.N * plan.N) + ", "
                + Lit.D(PowerSpectrumPart.Scale(1.0, l)) + ", " + Lit.D(PowerSpectrumPart.Scale(System.Math.Sqrt(2.0), l)) + ", accumulator, row); // l = " + l);
        w.Close();
        w.Line();
        w.Line("/// <summary>One angular channel l of <see cref=\"AddPositionGradientRow\"/> (offsets of l in the radial [l][n], contraction and block layouts).</summary>");
        w.Open("private static void PositionRowChannel(scoped in " + KernelEmitter.Runtime + ".CentreInput input, " + R + " pairScratch, int bk, int radialOffset, int contractionOffset, int lOffset, "
            + "double sameScale, double crossScale, " + S + " accumulator, " + S + " row)");
        w.Line("int pairs = input.PairCount;");
        w.Open("for (int d = 0; d < 3; d++)");
        w.Line("accumulator.Clear();");
        w.Open("for (int q = 0; q < pairs; q++)");
        w.Line("int k = q % PairLanes;");
        w.Line("var slot = pairScratch.Slice((q - k) * PairScratchSize + 4 * PairLanes * HarmonicsCount + k * PairSlotSize, PairSlotSize);");
        w.Line("var radial = input.Radial.Slice(q * RadialSize + radialOffset, NMax);");
        w.Line("var dRadial = input.RadialDerivatives.Slice(q * RadialSize + radialOffset, NMax);");
        w.Line("int bj = input.NeighbourChannels[q];");
        w.Open("for (int t = 0; t < (bj == bk ? 1 : 2); t++)");
        w.Line("var contraction = slot.Slice(4 + t * ContractionSize + contractionOffset, 4 * ChannelWidth);");
        w.Line("int b = t == 0 ? bj : bk;");
        w.Line("for (int a = 0; a < SpeciesChannels; a++)");
        w.Line("    AccumulateRank2(slot[d], dRadial, radial, contraction.Slice(a * NMax, NMax), contraction.Slice((1 + d) * ChannelWidth + a * NMax, NMax),");
        w.Line("        accumulator.Slice((b * SpeciesChannels + a) * NMax * NMax, NMax * NMax));");
        w.Close();
        w.Close();
        w.Line("int s = 0;");
        w.Line("for (int a1 = 0; a1 < SpeciesChannels; a1++)");
        w.Line("    for (int a2 = a1; a2 < SpeciesChannels; a2++, s++)");
        w.Line("        AddSymmetrized(a1 == a2 ? sameScale : crossScale, accumulator.Slice((a1 * SpeciesChannels + a2) * NMax * NMax, NMax * NMax),");
        w.Line("            accumulator.Slice((a2 * SpeciesChannels + a1) * NMax * NMax, NMax * NMax), row.Slice(d * FeatureSize + PowerSpectrumOffset + s * SpeciesPairSize + lOffset, NMax * NMax));");
        w.Close();
        w.Close();
        w.Line();
        w.Line("/// <summary>dst_l = ownScale · own_l − (−1)^l neighbour_l for every row (l, m) of c (the parity of Y_lm(−v)).</summary>");
        w.Open("private static void NeighbourCoefficients(" + R + " own, double ownScale, " + R + " neighbour, " + S + " dst)");
        for (int l = 0; l <= plan.L; l++)
        {
            int offset = plan.RowOffset(l, -l), length = (2 * l + 1) * plan.ChannelWidth;
            w.Line("Combine(ownScale, own.Slice(" + offset + ", " + length + "), " + ((l & 1) == 0 ? "-1.0" : "1.0") + ", neighbour.Slice(" + offset + ", " + length + "), dst.Slice(" + offset + ", " + length + ")); // l = " + l);
        }
        w.Close();
        w.Line();
    }

    private static void WriteBuffers(KernelPlan plan, CodeWriter w)
    {
        void Buffer(string name, string size, string doc)
        {
            w.Line("/// <summary>" + doc + "</summary>");
            w.Line("[global::System.Runtime.CompilerServices.InlineArray(" + size + ")]");
            w.Open("private struct " + name);
            w.Line("private double _element0;");
            w.Close();
        }
        if (plan.HasPowerSpectrum)
        {
            Buffer("PowerSpectrumPairBuffer", "(LMax + 1) * 4 * ChannelWidth", "Fixed-size buffer: α_l = Σ_m Y_lm c_lm and β_l^d = Σ_m ∂_d Y_lm c_lm of one pair, [l][α, β_x, β_y, β_z][a][n].");
        }
        if (plan.HasPositionRows)
        {
            Buffer("CoefficientBuffer", "CoefficientSize", "Fixed-size buffer: one combination of two atoms' ν=1 coefficients, [l][m][a][n].");
            Buffer("GradientAccumulatorBuffer", "SpeciesChannels * SpeciesChannels * NMax * NMax", "Fixed-size buffer: the accumulated pair terms S[b][a][n1][n2] of one (l, d) of a position-gradient row.");
        }
        if (plan.Couplings.Count > 0)
            Buffer("ChannelBuffer", "ChannelWidth", "Fixed-size buffer: one combination of c rows, [a][n].");
        if (plan.Couplings.Count > 0)
            Buffer("RadialBuffer", "NMax", "Fixed-size buffer: one combination Σ_m2 C g_{l2 m2} of pair-gradient rows, [n].");
    }
}
