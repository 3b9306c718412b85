using Specialized.Angular;
using Specialized.Density;
using Specialized.Features;

namespace Specialized.Correlations;

/// <summary>
/// One (λ, σ) block of the λ-SOAP equivariant power spectrum (MATH §4.3, featomic
/// EquivariantPowerSpectrum):
/// <code>
///   T^{i; λ σ}_{(l1 a1 n1)(l2 a2 n2); μ} = Σ_{m1 m2} C^{l1 l2 λ}[m1, m2, μ] c^i_{a1 n1 l1 m1} c^i_{a2 n2 l2 m2},
///   σ = (−1)^{l1+l2+λ},  |l1 − l2| ≤ λ ≤ l1 + l2
/// </code>
/// with every ordered (l1, l2) and every (a1, a2) (featomic keeps the redundant orderings).
/// Values are stored component-major: X[μ + λ][property], properties ordered
/// (l_1, l_2, neighbor_1_type, n_1, neighbor_2_type, n_2) with n_2 fastest.
/// Under a rotation Q the block transforms as D^λ(Q) T; under −Q as σ (−1)^λ D^λ(Q) T.
/// </summary>
public sealed class LambdaSoapCalculator : IFeatureCalculator
{
    private readonly Path[] _paths;
    private readonly int _propertyCount;
    private readonly ColumnRange[][] _gradientColumns; // [b] → columns with a1 = b or a2 = b

    private sealed record Path(int L1, int L2, int Offset, CgTerm[] Terms);

    private readonly record struct CgTerm(int M1, int M2, int Mu, double Value);

    /// <summary>Creates the calculator for the block (<paramref name="lambda"/>, <paramref name="sigma"/>).</summary>
    public LambdaSoapCalculator(SoapParameters parameters, SpeciesList species, int lambda, int sigma)
    {
        if (lambda < 0 || lambda > 2 * parameters.LMax)
            throw new InvalidParameterException("lambda", $"must be in 0..2·l_max = {2 * parameters.LMax}, got {lambda}");
        if (sigma is not (1 or -1)) throw new InvalidParameterException("sigma", $"must be +1 or -1, got {sigma}");
        Lambda = lambda;
        Sigma = sigma;
        Expansion = new SphericalExpansion(parameters, species);
        var layout = Expansion.Layout;
        int a = species.Count;
        var paths = new List<Path>();
        var labels = new List<int[]>();
        int offset = 0;
        for (int l1 = 0; l1 <= layout.LMax; l1++)
            for (int l2 = 0; l2 <= layout.LMax; l2++)
            {
                if (lambda < Math.Abs(l1 - l2) || lambda > l1 + l2) continue;
                if (((l1 + l2 + lambda) % 2 == 0 ? 1 : -1) != sigma) continue;
                var terms = ClebschGordan.RealSparse(l1, l2, lambda)
                    .Select(t => new CgTerm(t.M1, t.M2, t.M, t.Value)).ToArray();
                paths.Add(new Path(l1, l2, offset, terms));
                int n1Count = layout.RadialCount(l1), n2Count = layout.RadialCount(l2);
                for (int a1 = 0; a1 < a; a1++)
                    for (int n1 = 0; n1 < n1Count; n1++)
                        for (int a2 = 0; a2 < a; a2++)
                            for (int n2 = 0; n2 < n2Count; n2++)
                                labels.Add([l1, l2, species.AtomicNumbers[a1], n1, species.AtomicNumbers[a2], n2]);
                offset += a * n1Count * a * n2Count;
            }
        if (paths.Count == 0)
            throw new InvalidParameterException("sigma",
                $"the block λ={lambda}, σ={sigma:+0;-0} is empty for two densities with l_max={layout.LMax} (λ=0 needs l1=l2, so σ=+1)");
        _paths = [.. paths];
        _propertyCount = offset;
        _gradientColumns = new ColumnRange[a][];
        for (int b = 0; b < a; b++)
        {
            // δ_{a1 b} rows (b, n1, ·, ·) and δ_{a2 b} columns (·, ·, b, n2) of every (μ, path) block
            var ranges = new List<ColumnRange>();
            for (int mu = 0; mu < 2 * lambda + 1; mu++)
                foreach (var path in _paths)
                {
                    int n1Count = layout.RadialCount(path.L1), n2Count = layout.RadialCount(path.L2), blockA2 = a * n2Count;
                    int origin = mu * offset + path.Offset;
                    ranges.Add(new ColumnRange(origin + b * n1Count * blockA2, n1Count * blockA2));
                    for (int a1 = 0; a1 < a; a1++)
                        for (int n1 = 0; n1 < n1Count; n1++)
                            ranges.Add(new ColumnRange(origin + (a1 * n1Count + n1) * blockA2 + b * n2Count, n2Count));
                }
            _gradientColumns[b] = ColumnRange.Normalise(ranges);
        }
        Properties = new FeatureLabels(["l_1", "l_2", "neighbor_1_type", "n_1", "neighbor_2_type", "n_2"], [.. labels]);
    }

