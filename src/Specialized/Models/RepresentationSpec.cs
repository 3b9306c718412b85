using System.Security.Cryptography;
using System.Text;
using Specialized.Density;
using Specialized.Features;
using Specialized.Radial;
using Specialized.Serialization;

namespace Specialized.Models;

/// <summary>
/// Everything needed to rebuild a representation: its kind (the <see cref="IFeatureCalculator.Name"/>,
/// e.g. <c>power-spectrum</c>, or a registered kind such as <c>nice</c>), the density hyperparameters,
/// the species channels, the λ-SOAP block (λ, σ), and an opaque <see cref="Extension"/> for a
/// representation's own fitted data (e.g. NICE contractions written by their <c>WriteTo</c>).
/// </summary>
public sealed class RepresentationSpec
{
    /// <summary>Creates a spec; <paramref name="species"/> are atomic numbers (sorted here).</summary>
    public RepresentationSpec(string kind, SoapParameters parameters, IEnumerable<int> species, int lambda = 0, int sigma = 1, byte[]? extension = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(species);
        parameters.Validate();
        Kind = kind;
        Parameters = parameters;
        Species = [.. species.OrderBy(z => z)];
        _ = new SpeciesList(Species); // validates
        if (lambda < 0) throw new InvalidParameterException("lambda", $"must be ≥ 0, got {lambda}");
        if (sigma is not (1 or -1)) throw new InvalidParameterException("sigma", $"must be +1 or -1, got {sigma}");
        Lambda = lambda;
        Sigma = sigma;
        Extension = extension ?? [];
    }

    /// <summary>Spec of a built-in generic representation.</summary>
    public static RepresentationSpec For(RepresentationKind kind, SoapParameters parameters, SpeciesList species, int lambda = 0, int sigma = 1)
    {
        ArgumentNullException.ThrowIfNull(species);
        bool lambdaSoap = kind == RepresentationKind.LambdaSoap;
        return new RepresentationSpec(Representation.Name(kind), parameters, species.AtomicNumbers.ToArray(), lambdaSoap ? lambda : 0, lambdaSoap ? sigma : 1);
    }

    /// <summary>Representation kind (calculator name).</summary>
    public string Kind { get; }
    /// <summary>Density hyperparameters.</summary>
    public SoapParameters Parameters { get; }
    /// <summary>Species channels (atomic numbers, ascending).</summary>
    public int[] Species { get; }
    /// <summary>λ of an equivariant block (0 for invariants).</summary>
    public int Lambda { get; }
    /// <summary>σ of an equivariant block (+1 for invariants).</summary>
    public int Sigma { get; }
    /// <summary>Representation-specific fitted data (empty when none).</summary>
    public byte[] Extension { get; }

    /// <summary>The species list of <see cref="Species"/>.</summary>
    public SpeciesList SpeciesList() => new(Species);

    /// <summary>One-line description (kind, cutoff, n_max, l_max, σ, species, λ/σ).</summary>
    public override string ToString()
    {
        var p = Parameters;
        var s = FormattableString.Invariant($"{Kind} (cutoff {p.Cutoff} Å, n_max {p.RadialCount}, l_max {p.LMax}, density width {p.DensityWidth} Å, species [{string.Join(",", Species)}]");
        if (Kind == "lambda-soap") s += FormattableString.Invariant($", λ={Lambda}, σ={Sigma:+0;-0}");
        return s + ")";
    }

