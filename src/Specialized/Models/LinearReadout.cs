using Specialized.Numerics;
using Specialized.Serialization;

namespace Specialized.Models;

/// <summary>
/// The fitted linear layer of an additive model on a block with C = 2λ+1 components and Q properties
/// per centre (feature index f = μ·Q + q, the layout of <see cref="Features.IFeatureCalculator"/>):
/// <code>
///   y_μ(A) = Σ_{i∈A} Σ_q W[c(i), q] X_i[μ, q]  +  δ_{λ0} Σ_s N_s(A) b_s
/// </code>
/// Weights are shared across μ (required for equivariance); c(i) is the centre's species channel when
/// <see cref="SpeciesResolved"/>, else 0. Baselines b_s (one per species of the representation) exist
/// only for invariant targets; <see cref="Baselines"/> is empty otherwise.
/// </summary>
public sealed class LinearReadout
{
    /// <summary>Creates a readout; <paramref name="weights"/> is [channel][property].</summary>
    public LinearReadout(bool speciesResolved, int channelCount, int propertyCount, double[] weights, double[] baselines)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(baselines);
        if (channelCount < 1) throw new InvalidParameterException("channelCount", $"must be at least 1, got {channelCount}");
        if (!speciesResolved && channelCount != 1) throw new InvalidParameterException("channelCount", "shared weights need exactly one channel");
        if (propertyCount < 0) throw new InvalidParameterException("propertyCount", $"must be ≥ 0, got {propertyCount}");
        if (weights.Length != channelCount * propertyCount)
            throw new InvalidParameterException("weights", $"holds {weights.Length} values, expected {channelCount} × {propertyCount}");
        foreach (var v in weights)
            if (!double.IsFinite(v)) throw new InvalidParameterException("weights", "contains NaN or infinity");
        foreach (var v in baselines)
            if (!double.IsFinite(v)) throw new InvalidParameterException("baselines", "contains NaN or infinity");
        SpeciesResolved = speciesResolved;
        ChannelCount = channelCount;
        PropertyCount = propertyCount;
        Weights = weights;
        Baselines = baselines;
    }

    /// <summary>True when every centre species has its own weight vector.</summary>
    public bool SpeciesResolved { get; }
    /// <summary>Number of weight vectors.</summary>
    public int ChannelCount { get; }
    /// <summary>Properties Q per component.</summary>
    public int PropertyCount { get; }
    /// <summary>Weights [channel][property].</summary>
    public double[] Weights { get; }
    /// <summary>Per-species baselines (empty when the target has no bias).</summary>
    public double[] Baselines { get; }

    /// <summary>Weight vector of a channel.</summary>
    public ReadOnlySpan<double> Channel(int c) => Weights.AsSpan(c * PropertyCount, PropertyCount);

    /// <summary>
    /// Applies the readout to structure sums (<see cref="FeatureSums"/> with matching channels):
    /// writes the C = <paramref name="components"/> outputs y_μ.
    /// </summary>
    public void Apply(FeatureSums sums, int components, Span<double> output)
    {
        ArgumentNullException.ThrowIfNull(sums);
        if (sums.ChannelCount != ChannelCount || sums.FeatureCount != components * PropertyCount)
            throw new InvalidParameterException("sums", "feature sums do not match the readout");
        for (int mu = 0; mu < components; mu++)
        {
            double y = 0;
            for (int c = 0; c < ChannelCount; c++)
                y += VectorMath.Dot(Channel(c), sums.Values.AsSpan((c * components + mu) * PropertyCount, PropertyCount));
            output[mu] = y;
        }
        if (Baselines.Length > 0)
        {
            if (components != 1) throw new InvalidParameterException("baselines", "only invariant targets have baselines");
            for (int s = 0; s < Baselines.Length && s < sums.Counts.Length; s++) output[0] += sums.Counts[s] * Baselines[s];
        }
    }

    internal void WriteTo(BinaryWriter w)
    {
        w.Write(SpeciesResolved);
        w.Write(ChannelCount);
        w.Write(PropertyCount);
        Binary.WriteDoubles(w, Weights);
        Binary.WriteDoubles(w, Baselines);
    }

    internal static LinearReadout ReadFrom(BinaryReader r)
    {
        bool resolved = r.ReadBoolean();
        int channels = r.ReadInt32(), properties = r.ReadInt32();
        var weights = Binary.ReadDoubles(r);
        var baselines = Binary.ReadDoubles(r);
        try
        {
            return new LinearReadout(resolved, channels, properties, weights, baselines);
        }
        catch (InvalidParameterException e)
        {
            throw new MalformedDataException($"linear readout: {e.Message}");
        }
    }
}
