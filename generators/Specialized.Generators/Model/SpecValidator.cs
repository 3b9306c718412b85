using System;
using System.Collections.Generic;

namespace Specialized.Generators.Model;

/// <summary>Stable diagnostic ids of spec problems (never renumber; retire ids instead).</summary>
internal static class SpecIds
{
    /// <summary>The target or a containing type is not partial.</summary>
    public const string NotPartial = "SPEC001";
    /// <summary>The target is generic, nested in a generic type, or a ref struct.</summary>
    public const string UnsupportedType = "SPEC002";
    /// <summary>A required value (LMax, NMax, species channels) is missing.</summary>
    public const string Missing = "SPEC003";
    /// <summary>A value is negative or too large.</summary>
    public const string OutOfRange = "SPEC004";
    /// <summary>A combination the generator does not support (yet), or an empty block.</summary>
    public const string Unsupported = "SPEC005";
    /// <summary>The species list is invalid or disagrees with SpeciesCount.</summary>
    public const string InvalidSpecies = "SPEC006";
    /// <summary>The same equivariant block is requested twice.</summary>
    public const string DuplicateBlock = "SPEC007";
    /// <summary>The generated code would be unreasonably large.</summary>
    public const string TooLarge = "SPEC008";
}

/// <summary>Hard limits of a spec (values beyond them are SPEC004).</summary>
internal static class SpecLimits
{
    public const int MaxLMax = 20;
    public const int MaxNMax = 30;
    public const int MaxSpecies = 64;
    public const int MaxBodyOrder = 8;
    public const int MaxSpeciesRank = 64;
    public const int MaxAtomicNumber = 118;
    /// <summary>Largest accepted estimate of generated lines (<see cref="SpecValidator.EstimateLines"/>).</summary>
    public const int MaxGeneratedLines = 60000;
}

