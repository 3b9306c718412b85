using System.Text.Json;
using Specialized.Density;
using Specialized.Features;
using Specialized.Structures;
using Specialized.Tests.Support;

namespace Specialized.Tests.Features;

/// <summary>
/// librascal's spherical expansions (16 arrays: two structures, two cutoffs, two density widths,
/// shifted cosine or radial scaling) equal ours times librascal's global factor σ^{3/2}/(4π^{3/4}),
/// with columns (neighbor_Z, n, l, m) over the species present in the structure. Tolerance 1e-10.
/// </summary>
public class LibrascalReferenceTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var s in new[] { "CaCrP2O7_mvc-11955_symmetrized", "small_molecule" })
            foreach (var rc in new[] { 2, 3 })
                foreach (var sigma in new[] { "0.2", "0.5" })
                    foreach (var kind in new[] { "ShiftedCosine", "RadialScaling" })
                        data.Add($"spherical-expansion_{s}_rc{rc}_sigma{sigma}_{kind}");
        return data;
    }

    [SharedTheory]
    [MemberData(nameof(Names))]
    public void SphericalExpansion(string name)
    {
        var reference = SharedData.Load("librascal", name);
        var h = reference.Header.GetProperty("hypers");
        var structure = LoadStructure(reference.Header.GetProperty("structure").GetString()!);
        var cut = h.GetProperty("cutoff_function");
        double sigma = h.GetProperty("gaussian_density").GetProperty("gaussian_sigma").GetProperty("value").GetDouble();
        var parameters = new SoapParameters
        {
            Cutoff = cut.GetProperty("cutoff").GetProperty("value").GetDouble(),
            CutoffWidth = cut.GetProperty("smooth_width").GetProperty("value").GetDouble(),
            DensityWidth = sigma,
            RadialCount = h.GetProperty("max_radial").GetInt32(),
            LMax = h.GetProperty("max_angular").GetInt32(),
            SplineAccuracy = null,
            RadialScaling = cut.GetProperty("type").GetString() == "RadialScaling"
                ? new RadialScalingParameters(cut.GetProperty("rate").GetProperty("value").GetDouble(),
                    cut.GetProperty("scale").GetProperty("value").GetDouble(), cut.GetProperty("exponent").GetProperty("value").GetDouble())
                : null,
        };
        var species = new SpeciesList(structure.Species());
        var calculator = new Specialized.Correlations.SphericalExpansionCalculator(parameters, species);
        var result = new FeatureComputer(calculator).Compute(structure);
        var layout = calculator.Expansion.Layout;
        double factor = Math.Pow(sigma, 1.5) / (4 * Math.Pow(Math.PI, 0.75));

        var labels = reference.Header.GetProperty("labels").GetProperty("property_values").EnumerateArray()
            .Select(v => v.EnumerateArray().Select(e => e.GetInt32()).ToArray()).ToArray();
        int columns = reference.Shape[1];
        Assert.Equal(layout.Size, columns);
        var mapped = new double[reference.Data.Length];
        for (int i = 0; i < structure.AtomCount; i++)
            for (int col = 0; col < columns; col++)
            {
                var (z, n, l, m) = (labels[col][0], labels[col][1], labels[col][2], labels[col][3]);
                mapped[i * columns + col] = factor * result.Values[i * layout.Size + layout.Index(l, m, species.IndexOf(z), n)];
            }
        Featomic.AssertClose(reference.Data, mapped, 1e-10, name);
    }

    private static Structure LoadStructure(string relative)
    {
        var root = SharedData.LoadJson(["librascal", .. relative.Split('/')]).GetProperty("structure");
        var positions = root.GetProperty("positions").EnumerateArray().SelectMany(p => p.EnumerateArray().Select(e => e.GetDouble())).ToArray();
        var numbers = root.GetProperty("numbers").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var cell = root.GetProperty("cell").EnumerateArray().SelectMany(p => p.EnumerateArray().Select(e => e.GetDouble())).ToArray();
        var pbc = root.GetProperty("pbc").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.True || (e.ValueKind == JsonValueKind.Number && e.GetInt32() != 0)).ToArray();
        var unitCell = pbc.Any(p => p) ? new UnitCell(cell, pbc[0], pbc[1], pbc[2]) : null;
        return new Structure(numbers, positions, unitCell);
    }
}
