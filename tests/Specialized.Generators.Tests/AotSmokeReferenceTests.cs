using Specialized.AotSmoke;
using Specialized.Density;
using Specialized.Features;
using Specialized.Generators.Tests.Support;

namespace Specialized.Generators.Tests;

/// <summary>
/// The reference numbers of the NativeAOT smoke app (tests/Specialized.AotSmoke/expected.txt) are the generic
/// path's results for the app's fixed inputs. <c>ACCEPT_SNAPSHOTS=1</c> rewrites the file.
/// </summary>
public class AotSmokeReferenceTests
{
    private const string Comment = "Specialized AOT smoke reference: generic-path results for SmokeCase (AotSmokeReferenceTests; ACCEPT_SNAPSHOTS=1 rewrites)";

    private static List<(string Name, double[] Values)> Generic()
    {
        var silicon = new FeatureComputer(Representation.Create(RepresentationKind.PowerSpectrum, SmokeCase.SiliconParameters, new SpeciesList([14])))
            .Compute(SmokeCase.Silicon(), GradientKinds.Positions | GradientKinds.Strain);
        var water = new FeatureComputer(Representation.Create(RepresentationKind.LambdaSoap, SmokeCase.WaterParameters, new SpeciesList([1, 8]), 1, 1))
            .Compute(SmokeCase.Water(), GradientKinds.Positions);
        return
        [
            ("silicon.power-spectrum.values", silicon.Values),
            ("silicon.power-spectrum.positions", silicon.PositionGradients!),
            ("silicon.power-spectrum.strain", silicon.StrainGradients!),
            ("water.lambda-soap-1+.values", water.Values),
            ("water.lambda-soap-1+.positions", water.PositionGradients!),
        ];
    }

    private static string ReferencePath => Path.Combine(Path.GetDirectoryName(Snapshots.Root)!, "..", "Specialized.AotSmoke", "expected.txt");

    [Fact]
    public void ReferenceFileHoldsTheGenericResults()
    {
        var generic = Generic();
        if (Snapshots.Accepting)
        {
            string temp = ReferencePath + ".tmp";
            using (var writer = new StreamWriter(temp)) SmokeCase.Write(writer, Comment, generic);
            File.Move(temp, ReferencePath, overwrite: true);
        }
        using var reader = new StreamReader(ReferencePath);
        var stored = SmokeCase.Parse(reader);
        Assert.Equal(generic.Select(g => g.Name).Order(), stored.Keys.Order());
        foreach (var (name, values) in generic)
        {
            Assert.Contains(values, v => v != 0);
            Close.Assert(values, stored[name], 1e-12, name);
        }
    }
}
