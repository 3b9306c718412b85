using System.Text.Json;
using Specialized.Density;
using Specialized.Radial;
using Specialized.Structures;

namespace Specialized.Tests.Support;

/// <summary>Builds structures and hyperparameters from featomic's reference input files (refdata/featomic/inputs).</summary>
public static class Featomic
{
    public static (Structure Structure, SoapParameters Parameters) Input(string inputName)
    {
        var root = SharedData.LoadJson("featomic", "inputs", inputName);
        var system = root.GetProperty("systems")[0];
        var types = system.GetProperty("types").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var positions = system.GetProperty("positions").EnumerateArray().SelectMany(p => p.EnumerateArray().Select(e => e.GetDouble())).ToArray();
        var cell = system.GetProperty("cell").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var unitCell = cell.All(x => x == 0) ? null : new UnitCell(cell);
        var structure = new Structure(types, positions, unitCell);

        var h = root.GetProperty("hyperparameters");
        var basis = h.GetProperty("basis");
        var smoothing = h.GetProperty("cutoff").GetProperty("smoothing");
        Assert.Equal("Gto", basis.GetProperty("radial").GetProperty("type").GetString());
        Assert.Equal("Gaussian", h.GetProperty("density").GetProperty("type").GetString());
        var parameters = new SoapParameters
        {
            Cutoff = h.GetProperty("cutoff").GetProperty("radius").GetDouble(),
            CutoffFunction = smoothing.GetProperty("type").GetString() == "ShiftedCosine" ? CutoffKind.ShiftedCosine : CutoffKind.Step,
            CutoffWidth = smoothing.TryGetProperty("width", out var w) ? w.GetDouble() : 0.5,
            DensityWidth = h.GetProperty("density").GetProperty("width").GetDouble(),
            RadialCount = basis.GetProperty("radial").GetProperty("max_radial").GetInt32() + 1,
            LMax = basis.GetProperty("max_angular").GetInt32(),
            SplineAccuracy = basis.GetProperty("spline_accuracy").ValueKind == JsonValueKind.Null ? null : basis.GetProperty("spline_accuracy").GetDouble(),
        };
        return (structure, parameters);
    }

    /// <summary>The distinct neighbour species named in a reference array's property labels.</summary>
    public static SpeciesList SpeciesFromLabels(SharedData.RefArray array, string labelName)
    {
        var labels = array.Header.GetProperty("labels");
        int column = labels.GetProperty("property_names").EnumerateArray().Select(e => e.GetString()).ToList().IndexOf(labelName);
        Assert.True(column >= 0, $"label {labelName} not found");
        return new SpeciesList(labels.GetProperty("property_values").EnumerateArray().Select(v => v[column].GetInt32()).Distinct());
    }

    /// <summary>Asserts max |expected − actual| ≤ tolerance × max |expected| and returns the achieved relative error.</summary>
    public static double AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double relativeTolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0, worst = 0;
        int worstIndex = -1;
        for (int k = 0; k < expected.Length; k++) scale = Math.Max(scale, Math.Abs(expected[k]));
        for (int k = 0; k < expected.Length; k++)
        {
            double d = Math.Abs(expected[k] - actual[k]);
            Assert.False(double.IsNaN(actual[k]), $"{what}: NaN at {k}");
            if (d > worst) { worst = d; worstIndex = k; }
        }
        if (worst == 0) return 0;
        double rel = worst / scale;
        if (!(rel <= relativeTolerance))
            Assert.Fail($"{what}: max |diff| = {worst:E3} at flat index {worstIndex} (expected {expected[worstIndex]:E10}, got {actual[worstIndex]:E10}), relative {rel:E3} > {relativeTolerance:E1}");
        return rel;
    }
}
