using System.Numerics;

namespace Specialized.Radial;

/// <summary>
/// Cubic Hermite spline of the whole vector r ↦ I(r) (all l and n) of another radial integral on
/// [0, Cutoff] (MATH §3.5; featomic <c>Spline::with_accuracy</c>).
/// <para>Knots: start with 11 equispaced knots (values and derivatives from the exact integral); then
/// evaluate the spline and the exact integral at all interval mid-points and stop when the accuracy test
/// passes, otherwise insert all mid-points (the grid stays equispaced: 10·2^k + 1 knots) — at most
/// <c>maxKnots</c> knots. Accuracy test (featomic's rule, applied to every angular channel l, since
/// featomic splines each channel separately): the mean absolute error or the mean relative error
/// (over the values with |I| &gt; 1e-16) of that channel's mid-point values is &lt; accuracy.</para>
/// <para>Evaluation with spacing Δ, k = ⌊r/Δ⌋ (the last interval for r = Cutoff), t = r/Δ − k:</para>
/// <code>
/// I(r)  = h00 p_k + h10 Δ m_k + h01 p_{k+1} + h11 Δ m_{k+1}
/// I'(r) = [6(t²−t)(p_k − p_{k+1}) + (3t²−4t+1) Δ m_k + (3t²−2t) Δ m_{k+1}] / Δ
/// h00 = 2t³−3t²+1, h10 = t³−2t²+t, h01 = −2t³+3t², h11 = t³−t²
/// </code>
/// <para>Storage (one contiguous array, for a single streaming pass per evaluation): knot k occupies
/// [2kT, 2kT + 2T) with T = TotalCount; first the T values p_k in the flattened (l, n) order of
/// <see cref="IRadialIntegral"/>, then the T derivatives m_k in the same order.</para>
/// </summary>
public sealed class SplinedRadialIntegral : IRadialIntegral
{
    /// <summary>featomic's default spline accuracy.</summary>
    public const double DefaultAccuracy = 1e-8;

    /// <summary>Default maximum number of knots.</summary>
    public const int DefaultMaxKnots = 10000;

    private const int InitialKnots = 11;

    private readonly int[] _offsets;
    private readonly int _total;
    private readonly int _intervals;     // knots − 1
    private readonly double _spacing;    // Δ
    private readonly double _inverseSpacing;
    private readonly double[] _data;     // see the storage comment above

    /// <inheritdoc/>
    public int MaxAngular { get; }

    /// <inheritdoc/>
    public double Cutoff { get; }

    /// <inheritdoc/>
    public int TotalCount => _total;

    /// <summary>Number of knots (10·2^k + 1).</summary>
    public int KnotCount => _intervals + 1;

    /// <summary>Knot spacing Δ (Å).</summary>
    public double Spacing => _spacing;

    /// <summary>The knot table (layout above), read by the generated-kernel driver's fused evaluation (Kernels/PairRadial).</summary>
    internal ReadOnlySpan<double> KnotData => _data;

    /// <summary>The requested accuracy.</summary>
    public double Accuracy { get; }

