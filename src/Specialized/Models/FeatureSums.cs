using Specialized.Features;
using Specialized.Structures;

namespace Specialized.Models;

/// <summary>
/// The structure-level quantities an additive linear model needs: per-atom features summed over the
/// centres of each channel, and the same sums of their gradients. With channel c(i) = a_i (the
/// centre's species index; species-resolved weights) or c(i) = 0 (one weight vector for every
/// centre):
/// <code>
///   Values   [c][f]          = Σ_{i: c(i)=c} X_{i f}
///   Positions[c][k][d][f]    = Σ_{i: c(i)=c} ∂X_{i f}/∂r_{k d}
///   Strain   [c][α][β][f]    = Σ_{i: c(i)=c} ∂X_{i f}/∂ε_{αβ}      (r → r(1 + ε), row vectors, cell likewise)
///   Counts   [s]             = number of atoms of species s
/// </code>
/// so that a model E = Σ_i w_{c(i)}·X_i + Σ_s N_s b_s has E = Σ_c w_c·Values[c] + Σ_s Counts[s] b_s,
/// forces F_{kd} = −Σ_c w_c·Positions[c][k][d] and virial W_{αβ} = −∂E/∂ε_{αβ} = −Σ_c w_c·Strain[c][α][β].
/// The feature index f runs over <see cref="IFeatureCalculator.FeatureCount"/> (components × properties
/// for an equivariant block).
/// </summary>
public sealed class FeatureSums
{
    internal FeatureSums(int channels, int species, int atoms, int features, GradientKinds kinds)
    {
        ChannelCount = channels;
        AtomCount = atoms;
        FeatureCount = features;
        Values = new double[channels * features];
        Counts = new int[species];
        if (kinds.HasFlag(GradientKinds.Positions)) Positions = new double[channels * atoms * 3 * features];
        if (kinds.HasFlag(GradientKinds.Strain)) Strain = new double[channels * 9 * features];
    }

    /// <summary>Number of channels (species count, or 1 when weights are shared by every centre).</summary>
    public int ChannelCount { get; }
    /// <summary>Number of atoms of the structure.</summary>
    public int AtomCount { get; }
    /// <summary>Features per centre F.</summary>
    public int FeatureCount { get; }
    /// <summary>Σ of X_i per channel, [channel][feature].</summary>
    public double[] Values { get; }
    /// <summary>Number of atoms of each species (species-list order).</summary>
    public int[] Counts { get; }
    /// <summary>Position-gradient sums [channel][atom k][d][feature], or null.</summary>
    public double[]? Positions { get; }
    /// <summary>Strain-gradient sums [channel][α][β][feature], or null.</summary>
    public double[]? Strain { get; }

    /// <summary>
    /// Computes the sums for every structure, <paramref name="threads"/> structures at a time.
    /// Only <see cref="GradientKinds.Positions"/> and <see cref="GradientKinds.Strain"/> are meaningful in
    /// <paramref name="gradients"/>. <paramref name="progress"/> is called with the number of structures done.
    /// </summary>
    public static FeatureSums[] Compute(IFeatureCalculator calculator, IReadOnlyList<Structure> structures, bool speciesResolved,
        GradientKinds gradients, int threads = 1, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(calculator);
        ArgumentNullException.ThrowIfNull(structures);
        if (threads < 1) throw new InvalidParameterException("threads", $"must be at least 1, got {threads}");
        var result = new FeatureSums[structures.Count];
        int done = 0;
        Parallelism.For(0, structures.Count, new ParallelOptions { MaxDegreeOfParallelism = threads },
            () => new Accumulator(calculator),
            (k, _, acc) =>
            {
                try
                {
                    result[k] = acc.Compute(structures[k], speciesResolved, gradients);
                }
                catch (SpecializedException e)
                {
                    throw new InvalidStructureException($"structure {k}: {e.Message}");
                }
                if (progress is not null) progress(Interlocked.Increment(ref done));
                return acc;
            },
            _ => { });
        return result;
    }

    /// <summary>Computes the sums of one structure (single-threaded).</summary>
    public static FeatureSums Compute(IFeatureCalculator calculator, Structure structure, bool speciesResolved, GradientKinds gradients) =>
        new Accumulator(calculator).Compute(structure, speciesResolved, gradients);

    /// <summary>One worker and its scratch buffers; not thread-safe.</summary>
    private sealed class Accumulator(IFeatureCalculator calculator)
    {
        private readonly ICentreWorker _worker = calculator.CreateWorker();
        private readonly double[] _x = new double[calculator.FeatureCount];
        private double[] _g = [];

        public FeatureSums Compute(Structure structure, bool speciesResolved, GradientKinds gradients)
        {
            var context = new StructureContext(structure, calculator.Species, calculator.Cutoff);
            int f = calculator.FeatureCount, atoms = context.AtomCount;
            var sums = new FeatureSums(speciesResolved ? calculator.Species.Count : 1, calculator.Species.Count, atoms, f, gradients);
            var nl = context.Neighbors;
            bool wantGradients = sums.Positions is not null || sums.Strain is not null;
            for (int i = 0; i < atoms; i++)
            {
                int a = context.SpeciesIndex[i];
                sums.Counts[a]++;
                int c = speciesResolved ? a : 0;
                int pairs = context.PairCount(i);
                Span<double> g = [];
                if (wantGradients && pairs > 0)
                {
                    if (_g.Length < pairs * 3 * f) _g = new double[pairs * 3 * f];
                    g = _g.AsSpan(0, pairs * 3 * f);
                }
                _worker.Compute(context, i, _x, g);
                Add(1.0, _x, sums.Values.AsSpan(c * f, f));
                if (g.IsEmpty) continue;

                int start = nl.Offsets[i];
                if (sums.Positions is { } pos)
                {
                    var block = pos.AsSpan(c * atoms * 3 * f, atoms * 3 * f);
                    for (int q = 0; q < pairs; q++)
                    {
                        int j = nl.Neighbors[start + q];
                        for (int d = 0; d < 3; d++)
                        {
                            var src = g.Slice((q * 3 + d) * f, f);
                            Add(1.0, src, block.Slice((j * 3 + d) * f, f));
                            Add(-1.0, src, block.Slice((i * 3 + d) * f, f));
                        }
                    }
                }
                if (sums.Strain is { } strain)
                {
                    var block = strain.AsSpan(c * 9 * f, 9 * f);
                    for (int q = 0; q < pairs; q++)
                        for (int alpha = 0; alpha < 3; alpha++)
                        {
                            double v = nl.Vectors[3 * (start + q) + alpha];
                            for (int beta = 0; beta < 3; beta++)
                                Add(v, g.Slice((q * 3 + beta) * f, f), block.Slice((alpha * 3 + beta) * f, f));
                        }
                }
            }
            return sums;
        }

        private static void Add(double a, ReadOnlySpan<double> x, Span<double> y)
        {
            for (int k = 0; k < x.Length; k++) y[k] += a * x[k];
        }
    }
}
