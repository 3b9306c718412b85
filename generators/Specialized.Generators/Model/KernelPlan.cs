using System;
using System.Collections.Generic;
using Specialized.Angular;

namespace Specialized.Generators.Model;

/// <summary>
/// Everything derived from a valid <see cref="SpecModel"/> that the emitter needs: sizes, the output
/// blocks with their column ranges, the spherical-harmonic constants and every Clebsch–Gordan coupling
/// path with its non-zero coefficients. Built by <see cref="Build"/> in a cached pipeline step (the exact
/// CG arithmetic is the expensive part) from the runtime's own angular code, linked into the generator.
/// Value-equatable like the spec.
/// </summary>
/// <param name="Spec">The spec.</param>
/// <param name="Outputs">Output blocks in column order.</param>
/// <param name="Prefactors">K_l^m (triangular index l(l+1)/2 + m), MATH §2.2.</param>
/// <param name="RecursionA">A_l^m of the Q recursion (triangular index; 0 where unused).</param>
/// <param name="RecursionB">B_l^m of the Q recursion (triangular index; 0 where unused).</param>
/// <param name="Diagonal">Q_l^l = Π_{k ≤ l} −(2k−1), accumulated in doubles exactly as the runtime recursion does.</param>
/// <param name="Couplings">Every (λ, σ, l1, l2) path of every ν=2 equivariant block, blocks in output order, paths by l1 then l2.</param>
internal sealed record KernelPlan(
    SpecModel Spec,
    EquatableArray<OutputPlan> Outputs,
    EquatableArray<double> Prefactors,
    EquatableArray<double> RecursionA,
    EquatableArray<double> RecursionB,
    EquatableArray<double> Diagonal,
    EquatableArray<CouplingPlan> Couplings)
{
    /// <summary>NICE specs: every (k, l, λ) coupling path of the body-order iteration with its CG terms (empty otherwise).</summary>
    public EquatableArray<NicePathPlan> NicePaths { get; init; } = EquatableArray<NicePathPlan>.Empty;

    /// <summary>l_max.</summary>
    public int L => Spec.LMax;
    /// <summary>Radial functions per channel.</summary>
    public int N => Spec.NMax;
    /// <summary>Species channels.</summary>
    public int A => Spec.Channels;
    /// <summary>(L+1)².</summary>
    public int HarmonicsCount => (L + 1) * (L + 1);
    /// <summary>A·N, the length of one (l, m) row of c.</summary>
    public int ChannelWidth => A * N;
    /// <summary>(L+1)² A N.</summary>
    public int CoefficientSize => HarmonicsCount * A * N;
    /// <summary>(L+1)² N.</summary>
    public int PairCoefficientSize => HarmonicsCount * N;
    /// <summary>True when an output's pair gradient needs the per-pair density gradient g = ∂c/∂v (all but the power spectrum).</summary>
    public bool NeedsDensityGradient
    {
        get
        {
            foreach (var o in Outputs)
                if (o.Kind != OutputPlan.PowerSpectrum) return true;
            return false;
        }
    }
    /// <summary>True when the power spectrum is an output.</summary>
    public bool HasPowerSpectrum
    {
        get
        {
            foreach (var o in Outputs)
                if (o.Kind == OutputPlan.PowerSpectrum) return true;
            return false;
        }
    }
    /// <summary>Per-pair scratch with gradients: Y and ∂Y (4 (L+1)²), then g (3 (L+1)² N) when <see cref="NeedsDensityGradient"/>.</summary>
    public int PairScratchSize => 4 * HarmonicsCount + (NeedsDensityGradient ? 3 * PairCoefficientSize : 0) + (HasPositionRows ? 4 + 2 * ContractionSize : 0);
    /// <summary>True when the kernel computes position gradients row by row (the power spectrum is its only output).</summary>
    public bool HasPositionRows => Outputs.Count == 1 && HasPowerSpectrum;
    /// <summary>Contractions α_l, β_l^{x,y,z} of one pair with one set of coefficients: 4 (L+1) A N, layout [l][α, β_x, β_y, β_z][a][n].</summary>
    public int ContractionSize => 4 * (L + 1) * A * N;
    /// <summary>(L+1) N radial values per pair.</summary>
    public int RadialSize => (L + 1) * N;
    /// <summary>Values per centre.</summary>
    public int FeatureSize
    {
        get
        {
            int total = 0;
            foreach (var o in Outputs) total += o.Components * o.Properties;
            return total;
        }
    }

    /// <summary>Offset of row (l, m) of c: (l² + l + m)·A·N (layout [l][m][a][n]).</summary>
    public int RowOffset(int l, int m) => (l * l + l + m) * A * N;

    /// <summary>Offset of (l, m) in the per-pair layout [l² + l + m][n].</summary>
    public int PairRowOffset(int l, int m) => (l * l + l + m) * N;

    /// <summary>Derives the plan of a spec that passed <see cref="SpecValidator"/>.</summary>
    public static KernelPlan Build(SpecModel spec)
    {
        int l = spec.LMax, n = spec.NMax, a = spec.Channels;
        var outputs = new List<OutputPlan>();
        var couplings = new List<CouplingPlan>();
        int offset = 0;
        void AddOutput(string kind, int lambda, int sigma, int components, int properties, string method)
        {
            outputs.Add(new OutputPlan(kind, lambda, sigma, offset, components, properties, method));
            offset += components * properties;
        }

        int harmonics = (l + 1) * (l + 1);
        if (spec.IsNice)
        {
            // The ν=1 part of a NICE kernel outputs c itself (IRepresentationKernel); the iteration is NicePart's.
            AddOutput(OutputPlan.SphericalExpansion, 0, 1, 1, harmonics * a * n, "SphericalExpansion");
            var nicePaths = new List<NicePathPlan>();
            foreach (var (k, l2, lambda) in SpecValidator.NicePaths(l, spec.LambdaCap, spec.BodyOrder))
            {
                var table = ClebschGordan.Real(k, l2, lambda);
                var terms = new NiceTerm[table.Count];
                for (int e = 0; e < terms.Length; e++)
                    terms[e] = new NiceTerm(table.EntryM1(e), table.EntryM2(e), table.EntryM(e), table.EntryValue(e));
                nicePaths.Add(new NicePathPlan(nicePaths.Count, k, l2, lambda, new EquatableArray<NiceTerm>(terms)));
            }
            return Finish(spec, outputs, []) with { NicePaths = new EquatableArray<NicePathPlan>(nicePaths.ToArray()) };
        }
        if (spec.SphericalExpansion) AddOutput(OutputPlan.SphericalExpansion, 0, 1, 1, harmonics * a * n, "SphericalExpansion");
        if (spec.Invariants)
        {
            if (spec.BodyOrder == 1) AddOutput(OutputPlan.RadialSpectrum, 0, 1, 1, a * n, "RadialSpectrum");
            else AddOutput(OutputPlan.PowerSpectrum, 0, 1, 1, a * (a + 1) / 2 * (l + 1) * n * n, "PowerSpectrum");
        }

        var blocks = new List<BlockModel>(spec.Blocks);
        blocks.Sort((x, y) => x.Lambda != y.Lambda ? x.Lambda.CompareTo(y.Lambda) : y.Sigma.CompareTo(x.Sigma));
        foreach (var b in blocks)
        {
            string name = "L" + b.Lambda + (b.Sigma > 0 ? "Plus" : "Minus");
            if (spec.BodyOrder == 1)
            {
                AddOutput(OutputPlan.DensityBlock, b.Lambda, 1, 2 * b.Lambda + 1, a * n, "DensityBlock" + name);
                continue;
            }
            int properties = 0;
            for (int l1 = 0; l1 <= l; l1++)
                for (int l2 = 0; l2 <= l; l2++)
                {
                    if (!ClebschGordan.IsTriangle(l1, l2, b.Lambda)) continue;
                    if ((((l1 + l2 + b.Lambda) & 1) == 0 ? 1 : -1) != b.Sigma) continue;
                    couplings.Add(new CouplingPlan(b.Lambda, b.Sigma, l1, l2, properties, Groups(l1, l2, b.Lambda)));
                    properties += a * n * a * n;
                }
            AddOutput(OutputPlan.LambdaSoap, b.Lambda, b.Sigma, 2 * b.Lambda + 1, properties, "LambdaSoap" + name);
        }

        return Finish(spec, outputs, couplings);
    }

    private static KernelPlan Finish(SpecModel spec, List<OutputPlan> outputs, List<CouplingPlan> couplings)
    {
        int l = spec.LMax;
        var diagonal = new double[l + 1];
        double q = 1.0;
        diagonal[0] = 1.0;
        for (int k = 1; k <= l; k++)
        {
            q *= -(2 * k - 1);
            diagonal[k] = q;
        }

        return new KernelPlan(spec, new EquatableArray<OutputPlan>(outputs.ToArray()),
            new EquatableArray<double>(SphericalHarmonicsConstants.Prefactors(l)),
            new EquatableArray<double>(SphericalHarmonicsConstants.RecursionAs(l)),
            new EquatableArray<double>(SphericalHarmonicsConstants.RecursionBs(l)),
            new EquatableArray<double>(diagonal),
            new EquatableArray<CouplingPlan>(couplings.ToArray()));
    }

    /// <summary>The non-zero real CG entries of (l1, l2, λ) grouped by (μ, m1), in the table's (μ, m1, m2) order.</summary>
    private static EquatableArray<CgGroup> Groups(int l1, int l2, int lambda)
    {
        var table = ClebschGordan.Real(l1, l2, lambda);
        var groups = new List<CgGroup>();
        var terms = new List<CgTerm>();
        int mu = int.MinValue, m1 = int.MinValue;
        for (int k = 0; k < table.Count; k++)
        {
            if (table.EntryM(k) != mu || table.EntryM1(k) != m1)
            {
                if (terms.Count > 0) groups.Add(new CgGroup(mu, m1, new EquatableArray<CgTerm>(terms.ToArray())));
                terms.Clear();
                mu = table.EntryM(k);
                m1 = table.EntryM1(k);
            }
            terms.Add(new CgTerm(table.EntryM2(k), table.EntryValue(k)));
        }
        if (terms.Count > 0) groups.Add(new CgGroup(mu, m1, new EquatableArray<CgTerm>(terms.ToArray())));
        return new EquatableArray<CgGroup>(groups.ToArray());
    }
}

