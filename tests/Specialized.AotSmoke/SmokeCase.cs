using System.Globalization;
using Specialized.Density;
using Specialized.Structures;

namespace Specialized.AotSmoke;

/// <summary>
/// The fixed inputs of the AOT smoke test and the format of its reference numbers (shared with the
/// test that checks the reference file against the generic path).
/// </summary>
public static class SmokeCase
{
    /// <summary>Hyperparameters of the silicon power spectrum (spec: LMax 3, NMax 4).</summary>
    public static SoapParameters SiliconParameters => new() { Cutoff = 4.0, CutoffWidth = 0.5, DensityWidth = 0.4, RadialCount = 4, LMax = 3 };

    /// <summary>Hyperparameters of the water λ-SOAP block (spec: LMax 2, NMax 3).</summary>
    public static SoapParameters WaterParameters => new() { Cutoff = 3.5, CutoffWidth = 0.5, DensityWidth = 0.35, RadialCount = 3, LMax = 2 };

    /// <summary>A diamond-silicon cell (a = 5.43 Å) with every atom displaced by up to 0.12 Å.</summary>
    public static Structure Silicon() => new(
        [14, 14, 14, 14, 14, 14, 14, 14],
        [
            -0.0629, 0.0106, -0.0312,
            0.0249, 2.7452, 2.6107,
            2.5982, 0.0810, 2.6572,
            2.6512, 2.8340, -0.0071,
            1.4383, 1.3518, 1.3909,
            1.2736, 4.1049, 4.1608,
            4.0781, 1.4154, 4.1136,
            3.9679, 4.1345, 1.3794,
        ],
        UnitCell.Cubic(5.43));

    /// <summary>Two water molecules (isolated).</summary>
    public static Structure Water() => new(
        [8, 1, 1, 8, 1, 1],
        [
            0.0000, 0.0000, 0.1173,
            0.0000, 0.7572, -0.4692,
            0.0000, -0.7572, -0.4692,
            2.7000, 0.3000, 0.2000,
            3.2000, 1.0500, -0.1200,
            3.3100, -0.2900, 0.6600,
        ]);

    /// <summary>Reads "name count" headers each followed by count round-trip numbers, one per line ('#' lines are comments).</summary>
    public static Dictionary<string, double[]> Parse(TextReader reader)
    {
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        string? line;
        int lineNumber = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(' ');
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int count))
                throw new FormatException($"expected.txt line {lineNumber}: expected 'name count', got '{line}'");
            var values = new double[count];
            for (int k = 0; k < count; k++)
            {
                lineNumber++;
                string? v = reader.ReadLine();
                if (v is null || !double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out values[k]))
                    throw new FormatException($"expected.txt line {lineNumber}: expected a number for {parts[0]}[{k}], got '{v}'");
            }
            result.Add(parts[0], values);
        }
        return result;
    }

    /// <summary>Writes named arrays in the <see cref="Parse"/> format (round-trip numbers).</summary>
    public static void Write(TextWriter writer, string comment, IEnumerable<(string Name, double[] Values)> arrays)
    {
        writer.Write("# " + comment + "\n");
        foreach (var (name, values) in arrays)
        {
            writer.Write(name + " " + values.Length.ToString(CultureInfo.InvariantCulture) + "\n");
            foreach (var v in values) writer.Write(v.ToString("R", CultureInfo.InvariantCulture) + "\n");
        }
    }

    /// <summary>max |expected − actual| / max |expected| (∞ on a length mismatch or NaN).</summary>
    public static double RelativeDifference(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        if (expected.Length != actual.Length) return double.PositiveInfinity;
        double scale = 0, worst = 0;
        for (int k = 0; k < expected.Length; k++)
        {
            if (double.IsNaN(actual[k])) return double.PositiveInfinity;
            scale = Math.Max(scale, Math.Abs(expected[k]));
            worst = Math.Max(worst, Math.Abs(expected[k] - actual[k]));
        }
        return worst == 0 ? 0 : worst / scale;
    }
}