/// <summary>
/// Validates a <see cref="SpecModel"/> (shared by the analyzer, which reports the problems, the generator,
/// which emits nothing for an invalid spec, and the CLI). Pure function of the model; cheap (no CG tables).
/// </summary>
internal static class SpecValidator
{
    public static EquatableArray<SpecProblem> Validate(SpecModel spec)
    {
        var problems = new List<SpecProblem>();
        void Add(string id, string argument, string message) => problems.Add(new SpecProblem(id, argument, message));

        if (!spec.IsPartial)
            Add(SpecIds.NotPartial, "", $"'{spec.TypeName}' and every type containing it must be declared partial so that the generator can add its kernel");
        if (spec.IsUnsupportedShape)
            Add(SpecIds.UnsupportedType, "", $"'{spec.TypeName}' must be a non-generic struct (not a ref struct, not nested in a generic type)");

        if (spec.LMax == SpecModel.Unset) Add(SpecIds.Missing, "LMax", "LMax (the largest angular channel) must be given");
        else if (spec.LMax < 0 || spec.LMax > SpecLimits.MaxLMax)
            Add(SpecIds.OutOfRange, "LMax", $"LMax must be in 0..{SpecLimits.MaxLMax}, got {spec.LMax}");
        if (spec.NMax == SpecModel.Unset) Add(SpecIds.Missing, "NMax", "NMax (the number of radial functions) must be given");
        else if (spec.NMax < 1 || spec.NMax > SpecLimits.MaxNMax)
            Add(SpecIds.OutOfRange, "NMax", $"NMax must be in 1..{SpecLimits.MaxNMax}, got {spec.NMax}");

        if (spec.BodyOrder < 1 || spec.BodyOrder > SpecLimits.MaxBodyOrder)
            Add(SpecIds.OutOfRange, "BodyOrder", $"BodyOrder must be in 1..{SpecLimits.MaxBodyOrder}, got {spec.BodyOrder}");

        if (spec.SpeciesRank < 0 || spec.SpeciesRank > SpecLimits.MaxSpeciesRank)
            Add(SpecIds.OutOfRange, "SpeciesRank", $"SpeciesRank must be in 0..{SpecLimits.MaxSpeciesRank}, got {spec.SpeciesRank}");
        else if (spec.SpeciesRank > 0 && spec.BodyOrder == 1)
            Add(SpecIds.Unsupported, "SpeciesRank", $"SpeciesRank {spec.SpeciesRank} (a tensor-reduced species embedding) needs BodyOrder ≥ 2: the embedding mixes the factors of density products");

        ValidateSpecies(spec, Add);
        bool nice = spec.IsNice && spec.BodyOrder <= SpecLimits.MaxBodyOrder && spec.SpeciesRank >= 0 && spec.SpeciesRank <= SpecLimits.MaxSpeciesRank;
        if (spec.MaxLambda != SpecModel.Unset)
        {
            int largest = Math.Max(spec.BodyOrder, 1) * Math.Max(spec.LMax, 0);
            if (!spec.IsNice)
                Add(SpecIds.Unsupported, "MaxLambda", "MaxLambda caps the equivariant blocks of the NICE iteration: it applies only to NICE / tensor-reduced specs (BodyOrder ≥ 3 or SpeciesRank > 0)");
            else if (spec.MaxLambda < 0 || spec.MaxLambda > largest)
                Add(SpecIds.OutOfRange, "MaxLambda", $"MaxLambda must be in 0..BodyOrder·LMax = {largest}, got {spec.MaxLambda}");
        }
        if (nice)
        {
            const string Outputs = "NICE / tensor-reduced kernels (BodyOrder ≥ 3 or SpeciesRank > 0) output the invariants of every body order";
            if (spec.SphericalExpansion) Add(SpecIds.Unsupported, "SphericalExpansion", Outputs + "; SphericalExpansion = true is not supported with them");
            if (!spec.Invariants) Add(SpecIds.Unsupported, "Invariants", Outputs + "; Invariants = false is not supported with them");
            for (int k = 0; k < spec.Blocks.Count; k++)
                Add(SpecIds.Unsupported, "EquivariantBlock#" + k,
                    Outputs + "; their (λ, σ) blocks come from the fitted model (NiceModel.CreateEquivariantCalculator), not from [EquivariantBlock]");
        }

        bool anyOutput = spec.Invariants || spec.SphericalExpansion || spec.Blocks.Count > 0;
        if (!anyOutput && !nice)
            Add(SpecIds.Unsupported, "Invariants", "the spec requests no output: set Invariants or SphericalExpansion, or add an [EquivariantBlock]");

        var seen = new HashSet<BlockModel>();
        for (int k = 0; k < (nice ? 0 : spec.Blocks.Count); k++)
        {
            var b = spec.Blocks[k];
            string arg = "EquivariantBlock#" + k;
            if (b.Sigma != 1 && b.Sigma != -1)
            {
                Add(SpecIds.OutOfRange, arg, $"σ must be +1 or -1, got {b.Sigma}");
                continue;
            }
            int lambdaMax = spec.BodyOrder * Math.Max(spec.LMax, 0);
            if (b.Lambda < 0 || b.Lambda > 2 * SpecLimits.MaxLMax)
            {
                Add(SpecIds.OutOfRange, arg, $"λ must be in 0..{2 * SpecLimits.MaxLMax}, got {b.Lambda}");
                continue;
            }
            if (!seen.Add(b))
            {
                Add(SpecIds.DuplicateBlock, arg, $"the block (λ={b.Lambda}, σ={Sign(b.Sigma)}) is requested twice");
                continue;
            }
            if (spec.LMax < 0 || spec.BodyOrder < 1 || spec.BodyOrder > 2) continue;
            if (b.Lambda > lambdaMax)
                Add(SpecIds.Unsupported, arg, $"λ={b.Lambda} cannot be reached with ν={spec.BodyOrder} and LMax={spec.LMax} (λ ≤ ν·LMax = {lambdaMax})");
            else if (spec.BodyOrder == 1 && b.Sigma != 1)
                Add(SpecIds.Unsupported, arg, $"the block (λ={b.Lambda}, σ=-1) is empty for ν=1: density coefficients are true tensors (σ=+1)");
            else if (spec.BodyOrder == 2 && !HasPath(spec.LMax, b.Lambda, b.Sigma))
                Add(SpecIds.Unsupported, arg, $"the block (λ={b.Lambda}, σ={Sign(b.Sigma)}) is empty for ν=2 and LMax={spec.LMax} (no l1, l2 ≤ LMax with |l1−l2| ≤ λ ≤ l1+l2 and (−1)^(l1+l2+λ) = σ)");
        }

        if (problems.Count == 0)
        {
            long lines = EstimateLines(spec);
            if (lines > SpecLimits.MaxGeneratedLines)
                Add(SpecIds.TooLarge, "LMax",
                    $"the generated kernel would have about {lines} lines (limit {SpecLimits.MaxGeneratedLines}); lower LMax or request fewer equivariant blocks, or use the generic path");
        }
        return new EquatableArray<SpecProblem>(problems.ToArray());
    }

    private static void ValidateSpecies(SpecModel spec, Action<string, string, string> add)
    {
        if (spec.SpeciesCount < 0 || spec.SpeciesCount > SpecLimits.MaxSpecies)
        {
            add(SpecIds.OutOfRange, "SpeciesCount", $"SpeciesCount must be in 1..{SpecLimits.MaxSpecies}, got {spec.SpeciesCount}");
            return;
        }
        if (spec.Species.Count == 0)
        {
            if (spec.SpeciesCount == 0)
                add(SpecIds.Missing, "SpeciesCount", "give SpeciesCount (the number of species channels) or Species (a fixed list of atomic numbers)");
            return;
        }
        if (spec.Species.Count > SpecLimits.MaxSpecies)
        {
            add(SpecIds.OutOfRange, "Species", $"at most {SpecLimits.MaxSpecies} species are supported, got {spec.Species.Count}");
            return;
        }
        for (int k = 0; k < spec.Species.Count; k++)
        {
            int z = spec.Species[k];
            if (z < 1 || z > SpecLimits.MaxAtomicNumber)
            {
                add(SpecIds.InvalidSpecies, "Species", $"Species[{k}] = {z} is not an atomic number (1..{SpecLimits.MaxAtomicNumber})");
                return;
            }
            if (k > 0 && z <= spec.Species[k - 1])
            {
                add(SpecIds.InvalidSpecies, "Species", $"Species must be strictly ascending (featomic channel order): Species[{k}] = {z} follows {spec.Species[k - 1]}");
                return;
            }
        }
        if (spec.SpeciesCount != 0 && spec.SpeciesCount != spec.Species.Count)
            add(SpecIds.InvalidSpecies, "SpeciesCount", $"SpeciesCount = {spec.SpeciesCount} disagrees with the {spec.Species.Count} atomic numbers in Species");
    }