/// <summary>
/// One output: columns [Offset, Offset + Components·Properties) of a centre's values, computed by the
/// generated method <see cref="Method"/> (and its gradient twin).
/// </summary>
internal sealed record OutputPlan(string Kind, int Lambda, int Sigma, int Offset, int Components, int Properties, string Method)
{
    public const string SphericalExpansion = "SphericalExpansion";
    public const string RadialSpectrum = "RadialSpectrum";
    public const string PowerSpectrum = "PowerSpectrum";
    public const string LambdaSoap = "LambdaSoap";
    /// <summary>A ν=1 equivariant block: the l = λ rows of c (runtime kind SphericalExpansion).</summary>
    public const string DensityBlock = "DensityBlock";

    /// <summary>Columns of the block.</summary>
    public int Size => Components * Properties;
}

/// <summary>
/// One coupling path of a ν=2 block: <c>T^{λσ}_{(l1 a1 n1)(l2 a2 n2); μ} = Σ C^{l1 l2 λ}[m1, m2, μ] c_{l1 m1}[a1 n1] c_{l2 m2}[a2 n2]</c>,
/// occupying properties [PropertyOffset, PropertyOffset + (A N)²) of every component μ.
/// </summary>
internal sealed record CouplingPlan(int Lambda, int Sigma, int L1, int L2, int PropertyOffset, EquatableArray<CgGroup> Groups);

/// <summary>The CG terms sharing (μ, m1): <c>w = Σ_{m2} C[m1, m2, μ] c_{l2 m2}</c> is formed once per group.</summary>
internal readonly record struct CgGroup(int Mu, int M1, EquatableArray<CgTerm> Terms);

/// <summary>One non-zero coefficient C[m1, m2, μ] of a group (m1 and μ are the group's).</summary>
internal readonly record struct CgTerm(int M2, double Value);

/// <summary>
/// One coupling path of the NICE iteration: input block of angular momentum <see cref="K"/> times density
/// channel <see cref="L"/> into <see cref="Lambda"/>, <c>X_μ = Σ C^{k l λ}[κ, m, μ] T_κ D_m</c>, with its non-zero
/// real CG coefficients in the table's order; <see cref="Id"/> is its index (the dispatch key).
/// </summary>
internal sealed record NicePathPlan(int Id, int K, int L, int Lambda, EquatableArray<NiceTerm> Terms);

/// <summary>One non-zero coefficient C[κ, m, μ] (signed magnetic indices).</summary>
internal readonly record struct NiceTerm(int Kappa, int M, int Mu, double Value);
