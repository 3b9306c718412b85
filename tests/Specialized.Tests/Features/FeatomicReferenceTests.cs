using Specialized.Density;
using Specialized.Features;
using Specialized.Tests.Support;

namespace Specialized.Tests.Features;

/// <summary>
/// Every featomic SOAP reference array (values and every gradient kind) reproduced to 1e-8
/// relative to the array's largest |value| (the files are rounded to 10 significant digits).
/// </summary>
public class FeatomicReferenceTests
{
    private const double Tolerance = 1e-8;

    private static FeatureResult Compute(string input, SharedData.RefArray reference, string speciesLabel, RepresentationKind kind, GradientKinds gradients)
    {
        var (structure, parameters) = Featomic.Input(input);
        Assert.Null(parameters.SplineAccuracy);
        var species = Featomic.SpeciesFromLabels(reference, speciesLabel);
        var calculator = Representation.Create(kind, parameters, species);
        return new FeatureComputer(calculator).Compute(structure, gradients);
    }

    [SharedTheory]
    [InlineData("spherical-expansion-values", "spherical-expansion-values-input.json")]
    [InlineData("spherical-expansion-pbc-values", "spherical-expansion-pbc-values-input.json")]
    public void SphericalExpansionValues(string name, string input)
    {
        var reference = SharedData.Load("featomic", name);
        var result = Compute(input, reference, "neighbor_type", RepresentationKind.SphericalExpansion, GradientKinds.None);
        Featomic.AssertClose(reference.Data, result.Values, Tolerance, name);
    }

    [SharedFact]
    public void PowerSpectrumValues()
    {
        var reference = SharedData.Load("featomic", "soap-power-spectrum-values");
        var result = Compute("soap-power-spectrum-values-input.json", reference, "neighbor_1_type", RepresentationKind.PowerSpectrum, GradientKinds.None);
        Featomic.AssertClose(reference.Data, result.Values, Tolerance, "power spectrum");
    }

    [SharedTheory]
    [InlineData("spherical-expansion", "neighbor_type", RepresentationKind.SphericalExpansion, GradientKinds.Positions)]
    [InlineData("spherical-expansion", "neighbor_type", RepresentationKind.SphericalExpansion, GradientKinds.Strain)]
    [InlineData("spherical-expansion", "neighbor_type", RepresentationKind.SphericalExpansion, GradientKinds.Cell)]
    [InlineData("soap-power-spectrum", "neighbor_1_type", RepresentationKind.PowerSpectrum, GradientKinds.Positions)]
    [InlineData("soap-power-spectrum", "neighbor_1_type", RepresentationKind.PowerSpectrum, GradientKinds.Strain)]
    [InlineData("soap-power-spectrum", "neighbor_1_type", RepresentationKind.PowerSpectrum, GradientKinds.Cell)]
    public void Gradients(string prefix, string speciesLabel, RepresentationKind kind, GradientKinds gradient)
    {
        string name = $"{prefix}-{gradient.ToString().ToLowerInvariant()}-gradient";
        var reference = SharedData.Load("featomic", name);
        var result = Compute($"{prefix}-gradients-input.json", reference, speciesLabel, kind, gradient);
        var actual = gradient switch
        {
            GradientKinds.Positions => result.PositionGradients!,
            GradientKinds.Strain => result.StrainGradients!,
            _ => result.CellGradients!,
        };
        Featomic.AssertClose(reference.Data, actual, Tolerance, name);
    }
}
