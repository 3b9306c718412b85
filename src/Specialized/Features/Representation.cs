using Specialized.Correlations;
using Specialized.Density;

namespace Specialized.Features;

/// <summary>The representations available on the generic path.</summary>
public enum RepresentationKind
{
    /// <summary>ν=1 density coefficients c_{a n l m}.</summary>
    SphericalExpansion,
    /// <summary>ν=1 invariants c_{a n 0 0}.</summary>
    RadialSpectrum,
    /// <summary>ν=2 SOAP power spectrum.</summary>
    PowerSpectrum,
    /// <summary>ν=2 λ-SOAP equivariant block (λ, σ).</summary>
    LambdaSoap,
    /// <summary>NICE invariants of every body order (needs fitted contractions: <see cref="Correlations.Nice.NiceModel"/>).</summary>
    Nice,
    /// <summary>Tensor-reduced invariants of every body order (needs fitted contractions: <see cref="Correlations.Nice.NiceModel"/>).</summary>
    TensorReduced,
}

/// <summary>Creates generic calculators from a representation kind and hyperparameters.</summary>
public static class Representation
{
    /// <summary>The command-line / file name of a kind (e.g. "power-spectrum").</summary>
    public static string Name(RepresentationKind kind) => kind switch
    {
        RepresentationKind.SphericalExpansion => "spherical-expansion",
        RepresentationKind.RadialSpectrum => "radial-spectrum",
        RepresentationKind.PowerSpectrum => "power-spectrum",
        RepresentationKind.Nice => "nice",
        RepresentationKind.TensorReduced => "tensor-reduced",
        _ => "lambda-soap",
    };

    /// <summary>Parses a name produced by <see cref="Name"/>.</summary>
    public static RepresentationKind Parse(string name) => name switch
    {
        "spherical-expansion" => RepresentationKind.SphericalExpansion,
        "radial-spectrum" => RepresentationKind.RadialSpectrum,
        "power-spectrum" => RepresentationKind.PowerSpectrum,
        "lambda-soap" => RepresentationKind.LambdaSoap,
        "nice" => RepresentationKind.Nice,
        "tensor-reduced" => RepresentationKind.TensorReduced,
        _ => throw new InvalidParameterException("representation",
            $"unknown '{name}' (expected spherical-expansion, radial-spectrum, power-spectrum, lambda-soap, nice or tensor-reduced)"),
    };

    /// <summary>
    /// Creates the calculator; <paramref name="lambda"/> and <paramref name="sigma"/> select the λ-SOAP block.
    /// NICE and tensor-reduced need fitted contractions: use <see cref="Correlations.Nice.NiceModel.Fit(IEnumerable{Structures.Structure}, Correlations.Nice.NiceParameters, SpeciesList?, Correlations.Nice.NiceFitOptions?)"/>.
    /// </summary>
    public static IFeatureCalculator Create(RepresentationKind kind, SoapParameters parameters, SpeciesList species, int lambda = 0, int sigma = 1) => kind switch
    {
        RepresentationKind.Nice or RepresentationKind.TensorReduced => throw new InvalidParameterException("representation",
            $"{Name(kind)} needs fitted contractions (NiceModel.Fit, or NiceModel.Load of a contraction file)"),
        RepresentationKind.SphericalExpansion => new SphericalExpansionCalculator(parameters, species),
        RepresentationKind.RadialSpectrum => new RadialSpectrumCalculator(parameters, species),
        RepresentationKind.PowerSpectrum => new PowerSpectrumCalculator(parameters, species),
        _ => new LambdaSoapCalculator(parameters, species, lambda, sigma),
    };
}