    /// <summary>Writes the spec (see the model-file format in <see cref="ModelFile"/>).</summary>
    public void WriteTo(BinaryWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Write(Kind);
        var p = Parameters;
        w.Write(p.Cutoff);
        w.Write((int)p.CutoffFunction);
        w.Write(p.CutoffWidth);
        w.Write(p.DensityWidth);
        w.Write(p.RadialCount);
        w.Write(p.LMax);
        w.Write((int)p.Basis);
        w.Write(p.RadialScaling is not null);
        if (p.RadialScaling is { } rs)
        {
            w.Write(rs.Rate);
            w.Write(rs.Scale);
            w.Write(rs.Exponent);
        }
        w.Write(p.CenterWeight);
        w.Write(p.SplineAccuracy is not null);
        if (p.SplineAccuracy is { } acc) w.Write(acc);
        Binary.WriteInts(w, Species);
        w.Write(Lambda);
        w.Write(Sigma);
        Binary.WriteBytes(w, Extension);
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote; invalid values raise <see cref="MalformedDataException"/>.</summary>
    public static RepresentationSpec ReadFrom(BinaryReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        string kind = Binary.ReadString(r, 256);
        double cutoff = r.ReadDouble();
        int cutoffFunction = r.ReadInt32();
        double cutoffWidth = r.ReadDouble(), densityWidth = r.ReadDouble();
        int radial = r.ReadInt32(), lmax = r.ReadInt32(), basis = r.ReadInt32();
        RadialScalingParameters? scaling = r.ReadBoolean() ? new RadialScalingParameters(r.ReadDouble(), r.ReadDouble(), r.ReadDouble()) : null;
        double centerWeight = r.ReadDouble();
        double? spline = r.ReadBoolean() ? r.ReadDouble() : null;
        var species = Binary.ReadInts(r);
        int lambda = r.ReadInt32(), sigma = r.ReadInt32();
        var extension = Binary.ReadBytes(r);
        if (!Enum.IsDefined((CutoffKind)cutoffFunction)) throw new MalformedDataException($"unknown cutoff function {cutoffFunction}");
        if (!Enum.IsDefined((RadialBasisKind)basis)) throw new MalformedDataException($"unknown radial basis {basis}");
        var parameters = new SoapParameters
        {
            Cutoff = cutoff,
            CutoffFunction = (CutoffKind)cutoffFunction,
            CutoffWidth = cutoffWidth,
            DensityWidth = densityWidth,
            RadialCount = radial,
            LMax = lmax,
            Basis = (RadialBasisKind)basis,
            RadialScaling = scaling,
            CenterWeight = centerWeight,
            SplineAccuracy = spline,
        };
        try
        {
            return new RepresentationSpec(kind, parameters, species, lambda, sigma, extension);
        }
        catch (InvalidParameterException e)
        {
            throw new MalformedDataException($"representation spec: {e.Message}");
        }
    }
}

/// <summary>Creates an <see cref="IFeatureCalculator"/> for a spec (e.g. a NICE or generated-kernel factory).</summary>
public delegate IFeatureCalculator RepresentationFactory(RepresentationSpec spec);

/// <summary>
/// Turns <see cref="RepresentationSpec"/>s into calculators: the built-in generic kinds
/// (<c>spherical-expansion</c>, <c>radial-spectrum</c>, <c>power-spectrum</c>, <c>lambda-soap</c>), the fitted
/// <c>nice</c> and <c>tensor-reduced</c> kinds (contractions in the spec's extension, <see cref="NiceRepresentation"/>), plus
/// kinds registered at start-up by other parts of the library or by the application (plain delegates:
/// no reflection, AOT-safe).
/// </summary>
public static class RepresentationCatalog
{
    private static readonly Dictionary<string, RepresentationFactory> Registered = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    /// <summary>Registers (or replaces) the factory of <paramref name="kind"/>.</summary>
    public static void Register(string kind, RepresentationFactory factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(factory);
        lock (Gate) Registered[kind] = factory;
    }

    /// <summary>True when <paramref name="kind"/> is built in or registered.</summary>
    public static bool IsKnown(string kind)
    {
        if (IsBuiltIn(kind)) return true;
        lock (Gate) return Registered.ContainsKey(kind);
    }

    /// <summary>
    /// Creates the calculator of <paramref name="spec"/>: <paramref name="factory"/> when given, else a
    /// registered factory, else a built-in kind. Unknown kinds throw <see cref="InvalidParameterException"/>.
    /// </summary>
    public static IFeatureCalculator Create(RepresentationSpec spec, RepresentationFactory? factory = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (factory is not null) return factory(spec);
        RepresentationFactory? registered;
        lock (Gate) Registered.TryGetValue(spec.Kind, out registered);
        if (registered is not null) return registered(spec);
        if (!IsBuiltIn(spec.Kind))
            throw new InvalidParameterException("representation",
                $"unknown kind '{spec.Kind}' (built in: spherical-expansion, radial-spectrum, power-spectrum, lambda-soap, nice, tensor-reduced; others must be registered with RepresentationCatalog.Register)");
        if (NiceRepresentation.Handles(spec.Kind)) return NiceRepresentation.CreateCalculator(spec);
        return Representation.Create(Representation.Parse(spec.Kind), spec.Parameters, spec.SpeciesList(), spec.Lambda, spec.Sigma);
    }

    private static bool IsBuiltIn(string kind) =>
        kind is "spherical-expansion" or "radial-spectrum" or "power-spectrum" or "lambda-soap" || NiceRepresentation.Handles(kind);
}

/// <summary>
/// A SHA-256 fingerprint of what a calculator produces: name, feature and component counts, species
/// and every property label. A model stores the fingerprint of the representation it was fitted on and
/// refuses a calculator with a different one (a different layout would silently give wrong predictions).
/// </summary>
public static class FeatureSignature
{
    /// <summary>Length of a signature in bytes.</summary>
    public const int Length = 32;

    /// <summary>Computes the fingerprint of <paramref name="calculator"/>.</summary>
    public static byte[] Compute(IFeatureCalculator calculator)
    {
        ArgumentNullException.ThrowIfNull(calculator);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(calculator.Name);
            w.Write(calculator.FeatureCount);
            w.Write(calculator.ComponentCount);
            Binary.WriteInts(w, calculator.Species.AtomicNumbers);
            var labels = calculator.Properties;
            w.Write(labels.Names.Length);
            foreach (var n in labels.Names) w.Write(n);
            w.Write(labels.Count);
            foreach (var v in labels.Values)
                foreach (var x in v) w.Write(x);
        }
        return SHA256.HashData(stream.ToArray());
    }
}
