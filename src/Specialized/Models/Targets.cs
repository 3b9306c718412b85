using Specialized.Structures;

namespace Specialized.Models;

/// <summary>Reads training targets from structures, with errors that name the structure and key.</summary>
public static class Targets
{
    /// <summary>A real scalar from <see cref="Structure.Info"/>.</summary>
    public static double Scalar(Structure structure, string key, int index)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var values = Reals(structure, key, index);
        if (values.Length != 1) throw new InvalidStructureException($"structure {index}: '{key}' has {values.Length} values, expected one number");
        return values[0];
    }

    /// <summary>A real vector of <paramref name="length"/> values from <see cref="Structure.Info"/>.</summary>
    public static double[] Vector(Structure structure, string key, int length, int index)
    {
        ArgumentNullException.ThrowIfNull(structure);
        var values = Reals(structure, key, index);
        if (values.Length != length) throw new InvalidStructureException($"structure {index}: '{key}' has {values.Length} values, expected {length}");
        return values;
    }

    /// <summary>A per-atom 3-vector array (forces) from <see cref="Structure.Arrays"/>, flat [3i + d].</summary>
    public static double[] PerAtomVectors(Structure structure, string key, int index)
    {
        ArgumentNullException.ThrowIfNull(structure);
        if (!structure.Arrays.TryGetValue(key, out var property))
            throw new InvalidStructureException($"structure {index}: no per-atom array '{key}' (available: {string.Join(", ", structure.Arrays.Keys)})");
        if (property.Kind != PropertyKind.Real || property.Columns != 3)
            throw new InvalidStructureException($"structure {index}: per-atom array '{key}' is not 3 real columns");
        foreach (var v in property.Reals!)
            if (!double.IsFinite(v)) throw new InvalidStructureException($"structure {index}: '{key}' contains NaN or infinity");
        return property.Reals!;
    }

    /// <summary>
    /// The virial W (9 values, energy units, W = −∂E/∂ε) from <paramref name="virialKey"/>, or from the stress
    /// σ (energy/Å³) under <paramref name="stressKey"/> as W = −σV (fully periodic cells only).
    /// </summary>
    public static double[] Virial(Structure structure, string? virialKey, string? stressKey, int index)
    {
        ArgumentNullException.ThrowIfNull(structure);
        if (virialKey is not null) return Vector(structure, virialKey, 9, index);
        if (stressKey is null) throw new InvalidParameterException("virial", "needs a virial or a stress key");
        if (structure.Cell is not { } cell || !(cell.Pbc[0] && cell.Pbc[1] && cell.Pbc[2]))
            throw new InvalidStructureException($"structure {index}: stress '{stressKey}' needs a cell periodic along all three axes");
        var stress = Vector(structure, stressKey, 9, index);
        var w = new double[9];
        for (int k = 0; k < 9; k++) w[k] = -stress[k] * cell.Volume;
        return w;
    }

    /// <summary>True when every structure has info <paramref name="key"/>.</summary>
    public static bool AllHaveInfo(IEnumerable<Structure> structures, string key) => structures.All(s => s.Info.ContainsKey(key));

    /// <summary>True when every structure has a per-atom array <paramref name="key"/>.</summary>
    public static bool AllHaveArray(IEnumerable<Structure> structures, string key) => structures.All(s => s.Arrays.ContainsKey(key));

    private static double[] Reals(Structure structure, string key, int index)
    {
        if (!structure.Info.TryGetValue(key, out var value))
            throw new InvalidStructureException($"structure {index}: no '{key}' in the frame information (available: {string.Join(", ", structure.Info.Keys)})");
        var reals = value.AsReals() ?? throw new InvalidStructureException($"structure {index}: '{key}' is not numeric");
        foreach (var v in reals)
            if (!double.IsFinite(v)) throw new InvalidStructureException($"structure {index}: '{key}' contains NaN or infinity");
        return reals;
    }
}