    /// <summary>Builds the spline of <paramref name="exact"/> on [0, exact.Cutoff].</summary>
    /// <param name="exact">The radial integral to interpolate (evaluated only here).</param>
    /// <param name="accuracy">Target mean error per channel (featomic default 1e-8).</param>
    /// <param name="maxKnots">Largest admissible number of knots.</param>
    /// <exception cref="InvalidParameterException">accuracy not finite and &gt; 0, maxKnots &lt; 11, or the accuracy is not reached with maxKnots knots.</exception>
    public SplinedRadialIntegral(IRadialIntegral exact, double accuracy = DefaultAccuracy, int maxKnots = DefaultMaxKnots)
    {
        ArgumentNullException.ThrowIfNull(exact);
        if (!double.IsFinite(accuracy) || accuracy <= 0) throw new InvalidParameterException(nameof(accuracy), $"the spline accuracy must be finite and > 0, got {accuracy}");
        if (maxKnots < InitialKnots) throw new InvalidParameterException(nameof(maxKnots), $"must be ≥ {InitialKnots}, got {maxKnots}");
        if (!(exact.Cutoff > 0) || !double.IsFinite(exact.Cutoff)) throw new InvalidParameterException("cutoff", $"the spline range [0, cutoff] needs a finite cutoff > 0, got {exact.Cutoff}");

        MaxAngular = exact.MaxAngular;
        Cutoff = exact.Cutoff;
        Accuracy = accuracy;
        _offsets = new int[MaxAngular + 2];
        for (int l = 0; l <= MaxAngular + 1; l++) _offsets[l] = exact.Offset(l);
        _total = exact.TotalCount;
        int total = _total;

        int intervals = InitialKnots - 1;
        var knots = new double[(intervals + 1) * 2 * total];
        for (int k = 0; k <= intervals; k++)
        {
            var slot = knots.AsSpan(2 * k * total, 2 * total);
            exact.Compute(Position(k, intervals), slot[..total], slot[total..]);
        }

        Span<double> estimate = total <= 512 ? stackalloc double[total] : new double[total];
        var channelAbsolute = new double[MaxAngular + 1];
        var channelRelative = new double[MaxAngular + 1];
        var channelRelativeCount = new int[MaxAngular + 1];
        while (true)
        {
            // exact values and derivatives at all mid-points (the derivatives become knot data if we refine)
            var middle = new double[intervals * 2 * total];
            Array.Clear(channelAbsolute);
            Array.Clear(channelRelative);
            Array.Clear(channelRelativeCount);
            double spacing = Cutoff / intervals;
            for (int k = 0; k < intervals; k++)
            {
                var slot = middle.AsSpan(2 * k * total, 2 * total);
                exact.Compute(Position(2 * k + 1, 2 * intervals), slot[..total], slot[total..]);
                Interpolate(knots, total, k, 0.5, spacing, estimate, []);
                for (int l = 0; l <= MaxAngular; l++)
                {
                    for (int i = _offsets[l]; i < _offsets[l + 1]; i++)
                    {
                        double error = Math.Abs(estimate[i] - slot[i]);
                        channelAbsolute[l] += error;
                        if (Math.Abs(slot[i]) > 1e-16)
                        {
                            channelRelative[l] += error / Math.Abs(slot[i]);
                            channelRelativeCount[l]++;
                        }
                    }
                }
            }
            bool converged = true;
            for (int l = 0; l <= MaxAngular && converged; l++)
            {
                int count = _offsets[l + 1] - _offsets[l];
                if (count == 0) continue;
                double meanAbsolute = channelAbsolute[l] / (count * intervals);
                double meanRelative = channelRelativeCount[l] > 0 ? channelRelative[l] / channelRelativeCount[l] : double.NaN;
                converged = meanAbsolute < accuracy || meanRelative < accuracy;
            }
            if (converged) break;
            int refined = 2 * intervals;
            if (refined + 1 > maxKnots)
            {
                throw new InvalidParameterException(nameof(accuracy),
                    $"the spline accuracy {accuracy:E2} is not reached with at most {maxKnots} knots (the functions may be too steep or noisy)");
            }
            var next = new double[(refined + 1) * 2 * total];
            for (int k = 0; k <= intervals; k++)
            {
                knots.AsSpan(2 * k * total, 2 * total).CopyTo(next.AsSpan(2 * (2 * k) * total));
                if (k < intervals) middle.AsSpan(2 * k * total, 2 * total).CopyTo(next.AsSpan(2 * (2 * k + 1) * total));
            }
            knots = next;
            intervals = refined;
        }

        _data = knots;
        _intervals = intervals;
        _spacing = Cutoff / intervals;
        _inverseSpacing = intervals / Cutoff;
    }

    private double Position(int index, int intervals) => Cutoff * index / intervals;