    /// <summary>True when some l1, l2 ≤ lMax couple to λ with parity σ = (−1)^(l1+l2+λ).</summary>
    public static bool HasPath(int lMax, int lambda, int sigma)
    {
        for (int l1 = 0; l1 <= lMax; l1++)
            for (int l2 = 0; l2 <= lMax; l2++)
                if (Math.Abs(l1 - l2) <= lambda && lambda <= l1 + l2 && (((l1 + l2 + lambda) & 1) == 0 ? 1 : -1) == sigma)
                    return true;
        return false;
    }

    /// <summary>
    /// Estimated number of generated lines, without computing CG tables: ~16 per harmonic (values,
    /// gradients, density accumulation and its gradient), ~4 per (l, m) of the power spectrum, and per
    /// λ-SOAP coupling (l1, l2, λ) ~8 per (μ, m1) group allowed by the real-CG sparsity rule (each group
    /// has one value and two gradient updates). A test checks it against real output.
    /// </summary>
    public static long EstimateLines(SpecModel spec)
    {
        int l = Math.Max(spec.LMax, 0);
        long harmonics = (long)(l + 1) * (l + 1);
        long lines = 200 + 16 * harmonics;
        if (spec.BodyOrder == 2 && spec.Invariants) lines += 4 * harmonics;
        if (spec.IsNice) return lines + 4 * harmonics + NiceLines(l, Math.Max(0, spec.LambdaCap), spec.BodyOrder);
        if (spec.BodyOrder != 2) return lines + 4 * harmonics;
        foreach (var b in spec.Blocks)
        {
            if (b.Lambda < 0 || b.Lambda > 2 * SpecLimits.MaxLMax) continue;
            for (int l1 = 0; l1 <= l; l1++)
                for (int l2 = 0; l2 <= l; l2++)
                {
                    if (Math.Abs(l1 - l2) > b.Lambda || b.Lambda > l1 + l2) continue;
                    if ((((l1 + l2 + b.Lambda) & 1) == 0 ? 1 : -1) != b.Sigma) continue;
                    lines += 12 + 8L * Groups(l1, l2, b.Lambda);
                }
        }
        return lines;
    }

    /// <summary>
    /// Lines of the NICE part: per coupling path (k, l, λ) (<see cref="NicePaths"/>) about 40 lines of frame plus,
    /// for the values, tangents and adjoint, a few lines per component of each factor and per output component.
    /// </summary>
    private static long NiceLines(int lMax, int cap, int bodyOrder)
    {
        long lines = 100;
        foreach (var (k, l, lambda) in NicePaths(lMax, cap, bodyOrder))
            lines += 40 + 3L * ((2 * k + 1) + (2 * l + 1)) + 4L * (2 * lambda + 1) + 2L * (2 * lambda + 1) * Math.Min(2 * k + 1, 2 * l + 1);
        return lines;
    }

    /// <summary>
    /// Every coupling path (k, l, λ) of the NICE iteration, k then l then λ ascending: an input block of
    /// angular momentum k (k ≤ min(l_max, λ_max) from the density, k ≤ λ_max from higher orders) times the
    /// density channel l ≤ l_max into |k − l| ≤ λ ≤ min(k + l, λ_max).
    /// </summary>
    public static List<(int K, int L, int Lambda)> NicePaths(int lMax, int cap, int bodyOrder)
    {
        var paths = new List<(int, int, int)>();
        int kMax = bodyOrder >= 3 ? cap : Math.Min(lMax, cap);
        for (int k = 0; k <= kMax; k++)
            for (int l = 0; l <= lMax; l++)
                for (int lambda = Math.Abs(k - l); lambda <= Math.Min(k + l, cap); lambda++)
                    paths.Add((k, l, lambda));
        return paths;
    }

    /// <summary>Number of (μ, m1) pairs for which some m2 satisfies the real-CG sparsity rule (MATH §2.5, necessary condition).</summary>
    private static int Groups(int l1, int l2, int lambda)
    {
        int count = 0;
        for (int mu = -lambda; mu <= lambda; mu++)
            for (int m1 = -l1; m1 <= l1; m1++)
            {
                int a = Math.Abs(mu), b = Math.Abs(m1);
                // |m2| ∈ {|μ| − |m1|, |m1| − |μ|, |μ| + |m1|} ∩ [0, l2]
                if (Math.Abs(a - b) <= l2 || a + b <= l2) count++;
            }
        return count;
    }

    private static string Sign(int sigma) => sigma > 0 ? "+1" : "-1";
}