    /// <summary>λ of the block.</summary>
    public int Lambda { get; }
    /// <summary>σ of the block (+1 true tensor, −1 pseudotensor).</summary>
    public int Sigma { get; }
    /// <summary>The ν=1 expansion.</summary>
    public SphericalExpansion Expansion { get; }
    /// <inheritdoc/>
    public SpeciesList Species => Expansion.Species;
    /// <inheritdoc/>
    public string Name => "lambda-soap";
    /// <inheritdoc/>
    public double Cutoff => Expansion.Parameters.Cutoff;
    /// <inheritdoc/>
    public int FeatureCount => (2 * Lambda + 1) * _propertyCount;
    /// <inheritdoc/>
    public int ComponentCount => 2 * Lambda + 1;
    /// <inheritdoc/>
    public FeatureLabels Properties { get; }

    /// <inheritdoc/>
    public ICentreWorker CreateWorker() => new Worker(this);

    /// <inheritdoc/>
    public ColumnRange[] PairGradientColumns(int neighbourSpecies) => _gradientColumns[neighbourSpecies];

    private sealed class Worker(LambdaSoapCalculator owner) : ExpansionWorker(owner.Expansion, owner.FeatureCount)
    {
        protected override void WriteValues(StructureContext context, int centre, Span<double> values)
        {
            var layout = owner.Expansion.Layout;
            int species = layout.SpeciesCount;
            int props = owner._propertyCount;
            int lambda = owner.Lambda;
            var c = Buffers.Coefficients;
            values[..owner.FeatureCount].Clear();
            foreach (var path in owner._paths)
            {
                int n1Count = layout.RadialCount(path.L1), n2Count = layout.RadialCount(path.L2);
                foreach (var t in path.Terms)
                {
                    var row = values.Slice((t.Mu + lambda) * props + path.Offset);
                    int k = 0;
                    for (int a1 = 0; a1 < species; a1++)
                        for (int n1 = 0; n1 < n1Count; n1++)
                        {
                            double left = t.Value * c[layout.Index(path.L1, t.M1, a1, n1)];
                            for (int a2 = 0; a2 < species; a2++)
                            {
                                int right = layout.Index(path.L2, t.M2, a2, 0);
                                for (int n2 = 0; n2 < n2Count; n2++) row[k++] += left * c[right + n2];
                            }
                        }
                }
            }
        }

        protected override void WritePairGradient(StructureContext context, int centre, int b, ReadOnlySpan<double> g, Span<double> gradient)
        {
            var layout = owner.Expansion.Layout;
            int species = layout.SpeciesCount;
            int props = owner._propertyCount;
            int lambda = owner.Lambda;
            int f = owner.FeatureCount, ps = layout.PairSize;
            var c = Buffers.Coefficients;
            for (int d = 0; d < 3; d++)
            {
                var gq = g.Slice(d * ps, ps);
                var dst = gradient.Slice(d * f, f);
                foreach (var range in owner._gradientColumns[b]) dst.Slice(range.Start, range.Length).Clear();
                foreach (var path in owner._paths)
                {
                    int n1Count = layout.RadialCount(path.L1), n2Count = layout.RadialCount(path.L2);
                    int blockA2 = species * n2Count;
                    foreach (var t in path.Terms)
                    {
                        var row = dst.Slice((t.Mu + lambda) * props + path.Offset);
                        // δ_{a1 b} g_{l1 m1 n1} c_{a2 n2 l2 m2}
                        for (int n1 = 0; n1 < n1Count; n1++)
                        {
                            double left = t.Value * gq[layout.PairIndex(path.L1, t.M1, n1)];
                            int k = (b * n1Count + n1) * blockA2;
                            for (int a2 = 0; a2 < species; a2++)
                            {
                                int right = layout.Index(path.L2, t.M2, a2, 0);
                                for (int n2 = 0; n2 < n2Count; n2++) row[k++] += left * c[right + n2];
                            }
                        }
                        // δ_{a2 b} c_{a1 n1 l1 m1} g_{l2 m2 n2}
                        int gRight = layout.PairIndex(path.L2, t.M2, 0);
                        for (int a1 = 0; a1 < species; a1++)
                            for (int n1 = 0; n1 < n1Count; n1++)
                            {
                                double left = t.Value * c[layout.Index(path.L1, t.M1, a1, n1)];
                                int k = (a1 * n1Count + n1) * blockA2 + b * n2Count;
                                for (int n2 = 0; n2 < n2Count; n2++) row[k + n2] += left * gq[gRight + n2];
                            }
                    }
                }
            }
        }
    }
}