    /// <inheritdoc/>
    public int Count(int l)
    {
        if ((uint)l > (uint)MaxAngular) throw new ArgumentOutOfRangeException(nameof(l));
        return _offsets[l + 1] - _offsets[l];
    }

    /// <inheritdoc/>
    public int Offset(int l)
    {
        if ((uint)l > (uint)(MaxAngular + 1)) throw new ArgumentOutOfRangeException(nameof(l));
        return _offsets[l];
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">r outside [0, Cutoff].</exception>
    public void Compute(double r, Span<double> values, Span<double> derivatives)
    {
        if (!(r >= 0) || r > Cutoff) throw new ArgumentOutOfRangeException(nameof(r), r, $"the spline covers [0, {Cutoff}]");
        if (values.Length < _total) throw new ArgumentException($"needs at least {_total} elements", nameof(values));
        if (!derivatives.IsEmpty && derivatives.Length < _total) throw new ArgumentException($"needs at least {_total} elements (or be empty)", nameof(derivatives));
        double u = r * _inverseSpacing;
        int k = (int)u;
        if (k >= _intervals) k = _intervals - 1;
        double t = u - k;
        Interpolate(_data, _total, k, t, _spacing, values, derivatives);
    }

    private static void Interpolate(double[] data, int total, int k, double t, double spacing, Span<double> values, Span<double> derivatives)
    {
        double t2 = t * t, t3 = t2 * t;
        double h00 = 2 * t3 - 3 * t2 + 1;
        double h10 = (t3 - 2 * t2 + t) * spacing;
        double h01 = -2 * t3 + 3 * t2;
        double h11 = (t3 - t2) * spacing;
        ReadOnlySpan<double> p0 = data.AsSpan(2 * k * total, total);
        ReadOnlySpan<double> m0 = data.AsSpan((2 * k + 1) * total, total);
        ReadOnlySpan<double> p1 = data.AsSpan((2 * k + 2) * total, total);
        ReadOnlySpan<double> m1 = data.AsSpan((2 * k + 3) * total, total);
        values = values[..total];
        // Vector<double> over the bulk, the same expression (no FMA, same order) lane-wise: bitwise the scalar loop.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var a00 = new Vector<double>(h00);
            var a10 = new Vector<double>(h10);
            var a01 = new Vector<double>(h01);
            var a11 = new Vector<double>(h11);
            for (; i + Vector<double>.Count <= total; i += Vector<double>.Count)
                (a00 * new Vector<double>(p0[i..]) + a10 * new Vector<double>(m0[i..]) + a01 * new Vector<double>(p1[i..])
                    + a11 * new Vector<double>(m1[i..])).CopyTo(values[i..]);
        }
        for (; i < total; i++) values[i] = h00 * p0[i] + h10 * m0[i] + h01 * p1[i] + h11 * m1[i];
        if (derivatives.IsEmpty) return;
        double inverseSpacing = 1.0 / spacing;
        double d00 = 6 * (t2 - t) * inverseSpacing; // dh00/dr; dh01/dr = −d00
        double d10 = 3 * t2 - 4 * t + 1;            // d(h10 Δ)/dr
        double d11 = 3 * t2 - 2 * t;                // d(h11 Δ)/dr
        derivatives = derivatives[..total];
        i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var b00 = new Vector<double>(d00);
            var b10 = new Vector<double>(d10);
            var b11 = new Vector<double>(d11);
            for (; i + Vector<double>.Count <= total; i += Vector<double>.Count)
                (b00 * (new Vector<double>(p0[i..]) - new Vector<double>(p1[i..])) + b10 * new Vector<double>(m0[i..])
                    + b11 * new Vector<double>(m1[i..])).CopyTo(derivatives[i..]);
        }
        for (; i < total; i++) derivatives[i] = d00 * (p0[i] - p1[i]) + d10 * m0[i] + d11 * m1[i];
    }
}
